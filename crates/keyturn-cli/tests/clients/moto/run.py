"""Runs moto's own test suites, unmodified, in moto's server mode against `keyturn serve --compat moto`.

    run.py --keyturn BIN --moto-src DIR [--out DIR] [--require-pass | --require-explained]
           [--together NAME] SUITE...
    run.py --doc PATH      (writes the table of expected failures, docs/moto-tests.md)

SUITE is a path under moto's sdist (`tests/test_sts`, `tests/test_core/test_auth.py`, or a single
test id). For each suite: a fresh `keyturn serve --compat moto` on a free loopback port, pytest with
TEST_SERVER_MODE=true and TEST_SERVER_MODE_ENDPOINT pointing at it, the JUnit XML parsed. Prints
passed/failed/skipped/errors per suite; writes each test's outcome and first error line to
OUT/<suite>.json. Exits 0 when every suite ran (failures are counted, not fatal) unless
--require-pass is given, then non-zero when any test failed.

`expected.toml` beside this file lists every moto test that is expected to fail, each with a
reason (moto's leniency, moto's own values, another AWS service, outside the issue's scope). A run
sorts each failure into "expected" or "unexplained" and reports listed tests that now pass as
stale; with --require-explained it exits non-zero when any failure is unexplained. The
documentation's per-test table is generated from the same file (--doc), and a test checks the
committed page against it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_keyturn(binary: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    out = open(log, "wb")
    proc = subprocess.Popen(
        [binary, "serve", "--compat", "moto", "--listen", f"127.0.0.1:{port}"],
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"keyturn exited with {proc.returncode}; see {log}")
        try:
            req = urllib.request.Request(f"http://127.0.0.1:{port}/moto-api/reset", method="POST")
            with urllib.request.urlopen(req, timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"keyturn did not answer on port {port}; see {log}")


def outcomes(junit: Path) -> dict[str, dict[str, str]]:
    result: dict[str, dict[str, str]] = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = f"{case.get('classname', '')}::{case.get('name', '')}"
        outcome, message = "passed", ""
        for tag in ("failure", "error", "skipped"):
            el = case.find(tag)
            if el is not None:
                outcome = {"failure": "failed", "error": "error", "skipped": "skipped"}[tag]
                message = (el.get("message") or "").strip().splitlines()[0][:300] if el.get("message") else ""
                break
        result[name] = {"outcome": outcome, "message": message}
    return result


EXPECTED = Path(__file__).with_name("expected.toml")


# The reasons whose tests stop at an invalid setup; --valid-setup runs them again with it made valid.
SETUP_REASONS = ("trust-not-a-policy", "path-pattern")

# --valid-setup's rewrites: trust documents that are not policies become a valid trust policy, and
# paths without their slashes get them. Nothing else in moto's tests changes.
VALID_TRUST = (
    '\'{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
    '"Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}\''
)
REWRITES = (
    (re.compile(r'AssumeRolePolicyDocument=("some policy2?"|"\{\}"|"test policy"|"policy"|"example"|"sp"'
                r'|json\.dumps\("\{ \}"\))'), "AssumeRolePolicyDocument=" + VALID_TRUST),
    (re.compile(r'Path="my-path(\d*)"'), r'Path="/my-path\1/"'),
)


def valid_setup_copy(moto_src: Path, dest: Path) -> Path:
    """A copy of moto's sources whose tests of SETUP_REASONS start from a valid setup."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(moto_src, dest)
    for test in (dest / "tests").rglob("test_*.py"):
        text = original = test.read_text()
        for pattern, replacement in REWRITES:
            text = pattern.sub(replacement, text)
        if text != original:
            test.write_text(text)
    return dest


def load_expected(
    path: Path = EXPECTED, table: str = "failing"
) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """The reasons (key -> kind, text) and the expected failures (test id -> reason key) of one
    table: `failing` (moto's tests as they are) or `failing_with_valid_setup`."""
    data = tomllib.loads(path.read_text())
    reasons, failing = data["reasons"], data.get(table, {})
    unknown = sorted({r for r in failing.values() if r not in reasons})
    if unknown:
        raise SystemExit(f"{path}: failing tests name unknown reasons: {', '.join(unknown)}")
    return reasons, failing


def render_doc(path: Path = EXPECTED) -> str:
    """docs/moto-tests.md: every expected failure, grouped by its reason."""
    reasons, failing = load_expected(path)
    _, with_valid_setup = load_expected(path, "failing_with_valid_setup")
    out = [
        "# moto tests expected to fail against Keyturn",
        "",
        "Generated from `crates/keyturn-cli/tests/clients/moto/expected.toml` by",
        "`python3 crates/keyturn-cli/tests/clients/moto/run.py --doc docs/moto-tests.md`; do not edit.",
        "`make test-moto` reports any failure not listed here as unexplained. See `docs/moto.md`.",
        "",
        f"{len(failing)} tests, for {len({r for r in failing.values()})} reasons.",
    ]
    for key, reason in reasons.items():
        tests = sorted(t for t, r in failing.items() if r == key)
        if not tests:
            continue
        out += ["", f"## {reason['kind']}: `{key}` ({len(tests)})", "", f"The test {reason['text']}.", ""]
        out += [f"- `{t}`" for t in tests]
    setup = sorted(t for t, r in failing.items() if r in SETUP_REASONS)
    out += [
        "",
        "## The same tests with a valid setup",
        "",
        f"The {len(setup)} tests above that stop at an invalid setup ({', '.join(f'`{r}`' for r in SETUP_REASONS)})",
        "are run again by `make test-moto` (`run.py --valid-setup`) on a copy of moto's tests in which",
        "only that setup is rewritten: trust documents that are not policies become a valid trust policy,",
        "`my-path` becomes `/my-path/`. Those that still fail, and why:",
        "",
    ]
    out += [f"- `{t}`: `{r}`" for t, r in sorted(with_valid_setup.items())]
    out += ["", f"The other {len(setup) - len(with_valid_setup)} pass."]
    return "\n".join(out) + "\n"


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--doc":
        Path(sys.argv[2]).write_text(render_doc())
        return 0
    ap = argparse.ArgumentParser()
    ap.add_argument("--keyturn", required=True)
    ap.add_argument("--moto-src", required=True, type=Path)
    ap.add_argument("--require-explained", action="store_true",
                    help="fail when a test fails that expected.toml does not list")
    ap.add_argument("--out", type=Path, default=Path("target/moto"))
    ap.add_argument("--require-pass", action="store_true")
    ap.add_argument("--together", metavar="NAME", help="run every SUITE in one pytest run, counted as NAME")
    ap.add_argument("--valid-setup", action="store_true",
                    help="run the tests that stop at an invalid setup (expected.toml's SETUP_REASONS) "
                         "on a copy of moto's tests with that setup made valid")
    ap.add_argument("suites", nargs="*")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    table = "failing"
    if args.valid_setup:
        table = "failing_with_valid_setup"
        args.moto_src = valid_setup_copy(args.moto_src, args.out / "valid-setup-src")
        _, listed = load_expected()
        args.suites = args.suites or [
            t.split("::")[0].replace(".", "/") + ".py::" + t.split("::", 1)[1]
            for t, r in sorted(listed.items()) if r in SETUP_REASONS
        ]
        args.together = args.together or "valid-setup"
    if not args.suites:
        ap.error("name at least one SUITE")
    runs = [(args.together, args.suites)] if args.together else [(s, [s]) for s in args.suites]
    rows = []
    _, expected = load_expected(table=table)
    unexplained: list[tuple[str, str]] = []
    stale: list[str] = []
    for suite, paths in runs:
        slug = suite.replace("/", "_").replace("::", "__").replace(".py", "")
        port = free_port()
        proc = start_keyturn(args.keyturn, port, args.out / f"{slug}.keyturn.log")
        junit = args.out / f"{slug}.xml"
        env = dict(
            os.environ,
            TEST_SERVER_MODE="true",
            TEST_SERVER_MODE_ENDPOINT=f"http://127.0.0.1:{port}",
        )
        try:
            subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--color=no",
                 "-o", "addopts=", f"--junitxml={junit.resolve()}", *paths],
                cwd=args.moto_src,
                env=env,
                stdout=open(args.out / f"{slug}.pytest.log", "wb"),
                stderr=subprocess.STDOUT,
                check=False,
            )
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        if not junit.exists():
            raise SystemExit(f"pytest wrote no report for {suite}; see {args.out}/{slug}.pytest.log")
        result = outcomes(junit)
        (args.out / f"{slug}.json").write_text(json.dumps(result, indent=1, sort_keys=True))
        counts = {k: sum(1 for r in result.values() if r["outcome"] == k)
                  for k in ("passed", "failed", "error", "skipped")}
        bad = {t: r for t, r in result.items() if r["outcome"] in ("failed", "error")}
        counts["expected"] = sum(1 for t in bad if t in expected)
        unexplained += [(t, r["message"]) for t, r in sorted(bad.items()) if t not in expected]
        stale += sorted(t for t, r in result.items() if r["outcome"] == "passed" and t in expected)
        rows.append((suite, counts))

    print(f"moto {args.moto_src.name} in server mode against keyturn serve --compat moto:")
    print(f"  {'suite':<40} {'passed':>7} {'failed':>7} {'errors':>7} {'skipped':>8} {'expected':>9}")
    for suite, c in rows:
        print(f"  {suite:<40} {c['passed']:>7} {c['failed']:>7} {c['error']:>7} {c['skipped']:>8}"
              f" {c['expected']:>9}")
    print(f"  failures expected (expected.toml [{table}], docs/moto-tests.md):"
          f" {sum(c['expected'] for _, c in rows)};"
          f" unexplained: {len(unexplained)}")
    for test, message in unexplained:
        print(f"  UNEXPLAINED {test}: {message[:160]}")
    for test in stale:
        print(f"  STALE (listed as failing, passed) {test}")
    bad = sum(c["failed"] + c["error"] for _, c in rows)
    if args.require_explained and unexplained:
        return 1
    return 1 if args.require_pass and bad else 0


if __name__ == "__main__":
    sys.exit(main())
