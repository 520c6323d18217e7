"""
Who is reported in Oregon's ninth-grade on-track collection, and why every other student is not.

Both rule sets of the spec run behind :func:`eligibility`: the record-based rule (the
district's on-track program records) and the earned-credit rule (the state's definition:
25% of the credits a diploma needs, by the end of the first year of high school). The
engine is vectorised over :class:`~edoutcomes.model.K12Columns`; no Python loop runs over
enrollments, marks or participations.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from .._kernel._arrow import ArrowExport, summary_html, summary_repr
from .._kernel._days import check_date, date_of
from .._kernel._ties import remaining_keys
from .._kernel._validators import boolean
from ..errors import InvalidArgumentError
from ..model import (
    MISSING_DAY,
    CreditMethod,
    K12Columns,
    OnTrackStatus,
    SchoolYear,
    ServiceType,
)
from ._arrays import (
    active_on,
    add_months,
    any_per_student,
    best_per_student,
    day,
    id_rank,
    open_end,
    overlaps,
    school_year_start,
)

__all__ = [
    "DEFAULT_REQUIRED_CREDITS",
    "MINIMUM_THRESHOLD",
    "CreditWindow",
    "Eligibility",
    "Explanations",
    "Ineligibility",
    "OnTrackOptions",
    "Reason",
    "Rule",
    "eligibility",
    "threshold",
]

DEFAULT_REQUIRED_CREDITS = 24.0
"""
The state minimum number of credits for a regular diploma.

Examples:
    >>> threshold(DEFAULT_REQUIRED_CREDITS)
    6.0
"""
MINIMUM_THRESHOLD = 6.0
"""
The on-track threshold never falls below this (25% of the state minimum of 24).

Examples:
    >>> threshold(28), threshold(20) == MINIMUM_THRESHOLD
    (7.0, True)
"""
#: Credits are sums of decimals: compare with this tolerance so 5.9999999 counts as 6.
_TOLERANCE = 1e-9


class Rule(enum.StrEnum):
    """
    Which rule set decides that a ninth grader is on track.

    Examples:
        >>> Rule("record-based") is Rule.RECORD_BASED, OnTrackOptions().rule.value
        (True, 'earned-credit')
    """

    #: The state's definition: earned credits at or above the threshold (the default).
    EARNED_CREDIT = "earned-credit"
    #: The district's on-track program records (status ``1``, cohort and start in the year).
    RECORD_BASED = "record-based"


class CreditWindow(enum.StrEnum):
    """
    Which marks' dates count towards the earned credits.

    Examples:
        >>> OnTrackOptions(credit_window="12-months").credit_window
        <CreditWindow.TWELVE_MONTHS: '12-months'>
    """

    #: Marks dated in the reporting school year (the default).
    SCHOOL_YEAR = "school-year"
    #: Marks dated in the 12 months from the date first entered grade 9 (summer credit counts).
    TWELVE_MONTHS = "12-months"


class Ineligibility(enum.IntEnum):
    """
    Why a student is not reported: the vendor's "should this student report?" checklist.

    The value is the reason's place in the checklist (and its bit in the engine's mask).

    Examples:
        >>> Ineligibility.CREDITS_BELOW_THRESHOLD.code, Ineligibility.NO_STATE_ID.label
        ('credits_below_threshold', 'the student has no state id')
    """

    NO_STATE_ID = 1
    NOT_ENROLLED = 2
    EXCLUDED_ENROLLMENTS_ONLY = 3
    NOT_IN_COHORT = 4
    NO_ONTRACK_RECORD = 5
    ONTRACK_OTHER_COHORT = 6
    ONTRACK_NOT_ON_TRACK = 7
    ONTRACK_START_OUTSIDE_YEAR = 8
    CREDITS_BELOW_THRESHOLD = 9

    @property
    def code(self) -> str:
        """The reason as files write it: ``credits_below_threshold``."""
        return self.name.lower()

    @property
    def label(self) -> str:
        """A sentence for people."""
        return _LABELS[self]

    @property
    def bit(self) -> int:
        """The reason's bit in :attr:`Eligibility.mask`."""
        return 1 << int(self)


_LABELS = {
    Ineligibility.NO_STATE_ID: "the student has no state id",
    Ineligibility.NOT_ENROLLED: "the student is not enrolled in the reporting year",
    Ineligibility.EXCLUDED_ENROLLMENTS_ONLY: "every enrollment in the year is excluded or a no-show",
    Ineligibility.NOT_IN_COHORT: "the student did not first enter grade 9 in the reporting year",
    Ineligibility.NO_ONTRACK_RECORD: "no on-track record is active during the reporting year",
    Ineligibility.ONTRACK_OTHER_COHORT: "the on-track record's first year in high school is another year",
    Ineligibility.ONTRACK_NOT_ON_TRACK: "the on-track record's program status is not 1 (on track)",
    Ineligibility.ONTRACK_START_OUTSIDE_YEAR: "the on-track record does not start in the reporting year",
    Ineligibility.CREDITS_BELOW_THRESHOLD: "earned credits are below the on-track threshold",
}

#: Exclusion kinds of an enrollment, as bits of :attr:`Eligibility.exclusions`.
_EXCLUSIONS = (
    ("no_show", "no-show"),
    ("state_exclude", "state-excluded enrollment"),
    ("calendar_state_exclude", "state-excluded calendar"),
    ("grade_state_exclude", "state-excluded grade level"),
)


def threshold(required_credits: float = DEFAULT_REQUIRED_CREDITS) -> float:
    """
    The on-track threshold: a quarter of the district's required credits, and at least 6.

    Examples:
        >>> threshold(), threshold(28), threshold(20)
        (6.0, 7.0, 6.0)
    """
    return max(MINIMUM_THRESHOLD, 0.25 * float(required_credits))


def _positive_number(instance: Any, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        msg = f"{attribute.name}={value!r} must be a number"
        raise InvalidArgumentError(msg)
    if value <= 0:
        msg = f"{attribute.name}={value!r} must be more than 0"
        raise InvalidArgumentError(msg)


def _optional_date(instance: Any, attribute: Any, value: Any) -> None:
    check_date(attribute.name, value, optional=True)


_bool = boolean(error=InvalidArgumentError)


@frozen(kw_only=True)
class OnTrackOptions:
    """
    Every option of the spec, with its default.

    Attributes:
        rule: Earned-credit (default) or record-based.
        snapshot_date: Count only enrollments active on this date (default: any date in the year).
        credit_window: School year (default) or 12 months from the date first entered grade 9.
        required_credits: The district's credits for a regular diploma (default 24).
        transfer_credit: Count transfer credit (default on).
        credit_recovery: Count credit-recovery credit (default on).
        pre_grade9_credit: Count high-school credit dated before the date first entered
            grade 9, wherever it falls (default on); off, such marks never count.

    Examples:
        >>> OnTrackOptions(required_credits=26).threshold
        6.5
    """

    rule: Rule = field(default=Rule.EARNED_CREDIT, converter=Rule)
    snapshot_date: dt.date | None = field(default=None, validator=_optional_date)
    credit_window: CreditWindow = field(default=CreditWindow.SCHOOL_YEAR, converter=CreditWindow)
    required_credits: float = field(default=DEFAULT_REQUIRED_CREDITS, validator=_positive_number)
    transfer_credit: bool = field(default=True, validator=_bool)
    credit_recovery: bool = field(default=True, validator=_bool)
    pre_grade9_credit: bool = field(default=True, validator=_bool)

    @property
    def threshold(self) -> float:
        """``max(6.0, 0.25 * required_credits)``."""
        return threshold(self.required_credits)


@frozen
class Reason:
    """
    One reason a student is not reported, with its particulars.

    Examples:
        >>> reason = Reason(Ineligibility.CREDITS_BELOW_THRESHOLD, "credits 5.0 below threshold 6.0")
        >>> str(reason)
        'credits_below_threshold: credits 5.0 below threshold 6.0'
    """

    code: Ineligibility
    detail: str

    def __str__(self) -> str:
        return f"{self.code.code}: {self.detail}"


def _number(value: float) -> str:
    return str(round(float(value), 4))


@frozen(eq=False)
class Eligibility:
    """
    The outcome for every student of the input: reported or not, and every reason why not.

    Arrays are indexed by the student's row in ``data.students``.

    Attributes:
        data: The K-12 data evaluated.
        year: The reporting school year.
        as_of: The generation date.
        options: The options used.
        mask: ``uint16`` per student: the bits of its :class:`Ineligibility` reasons (0: reported).
        credits: Credits counted per student (under the options, whatever the rule).
        grade9_year: School year (start) of the date first entered grade 9, -1 if none.
        enrollment: Row of the reporting enrollment, -1 if none qualifies.
        ontrack_record: Row of the most recent on-track record active during the year, -1 if none.
        exclusions: ``uint8`` bits of the exclusion kinds among the year's enrollments.
        qualifying: Per enrollment: it counts for requirement 2 (in the year, not excluded).

    Examples:
        >>> from edoutcomes.synth import synthetic_k12
        >>> result = eligibility(synthetic_k12(40, seed=1), "2023-24", as_of=dt.date(2024, 6, 30))
        >>> result
        Eligibility(year=2023-24, as_of=2024-06-30, students=40, reported=6)
        >>> result.counts()[Ineligibility.NOT_IN_COHORT], result.threshold
        (30, 6.0)
        >>> [str(r) for r in result.reasons("D0000002")]
        ['not_in_cohort: first entered grade 9 in 2020-21, not 2023-24', 'credits_below_threshold: credits 1.0 below threshold 6.0']
    """

    data: K12Columns
    year: SchoolYear
    as_of: dt.date
    options: OnTrackOptions
    mask: NDArray[np.uint16]
    credits: NDArray[np.float64]
    grade9_year: NDArray[np.int32]
    enrollment: NDArray[np.int32]
    ontrack_record: NDArray[np.int32]
    exclusions: NDArray[np.uint8]
    qualifying: NDArray[np.bool_]

    def _summary(self) -> dict[str, object]:
        return {
            "year": str(self.year),
            "as_of": self.as_of.isoformat(),
            "students": len(self),
            "reported": self.n_reported,
        }

    def __repr__(self) -> str:
        return summary_repr(self, **self._summary())

    def _repr_html_(self) -> str:
        counts = self._summary()
        counts.update(
            {
                f"not reported: {reason.name.lower().replace('_', ' ')}": n
                for reason, n in self.counts().items()
            }
        )
        return summary_html("Oregon on-track eligibility", counts)

    def to_arrow(self) -> Any:
        """Why each student who is not reported is left out (:meth:`explanations`), as Arrow."""
        return self.explanations().to_arrow()

    def to_pandas(self) -> Any:
        """The explanations as a ``pandas.DataFrame`` (needs pandas)."""
        return self.explanations().to_pandas()

    @property
    def threshold(self) -> float:
        """The credit threshold of the options."""
        return self.options.threshold

    @property
    def reported(self) -> NDArray[np.bool_]:
        """True for each student who is reported."""
        out: NDArray[np.bool_] = self.mask == 0
        return out

    @property
    def n_reported(self) -> int:
        """Number of reported students."""
        return int(np.count_nonzero(self.mask == 0))

    def __len__(self) -> int:
        return len(self.mask)

    def reported_rows(self) -> NDArray[np.int64]:
        """Student rows of the reported students, ordered by zero-padded SSID (then row)."""
        rows = np.flatnonzero(self.mask == 0)
        students = self.data.students
        cats = students.categories["ssid"]
        keys = np.empty(len(rows), dtype=object)
        keys[:] = [str(cats[c]).strip().zfill(10) for c in students.data["ssid"][rows].tolist()]
        return rows[np.argsort(keys, kind="stable")]

    def counts(self) -> dict[Ineligibility, int]:
        """How many students have each reason (a student may have several)."""
        return {reason: int(np.count_nonzero(self.mask & reason.bit)) for reason in Ineligibility}

    def row_of(self, student_id: str) -> int:
        """
        The row of *student_id* in the students table.

        Raises:
            InvalidArgumentError: If no student has that id.
        """
        ids = self.data.students.categories["student_id"].tolist()
        try:
            code = ids.index(student_id)
        except ValueError:
            msg = "no student has this student_id"
            raise InvalidArgumentError(msg) from None
        return int(np.flatnonzero(self.data.students.data["student_id"] == code)[0])

    def reasons(self, student: int | str) -> tuple[Reason, ...]:
        """Every reason the student (a row, or a ``student_id``) is not reported; () if reported."""
        row = self.row_of(student) if isinstance(student, str) else int(student)
        return tuple(
            Reason(reason, str(self._detail(reason, np.array([row]))[0]))
            for reason in Ineligibility
            if self.mask[row] & reason.bit
        )

    def explanations(self) -> Explanations:
        """One row per student of the input: reported Y/N, credits, reasons and their details."""
        return Explanations(self)

    # details ---------------------------------------------------------------------------

    def _detail(self, reason: Ineligibility, rows: NDArray[Any]) -> NDArray[np.object_]:
        """The detail of *reason* for each of *rows*: formatted once per distinct value, then gathered."""
        year = self.year.label
        if reason is Ineligibility.NO_STATE_ID:
            return _each(np.zeros(len(rows)), lambda _: "no state id (SSID)")
        if reason is Ineligibility.NOT_ENROLLED:
            snapshot = self.options.snapshot_date
            when = f"on {snapshot.isoformat()}" if snapshot else f"in {year}"
            return _each(np.zeros(len(rows)), lambda _: f"no enrollment {when}")
        if reason is Ineligibility.EXCLUDED_ENROLLMENTS_ONLY:
            return _each(
                self.exclusions[rows],
                lambda kinds: (
                    "every enrollment is excluded: "
                    + ", ".join(
                        label for bit, (_, label) in enumerate(_EXCLUSIONS) if kinds >> bit & 1
                    )
                ),
            )
        if reason is Ineligibility.NOT_IN_COHORT:
            return _each(
                self.grade9_year[rows],
                lambda g: (
                    f"first entered grade 9 in {SchoolYear(g).label}, not {year}"
                    if g >= 0
                    else "no date first entered grade 9"
                ),
            )
        if reason is Ineligibility.NO_ONTRACK_RECORD:
            return _each(np.zeros(len(rows)), lambda _: f"no on-track record active during {year}")
        records = self.data.ontrack_records
        chosen = self.ontrack_record[rows]
        if reason is Ineligibility.ONTRACK_OTHER_COHORT:
            names = records.categories["first_year_entered_hs"].tolist()
            return _each(
                records.data["first_year_entered_hs"][chosen],
                lambda c: (
                    f"the on-track record's first year entered HS is {names[c] if c >= 0 else 'blank'}, not {year}"
                ),
            )
        if reason is Ineligibility.ONTRACK_NOT_ON_TRACK:
            members = OnTrackStatus.by_code()
            return _each(
                records.data["program_status"][chosen],
                lambda c: (
                    f"the on-track record's program status is {members[c].value if c >= 0 else 'blank'}, not 1"
                ),
            )
        if reason is Ineligibility.ONTRACK_START_OUTSIDE_YEAR:
            return _each(
                records.data["start_date"][chosen],
                lambda s: f"the on-track record starts {date_of(s).isoformat()}, outside {year}",
            )
        t = _number(self.threshold)
        return _each(
            np.round(self.credits[rows], 4), lambda c: f"credits {_number(c)} below threshold {t}"
        )


def _each(values: NDArray[Any], text: Callable[[Any], str]) -> NDArray[np.object_]:
    """``text(value)`` for each value, formatted once per distinct value and gathered."""
    if len(values) == 0:
        return np.empty(0, dtype=object)
    distinct, inverse = np.unique(values, return_inverse=True)
    lookup = np.empty(len(distinct), dtype=object)
    lookup[:] = [text(x) for x in distinct.tolist()]
    out: NDArray[np.object_] = lookup[inverse.reshape(-1)]
    return out


@frozen(eq=False, repr=False)
class Explanations(ArrowExport):
    """
    The explanations report: one row per student, reported or not, with every reason.

    Columns: ``student_id``, ``ssid``, ``reported`` (Y/N), ``credits``, ``threshold``,
    ``reasons`` (codes joined by ``;``) and ``details`` (joined by ``; ``).

    Examples:
        >>> from edoutcomes.synth import synthetic_k12
        >>> result = eligibility(synthetic_k12(40, seed=1), "2023-24", as_of=dt.date(2024, 6, 30))
        >>> report = result.explanations()
        >>> len(list(report.rows()))
        40
        >>> next(report.text_rows())
        ('D0000001', '3638315768', 'N', '10.0', '6.0', 'excluded_enrollments_only', 'every enrollment is excluded: no-show')
    """

    eligibility: Eligibility
    name: str = "oregon-ontrack-explanations"
    columns: tuple[str, ...] = (
        "student_id",
        "ssid",
        "reported",
        "credits",
        "threshold",
        "reasons",
        "details",
    )

    def rows(self) -> Iterator[Sequence[object]]:
        """The rows in the input's student order: typed values (``reported`` a bool, ``credits`` a float)."""
        e = self.eligibility
        codes, details = self._reasons()
        students = e.data.students
        n = len(e)
        return zip(
            students.text("student_id").tolist(),
            students.text("ssid").tolist(),
            (e.mask == 0).tolist(),
            np.round(e.credits, 4).tolist(),
            itertools.repeat(round(e.threshold, 4), n),
            codes.tolist(),
            details.tolist(),
            strict=False,
        )

    def text_rows(self) -> Iterator[Sequence[str]]:
        """The rows as the CSV writes them (``Y``/``N``, blank for missing), built column-wise."""
        e = self.eligibility
        codes, details = self._reasons()
        students = e.data.students
        blank = np.append(students.categories["ssid"], "")
        return zip(
            students.text("student_id").tolist(),
            blank[students.data["ssid"]].tolist(),
            np.where(e.mask == 0, "Y", "N").tolist(),
            np.round(e.credits, 4).astype(str).tolist(),
            itertools.repeat(str(round(e.threshold, 4)), len(e)),
            codes.tolist(),
            details.tolist(),
            strict=False,
        )

    def _reasons(self) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
        e = self.eligibility
        n = len(e)
        codes = np.full(n, "", dtype=object)
        details = np.full(n, "", dtype=object)
        for reason in Ineligibility:
            rows = np.flatnonzero(e.mask & reason.bit)
            if len(rows) == 0:
                continue
            text = e._detail(reason, rows)
            first = codes[rows] == ""
            codes[rows] = np.where(first, reason.code, codes[rows] + ";" + reason.code)
            details[rows] = np.where(first, text, details[rows] + "; " + text)
        return codes, details


def eligibility(
    data: K12Columns,
    year: SchoolYear | str,
    *,
    as_of: dt.date,
    rule: Rule | str = Rule.EARNED_CREDIT,
    snapshot_date: dt.date | None = None,
    credit_window: CreditWindow | str = CreditWindow.SCHOOL_YEAR,
    required_credits: float = DEFAULT_REQUIRED_CREDITS,
    transfer_credit: bool = True,
    credit_recovery: bool = True,
    pre_grade9_credit: bool = True,
) -> Eligibility:
    """
    Decide, for every student, whether they are reported for *year*, and every reason if not.

    Common to both rules: the student has a state id, and is enrolled in a reportable
    calendar on at least one date of the year (or on *snapshot_date*), where an enrollment
    that is a no-show or state-excluded, or whose calendar or grade level is state-excluded,
    does not count. The earned-credit rule adds: first entered grade 9 in *year*, and
    earned at least ``max(6, 0.25 * required_credits)`` high-school credits (latest,
    finalized marks in the credit window). The record-based rule adds instead: the most
    recent on-track record active during the year has first year entered HS = *year*,
    program status ``1`` and a start date in the year.

    Args:
        data: The district's K-12 data, columnar.
        year: The reporting school year (``"2023-24"``).
        as_of: The generation date: which enrollment reports and which flags are on.
        rule: :class:`Rule` (earned credit by default).
        snapshot_date: Count only enrollments active on this date (it must fall in *year*).
        credit_window: :class:`CreditWindow` (the school year by default).
        required_credits: The district's credits for a regular diploma (24 by default).
        transfer_credit: Count transfer credit.
        credit_recovery: Count credit-recovery credit.
        pre_grade9_credit: Count high-school credit dated before the date first entered grade 9.

    Raises:
        InvalidArgumentError: If an argument is not of its kind, or the snapshot is outside the year.

    Examples:
        >>> from edoutcomes.model import K12Student, SchoolEnrollment, TranscriptMark
        >>> d = dt.date
        >>> data = K12Columns.from_records(
        ...     [K12Student("D1", ssid="5161928722", grade9_entry_date=d(2023, 9, 5)),
        ...      K12Student("D2", grade9_entry_date=d(2023, 9, 5))],
        ...     enrollments=[SchoolEnrollment(s, "2063", "4512", d(2023, 9, 5)) for s in ("D1", "D2")],
        ...     marks=[TranscriptMark("D1", "ENG9", d(2024, 6, 10), 6.5),
        ...            TranscriptMark("D2", "ENG9", d(2024, 6, 10), 5.0)])
        >>> e = eligibility(data, "2023-24", as_of=d(2024, 6, 20))
        >>> e.reported.tolist()
        [True, False]
        >>> [str(r) for r in e.reasons("D2")]
        ['no_state_id: no state id (SSID)', 'credits_below_threshold: credits 5.0 below threshold 6.0']
    """
    from ._query import EligibilityQuery  # the query object builds on this module

    query = EligibilityQuery(
        year=year,
        as_of=as_of,
        rule=rule,
        snapshot_date=snapshot_date,
        credit_window=credit_window,
        required_credits=required_credits,
        transfer_credit=transfer_credit,
        credit_recovery=credit_recovery,
        pre_grade9_credit=pre_grade9_credit,
    )
    return query.evaluate(data)


def settings(year: SchoolYear | str, options: OnTrackOptions) -> SchoolYear:
    """
    The reporting school year of *year*, checked with the *options*.

    Raises:
        InvalidArgumentError: If *year* is not a school year, or the snapshot is outside it.
    """
    school_year = _school_year(year)
    snapshot_date = options.snapshot_date
    if snapshot_date is not None and not school_year.contains(snapshot_date):
        msg = f"snapshot_date={snapshot_date.isoformat()} is not in the school year {school_year}"
        raise InvalidArgumentError(msg)
    return school_year


def evaluate_students(
    data: K12Columns, year: SchoolYear, as_of: dt.date, options: OnTrackOptions
) -> Eligibility:
    """
    Every student's eligibility, from checked arguments: the engine of a partition.

    Raises:
        InvalidArgumentError: If *data* is not a :class:`~edoutcomes.model.K12Columns`.
    """
    if not isinstance(data, K12Columns):
        msg = f"data must be K12Columns, not {type(data).__name__}"
        raise InvalidArgumentError(msg)
    return _evaluate(data, year, as_of, options)


def _school_year(year: SchoolYear | str) -> SchoolYear:
    try:
        return SchoolYear.parse(year)
    except ValueError as exc:
        raise InvalidArgumentError(str(exc)) from None


def _evaluate(
    data: K12Columns, year: SchoolYear, as_of: dt.date, options: OnTrackOptions
) -> Eligibility:
    n = data.n_students
    first, last = day(year.first_day), day(year.last_day)
    mask = np.zeros(n, dtype=np.uint16)

    # 1. A state id.
    ssid = data.students.data["ssid"]
    ssid_blank = np.array(
        [not str(x).strip() for x in data.students.categories["ssid"].tolist()] + [True], bool
    )
    mask[ssid_blank[ssid]] |= Ineligibility.NO_STATE_ID.bit

    # 2. Enrolled in a reportable calendar in the year (or on the snapshot date).
    enrollments = data.enrollments
    e = enrollments.data
    who = data.enrollment_student
    if options.snapshot_date is None:
        in_year = overlaps(e["start_date"], e["end_date"], first, last)
    else:
        in_year = active_on(e["start_date"], e["end_date"], day(options.snapshot_date))
    excluded_kind = np.zeros(len(who), dtype=np.uint8)
    for bit, (column, _) in enumerate(_EXCLUSIONS):
        excluded_kind |= (e[column] == 1).astype(np.uint8) << bit
    qualifies = in_year & (excluded_kind == 0) & (who >= 0)
    enrolled = any_per_student(who, in_year, n)
    qualified = any_per_student(who, qualifies, n)
    exclusions = np.zeros(n, dtype=np.uint8)
    for bit in range(len(_EXCLUSIONS)):
        exclusions |= (
            any_per_student(who, in_year & (excluded_kind >> bit & 1 == 1), n).astype(np.uint8)
            << bit
        )
    mask[~enrolled] |= Ineligibility.NOT_ENROLLED.bit
    mask[enrolled & ~qualified] |= Ineligibility.EXCLUDED_ENROLLMENTS_ONLY.bit

    # The reporting enrollment: active on the generation date, else the latest start;
    # ties: primary service type first, then the lower school number.
    enrollment = reporting_enrollment(data, qualifies, as_of)

    # 3. The ninth-grade cohort of the year (earned-credit rule).
    grade9 = data.students.data["grade9_entry_date"]
    grade9_year = school_year_start(grade9)
    credits = _credits(data, year, options, grade9)
    ontrack_record = np.full(n, -1, dtype=np.int32)
    if options.rule is Rule.EARNED_CREDIT:
        mask[grade9_year != year.start] |= Ineligibility.NOT_IN_COHORT.bit
        below = credits + _TOLERANCE < options.threshold
        mask[below] |= Ineligibility.CREDITS_BELOW_THRESHOLD.bit
    else:
        ontrack_record = _record_rule(data, year, mask)
    return Eligibility(
        data,
        year,
        as_of,
        options,
        mask,
        credits,
        grade9_year,
        enrollment,
        ontrack_record,
        exclusions,
        qualifies,
    )


def reporting_enrollment(
    data: K12Columns, qualifies: NDArray[np.bool_], as_of: dt.date
) -> NDArray[np.int32]:
    """The row of each student's reporting enrollment among the *qualifies* rows, -1 if none."""
    e = data.enrollments.data
    on = day(as_of)
    active = active_on(e["start_date"], e["end_date"], on).astype(np.int8)
    primary = (e["service_type"] == ServiceType.PRIMARY.code).astype(np.int8)
    school_rank = id_rank(data.enrollments.categories["school_id"])
    lower_school = -np.append(school_rank, np.int32(2**30))[e["school_id"]]
    return best_per_student(
        data.enrollment_student,
        qualifies,
        [active, e["start_date"], primary, lower_school],
        data.n_students,
        remaining_keys(data.enrollments, ("student_id", "start_date", "school_id")),
    )


def _credits(
    data: K12Columns, year: SchoolYear, options: OnTrackOptions, grade9: NDArray[np.int32]
) -> NDArray[np.float64]:
    if data.n_students == 0:
        # Orphan marks alone (a partition without students): nothing to gather from.
        return np.zeros(0, dtype=np.float64)
    marks = data.marks.data
    who = data.mark_student
    linked = who >= 0
    student = np.where(linked, who, 0)
    counted = (
        linked
        & (marks["hs_credit"] != 0)
        & (marks["latest"] != 0)
        & (marks["finalized"] != 0)
        & ~np.isnan(marks["credits_earned"])
    )
    # A missing flag reads as its default (yes), as the record types do.
    method = marks["credit_method"]
    if not options.transfer_credit:
        counted &= method != CreditMethod.TRANSFER.code
    if not options.credit_recovery:
        counted &= method != CreditMethod.CREDIT_RECOVERY.code
    when = marks["mark_date"]
    entered = grade9[student]
    has_grade9 = entered != MISSING_DAY
    if options.credit_window is CreditWindow.SCHOOL_YEAR:
        in_window = (when >= day(year.first_day)) & (when <= day(year.last_day))
    else:
        window_end = add_months(grade9, 12)[student]
        in_window = has_grade9 & (when >= entered) & (when < window_end)
    before_grade9 = has_grade9 & (when < entered)
    if options.pre_grade9_credit:
        in_window |= before_grade9
    else:
        in_window &= ~before_grade9
    counted &= in_window & (when != MISSING_DAY)
    return np.bincount(
        who[counted], weights=marks["credits_earned"][counted], minlength=data.n_students
    ).astype(np.float64)


def _record_rule(data: K12Columns, year: SchoolYear, mask: NDArray[np.uint16]) -> NDArray[np.int32]:
    records = data.ontrack_records
    r = records.data
    first, last = day(year.first_day), day(year.last_day)
    active = overlaps(r["start_date"], r["end_date"], first, last)
    chosen = best_per_student(
        data.ontrack_student,
        active,
        [r["start_date"], open_end(r["end_date"])],
        data.n_students,
        remaining_keys(records, ("student_id", "start_date", "end_date")),
    )
    has = chosen >= 0
    mask[~has] |= Ineligibility.NO_ONTRACK_RECORD.bit
    rows = chosen[has]
    starts = np.array(
        [_start_year(x) for x in records.categories["first_year_entered_hs"].tolist()] + [-1],
        dtype=np.int32,
    )
    other_cohort = starts[r["first_year_entered_hs"][rows]] != year.start
    not_on_track = r["program_status"][rows] != OnTrackStatus.ON_TRACK.code
    start = r["start_date"][rows]
    outside = (start < first) | (start > last)
    students = np.flatnonzero(has)
    mask[students[other_cohort]] |= Ineligibility.ONTRACK_OTHER_COHORT.bit
    mask[students[not_on_track]] |= Ineligibility.ONTRACK_NOT_ON_TRACK.bit
    mask[students[outside]] |= Ineligibility.ONTRACK_START_OUTSIDE_YEAR.bit
    return chosen


def _start_year(text: str) -> int:
    try:
        return SchoolYear.parse(text).start
    except ValueError:
        return -1
