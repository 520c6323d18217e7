"""
The trends page a district shows its board: words, names, percentages, suppression on by
default, filters over embedded published aggregates, and a page that needs no network.

The page's own numbers are checked against the public reports, in Python and, as a browser
draws them, in headless Chromium.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import select
import shutil
import subprocess
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest

from edoutcomes.errors import InvalidArgumentError
from edoutcomes.highschool import ALL, CHARTS, Cell, HighSchoolOutcomes, high_school_outcomes
from edoutcomes.model import CohortColumns, Column, Kind, Table
from edoutcomes.synth import synthetic_high_schools

#: The count and the denominator behind each drawn rate (what the tables show beside it).
COUNTS = {
    "enrolled_fall_rate": ("enrolled_fall", "graduates"),
    "enrolled_year1_rate": ("enrolled_year1", "graduates"),
    "enrolled_first_two_years_rate": ("enrolled_first_two_years", "graduates"),
    "persistence_rate": ("persisted", "enrolled_year1"),
    "retention_rate": ("retained", "enrolled_year1"),
    "completion_6yr_rate": ("completed_6yr", "graduates"),
}
SCHOOL_NAMES = ("Riverside High School", "Lincoln High School", "Cedar Valley High School")


def with_school_names(columns: CohortColumns, names: dict[str, str]) -> CohortColumns:
    """The columns with a submitted ``high_school_name`` (blank for students without a code)."""
    students = columns.students
    values = sorted(set(names.values()))
    codes = students.text("high_school_code")
    index = np.array([values.index(names[c]) if c in names else -1 for c in codes], np.int32)
    data = {**students.data, "high_school_name": index}
    categories = {**students.categories, "high_school_name": np.array(values, dtype=object)}
    extras = (*students.extras, Column("high_school_name", Kind.TEXT))
    return attrs.evolve(columns, students=Table(students.schema, data, categories, extras))


def make_outcomes(n_per_class: int = 300, seed: int = 5) -> HighSchoolOutcomes:
    """Three named high schools (one student in a hundred without a code), four classes."""
    hs = synthetic_high_schools(
        n_per_class, class_years=(2016, 2018, 2020, 2022), n_high_schools=3, seed=seed
    )
    names = dict(zip(sorted(hs.high_schools), SCHOOL_NAMES, strict=True))  # in code order
    return high_school_outcomes(with_school_names(hs.columns, names), as_of=hs.as_of)


@pytest.fixture(scope="module")
def outcomes() -> HighSchoolOutcomes:
    return make_outcomes()


@pytest.fixture(scope="module")
def page(outcomes):  # type: ignore[no-untyped-def]
    """The page as shared: suppressed by default (a few seconds: one report per group)."""
    return outcomes.trends()


def shown_text(cell: Cell, *, is_rate: bool) -> str:
    """What the page must show for a report cell, written out independently of the page."""
    if not cell.available:
        return "n/a"
    if cell.reason.hidden:
        return "*"
    if cell.value is None:
        return "\u2013"
    if is_rate:
        assert isinstance(cell.value, Decimal)
        percent = (cell.value * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return f"{percent}%"
    return f"{cell.value:,}"


def report_value(cell: Cell) -> str:
    """The value as the report's file writes it: ``*`` hidden, blank, or the number."""
    shown = cell.shown
    return "" if shown is None else str(shown)


def expected_view(report, school: str, year: int | None):  # type: ignore[no-untyped-def]
    """
    What the page must show for one selection, from the public report: per chart, the bar
    labels ``(column, class year, value, text)``, the bars (those with a rate), and the table
    cells ``(class year, column, value, text)``.
    """
    rows = [y for s, y in report.keys if s == school and (year is None or y == year)]
    charts: dict[str, dict[str, set[tuple[str, ...]]]] = {}
    for name, _, rates in CHARTS:
        labels, bars, cells = set(), set(), set()
        columns = [rate.format(n=6) for rate in rates]
        for y in rows:
            denominator = COUNTS[columns[0]][1]
            c = report.cell(school, y, denominator)
            cells.add((str(y), denominator, report_value(c), shown_text(c, is_rate=False)))
            for rate in columns:
                r = report.cell(school, y, rate)
                key = (rate, str(y), report_value(r), shown_text(r, is_rate=True))
                labels.add(key)
                if isinstance(r.shown, Decimal):
                    bars.add(key[:3])
                cells.add((str(y), rate, key[2], key[3]))
                count = report.cell(school, y, COUNTS[rate][0])
                cells.add(
                    (str(y), COUNTS[rate][0], report_value(count), shown_text(count, is_rate=False))
                )
        charts[name] = {"labels": labels, "bars": bars, "cells": cells}
    return charts


class _Svg(HTMLParser):
    """The bar labels and bars of one SVG chart."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: set[tuple[str, ...]] = set()
        self.bars: set[tuple[str, ...]] = set()
        self._label: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs_}
        key = (a.get("data-column", ""), a.get("data-class-year", ""), a.get("data-value", ""))
        if tag == "rect" and a.get("class") == "bar":
            self.bars.add(key)
        elif tag == "text" and a.get("class") == "bar-label":
            self._label = {"key": "\x00".join(key), "text": ""}

    def handle_data(self, data: str) -> None:
        if self._label is not None:
            self._label["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "text" and self._label is not None:
            self.labels.add((*self._label["key"].split("\x00"), self._label["text"]))
            self._label = None


def embedded(page_html: str) -> dict:  # type: ignore[type-arg]
    """The aggregates the page embeds for its filters."""
    found = re.search(r'<script type="application/json" id="trends-data">(.*?)</script>', page_html)
    assert found is not None
    return json.loads(found.group(1))  # type: ignore[no-any-return]


class TestSuppression:
    def test_on_by_default_with_n_and_the_differencing_note(self, outcomes, page) -> None:  # type: ignore[no-untyped-def]
        """
        The page suppresses counts below 10 by default, says so with the n, says differencing
        across tables is not protected, and shows exactly the KPIs suppressed at 10.
        """
        assert 10 == page.suppress_below
        assert "Small counts are suppressed (n = 10)" in page.html
        assert "Differencing across two tables" in page.html
        assert "not protected" in page.html
        expected = list(outcomes.kpis(suppress_below=10).rows())
        assert expected == list(page.kpis.rows())
        assert any("*" in row for row in expected)  # the fixture has small cells to hide

    def test_off_says_not_suppressed(self, outcomes) -> None:  # type: ignore[no-untyped-def]
        """
        With ``suppress_below=None`` the page says plainly that it is not suppressed, and hides nothing.
        """
        page = outcomes.trends(suppress_below=None, attributes=[])
        assert page.suppress_below is None
        assert "Not suppressed." in page.html
        assert "Small counts are suppressed" not in page.html
        assert list(outcomes.kpis().rows()) == list(page.kpis.rows())

    @pytest.mark.parametrize("bad", [0, -3, 2.5, "10"])
    def test_bad_threshold_is_refused(self, outcomes, bad) -> None:  # type: ignore[no-untyped-def]
        """
        A threshold that is not a whole number of at least 1 is an error naming the argument.
        """
        with pytest.raises(InvalidArgumentError, match="suppress_below"):
            outcomes.trends(suppress_below=bad)


class TestContent:
    def test_names_words_percentages_axis_titles(self, outcomes, page) -> None:  # type: ignore[no-untyped-def]
        """
        Schools by name, measures in words, rates as percentages, both axes titled.
        """
        for name in SCHOOL_NAMES:
            assert f">{name}</option>" in page.html
        assert ">High school not given</option>" in page.html
        for words in (
            "Enrolled the fall after high school",
            "Persisted: enrolled in the second year",
            "Completed a degree within 6 years",
            "Percent of graduates",
            "Percent of first-year students",
            "Class of (year of high-school graduation)",
        ):
            assert words in page.html
        assert "enrolled_fall_rate</" not in page.html  # a column name is never shown as text
        assert re.search(r">\d{1,3}\.\d%</text>", page.figure("enrollment").svg)

    def test_figures_show_the_reports_values(self, outcomes, page) -> None:  # type: ignore[no-untyped-def]
        """
        Every school's figures (the page's first view, notebooks) label each bar with the KPI's
        value and its percentage; a rate not shown has no bar, only its text.
        """
        for school in (ALL, *outcomes.high_schools):
            expected = expected_view(page.kpis, school, None)
            for name, _, _ in CHARTS:
                svg = _Svg()
                svg.feed(page.figure(name, school).svg)
                assert expected[name]["labels"] == svg.labels
                assert expected[name]["bars"] == svg.bars

    def test_embeds_only_the_published_reports(self, outcomes, page) -> None:  # type: ignore[no-untyped-def]
        """
        The filters' data are the published KPIs of all students and of each value of each
        attribute (each suppressed on its own), and nothing about a single student.
        """
        data = embedded(page.html)
        reports = [page.kpis] + [
            r.kpis
            for name in (
                "gender",
                "race_ethnicity",
                "pell",
                "first_generation",
                "fafsa_completion",
                "college_intending",
            )
            for r in outcomes.reports_by(name, suppress_below=10).values()
        ]
        assert len(reports) == len(data["tables"])
        columns = data["columns"]
        for report, table in zip(reports, data["tables"], strict=True):
            for school, rows in table.items():
                for year, cells in rows:
                    expected = [report_value(report.cell(school, year, c)) for c in columns]
                    assert expected == [value for value, _ in cells]
        ids = outcomes.columns.students.text("requester_id")
        assert not any(str(i) in page.html for i in ids[:200])
        assert "high_school_name" not in data["groups"]

    def test_choose_attributes(self, outcomes) -> None:  # type: ignore[no-untyped-def]
        """
        ``attributes`` picks the filters; an unknown column is an error naming it.
        """
        page = outcomes.trends(attributes=["pell"])
        assert ["All students", "Pell grant: Yes", "Pell grant: No"] == embedded(page.html)[
            "groups"
        ][:3]
        assert set(page.groups) <= {("pell", True), ("pell", False), ("pell", None)}
        with pytest.raises(InvalidArgumentError, match="'shoe_size'"):
            outcomes.trends(attributes=["shoe_size"])

    def test_personal_columns_are_never_filters(self) -> None:
        """
        A text column named like a personal one is not offered by default, whatever its values.
        """
        o = make_outcomes(40, seed=2)
        students = o.columns.students
        data = {**students.data, "student_email": np.zeros(students.n_rows, np.int32)}
        categories = {**students.categories, "student_email": np.array(["x@example.org"], object)}
        table = Table(
            students.schema,
            data,
            categories,
            (*students.extras, Column("student_email", Kind.TEXT)),
        )
        o = high_school_outcomes(attrs.evolve(o.columns, students=table), as_of=o.as_of)
        assert "example.org" not in o.trends().html


class TestSelfContained:
    def test_no_network_and_a_strict_policy(self, outcomes, page) -> None:  # type: ignore[no-untyped-def]
        """
        The page forbids every fetch (default-src 'none') and allows exactly its own script
        and style, by hash; it references nothing outside itself.
        """
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page.html)
        assert policy is not None
        assert "default-src 'none'" in policy.group(1)
        scripts = re.findall(r"<script>(.*?)</script>", page.html, flags=re.S)
        styles = re.findall(r"<style>(.*?)</style>", page.html, flags=re.S)
        assert len(scripts) == 1
        assert len(styles) == 1
        for source, directive in ((scripts[0], "script-src"), (styles[0], "style-src")):
            digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
            assert f"{directive} 'sha256-{digest}'" in policy.group(1)
        outside = page.html.replace("http://www.w3.org/2000/svg", "")
        assert not re.search(r"https?:|//[a-z]|<link|<iframe|@import|url\(| src=", outside)

    def test_notebook_shows_the_first_view(self, outcomes, page) -> None:  # type: ignore[no-untyped-def]
        """
        In a notebook the page shows its first view: charts and tables, no script.
        """
        body = page._repr_html_()
        assert "<script" not in body
        assert body.count('class="kpi-chart"') == len(CHARTS)
        assert body.count('class="kpi-table"') == len(CHARTS)


# --- the page in headless Chromium ---------------------------------------------------------

BROWSER_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium() -> str:
    """The browser, or a skip (a failure when CI is set: there the page must be checked)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed and CI is set: the trends page must be checked")
    pytest.skip("chromium is not installed (apt-get install chromium)")


class DevTools:
    """
    A headless Chromium driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``:
    JSON messages ended by NUL on file descriptors 3 and 4), so no websocket library is needed.
    """

    def __init__(self, browser: str, profile: Path) -> None:
        self.log = profile.with_name("chromium.log")
        self._log = self.log.open("wb")
        to_browser, self._commands = os.pipe()
        self._replies, from_browser = os.pipe()
        # A small Python puts the pipes on the descriptors Chromium reads and writes, then
        # becomes Chromium (a shell cannot: dash redirects descriptors 0 to 9 only).
        move = (
            "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); "
            "os.execv(sys.argv[3], sys.argv[3:])"
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                move,
                str(to_browser),
                str(from_browser),
                browser,
                *BROWSER_FLAGS,
                "--remote-debugging-pipe",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            pass_fds=(to_browser, from_browser),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
        )
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        self.session = ""

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._replies], [], [], max(left, 0))
            if not ready:
                msg = "no answer from chromium"
                raise TimeoutError(msg)
            chunk = os.read(self._replies, 1 << 20)
            if not chunk:
                msg = f"chromium closed the DevTools pipe: {self.log.read_text(errors='replace')[-2000:]}"
                raise RuntimeError(msg)
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)  # type: ignore[no-any-return]

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        browser: bool = False,
        timeout: float = 20,
    ) -> dict[str, Any]:
        """Send one command (to the page's session unless *browser*) and wait for its answer."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if self.session and not browser:
            message["sessionId"] = self.session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next:
                if "error" in reply:
                    msg = f"{method}: {reply['error']}"
                    raise RuntimeError(msg)
                return reply.get("result", {})  # type: ignore[no-any-return]
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 20, **params: Any) -> dict[str, Any]:
        """The first event *method* (with these params) not yet waited for."""
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for event in self.events[seen:]:
                if event.get("method") == method and all(
                    event["params"].get(k) == v for k, v in params.items()
                ):
                    event["method"] = f"{method} (waited for)"
                    return event["params"]  # type: ignore[no-any-return]
            seen = len(self.events)
            self.events.append(self._read(deadline))

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            msg = f"page script failed: {result['exceptionDetails']}"
            raise RuntimeError(msg)
        return result["result"].get("value")

    def open(self, url: str, width: int) -> None:
        """A page target of *width* CSS pixels, with its network watched, showing *url*."""
        target = self.send("Target.createTarget", {"url": "about:blank"}, browser=True)
        attached = self.send(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, browser=True
        )
        self.session = attached["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.send(f"{domain}.enable")
        self.resize(width)
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def resize(self, width: int, height: int = 900) -> None:
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def screenshot(self, path: Path, width: int) -> Path:
        """The whole page at *width* pixels as a PNG file."""
        self.resize(width)
        height = int(self.evaluate("document.documentElement.scrollHeight"))
        shot = self.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            },
        )
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.send("Browser.close", browser=True, timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)
        os.close(self._replies)
        self._log.close()


#: What the page shows, read from its DOM: the charts' labels and bars, the tables' cells.
READ_VIEW = """(() => {
  const key = (e) => [e.dataset.column, e.dataset.classYear, e.dataset.value];
  const out = {};
  for (const section of document.querySelectorAll("#view section.kpi")) {
    const chart = section.querySelector("svg.kpi-chart");
    out[section.dataset.chart] = {
      labels: [...chart.querySelectorAll("text.bar-label")].map((t) => [...key(t), t.textContent]),
      bars: [...chart.querySelectorAll("rect.bar")].map(key),
      cells: [...section.querySelectorAll("table.kpi-table td")].map((td) =>
        [td.closest("tr").dataset.classYear, td.dataset.column, td.dataset.value, td.textContent]),
      subtitle: chart.querySelectorAll("text")[1].textContent,
    };
  }
  return {charts: out, showing: document.getElementById("showing").textContent,
          scrollWidth: document.documentElement.scrollWidth,
          filtersShown: !document.getElementById("filters").hidden};
})()"""


def choose(devtools: DevTools, select: str, text: str) -> None:
    """Pick the option shown as *text* in a filter, as a reader would (a change event)."""
    found = devtools.evaluate(
        f"""(() => {{
        const s = document.getElementById({json.dumps(select)});
        const o = [...s.options].find((o) => o.textContent === {json.dumps(text)});
        if (!o) return false;
        s.value = o.value;
        s.dispatchEvent(new Event("change"));
        return true;
        }})()"""
    )
    assert found, f"no option {text!r} in {select}"


def as_sets(view: dict[str, Any]) -> dict[str, dict[str, set[tuple[str, ...]]]]:
    """The view's labels, bars and cells as sets (each shown once: no duplicates are lost)."""
    out = {}
    for name, chart in view["charts"].items():
        out[name] = {
            part: {tuple(item) for item in chart[part]} for part in ("labels", "bars", "cells")
        }
        assert [len(chart[part]) for part in out[name]] == [len(v) for v in out[name].values()]
    return out


def test_page_in_chromium(outcomes, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """
    Headless Chromium shows the page with the reports' values, at 1,000 pixels without a
    horizontal scroll bar; the filters change what is shown to the filtered reports' values;
    charts save as SVG and PNG; and the page makes no request but for itself.
    """
    browser = chromium()
    artefacts = Path(os.environ.get("EDOUTCOMES_TEST_ARTEFACTS") or tmp_path / "artefacts")
    artefacts.mkdir(parents=True, exist_ok=True)
    print(f"trends page screenshots and downloads: {artefacts}")
    url = page.write(artefacts / "trends.html").as_uri()
    devtools = DevTools(browser, tmp_path / "profile")
    try:
        devtools.open(url, 1000)
        first = devtools.evaluate(READ_VIEW)
        assert first["filtersShown"]  # the script ran under the page's policy
        assert first["scrollWidth"] <= 1000
        assert expected_view(page.kpis, ALL, None) == as_sets(first)
        assert "Showing: All high schools, all class years, all students." == first["showing"]
        devtools.screenshot(artefacts / "trends-1000.png", 1000)
        devtools.screenshot(artefacts / "trends-1400.png", 1400)
        assert devtools.evaluate(READ_VIEW)["scrollWidth"] <= 1400

        devtools.resize(1000)
        school = outcomes.high_schools[1]
        choose(devtools, "f-school", SCHOOL_NAMES[1])
        by_school = devtools.evaluate(READ_VIEW)
        assert expected_view(page.kpis, school, None) == as_sets(by_school)
        assert as_sets(first) != as_sets(by_school)

        choose(devtools, "f-year", "Class of 2018")
        choose(devtools, "f-group", "Pell grant: Yes")
        pell = outcomes.reports_by("pell", suppress_below=10)[True].kpis
        narrowed = devtools.evaluate(READ_VIEW)
        assert expected_view(pell, school, 2018) == as_sets(narrowed)
        assert f"Showing: {SCHOOL_NAMES[1]}, class of 2018, Pell grant: Yes." == narrowed["showing"]
        assert narrowed["scrollWidth"] <= 1000
        devtools.screenshot(artefacts / "trends-1000-filtered.png", 1000)

        choose(devtools, "f-year", "All class years")
        choose(devtools, "f-group", "Race/ethnicity: Native Hawaiian or Other Pacific Islander")
        assert devtools.evaluate(READ_VIEW)["scrollWidth"] <= 1000  # the longest label

        devtools.send(
            "Browser.setDownloadBehavior",
            {"behavior": "allow", "downloadPath": str(artefacts), "eventsEnabled": True},
            browser=True,
        )
        devtools.evaluate('document.querySelector("#view a.save-svg").click()')
        devtools.wait_for("Browser.downloadProgress", state="completed")
        devtools.evaluate('document.querySelector("#view button.save-png").click()')
        devtools.wait_for("Browser.downloadProgress", state="completed")
    finally:
        devtools.close()
    stem = f"enrollment-{school}-group"
    (svg_file,) = artefacts.glob(f"{stem}*.svg")
    (png_file,) = artefacts.glob(f"{stem}*.png")
    assert svg_file.read_text(encoding="utf-8").startswith("<svg")
    assert png_file.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    requests = [
        e["params"]["request"]["url"]
        for e in devtools.events
        if e["method"] == "Network.requestWillBeSent"
    ]
    assert url == requests[0]
    assert all(r == url or r.startswith("data:") for r in requests)
    errors = [
        e["params"]["entry"]
        for e in devtools.events
        if e["method"] == "Log.entryAdded" and e["params"]["entry"]["level"] == "error"
    ]
    assert [] == errors
