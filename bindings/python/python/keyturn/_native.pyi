# Type stubs of the extension module `keyturn._native` (checked against it by tests/test_stubs.py).

import datetime
import os
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

__version__: str
SEED_CONFIG: str

_Config = Union[str, "os.PathLike[str]", Mapping[str, Any]]
_Time = Union[datetime.datetime, int, float]
_Headers = Union[Mapping[str, Union[str, bytes]], Iterable[Tuple[str, Union[str, bytes]]]]
_Context = Mapping[str, Union[str, int, float, bool, Sequence[Union[str, int, float, bool]]]]

class Credentials:
    """AWS credentials: a long-term key, or temporary credentials with a token and expiration."""

    access_key_id: str
    secret_access_key: str
    session_token: Optional[str]
    expiration: Optional[datetime.datetime]
    def __init__(
        self,
        access_key_id: str,
        secret_access_key: str,
        session_token: Optional[str] = None,
        expiration: Optional[datetime.datetime] = None,
    ) -> None: ...
    def boto3_kwargs(self) -> dict[str, Optional[str]]: ...

class CallerIdentity:
    """GetCallerIdentity's answer."""

    user_id: str
    account: str
    arn: str

class ChunkedBody:
    """The body of a verified `aws-chunked` upload (from `Engine.verify_upload`): feed it the
    body as it arrives; the decoded data is provisional until `finish()` succeeds."""

    def feed(self, data: bytes) -> bytes: ...
    def finish(self) -> List[Tuple[str, str]]: ...
    @property
    def payload(self) -> str: ...
    @property
    def decoded_length(self) -> int: ...

class Caller:
    """An authenticated caller (from `Engine.verify_request`); pass it to `Engine.authorize`."""

    @property
    def arn(self) -> str: ...
    @property
    def user_id(self) -> str: ...
    @property
    def account(self) -> str: ...
    @property
    def access_key_id(self) -> str: ...
    @property
    def kind(self) -> str: ...

class MatchedStatement:
    """A statement that decided an authorization."""

    policy_id: str
    policy_type: str
    sid: Optional[str]
    index: int
    effect: str

class Decision:
    """An authorization decision; true when allowed."""

    allowed: bool
    decision: str
    matched_statements: List[MatchedStatement]
    reasons: List[str]
    encoded_message: Optional[str]
    def __bool__(self) -> bool: ...

class Engine:
    """The Keyturn engine in-process."""

    def __init__(
        self, config: _Config, *, ephemeral: bool = False, fixed_time: Optional[_Time] = None
    ) -> None: ...
    @staticmethod
    def from_file(
        path: Union[str, "os.PathLike[str]"],
        *,
        ephemeral: bool = False,
        fixed_time: Optional[_Time] = None,
    ) -> Engine: ...
    @staticmethod
    def from_yaml(
        text: str, *, ephemeral: bool = False, fixed_time: Optional[_Time] = None
    ) -> Engine: ...
    @staticmethod
    def from_dict(
        config: Mapping[str, Any], *, ephemeral: bool = False, fixed_time: Optional[_Time] = None
    ) -> Engine: ...
    @property
    def region(self) -> str: ...
    @property
    def users(self) -> List[str]: ...
    def set_time(self, at: _Time) -> bool: ...
    def credentials(self, who: str) -> Credentials: ...
    def assume_role(
        self,
        credentials: Credentials,
        role_arn: str,
        role_session_name: str,
        *,
        duration_seconds: Optional[int] = None,
        policy: Union[str, Mapping[str, Any], None] = None,
        policy_arns: Optional[Sequence[str]] = None,
        tags: Optional[Mapping[str, str]] = None,
        transitive_tag_keys: Optional[Sequence[str]] = None,
        external_id: Optional[str] = None,
        serial_number: Optional[str] = None,
        token_code: Optional[str] = None,
        source_identity: Optional[str] = None,
    ) -> Credentials: ...
    def get_session_token(
        self,
        credentials: Credentials,
        *,
        duration_seconds: Optional[int] = None,
        serial_number: Optional[str] = None,
        token_code: Optional[str] = None,
    ) -> Credentials: ...
    def get_federation_token(
        self,
        credentials: Credentials,
        name: str,
        *,
        policy: Union[str, Mapping[str, Any], None] = None,
        policy_arns: Optional[Sequence[str]] = None,
        duration_seconds: Optional[int] = None,
        tags: Optional[Mapping[str, str]] = None,
    ) -> Credentials: ...
    def get_caller_identity(self, credentials: Credentials) -> CallerIdentity: ...
    def get_access_key_info(self, credentials: Credentials, access_key_id: str) -> str: ...
    def decode_authorization_message(self, credentials: Credentials, encoded_message: str) -> str: ...
    def authorize(
        self,
        principal: Union[Caller, Credentials, str],
        action: str,
        resource: str,
        context: Optional[_Context] = None,
    ) -> Decision: ...
    def verify_request(
        self,
        method: str,
        url: str,
        headers: _Headers,
        body: Union[bytes, str, None] = None,
        *,
        service: str = "s3",
        source_ip: Optional[str] = None,
    ) -> Caller: ...
    def verify_upload(
        self,
        method: str,
        url: str,
        headers: _Headers,
        body: Union[bytes, str, None] = None,
        *,
        service: str = "s3",
        source_ip: Optional[str] = None,
    ) -> Tuple[Caller, Optional[ChunkedBody]]: ...
    def totp(self, seed: str, at: Optional[_Time] = None) -> str: ...

class Server:
    """Keyturn's STS endpoint on a loopback port, on background threads; a context manager."""

    def __init__(
        self,
        engine: Union[Engine, _Config, None] = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        audit_log: Union[str, "os.PathLike[str]", None] = None,
        compat: Optional[str] = None,
    ) -> None: ...
    def start(self) -> Server: ...
    def stop(self) -> None: ...
    @property
    def running(self) -> bool: ...
    @property
    def endpoint_url(self) -> str: ...
    @property
    def port(self) -> int: ...
    @property
    def region(self) -> str: ...
    @property
    def engine(self) -> Engine: ...
    def credentials(self, who: str) -> Credentials: ...
    def __enter__(self) -> Server: ...
    def __exit__(self, *_args: object) -> bool: ...

def totp(seed: str, at: Optional[_Time] = None) -> str: ...
