"""What matching says about each submitted student: the person, the pass, the score, or why not."""

from __future__ import annotations

import enum
from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from ..formats import RowTable

if TYPE_CHECKING:
    from ._model import FellegiSunterModel

__all__ = ["Match", "MatchPass", "MatchResult", "NoMatchReason"]


class MatchPass(enum.IntEnum):
    """The ordered matching passes; the value is the order (an earlier pass wins)."""

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
        """A plain description, e.g. 'first + last name + birth date'."""
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
    """Why a submitted student was not matched."""

    #: No person shared any blocking key with the student.
    NO_CANDIDATE = "no candidate"
    #: Candidates were found, but none scored above the threshold (or one was a twin).
    BELOW_THRESHOLD = "below threshold"
    #: Two or more people scored (nearly) the same at the best pass: never guessed.
    AMBIGUOUS = "ambiguous"


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
    """

    requester_id: str
    person_id: str | None
    match_pass: MatchPass | None
    score: float | None
    reason: NoMatchReason | None

    @property
    def matched(self) -> bool:
        """Whether the student was matched to a person."""
        return self.person_id is not None


@frozen(eq=False)
class MatchResult:
    """
    Matching results in columnar form, one row per submitted student, in submission order.

    ``person[i]`` is the row in the person store matched to submitted row ``i`` (-1 none);
    ``match_pass[i]`` a :class:`MatchPass` value (0 none); ``score[i]`` the best candidate's
    match probability (NaN without candidates); ``reason[i]`` an index into
    ``tuple(NoMatchReason)`` (-1 when matched).
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

    def __len__(self) -> int:
        return len(self.person)

    @property
    def matched(self) -> NDArray[np.bool_]:
        """Which submitted students were matched."""
        return self.person >= 0

    def matched_person_ids(self) -> list[str | None]:
        """The matched person's id per submitted student (None when unmatched)."""
        ids = self.person_ids.tolist()
        return [None if p < 0 else ids[p] for p in self.person.tolist()]

    def matches(self) -> tuple[Match, ...]:
        """One :class:`Match` per submitted student, in submission order."""
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
        """How many students each pass matched, and how many each reason left unmatched."""
        out: Counter[str] = Counter()
        for p in self.match_pass[self.matched].tolist():
            out[MatchPass(p).name] += 1
        for r in self.reason[~self.matched].tolist():
            out[_REASONS[r].name] += 1
        return dict(sorted(out.items()))

    def as_table(self) -> RowTable:
        """The matches as a report table (``requester_id, person_id, match_pass, score, reason``)."""
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
