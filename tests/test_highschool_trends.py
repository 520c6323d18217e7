"""The trends picture, rendered in headless Chromium: the charts are there and show the report's numbers."""

from __future__ import annotations

import os
import shutil
import subprocess
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from edoutcomes.formats.csv import format_value
from edoutcomes.highschool import ALL, CHARTS, high_school_outcomes
from edoutcomes.synth import synthetic_high_schools


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class _Dom(HTMLParser):
    """Collects the charts, their points and the table cells of a rendered page."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: list[dict[str, str]] = []
        self.points: list[dict[str, str]] = []
        self.cells: list[tuple[str, str, str]] = []
        self._school = ""
        self._column: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "svg" and "kpi-chart" in a.get("class", ""):
            self.charts.append(a)
            self._school = a["data-school"]
        elif tag == "circle" and "point" in a.get("class", ""):
            self.points.append({**a, "school": self._school})
        elif tag == "tr" and "data-school" in a:
            self._school = a["data-school"]
        elif tag == "td":
            self._column, self._text = a.get("data-column"), ""

    def handle_data(self, data: str) -> None:
        if self._column is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._column is not None:
            self.cells.append((self._school, self._column, self._text))
            self._column = None


@pytest.fixture(scope="module")
def outcomes():  # type: ignore[no-untyped-def]
    hs = synthetic_high_schools(150, class_years=(2016, 2018, 2020, 2022), n_high_schools=2, seed=5)
    return high_school_outcomes(hs.columns, as_of=hs.as_of)


def test_page_is_self_contained(outcomes) -> None:  # type: ignore[no-untyped-def]
    """
    The page needs no network: no script, no external reference; one SVG per chart and school.
    """
    page = outcomes.trends(suppress_below=5)
    assert "<script" not in page.html
    assert "http://" not in page.html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page.html
    schools = [ALL, *outcomes.high_schools]
    assert len(CHARTS) * len(schools) == page.html.count('class="kpi-chart"')
    assert page.figure("completion").svg.startswith("<svg")


def test_rendered_in_chromium(outcomes, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """
    Headless Chromium renders the page; the charts are present and every number equals the report's.
    """
    browser = _chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed, and CI is set: the trends page must be checked")
        pytest.skip("chromium is not installed")
    page = outcomes.trends()
    path = page.write(tmp_path / "trends.html")
    profile = tmp_path / "profile"
    done = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--dump-dom",
            path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    dom = _Dom()
    dom.feed(done.stdout)
    schools = [ALL, *outcomes.high_schools]
    assert {(c["data-chart"], c["data-school"]) for c in dom.charts} == {
        (name, school) for name, _, _ in CHARTS for school in schools
    }
    kpis = page.kpis
    expected_points = set()
    expected_cells = set()
    for row in kpis.records():
        school = str(row["high_school_code"])
        for column, value in row.items():
            if column == "high_school_code":
                continue
            expected_cells.add((school, column, format_value(value)))
            if isinstance(value, Decimal):
                expected_points.add((school, column, str(row["class_year"]), str(value)))
    actual_points = {
        (p["school"], p["data-series"], p["data-class-year"], p["data-value"]) for p in dom.points
    }
    assert expected_points == actual_points
    assert expected_cells == set(dom.cells)
