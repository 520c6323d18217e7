"""The Fellegi-Sunter model: m and u probabilities per comparison level, fitted by EM without labels."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import cast

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from ..errors import InvalidArgumentError
from ._compare import FieldSpec

__all__ = ["FellegiSunterModel", "FitReport", "ModelSource"]

F64 = NDArray[np.float64]
_FLOOR = 1e-6
# No level is impossible among matches: real files have every kind of error now and then.
_M_FLOOR = 0.005
# Fields whose best level must outweigh their worst, or the fit is judged to have gone wrong.
_ANCHORS = ("first_name", "last_name", "birth_date")

#: Fixed m and u probabilities per level (worst first), by field name: the fallback model.
#: ``u`` is for two people drawn at random (a cohort born over a few decades).
_FIXED: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "first_name": ((0.02, 0.02, 0.04, 0.12, 0.80), (0.90, 0.06, 0.02, 0.01, 0.01)),
    "last_name": ((0.02, 0.02, 0.04, 0.12, 0.80), (0.93, 0.05, 0.015, 0.004, 0.001)),
    "middle_name": ((0.10, 0.30, 0.60), (0.92, 0.05, 0.03)),
    "name_suffix": ((0.05, 0.95), (0.40, 0.60)),
    "birth_date": ((0.04, 0.02, 0.02, 0.02, 0.90), (0.9984, 0.0013, 0.0002, 0.00001, 0.00009)),
    "ssn": ((0.03, 0.07, 0.90), (0.99998, 0.00001, 0.00001)),
    "gender": ((0.02, 0.98), (0.50, 0.50)),
}
_FIXED_TEXT = ((0.10, 0.05, 0.10, 0.75), (0.95, 0.03, 0.01, 0.01))
_FIXED_PRIOR = 1e-4


class ModelSource(enum.StrEnum):
    """
    Where a model's probabilities came from.

    Examples:
        >>> ModelSource("fixed"), str(ModelSource.EM)
        (<ModelSource.FIXED: 'fixed'>, 'em')
    """

    #: Fitted by expectation-maximisation on the candidate pairs (no labels).
    EM = "em"
    #: The built-in fixed weights (chosen, or fallen back to when EM did not give a sensible fit).
    FIXED = "fixed"
    #: Refitted by EM from the default priors after the first fit was rejected.
    REFIT = "em refit from the default priors"


def _tuples(values: Sequence[Sequence[float]]) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(float(x) for x in v) for v in values)


@frozen
class FellegiSunterModel:
    """
    m and u probabilities for every level of every field, and the prior match rate.

    ``m[f][level]`` is P(level | match), ``u[f][level]`` is P(level | non-match) among
    candidate pairs (u from random pairs). A null level (a value missing on either side) adds nothing: a
    missing SSN is neither agreement nor disagreement.

    Examples:
        >>> from edoutcomes.match import FIELDS
        >>> model = FellegiSunterModel.fixed(FIELDS)
        >>> model.source.value, round(float(model.level_weights()[0][-1]), 1)
        ('fixed', 6.3)
    """

    fields: tuple[FieldSpec, ...]
    m: tuple[tuple[float, ...], ...] = field(converter=_tuples)
    u: tuple[tuple[float, ...], ...] = field(converter=_tuples)
    prior: float
    source: ModelSource = ModelSource.FIXED
    iterations: int = 0

    def __attrs_post_init__(self) -> None:
        for spec, m, u in zip(self.fields, self.m, self.u, strict=True):
            if len(m) != spec.n_levels or len(u) != spec.n_levels:
                msg = (
                    f"field {spec.name!r} has {spec.n_levels} levels, got {len(m)} m and {len(u)} u"
                )
                raise InvalidArgumentError(msg)
        if not 0.0 < self.prior < 1.0:
            msg = f"prior={self.prior} must be between 0 and 1"
            raise InvalidArgumentError(msg)

    @classmethod
    def fixed(
        cls,
        fields: Sequence[FieldSpec],
        *,
        prior: float = _FIXED_PRIOR,
        u: Sequence[Sequence[float]] | None = None,
    ) -> FellegiSunterModel:
        """
        The built-in m (and u, unless given) probabilities; text fields get address-like ones.

        Examples:
            >>> from edoutcomes.match import FIELDS
            >>> model = FellegiSunterModel.fixed(FIELDS)
            >>> model.source, model.is_sensible()
            (<ModelSource.FIXED: 'fixed'>, True)
        """
        m = [_FIXED.get(f.name, _FIXED_TEXT)[0] for f in fields]
        if u is None:
            u = [_FIXED.get(f.name, _FIXED_TEXT)[1] for f in fields]
        return cls(tuple(fields), m, u, prior, ModelSource.FIXED)

    @staticmethod
    def prior_u(fields: Sequence[FieldSpec]) -> list[tuple[float, ...]]:
        """
        The built-in u probabilities (used to smooth estimates from few random pairs).

        Examples:
            >>> from edoutcomes.match import FIELDS
            >>> u = FellegiSunterModel.prior_u(FIELDS)
            >>> len(u), round(u[4][-1], 5)  # random pairs rarely share a birth date
            (7, 9e-05)
        """
        return [_FIXED.get(f.name, _FIXED_TEXT)[1] for f in fields]

    def level_weights(self) -> list[F64]:
        """
        log2(m / u) per level of each field: the evidence one level adds.

        Examples:
            >>> from edoutcomes.match import FIELDS
            >>> birth = FellegiSunterModel.fixed(FIELDS).level_weights()[4]  # different .. exact
            >>> [round(float(bits), 1) for bits in birth]
            [-4.6, 3.9, 6.6, 11.0, 13.3]
        """
        return [np.log2(np.asarray(m) / np.asarray(u)) for m, u in zip(self.m, self.u, strict=True)]

    def weights(self, levels: NDArray[np.int8]) -> F64:
        """
        Match weight (log2 posterior odds) of each row of *levels* (``n x n_fields``, -1 null).

        Examples:
            >>> import numpy as np
            >>> from edoutcomes.match import FIELDS
            >>> agree, differ = [4, 4, -1, -1, 4, -1, -1], [0, 0, -1, -1, 0, -1, -1]  # names and birth date
            >>> FellegiSunterModel.fixed(FIELDS).weights(np.array([agree, differ], dtype=np.int8)).round(1).tolist()
            [16.0, -29.0]
        """
        total = np.full(len(levels), np.log2(self.prior / (1.0 - self.prior)))
        for f, table in enumerate(self.level_weights()):
            column = levels[:, f].astype(np.intp)
            present = column >= 0
            total[present] += table[column[present]]
        return total

    def problems(self, *, n_comparisons: int = 0, smaller_file: int = 0) -> tuple[str, ...]:
        """
        Why this model cannot be trusted (empty when it can): every field's agreeing (best) level
        must weigh for a match and its disagreeing (worst) level against, and the expected
        number of matches (prior x possible pairs) must not exceed the smaller file.

        Examples:
            >>> from edoutcomes.match import FIELDS
            >>> FellegiSunterModel.fixed(FIELDS).problems()
            ()
        """
        out = []
        for spec, table in zip(self.fields, self.level_weights(), strict=True):
            if not table[-1] > 0.0:
                out.append(
                    f"agreement on {spec.name} weighs {table[-1]:+.1f} bits (not for a match)"
                )
            if not table[0] < 0.0:
                out.append(f"disagreement on {spec.name} weighs {table[0]:+.1f} bits (not against)")
        expected = self.prior * n_comparisons
        if smaller_file and expected > smaller_file:
            out.append(
                f"it expects {expected:,.0f} matches, more than the smaller file ({smaller_file:,})"
            )
        if not 0.0 < self.prior < 0.5:
            out.append(f"prior {self.prior:.3g} is not below one half")
        return tuple(out)

    def is_sensible(self) -> bool:
        """
        Whether agreement on names and birth date counts for a match and disagreement against.

        Examples:
            >>> from edoutcomes.match import FIELDS
            >>> FellegiSunterModel.fixed(FIELDS).is_sensible()
            True
        """
        tables = self.level_weights()
        for f, spec in enumerate(self.fields):
            if spec.name in _ANCHORS and not tables[f][-1] > 0.0 > tables[f][0]:
                return False
        return 0.0 < self.prior < 0.5

    @classmethod
    def fit(
        cls,
        levels: NDArray[np.int8],
        counts: NDArray[np.int64],
        fields: Sequence[FieldSpec],
        *,
        u: Sequence[Sequence[float]],
        n_comparisons: int,
        max_iterations: int = 100,
        tolerance: float = 1e-6,
        prior_strength: float = 0.0,
        max_matches: float | None = None,
    ) -> FellegiSunterModel:
        """
        Fit m and the prior by expectation-maximisation over the candidate pairs' patterns.

        The u probabilities are given (estimated on random pairs, where non-matches are
        what chance makes them), so blocking cannot bias them; the prior is the match
        rate among all ``n_comparisons`` possible pairs, not among the candidates.

        Args:
            levels: Distinct comparison patterns (``n_patterns x n_fields``, -1 null).
            counts: How many candidate pairs show each pattern.
            fields: The compared fields, in column order.
            u: P(level | non-match) per field, from random pairs.
            n_comparisons: Number of possible pairs (submitted x people).
            max_iterations: Stop after this many EM steps.
            tolerance: Stop when no probability moves more than this.
            prior_strength: Pseudo-matches drawn from the default m values added to every EM
                step (a Dirichlet prior): 0 is the plain fit; a refit uses a strong one, so
                the data can move m only where it clearly says so.
            max_matches: At most this many matches among all pairs (the prior is held below
                ``max_matches / n_comparisons``); None for no bound.

        Returns:
            The fitted model (``source`` EM); the caller checks :meth:`is_sensible`.
        """
        weight = counts.astype(np.float64)
        columns = [levels[:, f].astype(np.intp) for f in range(len(fields))]
        present = [c >= 0 for c in columns]
        default_m = [np.asarray(x, dtype=np.float64) for x in cls.fixed(fields).m]
        m = [x.copy() for x in default_m]
        log_u = [np.log(np.maximum(np.asarray(x, dtype=np.float64), _FLOOR)) for x in u]
        total = float(max(n_comparisons, 1))
        top = 0.5 if max_matches is None else min(0.5, max(max_matches, 1.0) / total)
        prior = min(top, max(float(weight.sum()) / total * 0.1, 1.0 / total))
        iterations = 0
        for iterations in range(1, max_iterations + 1):  # noqa: B007 - the count is reported
            log_odds = np.full(len(weight), np.log(prior / (1.0 - prior)))
            for f in range(len(fields)):
                ok = present[f]
                log_odds[ok] += np.log(m[f][columns[f][ok]]) - log_u[f][columns[f][ok]]
            posterior = 1.0 / (1.0 + np.exp(-np.clip(log_odds, -700, 700)))
            wm = weight * posterior
            if max_matches is not None and wm.sum() > max_matches:
                wm *= max_matches / wm.sum()  # never more matches than the bound
            change = 0.0
            for f, spec in enumerate(fields):
                ok = present[f]
                if wm[ok].sum() <= 0.0:
                    continue
                tally = np.bincount(columns[f][ok], wm[ok], spec.n_levels).astype(np.float64)
                tally += prior_strength * default_m[f]
                new_m = _normalised(tally, _M_FLOOR)
                change = max(change, float(np.abs(new_m - m[f]).max()))
                m[f] = new_m
            new_prior = float(np.clip(wm.sum() / total, 1.0 / total, top))
            change = max(change, abs(new_prior - prior) / prior)
            prior = new_prior
            if change < tolerance:
                break
        u_tuples = [tuple(float(x) for x in np.exp(lu)) for lu in log_u]
        m_tuples = [tuple(float(x) for x in mf) for mf in m]
        source = ModelSource.REFIT if prior_strength > 0 else ModelSource.EM
        return cls(tuple(fields), m_tuples, u_tuples, prior, source, iterations)


@frozen
class FitReport:
    """
    How the model of a run was obtained, and what was rejected on the way.

    Attributes:
        source: Where the model used came from (EM, a refit from the default priors, fixed).
        pairs: Candidate pairs the fit saw; patterns: their distinct comparison patterns.
        expected_matches: The model's prior times the number of possible pairs.
        rejected: Why each rejected fit was rejected (empty when the first fit was kept).

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.match import match_students
        >>> from edoutcomes.model import Student
        >>> ann = Student("S1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3))
        >>> report = match_students([ann], [ann]).fit
        >>> report.source, report.pairs, report.rejected
        (<ModelSource.FIXED: 'fixed'>, 1, ())
    """

    source: ModelSource
    pairs: int
    patterns: int
    expected_matches: float
    rejected: tuple[str, ...] = ()

    @property
    def refitted(self) -> bool:
        """
        Whether a fit was rejected (the model used is a refit or the fixed weights).

        Examples:
            >>> import datetime as dt
            >>> from edoutcomes.match import match_students
            >>> from edoutcomes.model import Student
            >>> ann = Student("S1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3))
            >>> match_students([ann], [ann]).fit.refitted
            False
        """
        return bool(self.rejected)

    def __str__(self) -> str:
        text = (
            f"model: {self.source.value} from {self.pairs:,} candidate pairs "
            f"({self.patterns:,} patterns), {self.expected_matches:,.0f} expected matches"
        )
        if self.rejected:
            text += "; rejected: " + "; ".join(self.rejected)
        return text


def _normalised(values: F64, floor: float) -> F64:
    values = values / max(float(values.sum()), _FLOOR)
    values = np.maximum(values, floor)
    return cast(F64, values / values.sum())
