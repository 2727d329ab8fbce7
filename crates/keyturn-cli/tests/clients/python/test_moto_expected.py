"""The list of moto tests expected to fail (moto/expected.toml) and the page generated from it."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[5]
RUN = Path(__file__).resolve().parents[1] / "moto" / "run.py"


def _run_module():
    spec = importlib.util.spec_from_file_location("moto_run", RUN)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_docs_page_is_generated_from_the_list():
    run = _run_module()
    committed = (ROOT / "docs" / "moto-tests.md").read_text()
    assert committed == run.render_doc(), (
        "docs/moto-tests.md is stale: run "
        "`python3 crates/keyturn-cli/tests/clients/moto/run.py --doc docs/moto-tests.md`"
    )


def test_every_expected_failure_has_a_known_reason_and_a_real_id(tmp_path):
    run = _run_module()
    reasons, failing = run.load_expected()
    _, with_valid_setup = run.load_expected(table="failing_with_valid_setup")
    assert failing, "the list is empty"
    # A test still failing with a valid setup is one that failed at its setup.
    for test in with_valid_setup:
        assert failing.get(test) in run.SETUP_REASONS, test
    for test, reason in failing.items():
        assert reason in reasons
        module, _, name = test.partition("::")
        assert module.startswith("tests.test_") and name.startswith(("test_", "Test")), test
    # Every reason says what kind it is and why, and is used.
    assert {r["kind"] for r in reasons.values()} <= {
        "moto's leniency", "moto's value", "not STS or IAM", "outside the issue's scope",
    }
    assert set(reasons) == set(failing.values()) | set(with_valid_setup.values())
    # An entry naming an unknown reason is refused, not ignored.
    bad = tmp_path / "expected.toml"
    data = RUN.with_name("expected.toml").read_text().replace(
        '[failing]\n', '[failing]\n"tests.test_x::test_y" = "no-such-reason"\n'
    )
    bad.write_text(data)
    try:
        run.load_expected(bad)
    except SystemExit as e:
        assert "no-such-reason" in str(e)
    else:
        raise AssertionError("an unknown reason was accepted")
    assert tomllib.loads(data)["failing"]["tests.test_x::test_y"] == "no-such-reason"
