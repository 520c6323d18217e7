"""The trends page's columnar cells equal the per-cell reference, pair for pair and byte for byte."""

from __future__ import annotations

import json

import pytest
from trends_reference import reference_tables, reference_views

from edoutcomes.highschool import high_school_outcomes
from edoutcomes.highschool._trends_cells import shown_cells, tables_json
from edoutcomes.synth import synthetic_high_schools


@pytest.mark.parametrize(
    ("students", "schools", "seed", "below"),
    [(400, 3, 1, 10), (400, 3, 2, None), (1600, 5, 3, 3), (80, 2, 4, 10), (16, 1, 5, 1)],
)
def test_columnar_cells_equal_the_reference(
    students: int, schools: int, seed: int, below: int | None
) -> None:
    hs = synthetic_high_schools(students, n_high_schools=schools, seed=seed)
    outcomes = high_school_outcomes(hs.columns, as_of=hs.as_of)
    reports = [outcomes.reports(suppress_below=below).kpis]
    for by in outcomes.reports_by("gender", suppress_below=below).values():
        reports.append(by.kpis)
    views = [reference_views(r) for r in reports]
    cells = [shown_cells(r) for r in reports]
    assert [c.views() for c in cells] == views
    ours = "[" + ",".join(tables_json(c) for c in cells) + "]"
    assert ours == reference_tables(reports[0].columns[2:], views)
    json.loads(ours)
    texts = {t for c in cells for _, t in c.pairs}
    if below is not None and below > 1:
        assert "*" in texts  # the accounts exercise hidden cells, as well as n/a and rates
    assert "n/a" in texts
