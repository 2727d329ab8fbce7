"""s3-gate: a tiny S3-compatible HTTP service over a folder, guarded by Keyturn.

Every request is verified with ``Engine.verify_request`` (SigV4, signed for ``s3``) and
authorized with ``Engine.authorize`` against the caller's IAM policies. A streamed upload
(``Content-Encoding: aws-chunked``, as boto3 sends a file-like body over HTTPS; SigV4 or SigV4a,
signed chunks or a trailing checksum) is verified with ``Engine.verify_upload``, authorized
before its body is read, then verified chunk by chunk as the body arrives (constant memory: the
decoded data goes to a temporary file); the object is stored only once ``finish()`` succeeds,
and a refused body leaves nothing behind (S3's ``SignatureDoesNotMatch``, ``BadDigest``,
``IncompleteBody``). Supported, path-style:
PutObject (``PUT /bucket/key``), GetObject (``GET /bucket/key``), ListObjectsV2
(``GET /bucket?list-type=2``); any other operation is authorized too (``DELETE /bucket`` is
``s3:DeleteBucket``) and, when allowed, answered ``501 NotImplemented``. A denial is a 403
``AccessDenied`` whose ``EncodedAuthorizationMessage`` STS's ``DecodeAuthorizationMessage``
explains.

Run it next to a Keyturn endpoint::

    python s3_gate.py keyturn.yaml ./data     # prints both endpoints
"""

from __future__ import annotations

import datetime
import hashlib
import os
import ssl
import sys
import threading
import uuid
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

import keyturn

S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"
#: The most body bytes read at once: what a streamed upload holds in memory.
READ_SIZE = 64 * 1024
STREAMING_PAYLOADS = (
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
    "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
)


class S3Error(Exception):
    """An S3 error response."""

    def __init__(self, status: int, code: str, message: str, extra: Optional[Dict[str, str]] = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra or {}


def _operation(method: str, bucket: str, key: str, query: Dict[str, List[str]]) -> Tuple[str, str, Dict[str, str]]:
    """(IAM action, resource ARN, condition keys) of a path-style request."""
    if key:
        resource = f"arn:aws:s3:::{bucket}/{key}"
        action = {"GET": "s3:GetObject", "HEAD": "s3:GetObject", "PUT": "s3:PutObject", "DELETE": "s3:DeleteObject"}
        if method not in action:
            raise S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")
        return action[method], resource, {}
    resource = f"arn:aws:s3:::{bucket}"
    if method == "GET":
        prefix = query.get("prefix", [""])[0]
        return "s3:ListBucket", resource, {"s3:prefix": prefix}
    action = {"PUT": "s3:CreateBucket", "DELETE": "s3:DeleteBucket", "HEAD": "s3:ListBucket"}
    if method not in action:
        raise S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")
    return action[method], resource, {}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, and `Expect: 100-continue` as boto3 sends it
    server: "_HttpServer"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _send(self, status: int, body: bytes = b"", headers: Optional[Dict[str, str]] = None) -> None:
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, e: S3Error) -> None:
        extra = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in e.extra.items())
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{e.code}</Code>'
            f"<Message>{escape(e.message)}</Message>{extra}</Error>"
        ).encode()
        self._send(e.status, body, {"Content-Type": "application/xml"})

    def _handle(self) -> None:
        try:
            if self.headers.get("x-amz-content-sha256", "").strip() in STREAMING_PAYLOADS:
                self._dispatch_streamed()
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            self._dispatch(body)
        except S3Error as e:
            self._error(e)

    do_GET = do_PUT = do_DELETE = do_HEAD = do_POST = _handle

    def _route(self, caller: keyturn.Caller) -> Tuple[str, str, str, Dict[str, str]]:
        """(action, bucket, key, condition keys) of the request, once the caller may do it."""
        engine = self.server.engine
        url = urlsplit(self.path)
        parts = unquote(url.path).lstrip("/").split("/", 1)
        bucket, key = parts[0], (parts[1] if len(parts) > 1 else "")
        if not bucket:
            raise S3Error(501, "NotImplemented", "ListBuckets is not implemented by s3-gate.")
        query = parse_qs(url.query, keep_blank_values=True)
        action, resource, context = _operation(self.command, bucket, key, query)
        decision = engine.authorize(caller, action, resource, context)
        if not decision:
            raise S3Error(
                403, "AccessDenied",
                f"User: {caller.arn} is not authorized to perform: {action} on resource: {resource}",
                {"EncodedAuthorizationMessage": decision.encoded_message or ""},
            )
        return action, bucket, key, context

    def _dispatch(self, body: bytes) -> None:
        engine = self.server.engine
        try:
            caller = engine.verify_request(
                self.command, self.path, self.headers.items(), body,
                service="s3", source_ip=self.client_address[0],
            )
        except keyturn.KeyturnError as e:
            raise S3Error(403, e.code, e.message) from e
        action, bucket, key, context = self._route(caller)
        store = self.server.root
        if action == "s3:PutObject":
            path = _object_path(store, bucket, key)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
            self._send(200, headers={"ETag": f'"{hashlib.md5(body).hexdigest()}"'})  # noqa: S324
        elif action == "s3:GetObject":
            path = _object_path(store, bucket, key)
            if not path.is_file():
                raise S3Error(404, "NoSuchKey", "The specified key does not exist.")
            data = path.read_bytes()
            self._send(200, data, {
                "ETag": f'"{hashlib.md5(data).hexdigest()}"',  # noqa: S324
                "Last-Modified": formatdate(path.stat().st_mtime, usegmt=True),
                "Content-Type": "application/octet-stream",
            })
        elif action == "s3:ListBucket" and self.command == "GET":
            self._send(200, _list_objects(store, bucket, context["s3:prefix"]), {"Content-Type": "application/xml"})
        else:
            raise S3Error(501, "NotImplemented", f"{action} is not implemented by s3-gate.")


    def _dispatch_streamed(self) -> None:
        """A PutObject whose body is `aws-chunked`: verified as it arrives, stored once whole."""
        # Whatever happens, the rest of a refused body is not read: the connection closes.
        self.close_connection = True
        try:
            caller, chunked = self.server.engine.verify_upload(
                self.command, self.path, self.headers.items(),
                service="s3", source_ip=self.client_address[0],
            )
        except keyturn.KeyturnError as e:
            raise S3Error(_status(e), e.code, e.message) from e
        action, bucket, key, _ = self._route(caller)
        if action != "s3:PutObject" or chunked is None:
            raise S3Error(501, "NotImplemented", f"A streamed {action} is not implemented by s3-gate.")
        path = _object_path(self.server.root, bucket, key)
        staging = self.server.root / ".uploads"
        staging.mkdir(parents=True, exist_ok=True)
        partial = staging / uuid.uuid4().hex
        md5 = hashlib.md5()  # noqa: S324
        try:
            with partial.open("wb") as out:
                for piece in self._body_pieces():
                    data = chunked.feed(piece)
                    out.write(data)
                    md5.update(data)
            chunked.finish()
            path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(partial, path)
        except keyturn.KeyturnError as e:
            raise S3Error(_status(e), e.code, e.message) from e
        finally:
            partial.unlink(missing_ok=True)
        self.close_connection = False
        self._send(200, headers={"ETag": f'"{md5.hexdigest()}"'})

    def _body_pieces(self) -> Iterator[bytes]:
        """The request body in pieces of at most READ_SIZE bytes, HTTP framing undone."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                line = self.rfile.readline(1024)
                try:
                    size = int(line.split(b";")[0], 16)
                except ValueError:
                    raise S3Error(400, "IncompleteBody", "The request body terminated unexpectedly") from None
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    return
                while size:
                    piece = self.rfile.read(min(size, READ_SIZE))
                    if not piece:
                        return
                    size -= len(piece)
                    yield piece
                self.rfile.readline(1024)
        else:
            left = int(self.headers.get("Content-Length") or 0)
            while left:
                piece = self.rfile.read(min(left, READ_SIZE))
                if not piece:
                    return
                left -= len(piece)
                yield piece


def _status(e: keyturn.KeyturnError) -> int:
    """S3's HTTP status of a refused request or body."""
    return 403 if e.code in ("SignatureDoesNotMatch", "AccessDenied", "InvalidAccessKeyId", "InvalidClientTokenId", "ExpiredToken") else 400


def _object_path(root: Path, bucket: str, key: str) -> Path:
    path = (root / bucket / key).resolve()
    if root.resolve() not in path.parents or ".." in key.split("/"):
        raise S3Error(400, "InvalidArgument", "Invalid key.")
    return path


def _list_objects(root: Path, bucket: str, prefix: str) -> bytes:
    base = root / bucket
    if not base.is_dir():
        raise S3Error(404, "NoSuchBucket", "The specified bucket does not exist.")
    items = []
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        key = path.relative_to(base).as_posix()
        if not key.startswith(prefix):
            continue
        stat = path.stat()
        modified = datetime.datetime.fromtimestamp(stat.st_mtime, datetime.timezone.utc)
        items.append(
            f"<Contents><Key>{escape(key)}</Key>"
            f"<LastModified>{modified.strftime('%Y-%m-%dT%H:%M:%S.000Z')}</LastModified>"
            f'<ETag>"{hashlib.md5(path.read_bytes()).hexdigest()}"</ETag>'  # noqa: S324
            f"<Size>{stat.st_size}</Size><StorageClass>STANDARD</StorageClass></Contents>"
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="{S3_NS}">'
        f"<Name>{escape(bucket)}</Name><Prefix>{escape(prefix)}</Prefix><KeyCount>{len(items)}</KeyCount>"
        f"<MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>{''.join(items)}</ListBucketResult>"
    ).encode()


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, addr: Tuple[str, int], engine: keyturn.Engine, root: Path) -> None:
        super().__init__(addr, _Handler)
        self.engine, self.root = engine, root


class S3Gate:
    """The gate on a loopback port, served from a background thread; a context manager."""

    def __init__(
        self,
        engine: keyturn.Engine,
        root: Path,
        host: str = "127.0.0.1",
        port: int = 0,
        ssl_context: Optional[ssl.SSLContext] = None,
    ) -> None:
        self._http = _HttpServer((host, port), engine, Path(root))
        self._tls = ssl_context is not None
        if ssl_context is not None:
            self._http.socket = ssl_context.wrap_socket(self._http.socket, server_side=True)
        self._thread = threading.Thread(target=self._http.serve_forever, name="s3-gate", daemon=True)

    @property
    def endpoint_url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"{'https' if self._tls else 'http'}://{host!s}:{port}"

    def start(self) -> "S3Gate":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()
        self._thread.join()

    def __enter__(self) -> "S3Gate":
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


def main(argv: List[str]) -> int:
    config, root = (argv + ["keyturn.yaml", "./s3-gate-data"])[:2] if len(argv) < 2 else argv[:2]
    engine = keyturn.Engine(Path(config), ephemeral=True)
    Path(root).mkdir(parents=True, exist_ok=True)
    with keyturn.Server(engine) as sts, S3Gate(engine, Path(root)) as gate:
        print(f"STS: {sts.endpoint_url}\nS3:  {gate.endpoint_url}", flush=True)
        for user in engine.users:
            key = engine.credentials(user)
            print(f"{user}: {key.access_key_id} {key.secret_access_key}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
