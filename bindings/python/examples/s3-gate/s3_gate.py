"""s3-gate: a tiny S3-compatible HTTP service over a folder, guarded by Keyturn.

Every request is verified with ``Engine.verify_request`` (SigV4, signed for ``s3``) and
authorized with ``Engine.authorize`` against the caller's IAM policies. Supported, path-style:
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
import sys
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, List, Optional, Tuple
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

import keyturn

S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"


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
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            self._dispatch(body)
        except S3Error as e:
            self._error(e)

    do_GET = do_PUT = do_DELETE = do_HEAD = do_POST = _handle

    def _dispatch(self, body: bytes) -> None:
        engine = self.server.engine
        try:
            caller = engine.verify_request(
                self.command, self.path, self.headers.items(), body,
                service="s3", source_ip=self.client_address[0],
            )
        except keyturn.KeyturnError as e:
            raise S3Error(403, e.code, e.message) from e
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

    def __init__(self, engine: keyturn.Engine, root: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self._http = _HttpServer((host, port), engine, Path(root))
        self._thread = threading.Thread(target=self._http.serve_forever, name="s3-gate", daemon=True)

    @property
    def endpoint_url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}"

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
