"""
``edoutcomes demo``: run the library's main jobs on built-in synthetic data.

The output is a list of sections; each is made by one function of :data:`SECTIONS` from the
generated cohort. To show more (a cohort query, an export), append a function there. No
section prints a name, a birth date or an id.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

import numpy as np
from attrs import frozen

from .._kernel._days import day
from ..model import CollegeType, DegreeKind, EnrollmentStatus, FerpaBlock
from ..synth import SyntheticCohort, synthetic_cohort
from ._common import count_arg

__all__ = ["SECTIONS", "Section", "register", "run"]


_LABEL_WIDTH = 42


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
        "demo", help="generate a synthetic cohort and show what the library makes of it"
    )
    parser.add_argument(
        "--students",
        type=count_arg(low=1),
        default=1000,
        help="number of synthetic students (default 1000)",
    )
    parser.add_argument(
        "--seed", type=count_arg(low=0), default=2024, help="random seed, 0 or more (default 2024)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Generate a synthetic cohort and print one section per entry of :data:`SECTIONS`."""
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
