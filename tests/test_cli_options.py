"""Every numeric option of every command is range-checked: a one-line error and exit 2, never a traceback."""

from __future__ import annotations

import pytest

from edoutcomes.cli import main

#: (command and its required arguments, numeric option, bad value, what the message says).
BAD = [
    (
        ["match", "--submitted", "s.csv", "--people", "p.csv", "--out", "m.csv"],
        "--threshold",
        v,
        "between 0 and 1",
    )
    for v in ("2", "-1", "0", "1", "nan", "inf", "high")
] + [
    (["demo"], "--students", "0", "at least 1"),
    (["demo"], "--students", "-5", "at least 1"),
    (["demo"], "--seed", "-1", "at least 0"),
    (["ontrack", "--year", "2023-24", "--out", "x"], "--synthetic", "0", "at least 1"),
    (
        ["ontrack", "--synthetic", "5", "--year", "2023-24", "--out", "x"],
        "--seed",
        "-1",
        "at least 0",
    ),
    *(
        (
            ["ontrack", "--synthetic", "5", "--year", "2023-24", "--out", "x"],
            "--required-credits",
            v,
            "more than 0",
        )
        for v in ("0", "-1", "nan", "inf")
    ),
    *(
        (["hs-report", "--as-of", "2024-01-01", "--out", "x"], "--suppress-below", v, "at least 1")
        for v in ("0", "-3", "2.5")
    ),
    *(
        (
            ["hs-report", "--as-of", "2024-01-01", "--out", "x"],
            "--completion-years",
            v,
            "between 1 and 8",
        )
        for v in ("0", "9", "-1")
    ),
]


_READINESS = ["readiness", "--synthetic", "5", "--as-of", "2024-06-01", "--out", "x"]
BAD += [
    (["readiness", "--as-of", "2024-06-01", "--out", "x"], "--synthetic", "0", "at least 1"),
    (_READINESS, "--seed", "-1", "at least 0"),
    (_READINESS, "--min-cell", "0", "at least 1"),
    (_READINESS, "--csu-grade10-honors-cap", "-1", "at least 0"),
]


@pytest.mark.parametrize(("command", "option", "value", "says"), BAD)
def test_out_of_range_is_one_line_exit_2(
    command: list[str],
    option: str,
    value: str,
    says: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The command stops before doing anything, with exit 2 and one line naming the option and its range."""
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    with pytest.raises(SystemExit) as stopped:
        main([*command, f"{option}={value}"])
    assert 2 == stopped.value.code
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert 1 == len(lines), lines
    assert option in lines[0]
    assert says in lines[0]
    assert "Traceback" not in captured.err
    assert "" == captured.out


def test_bad_date_is_one_line_too(capsys: pytest.CaptureFixture[str]) -> None:
    """Any argument error is one line, not the usage text and then the error."""
    with pytest.raises(SystemExit) as stopped:
        main(["hs-report", "--as-of", "soon", "--out", "x"])
    assert 2 == stopped.value.code
    assert 1 == len(capsys.readouterr().err.strip().splitlines())
