"""The README's examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


def test_the_readme_test_passes(pytester: pytest.Pytester) -> None:
    test = next(b for b in BLOCKS if b.startswith("# test_deploy.py"))
    pytester.makepyfile(test_deploy=test)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=4)


@pytest.mark.parametrize("index", [i for i, b in enumerate(BLOCKS) if not b.startswith("# test_")])
def test_the_readme_snippets_run(index: int) -> None:
    exec(compile(BLOCKS[index], f"README.md block {index}", "exec"), {})  # noqa: S102
