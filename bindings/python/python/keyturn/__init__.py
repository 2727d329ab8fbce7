"""Keyturn: an AWS STS-compatible engine, in-process (:class:`Engine`) or as a local HTTP
endpoint (:class:`Server`), with a pytest plugin (fixtures ``keyturn_server``, ``sts_client``,
``boto3_session``).
"""

from __future__ import annotations

from keyturn._native import (
    Caller,
    CallerIdentity,
    Credentials,
    Decision,
    Engine,
    MatchedStatement,
    SEED_CONFIG,
    Server,
    __version__,
    totp,
)
from keyturn.errors import *  # noqa: F401,F403  (one class per AWS error code)
from keyturn.errors import ERROR_CLASSES, AccessDenied, ConfigError, KeyturnError

__all__ = [
    "Caller",
    "CallerIdentity",
    "Credentials",
    "Decision",
    "Engine",
    "MatchedStatement",
    "SEED_CONFIG",
    "Server",
    "__version__",
    "totp",
    "ERROR_CLASSES",
    "KeyturnError",
    "ConfigError",
    "AccessDenied",
] + sorted(c.__name__ for c in ERROR_CLASSES.values() if c.__name__ not in ("ConfigError", "AccessDenied"))
