"""
``edoutcomes demo``: run the library's main jobs on built-in synthetic data.

The output is a list of sections; each is made by one function of :data:`SECTIONS` from the
generated cohort. To show more (a cohort query, an export), append a function there. No
section prints a name, a birth date or an id.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from attrs import frozen

from .._kernel._days import day
from ..model import CollegeType, DegreeKind, EnrollmentStatus, FerpaBlock
from ..synth import SyntheticCohort, synthetic_cohort
from ._common import count_arg
from ._run import (
    EXIT_CODES,
    CommandError,
    HelpFormatter,
    RunSummary,
    add_force,
    check_out_dir,
)

__all__ = ["DEFAULT_OUT", "JOBS", "SECTIONS", "Job", "Section", "register", "run"]


_LABEL_WIDTH = 42

#: The folder the demo writes into when ``--out`` is not given (relative to the working folder).
DEFAULT_OUT = "edoutcomes-demo"
EXAMPLE = """\
examples:
  edoutcomes demo
  edoutcomes demo --students 200 --out /tmp/demo --force

"""

#: Said of every date the demo uses: none comes from the clock.
_FIXED = "the demo's fixed date for its synthetic data"


@frozen
class Section:
    """One block of the demo's output: a title and ``(label, value)`` lines."""

    title: str
    lines: tuple[tuple[str, str], ...]

    def render(self) -> str:
        """The section as text: the title, then the lines with the values aligned."""
        body = [f"  {label:<{_LABEL_WIDTH}} {value:>12}" for label, value in self.lines]
        return "\n".join([self.title, *body])


def register(subparsers: Any) -> None:
    """Add the ``demo`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "demo",
        help="run the library's main jobs on synthetic data and write what they make",
        description=(
            "Generate synthetic data and run the library's main jobs on it: a college cohort "
            "query (the clearinghouse's three result files), a high-school report with its "
            "trends page, an Oregon on-track extract with explanations, a readiness report and "
            "a matching run (skipped when the match extra is not installed). Every date is a "
            "fixed one tied to the synthetic data, and printed. Only counts and paths are "
            "printed: never a name, a birth date or an id."
        ),
        epilog=EXAMPLE + EXIT_CODES,
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "--students",
        type=count_arg(low=1),
        default=1000,
        help="number of synthetic students of each data set (default 1000)",
    )
    parser.add_argument(
        "--seed", type=count_arg(low=0), default=2024, help="random seed, 0 or more (default 2024)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(DEFAULT_OUT),
        metavar="DIR",
        help=f"folder to write into, one subfolder per job (default: ./{DEFAULT_OUT})",
    )
    add_force(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the cohort's sections, run every job of :data:`JOBS` into ``--out``, summarise."""
    summary = RunSummary("demo")
    out = check_out_dir(args.out)
    for job in JOBS:
        _check_empty(out / job.folder, force=args.force)
    cohort = synthetic_cohort(args.students, seed=args.seed)
    institution = cohort.institution
    print(
        f"Synthetic cohort (seed {args.seed}) submitted by {institution.name} "
        f"({institution.college_code}); search date {cohort.search_date.isoformat()}, "
        f"data as of {cohort.as_of.isoformat()}."
    )
    for make_section in SECTIONS:
        print()
        print(make_section(cohort).render())
    print()
    for job in JOBS:
        folder = out / job.folder
        folder.mkdir(parents=True, exist_ok=True)
        summary.found.append(f"{job.title}: {job.make(args, cohort, folder, summary)}")
    summary.finish()
    print(f"open first: {out / 'highschool' / 'trends.html'} (the high-school trends page)")
    return 0


def _n(count: int | np.integer[Any]) -> str:
    return f"{int(count):,}"


def _students(cohort: SyntheticCohort) -> Section:
    columns = cohort.columns
    n = columns.n_students
    search_day = day(cohort.search_date)
    any_record = np.zeros(n, dtype=bool)
    after_search = np.zeros(n, dtype=bool)
    for links, table, date in (
        (columns.enrollment_student, columns.enrollments, "end_date"),
        (columns.degree_student, columns.degrees, "award_date"),
    ):
        any_record[links] = True
        after_search[links[table.data[date] > search_day]] = True
    return Section(
        "Students",
        (
            ("submitted", _n(n)),
            ("found (any record)", _n(any_record.sum())),
            ("not found", _n(n - any_record.sum())),
            ("found, but only before the search date", _n((any_record & ~after_search).sum())),
        ),
    )


def _enrollments(cohort: SyntheticCohort) -> Section:
    table = cohort.columns.enrollments
    counts = np.bincount(table.data["enrollment_status"], minlength=len(EnrollmentStatus))
    lines = [("enrollment terms", _n(table.n_rows))]
    lines += [
        (f"status {status.value or 'blank (withheld)'}", _n(count))
        for status, count in zip(EnrollmentStatus, counts, strict=True)
        if status is not EnrollmentStatus.UNKNOWN
    ]
    return Section("Enrollment terms", tuple(lines))


def _degrees(cohort: SyntheticCohort) -> Section:
    from .._kernel._degrees import degree_kind_codes

    table = cohort.columns.degrees
    counts = np.bincount(degree_kind_codes(table), minlength=len(DegreeKind))
    lines = [("degree records", _n(table.n_rows))]
    lines += [(f"{kind.value}", _n(count)) for kind, count in zip(DegreeKind, counts, strict=True)]
    return Section("Degrees (kind from the degree-title table)", tuple(lines))


_TYPE_LABELS = {
    CollegeType.FOUR_YEAR: "4-year",
    CollegeType.TWO_YEAR: "2-year",
    CollegeType.LESS_THAN_TWO_YEAR: "less-than-2-year",
}


def _colleges(cohort: SyntheticCohort) -> Section:
    colleges = cohort.colleges
    attended = np.zeros(len(colleges), dtype=bool)
    codes = cohort.columns.enrollments.data["college_code"]
    attended[np.isin(colleges.packed, codes)] = True
    lines = []
    for college_type, label in _TYPE_LABELS.items():
        of_type = colleges.type_code == college_type.code
        lines.append(
            (f"{label} colleges attended", f"{(of_type & attended).sum()} of {of_type.sum()}")
        )
    lines.append(("branches of the submitting institution", _n(colleges.n_own)))
    return Section("Colleges", tuple(lines))


def _ferpa(cohort: SyntheticCohort) -> Section:
    columns = cohort.columns
    lines = []
    for block in (FerpaBlock.STUDENT, FerpaBlock.SCHOOL):
        code = block.code
        enrollments = columns.enrollments.data["ferpa_block"] == code
        degrees = columns.degrees.data["ferpa_block"] == code
        students = np.union1d(
            columns.enrollment_student[enrollments], columns.degree_student[degrees]
        )
        lines.append(
            (f"records blocked by the {block.value}", _n(enrollments.sum() + degrees.sum()))
        )
        lines.append((f"students with a {block.value} block", _n(len(students))))
    return Section("FERPA blocks", tuple(lines))


#: The demo's sections, in order; each makes a :class:`Section` from the synthetic cohort.
SECTIONS: list[Callable[[SyntheticCohort], Section]] = [
    _students,
    _enrollments,
    _degrees,
    _colleges,
    _ferpa,
]


# --- cohort query (edoutcomes.cohort) ---------------------------------------------------
# The control report and Table 1 of the synthetic cohort, as the cohort query gives them.


def _cohort_query(cohort: SyntheticCohort) -> Any:
    from ..cohort import cohort_query

    return cohort_query(
        cohort.columns,
        search_date=cohort.search_date,
        institution=cohort.institution,
        as_of=cohort.as_of,
    )


_CONTROL_LABELS = (
    ("total", "students in the request"),
    ("no_response", "with no response data"),
    ("found", "found, included in the aggregate report"),
    ("blocked_by_school", "less: blocked by the school"),
    ("blocked_by_student", "less: blocked by the student"),
    ("detail_level", "reported at detail level"),
)


def _control_report(cohort: SyntheticCohort) -> Section:
    control = _cohort_query(cohort).control
    lines = tuple((label, _n(getattr(control, name))) for name, label in _CONTROL_LABELS)
    return Section("Cohort query: control report", lines)


def _table1(cohort: SyntheticCohort) -> Section:
    table = _cohort_query(cohort).table1
    lines = [("", "".join(f"{label:>9}" for label in table.year_labels))]
    for label, *counts in table.rows():
        lines.append((str(label), "".join(f"{count:>9,}" for count in counts)))
    return Section(f"Cohort query: {table.title}", tuple(lines))


SECTIONS += [_control_report, _table1]


# --- the files: one job per subfolder of --out ------------------------------------------
# Each job makes its data, runs a public API on it and writes what it makes into its folder;
# it returns a one-line count (never a name, a birth date or an id) and records what it wrote.

_Make = Callable[[argparse.Namespace, SyntheticCohort, Path, RunSummary], str]


@frozen
class Job:
    """One part of the demo's files: its subfolder of ``--out``, a title and what makes them."""

    folder: str
    title: str
    make: _Make


def _check_empty(folder: Path, *, force: bool) -> None:
    """:class:`CommandError` (exit 2) when *folder* holds files and *force* is not given."""
    if folder.is_dir() and any(folder.iterdir()) and not force:
        msg = f"{folder} already has files; give --force to overwrite them"
        raise CommandError(msg)


def _cohort_files(
    args: argparse.Namespace, cohort: SyntheticCohort, folder: Path, summary: RunSummary
) -> str:
    from ..formats import write_cohort_query_files

    result = _cohort_query(cohort)
    file_date = cohort.as_of
    stamp = dt.datetime.combine(file_date, dt.time(9, 0), tzinfo=dt.UTC)
    summary.dates(
        ("cohort query: search date", cohort.search_date, _FIXED),
        ("cohort query: report date", cohort.as_of, _FIXED),
        ("cohort query: file date", file_date, _FIXED),
    )
    paths = write_cohort_query_files(result, folder, timestamp=stamp, file_date=file_date)
    summary.wrote(paths.control, paths.aggregate, paths.detail)
    control = result.control
    return f"{control.total} students, {control.found} found in the records"


def _high_school_files(
    args: argparse.Namespace, cohort: SyntheticCohort, folder: Path, summary: RunSummary
) -> str:
    from ..highschool import high_school_outcomes
    from ..synth import synthetic_high_schools
    from .hs_report import _write

    classes = (2019, 2020, 2021, 2022, 2023)
    data = synthetic_high_schools(
        max(args.students // len(classes), 1), class_years=classes, seed=args.seed
    )
    summary.dates(("high-school report: report date", data.as_of, _FIXED))
    outcomes = high_school_outcomes(data.columns, as_of=data.as_of)
    summary.wrote(*_write(outcomes, folder, None))
    return (
        f"{data.n_students} graduates, {len(outcomes.classes)} classes, "
        f"{len(outcomes.high_schools)} high schools"
    )


_ONTRACK_YEAR = "2023-24"
_ONTRACK_AS_OF = dt.date(2024, 6, 20)


def _ontrack_files(
    args: argparse.Namespace, cohort: SyntheticCohort, folder: Path, summary: RunSummary
) -> str:
    from ..formats import write
    from ..ontrack import build_extract, eligibility
    from ..synth import synthetic_k12

    data = synthetic_k12(args.students, seed=args.seed, year=_ONTRACK_YEAR)
    summary.dates(("on-track extract: generation date", _ONTRACK_AS_OF, _FIXED))
    result = eligibility(data, _ONTRACK_YEAR, as_of=_ONTRACK_AS_OF)
    extract = build_extract(result)
    extract_path = folder / f"{extract.name}.csv"
    explanations = folder / "oregon-ontrack-explanations.csv"
    write(extract, extract_path, "oregon-ontrack-csv")
    write(result.explanations(), explanations, "oregon-ontrack-explanations")
    summary.wrote(extract_path, explanations)
    return f"{result.n_reported} of {len(result)} students reported for {_ONTRACK_YEAR}"


_READINESS_AS_OF = dt.date(2025, 7, 15)


def _readiness_files(
    args: argparse.Namespace, cohort: SyntheticCohort, folder: Path, summary: RunSummary
) -> str:
    from ..readiness import evaluate, write_readiness
    from ..synth import synthetic_readiness

    data = synthetic_readiness(args.students, seed=args.seed, as_of=_READINESS_AS_OF)
    summary.dates(("readiness report: evaluation date", _READINESS_AS_OF, _FIXED))
    result = evaluate(data, _READINESS_AS_OF)
    written, _, _ = write_readiness(result, folder)
    summary.wrote(*written)
    return (
        f"{len(result)} students, UC a-g met {int(result.uc_met.sum())}, "
        f"CSU a-g met {int(result.csu_met.sum())}"
    )


#: What ``pip install`` gives the matching run; the note names it when it is missing.
MATCH_EXTRA = "pip install 'edoutcomes[match]'"
_MATCH_MODULES = ("rapidfuzz", "jellyfish", "nicknames")


def _match_files(
    args: argparse.Namespace, cohort: SyntheticCohort, folder: Path, summary: RunSummary
) -> str:
    import importlib

    from ..errors import MissingExtraError

    skipped = f"skipped: the 'match' extra is not installed ({MATCH_EXTRA} runs it)"
    try:
        for module in _MATCH_MODULES:
            importlib.import_module(module)
        return _match_run(args, folder, summary)
    except (ImportError, MissingExtraError):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()  # nothing to show: no empty folder left behind
        return skipped


def _match_run(args: argparse.Namespace, folder: Path, summary: RunSummary) -> str:
    from ..formats import write
    from ..match import match_students
    from ..synth import synthetic_matching

    data = synthetic_matching(args.students, max(args.students // 2, 1), seed=args.seed)
    result = match_students(data.submitted, data.people)
    path = folder / "matches.csv"
    write(result.as_table(), path, "csv")
    summary.wrote(path)
    return f"{int(result.matched.sum())} of {len(result)} submitted students matched"


#: The demo's jobs, in order: each writes into its own subfolder of ``--out``.
JOBS: tuple[Job, ...] = (
    Job("cohort", "college cohort query", _cohort_files),
    Job("highschool", "high-school report", _high_school_files),
    Job("ontrack", "Oregon on-track extract", _ontrack_files),
    Job("readiness", "readiness report", _readiness_files),
    Job("match", "matching run", _match_files),
)
