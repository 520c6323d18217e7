"""The README's example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks() -> list[str]:
    """
    The README's runnable blocks, in order.

    A block fenced ```python runs on its own; fence a sketch that needs the reader's own
    data as ```python no-run (GitHub still highlights it).
    """
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


@pytest.mark.parametrize("code", python_blocks())
def test_example_runs(
    code: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """
    Each Python block of the README runs and prints something (in a scratch folder).
    """
    monkeypatch.chdir(tmp_path)
    exec(compile(code, str(README), "exec"), {"__name__": "readme"})

    assert capsys.readouterr().out.strip()


def test_two_setup_commands() -> None:
    """
    The set-up section has exactly two commands: one runs the demo, one runs the tests as CI does.
    """
    text = README.read_text(encoding="utf-8")
    setup = text.split("## Set up", 1)[1].split("\n## ", 1)[0]

    commands = re.findall(r"```sh\n(.*?)\n```", setup, flags=re.S)

    assert 2 == len(commands)
    assert commands[0].endswith("edoutcomes demo")
    assert commands[1].endswith("python -m pytest")
    assert "run_tests() { python -m pytest" in (README.parent / ".ci" / "run").read_text()


def test_test_command_says_what_it_skips() -> None:
    """
    Next to the test command the README says that the matching tests are skipped without the
    match extra, and the skip reason each of them gives says the same.
    """
    from match_extra import MATCH_EXTRA_MISSING

    text = README.read_text(encoding="utf-8")
    command = "python -m pytest\n```\n"
    after = text.split(command, 1)[1].split("\n\n", 2)
    note = after[1] if after[0] == "" else after[0]
    assert "match" in note
    assert "skip" in note
    assert "'.[test,match]'" in note
    assert "match' extra is not installed" in MATCH_EXTRA_MISSING
    with pytest.raises(pytest.skip.Exception, match="'match' extra is not installed"):
        pytest.importorskip("edoutcomes_no_such_module", reason=MATCH_EXTRA_MISSING)
