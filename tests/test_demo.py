"""``edoutcomes demo``: every job's files written into --out, listed, without personal values."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from edoutcomes._commands.demo import JOBS, MATCH_EXTRA
from edoutcomes.cli import main
from edoutcomes.synth import (
    synthetic_cohort,
    synthetic_high_schools,
    synthetic_k12,
    synthetic_matching,
    synthetic_readiness,
)

N = 60
SEED = 7

#: What each job writes (the cohort files carry the fixed time stamp of the synthetic data).
EXPECTED = {
    "cohort": [
        "edoutcomes_T1cntlrpt.202209150900_CO.htm",
        "edoutcomes_T1cohortrpt.202209150900_CO.csv",
        "edoutcomes_T1.202209150900_CO.csv",
    ],
    "highschool": [
        "kpis.csv",
        "enrollment.csv",
        "persistence.csv",
        "completers.csv",
        "left_out.csv",
        "top_colleges.csv",
        "arr.csv",
        "trends.html",
    ],
    "ontrack": ["oregon-ontrack.csv", "oregon-ontrack-explanations.csv"],
    "readiness": [
        "readiness.csv",
        "readiness_indicators.csv",
        "readiness_findings.csv",
        "calgrant_gpa.csv",
    ],
}
MATCH_FILE = "match/matches.csv"
_EXTRA_MODULES = ("rapidfuzz", "jellyfish", "nicknames", "recordlinkage")


def _has_match_extra() -> bool:
    try:
        for module in _EXTRA_MODULES[:3]:
            __import__(module)
    except ImportError:
        return False
    return True


def _demo(out: Path, capsys: pytest.CaptureFixture[str], *more: str) -> tuple[int, str]:
    code = main(["demo", "--students", str(N), "--seed", str(SEED), "--out", str(out), *more])
    return code, capsys.readouterr().out


def _wrote(stdout: str) -> list[str]:
    return [line.split()[1] for line in stdout.splitlines() if line.startswith("wrote ")]


def _personal() -> set[str]:
    """Names, birth dates and ids of every data set the demo makes."""
    values: set[str] = set()
    tables = [
        synthetic_cohort(N, seed=SEED).columns.students,
        synthetic_high_schools(
            N // 5, class_years=(2019, 2020, 2021, 2022, 2023), seed=SEED
        ).columns.students,
        *synthetic_k12(N, seed=SEED, year="2023-24").tables().values(),
        *synthetic_readiness(N, seed=SEED).tables().values(),
        synthetic_matching(N, N // 2, seed=SEED).people,
        synthetic_matching(N, N // 2, seed=SEED).submitted,
    ]
    wanted = ("name", "birth", "id", "ssn", "ssid")
    for table in tables:
        for column in table.names:
            if any(w in column for w in wanted):
                values.update(str(v) for v in table.values(column) if v is not None)
    # Short numbers (a count, a year) are not personal; an id or SSN has 6 digits or more.
    return {v for v in values if len(v) > 3 and not (v.isdigit() and len(v) < 6)}


def test_every_file_is_written_listed_and_not_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each job's files are in its subfolder, non-empty, and the summary lists every one."""
    code, out = _demo(tmp_path, capsys)

    expected = [f"{folder}/{name}" for folder, names in EXPECTED.items() for name in names]
    if _has_match_extra():
        expected.append(MATCH_FILE)
    written = {Path(p).relative_to(tmp_path).as_posix() for p in _wrote(out)}
    on_disk = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert 0 == code
    assert set(expected) == written == on_disk
    assert [] == [p for p in expected if (tmp_path / p).stat().st_size == 0]
    assert [job.folder for job in JOBS] == [*EXPECTED, "match"]
    assert f"open first: {tmp_path / 'highschool' / 'trends.html'}" in out


def test_dates_are_fixed_and_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every date is the demo's fixed one, printed with where it comes from."""
    _, out = _demo(tmp_path, capsys)

    fixed = [line for line in out.splitlines() if "the demo's fixed date" in line]
    assert 6 == len(fixed)
    assert "on-track extract: generation date: 2024-06-20" in out
    assert "readiness report: evaluation date: 2025-07-15" in out
    assert "high-school report: report date: 2024-10-15" in out


def test_no_personal_value_in_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No name, birth date or id of any of the demo's data sets is printed."""
    _, out = _demo(tmp_path, capsys)

    words = set(out.replace(",", " ").replace("(", " ").replace(")", " ").split())
    personal = _personal()
    assert 100 < len(personal)
    assert set() == words & personal
    assert [] == [p for p in personal if len(p) > 5 and p in out]


def test_existing_files_are_kept_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second run into the same folder stops (exit 2) unless --force; with it, it rewrites."""
    _demo(tmp_path, capsys)
    trends = tmp_path / "highschool" / "trends.html"
    trends.write_text("mine", encoding="utf-8")

    stopped = main(["demo", "--students", str(N), "--seed", str(SEED), "--out", str(tmp_path)])
    err = capsys.readouterr().err

    assert 2 == stopped
    assert "already has files; give --force" in err
    assert "mine" == trends.read_text(encoding="utf-8")
    code, _ = _demo(tmp_path, capsys, "--force")
    assert 0 == code
    assert "mine" != trends.read_text(encoding="utf-8")


def test_without_the_match_extra_the_run_is_skipped_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the extra's modules hidden the matching run is a one-line note; the demo exits 0."""
    for module in _EXTRA_MODULES:
        monkeypatch.setitem(sys.modules, module, None)

    code, out = _demo(tmp_path, capsys)

    notes = [line for line in out.splitlines() if line.startswith("matching run:")]
    assert 0 == code
    assert [
        f"matching run: skipped: the 'match' extra is not installed ({MATCH_EXTRA} runs it)"
    ] == notes
    assert "pip install 'edoutcomes[match]'" in notes[0]
    assert not (tmp_path / MATCH_FILE).exists()
    assert not (tmp_path / MATCH_FILE).parent.exists()  # no empty folder left behind
    assert (tmp_path / "highschool" / "trends.html").stat().st_size > 0


@pytest.mark.match
def test_with_the_match_extra_the_matches_are_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With the extra the matching run writes matches.csv and says how many matched."""
    pytest.importorskip("rapidfuzz")
    code, out = _demo(tmp_path, capsys)

    assert 0 == code
    assert (tmp_path / MATCH_FILE).stat().st_size > 0
    assert f" of {N // 2} submitted students matched" in out
