"""Exceptions: one class per AWS error code, each a KeyturnError with code and message."""

from __future__ import annotations

import re

import pytest

import keyturn
from conftest import REPO


def core_error_codes() -> set[str]:
    """The codes an engine error can have: the wire codes (the first argument of each row) of the
    generated `error_codes!` table, read from its source."""
    source = (REPO / "crates" / "keyturn-api" / "src" / "generated" / "errors.rs").read_text()
    body = source.split("error_codes! {", 1)[1].split("\n}", 1)[0]
    return set(re.findall(r'^\s*[A-Za-z]+\("([A-Za-z]+)",', body, re.MULTILINE))


def test_every_engine_error_code_has_a_class() -> None:
    codes = core_error_codes()
    assert "AccessDenied" in codes and len(codes) >= 20
    missing = codes - set(keyturn.ERROR_CLASSES)
    assert not missing, f"no exception class for {sorted(missing)}"


@pytest.mark.parametrize("code", sorted(keyturn.ERROR_CLASSES))
def test_error_classes(code: str) -> None:
    cls = keyturn.ERROR_CLASSES[code]
    assert cls.__name__ == code
    assert getattr(keyturn, code) is cls and code in keyturn.__all__
    assert issubclass(cls, keyturn.KeyturnError) and issubclass(cls, Exception)
    err = keyturn.errors._from_code(code, "the text", None)
    assert type(err) is cls
    assert err.code == code and err.message == "the text"
    assert str(err) == f"{code}: the text"


def test_unknown_code_is_still_a_keyturn_error() -> None:
    err = keyturn.errors._from_code("SomethingNew", "m", None)
    assert type(err) is keyturn.KeyturnError and err.code == "SomethingNew"


def test_access_denied_carries_the_encoded_message() -> None:
    err = keyturn.errors._from_code("AccessDenied", "no", "ENCODED")
    assert isinstance(err, keyturn.AccessDenied)
    assert err.encoded_authorization_message == "ENCODED"
