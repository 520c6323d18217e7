"""What matching says about each submitted student: the person, the pass, the score, or why not."""

from __future__ import annotations

import enum
from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from .._kernel._arrow import ArrowExport
from .._kernel._tables import RowTable
from ..errors import InvalidArgumentError

if TYPE_CHECKING:
    from ._model import FellegiSunterModel, FitReport

__all__ = ["Explained", "Explanation", "Match", "MatchPass", "MatchResult", "NoMatchReason"]


class MatchPass(enum.IntEnum):
    """
    The ordered matching passes; the value is the order (an earlier pass wins).

    Examples:
        >>> MatchPass(3), MatchPass.NAME_BIRTH_DATE.label
        (<MatchPass.NAME_BIRTH_DATE: 3>, 'first + last name + birth date')
        >>> MatchPass.SSN < MatchPass.PROBABILISTIC  # an earlier pass wins
        True
    """

    SSN = 1
    FULL_NAME_BIRTH_DATE = 2
    NAME_BIRTH_DATE = 3
    SWAPPED_NAMES_BIRTH_DATE = 4
    PREVIOUS_NAME_BIRTH_DATE = 5
    LAST_NAME_BIRTH_DATE = 6
    FIRST_NAME_BIRTH_DATE = 7
    PROBABILISTIC = 8

    @property
    def label(self) -> str:
        """
        A plain description, e.g. 'first + last name + birth date'.

        Examples:
            >>> MatchPass.SSN.label, MatchPass.PROBABILISTIC.label
            ('exact SSN', 'blocking key + probabilistic score')
        """
        return _PASS_LABELS[self]


_PASS_LABELS = {
    MatchPass.SSN: "exact SSN",
    MatchPass.FULL_NAME_BIRTH_DATE: "full name + birth date",
    MatchPass.NAME_BIRTH_DATE: "first + last name + birth date",
    MatchPass.SWAPPED_NAMES_BIRTH_DATE: "first/last names swapped + birth date",
    MatchPass.PREVIOUS_NAME_BIRTH_DATE: "previous last name + birth date",
    MatchPass.LAST_NAME_BIRTH_DATE: "last name + birth date, similar first name",
    MatchPass.FIRST_NAME_BIRTH_DATE: "first name + birth date, similar last name",
    MatchPass.PROBABILISTIC: "blocking key + probabilistic score",
}


class NoMatchReason(enum.StrEnum):
    """
    Why a submitted student was not matched.

    Examples:
        >>> NoMatchReason("ambiguous"), tuple(NoMatchReason).index(NoMatchReason.NO_CANDIDATE)
        (<NoMatchReason.AMBIGUOUS: 'ambiguous'>, 0)
    """

    #: No person shared any blocking key with the student.
    NO_CANDIDATE = "no candidate"
    #: Candidates were found, but none scored above the threshold (or one was a twin).
    BELOW_THRESHOLD = "below threshold"
    #: Two or more people scored (nearly) the same at the best pass: never guessed.
    AMBIGUOUS = "ambiguous"
    #: The best person was matched to another submitted student who fits them better.
    TAKEN = "person matched to another student"


_REASONS = tuple(NoMatchReason)


@frozen
class Match:
    """
    The outcome for one submitted student.

    Attributes:
        requester_id: The submitted student's id.
        person_id: The matched person's id, or None.
        match_pass: The pass that found the match, or None.
        score: The best candidate's match probability (0-1), or None without candidates.
        reason: Why there is no match, or None when matched.

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.match import match_students
        >>> from edoutcomes.model import Student
        >>> people = [Student("P1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3))]
        >>> sent = [Student("S1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3)),
        ...         Student("S3", first_name="Zed", last_name="Quinn", birth_date=dt.date(1999, 1, 1))]
        >>> found, missed = match_students(sent, people).matches()
        >>> found.person_id, found.match_pass
        ('P1', <MatchPass.NAME_BIRTH_DATE: 3>)
        >>> missed.person_id, missed.reason
        (None, <NoMatchReason.NO_CANDIDATE: 'no candidate'>)
    """

    requester_id: str
    person_id: str | None
    match_pass: MatchPass | None
    score: float | None
    reason: NoMatchReason | None

    @property
    def matched(self) -> bool:
        """
        Whether the student was matched to a person.

        Examples:
            >>> Match("S1", "P1", MatchPass.SSN, 0.99, None).matched, Match("S2", None, None, None, NoMatchReason.NO_CANDIDATE).matched
            (True, False)
        """
        return self.person_id is not None


@frozen(eq=False)
class Explained:
    """
    What :meth:`MatchResult.explain` shows, per submitted student: the pair shown (the chosen
    one, else the best-scored candidate) as a pattern of comparison levels, and the
    distribution of every candidate pair's match weight.
    """

    person: NDArray[np.int32]
    pattern: NDArray[np.int64]
    levels: NDArray[np.int8]
    surname_change: NDArray[np.bool_]
    weight: NDArray[np.float64]
    refused: NDArray[np.bool_]
    threshold: float
    histogram: NDArray[np.int64]


@frozen
class Explanation:
    """
    Why a submitted student matched a person or not: each field's comparison level and the
    bits (log2 of m/u) it adds, the prior, any other adjustment, and the outcome.

    ``rows`` holds ``(field, level, bits)``; a field missing on either side has level
    ``"null"`` and adds nothing. ``str()`` gives a small table.

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.match import match_students
        >>> from edoutcomes.model import Student
        >>> people = [Student("P2", first_name="William", last_name="Ortiz", birth_date=dt.date(2000, 5, 6))]
        >>> sent = [Student("S2", first_name="Bill", last_name="Ortiz", birth_date=dt.date(2000, 5, 6))]
        >>> explanation = match_students(sent, people).explain("S2")
        >>> print(str(explanation).splitlines()[0])
        S2: matched to P2 (last name + birth date, similar first name)
        >>> [(field, level) for field, level, _ in explanation.rows[1:3]]
        [('last_name', 'exact'), ('middle_name', 'null')]
    """

    requester_id: str
    person_id: str | None
    matched: bool
    match_pass: MatchPass | None
    reason: NoMatchReason | None
    rows: tuple[tuple[str, str, float], ...]
    prior_bits: float
    adjustment_bits: float
    weight: float | None
    probability: float | None
    threshold: float
    refused: bool

    def __str__(self) -> str:
        if self.person_id is None:
            return f"{self.requester_id}: no candidate"
        outcome = (
            f"matched to {self.person_id} ({self.match_pass.label if self.match_pass else ''})"
            if self.matched
            else f"not matched ({self.reason.value if self.reason else ''}); best candidate {self.person_id}"
        )
        lines = [f"{self.requester_id}: {outcome}"]
        width = max(len(f) for f, _, _ in self.rows)
        for name, level, bits in self.rows:
            lines.append(f"  {name:<{width}}  {level:<40}  {bits:+6.1f}")
        lines.append(f"  {'prior':<{width}}  {'':<40}  {self.prior_bits:+6.1f}")
        if self.adjustment_bits:
            label = "name frequency, changed surname, a move"
            lines.append(f"  {'other':<{width}}  {label:<40}  {self.adjustment_bits:+6.1f}")
        total = "refused by a rule (twin or different SSN)" if self.refused else ""
        if self.weight is not None and self.probability is not None:
            lines.append(
                f"  {'total':<{width}}  {total:<40}  {self.weight:+6.1f}"
                f"  (probability {self.probability:.4f}, threshold {self.threshold})"
            )
        return "\n".join(lines)


@frozen(eq=False)
class MatchResult(ArrowExport):
    """
    Matching results in columnar form, one row per submitted student, in submission order.

    ``person[i]`` is the row in the person store matched to submitted row ``i`` (-1 none);
    ``match_pass[i]`` a :class:`MatchPass` value (0 none); ``score[i]`` the best candidate's
    match probability (NaN without candidates); ``reason[i]`` an index into
    ``tuple(NoMatchReason)`` (-1 when matched).

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.match import match_students
        >>> from edoutcomes.model import Student
        >>> people = [Student("P1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3))]
        >>> sent = [Student("S1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3)),
        ...         Student("S3", first_name="Zed", last_name="Quinn", birth_date=dt.date(1999, 1, 1))]
        >>> result = match_students(sent, people)
        >>> result.person.tolist(), result.match_pass.tolist(), result.reason.tolist()
        ([0, -1], [3, 0], [-1, 0])
    """

    requester_ids: NDArray[np.object_]
    person_ids: NDArray[np.object_]
    person: NDArray[np.int32]
    match_pass: NDArray[np.int8]
    score: NDArray[np.float64]
    weight: NDArray[np.float64]
    reason: NDArray[np.int8]
    candidates: NDArray[np.int32]
    model: FellegiSunterModel | None = None
    #: How the model was obtained (EM, refit, fixed) and what was rejected on the way.
    fit: FitReport | None = None
    explained: Explained | None = None

    def __len__(self) -> int:
        return len(self.person)

    @property
    def matched(self) -> NDArray[np.bool_]:
        """
        Which submitted students were matched.

        Examples:
            >>> import datetime as dt
            >>> from edoutcomes.match import match_students
            >>> from edoutcomes.model import Student
            >>> people = [Student("P1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3))]
            >>> sent = [*people, Student("S3", first_name="Zed", last_name="Quinn", birth_date=dt.date(1999, 1, 1))]
            >>> match_students(sent, people).matched.tolist()
            [True, False]
        """
        return self.person >= 0

    def matched_person_ids(self) -> list[str | None]:
        """
        The matched person's id per submitted student (None when unmatched).

        Examples:
            >>> import datetime as dt
            >>> from edoutcomes.match import match_students
            >>> from edoutcomes.model import Student
            >>> people = [Student("P1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3))]
            >>> sent = [Student("S1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3)),
            ...         Student("S3", first_name="Zed", last_name="Quinn", birth_date=dt.date(1999, 1, 1))]
            >>> match_students(sent, people).matched_person_ids()
            ['P1', None]
        """
        ids = self.person_ids.tolist()
        return [None if p < 0 else ids[p] for p in self.person.tolist()]

    def matches(self) -> tuple[Match, ...]:
        """
        One :class:`Match` per submitted student, in submission order.

        Examples:
            >>> import datetime as dt
            >>> from edoutcomes.match import match_students
            >>> from edoutcomes.model import Student
            >>> people = [Student("P1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3))]
            >>> sent = [Student("S1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3))]
            >>> [(m.requester_id, m.person_id, m.matched) for m in match_students(sent, people).matches()]
            [('S1', 'P1', True)]
        """
        persons = self.matched_person_ids()
        out = []
        for i, rid in enumerate(self.requester_ids.tolist()):
            p, r, s = int(self.match_pass[i]), int(self.reason[i]), float(self.score[i])
            out.append(
                Match(
                    requester_id=rid,
                    person_id=persons[i],
                    match_pass=MatchPass(p) if p > 0 else None,
                    score=None if np.isnan(s) else s,
                    reason=_REASONS[r] if r >= 0 else None,
                )
            )
        return tuple(out)

    def counts(self) -> dict[str, int]:
        """
        How many students each pass matched, and how many each reason left unmatched.

        Examples:
            >>> import datetime as dt
            >>> from edoutcomes.match import match_students
            >>> from edoutcomes.model import Student
            >>> people = [Student("P1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3))]
            >>> sent = [Student("S1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3)),
            ...         Student("S3", first_name="Zed", last_name="Quinn", birth_date=dt.date(1999, 1, 1))]
            >>> match_students(sent, people).counts()
            {'NAME_BIRTH_DATE': 1, 'NO_CANDIDATE': 1}
        """
        out: Counter[str] = Counter()
        for p in self.match_pass[self.matched].tolist():
            out[MatchPass(p).name] += 1
        for r in self.reason[~self.matched].tolist():
            out[_REASONS[r].name] += 1
        return dict(sorted(out.items()))

    def explain(self, student_id: str) -> Explanation:
        """
        Why the submitted student *student_id* matched or not: the comparison levels and
        weights of the chosen pair, or of the best-scored candidate when none was chosen.

        Raises:
            InvalidArgumentError: If *student_id* is not a submitted student, or the result
                was not made by the default matcher.

        Examples:
            >>> import datetime as dt
            >>> from edoutcomes.match import match_students
            >>> from edoutcomes.model import Student
            >>> people = [Student("P1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3))]
            >>> sent = [Student("S1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 4))]
            >>> explanation = match_students(sent, people).explain("S1")
            >>> explanation.matched, [level for field, level, _ in explanation.rows if field == "birth_date"]
            (True, ['one digit off'])
        """
        ids = self.requester_ids.tolist()
        if student_id not in ids or self.explained is None or self.model is None:
            msg = "explain() needs a submitted student id of a result of the default matcher"
            raise InvalidArgumentError(msg)
        i = ids.index(student_id)
        e, model = self.explained, self.model
        p, r = int(self.match_pass[i]), int(self.reason[i])
        common: dict[str, Any] = {
            "requester_id": student_id,
            "matched": bool(self.person[i] >= 0),
            "match_pass": MatchPass(p) if p > 0 else None,
            "reason": _REASONS[r] if r >= 0 else None,
            "threshold": e.threshold,
        }
        prior = float(np.log2(model.prior / (1.0 - model.prior)))
        if e.pattern[i] < 0:
            return Explanation(
                person_id=None, rows=(), prior_bits=prior, adjustment_bits=0.0, weight=None,
                probability=None, refused=False, **common,
            )  # fmt: skip
        levels = e.levels[int(e.pattern[i])]
        rows = []
        total = prior
        for spec, table, level in zip(
            model.fields, model.level_weights(), levels.tolist(), strict=True
        ):
            if level < 0:
                rows.append((spec.name, "null", 0.0))
                continue
            bits = float(table[level])
            rows.append((spec.name, spec.levels[level], bits))
            total += bits
        weight = float(e.weight[i])
        refused = bool(e.refused[i])
        return Explanation(
            person_id=str(self.person_ids[e.person[i]]),
            rows=tuple(rows),
            prior_bits=prior,
            adjustment_bits=weight - total,
            weight=weight,
            probability=float(1.0 / (1.0 + np.exp2(-np.clip(weight, -1000, 1000)))),
            refused=refused,
            **common,
        )

    def weight_distribution(self) -> RowTable:
        """
        How many candidate pairs fall in each 2-bit band of match weight (log2 odds; the ends
        collect everything beyond -40 and +40): matches pile up high, non-matches low, and
        the threshold sits in the trough between them.

        Examples:
            >>> from edoutcomes.match import match_students
            >>> from edoutcomes.synth import synthetic_matching
            >>> data = synthetic_matching(200, 50, seed=1)
            >>> bands = match_students(data.submitted, data.people).weight_distribution()
            >>> bands.columns, sum(pairs for _, _, pairs in bands.rows()) > 0
            (('from_bits', 'to_bits', 'pairs'), True)
        """
        if self.explained is None:
            msg = "weight_distribution() needs a result of the default matcher"
            raise InvalidArgumentError(msg)
        counts = self.explained.histogram.tolist()
        edges = np.arange(-40.0, 41.0, 2.0).tolist()
        rows: list[tuple[Any, ...]] = [
            (edges[k], edges[k + 1], counts[k]) for k in range(len(counts))
        ]
        return RowTable("match_weights", ("from_bits", "to_bits", "pairs"), rows)

    def as_table(self) -> RowTable:
        """
        The matches as a report table (``requester_id, person_id, match_pass, score, reason``).

        Examples:
            >>> import datetime as dt
            >>> from edoutcomes.match import match_students
            >>> from edoutcomes.model import Student
            >>> ann = Student("S1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3))
            >>> table = match_students([ann], [ann]).as_table()
            >>> table.columns, list(table.rows())[0][:3]
            (('requester_id', 'person_id', 'match_pass', 'score', 'reason'), ('S1', 'S1', 'NAME_BIRTH_DATE'))
        """
        rows: list[tuple[Any, ...]] = [
            (
                m.requester_id,
                m.person_id,
                None if m.match_pass is None else m.match_pass.name,
                None if m.score is None else round(m.score, 6),
                None if m.reason is None else m.reason.value,
            )
            for m in self.matches()
        ]
        return RowTable(
            "matches", ("requester_id", "person_id", "match_pass", "score", "reason"), rows
        )
