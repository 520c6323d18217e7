"""The writer registry and the generic writers: CSV, JSON, XML, HTML, fixed width, plugins."""

from __future__ import annotations

import datetime as dt
import html.parser
import io
import json
import os
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import strategies as s
from golden_files import assert_golden
from hypothesis import given
from hypothesis import strategies as st

from edoutcomes._kernel import _writers as _registry
from edoutcomes.errors import (
    EdOutcomesError,
    InvalidArgumentError,
    InvalidRecordError,
    UnknownFormatError,
)
from edoutcomes.formats import (
    Align,
    FixedField,
    FixedWidthLayout,
    RowTable,
    accepted_types,
    available,
    get_writer,
    register_writer,
    write,
)
from edoutcomes.formats.csv import format_value
from edoutcomes.model import (
    CollegeCode,
    CollegeType,
    DegreeRecord,
    EnrollmentRecord,
    EnrollmentStatus,
    Student,
    structure,
)

PLUGIN = Path(__file__).resolve().parent / "plugins" / "edoutcomes-writer-demo"

SAMPLE_LAYOUT = FixedWidthLayout(
    [
        FixedField("type", 2, constant="D1"),
        FixedField("id", 6),
        FixedField("college", 9),
        FixedField("begin", 8),
        FixedField("status", 1),
        FixedField("terms", 3, align=Align.RIGHT, pad="0"),
        FixedField("note", 10, truncate=True),
    ]
)

SAMPLE = RowTable(
    "sample & <report>",
    ("id", "college", "begin", "status", "terms", "note"),
    [
        (
            "A1",
            CollegeCode("001817", "00"),
            dt.date(2007, 8, 27),
            EnrollmentStatus.HALF_TIME,
            2,
            "plain",
        ),
        (
            "B22",
            CollegeCode("010109", "01"),
            dt.date(2008, 1, 7),
            EnrollmentStatus.WITHHELD,
            12,
            'a "quoted", <b>long</b> note',
        ),
        ("C333", None, None, None, None, None),
    ],
    layout=SAMPLE_LAYOUT,
)


def written(report: object, format: str) -> bytes:
    """The bytes *format* writes for *report*."""
    buffer = io.BytesIO()
    write(report, buffer, format)
    return buffer.getvalue()


class TestRegistry:
    def test_builtins_available(self) -> None:
        """Every built-in generic writer is listed."""
        assert {"csv", "fixed-width", "html", "json", "xml"} <= set(available())

    def test_unknown_format(self) -> None:
        """An unknown name raises UnknownFormatError listing the known ones."""
        with pytest.raises(UnknownFormatError, match=r"known formats: .*csv"):
            get_writer("no-such-format")

    def test_duplicate_refused(self) -> None:
        """Registering a second writer under a taken name is refused."""
        with pytest.raises(InvalidArgumentError, match="already registered"):
            register_writer("csv")(lambda report, out: None)

    def test_layout_specific_refuses_other_reports(self) -> None:
        """A writer that declares its report types refuses others with a clear message."""
        register_writer("test-ints-only", accepts=(int,))(lambda report, out: out.write(b"x"))
        try:
            assert (int,) == accepted_types("test-ints-only")
            assert b"x" == written(3, "test-ints-only")
            with pytest.raises(InvalidArgumentError, match="writes int, not RowTable"):
                written(SAMPLE, "test-ints-only")
        finally:
            _registry._unregister("test-ints-only")

    def test_not_a_table(self) -> None:
        """A generic writer says so when the report is not a table."""
        with pytest.raises(InvalidArgumentError, match="not a report table"):
            written(object(), "csv")


class TestGolden:
    @pytest.mark.parametrize(
        ("format", "name"),
        [
            ("csv", "sample.csv"),
            ("json", "sample.json"),
            ("xml", "sample.xml"),
            ("html", "sample.html"),
            ("fixed-width", "sample.txt"),
        ],
    )
    def test_sample(self, format: str, name: str) -> None:
        """Each generic writer writes the sample table exactly as its golden file."""
        assert_golden(f"writers/{name}", written(SAMPLE, format))


cells = st.none() | s.texts | s.dates | st.integers(-(10**6), 10**6) | st.booleans()


@st.composite
def row_tables(draw: st.DrawFn) -> RowTable:
    """Small report tables of mixed typed values, column names with blanks and symbols."""
    columns = draw(
        st.lists(
            st.from_regex(r"[A-Za-z][A-Za-z0-9 /?_&<>\"-]{0,12}", fullmatch=True),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    rows = draw(st.lists(st.tuples(*[cells] * len(columns)), max_size=5))
    return RowTable(draw(s.texts), columns, rows)


class TestJson:
    @given(s.record_lists("students") | s.record_lists("enrollments") | s.record_lists("degrees"))
    def test_domain_objects_round_trip(self, records: list[object]) -> None:
        """Records written as JSON structure back into equal records with the converter."""
        data = json.loads(written(records, "json"))
        assert records == [
            structure(item, type(record)) for item, record in zip(data, records, strict=True)
        ]

    @given(row_tables())
    def test_table_rows_keyed_by_column(self, table: RowTable) -> None:
        """A table becomes one object per row keyed by column, values as CSV spells them."""
        data = json.loads(written(table, "json"))
        assert table.name == data["name"]
        assert list(table.columns) == data["columns"]
        expected = [
            {
                c: (v if v is None or isinstance(v, bool | int) else format_value(v))
                for c, v in zip(table.columns, row, strict=True)
            }
            for row in table.rows()
        ]
        assert expected == data["rows"]


class TestXml:
    @given(row_tables())
    def test_parses_back(self, table: RowTable) -> None:
        """The XML parses, and each cell carries its column and its value exactly."""
        root = ET.fromstring(written(table, "xml"))
        assert table.name == root.get("name")
        actual = [[(c.get("column"), c.text or "") for c in row] for row in root.iter("row")]
        expected = [
            [(c, format_value(v)) for c, v in zip(table.columns, row, strict=True)]
            for row in table.rows()
        ]
        assert expected == actual

    def test_control_character_refused(self) -> None:
        """A control character XML cannot carry is an error naming row and column only."""
        with pytest.raises(InvalidRecordError, match="row 1, column 'first_name'") as info:
            written(RowTable("t", ("first_name",), [("Ann\x01e",)]), "xml")
        assert "Ann" not in str(info.value)


class _Cells(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("td", "th"):
            self._open = True
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        self._open = False

    def handle_data(self, data: str) -> None:
        if self._open:
            self.cells[-1] += data


class TestHtml:
    @given(row_tables())
    def test_cells_escaped(self, table: RowTable) -> None:
        """Every header and cell reads back as its text: nothing leaks out as markup."""
        parser = _Cells()
        parser.feed(written(table, "html").decode())
        expected = list(table.columns) + [format_value(v) for row in table.rows() for v in row]
        assert expected == parser.cells

    def test_self_contained(self) -> None:
        """The page links to nothing outside itself."""
        page = written(SAMPLE, "html").decode()
        assert page.startswith("<!DOCTYPE html>")
        assert "http" not in page
        assert "src=" not in page


class TestFixedWidth:
    def test_positions(self) -> None:
        """Positions are 1-based and inclusive, as published layouts give them."""
        assert (1, 2) == SAMPLE_LAYOUT.positions()["type"]
        assert (27, 29) == SAMPLE_LAYOUT.positions()["terms"]
        assert 39 == SAMPLE_LAYOUT.width

    def test_too_long_is_an_error(self) -> None:
        """A value longer than its field is refused, naming row and field but not the value."""
        layout = FixedWidthLayout([FixedField("last_name", 5)])
        with pytest.raises(
            InvalidRecordError, match="row 2, field 'last_name': 7 characters do not fit in 5"
        ) as info:
            written(
                RowTable("t", ("last_name",), [("Ann",), ("Ziegler",)], layout=layout),
                "fixed-width",
            )
        assert "Ziegler" not in str(info.value)

    def test_truncation_when_asked(self) -> None:
        """With truncate=True every value is cut to its field."""
        from edoutcomes.formats.fixed import write_fixed

        layout = FixedWidthLayout([FixedField("x", 3)])
        buffer = io.BytesIO()
        write_fixed(RowTable("t", ("x",), [("abcdef",)], layout=layout), buffer, truncate=True)
        assert b"abc\n" == buffer.getvalue()

    def test_non_ascii_refused(self) -> None:
        """A character outside the layout's encoding is an error naming row and field."""
        layout = FixedWidthLayout([FixedField("id", 2), FixedField("first_name", 6)])
        with pytest.raises(InvalidRecordError, match="row 1, field 'first_name'"):
            written(
                RowTable("t", ("id", "first_name"), [("1", "Zoë")], layout=layout), "fixed-width"
            )

    def test_no_layout(self) -> None:
        """A report without a layout is refused by the fixed-width writer."""
        with pytest.raises(InvalidArgumentError, match="no fixed-width layout"):
            written(RowTable("t", ("a",), [(1,)]), "fixed-width")

    def test_unknown_field(self) -> None:
        """A layout field that is not a report column is refused before anything is written."""
        layout = FixedWidthLayout([FixedField("b", 1)])
        with pytest.raises(InvalidArgumentError, match="'b' are not columns"):
            written(RowTable("t", ("a",), [(1,)], layout=layout), "fixed-width")

    @given(
        st.lists(
            st.tuples(st.from_regex(r"[A-Z0-9]{1,6}", fullmatch=True), st.integers(0, 999)),
            max_size=5,
        )
    )
    def test_parse_inverts_format(self, rows: list[tuple[str, int]]) -> None:
        """Parsing each written line gives back the values as text."""
        layout = FixedWidthLayout([FixedField("id", 6), FixedField("n", 3, align="right", pad="0")])
        lines = (
            written(RowTable("t", ("id", "n"), rows, layout=layout), "fixed-width")
            .decode()
            .splitlines()
        )
        assert [(i, str(n)) for i, n in rows] == [
            tuple(layout.parse_line(line).values()) for line in lines
        ]


def _install_plugin(target: Path) -> Path:
    """
    Install the demo plugin into *target* as an installer would: the package plus a dist-info.

    No build backend is needed (the test machine has no network and no ``wheel``): the
    entry points are copied from the plugin's own ``pyproject.toml``.
    """
    project = tomllib.loads((PLUGIN / "pyproject.toml").read_text())["project"]
    package = PLUGIN / "src" / "edoutcomes_writer_demo"
    (target / package.name).mkdir(parents=True)
    for source in package.glob("*.py"):
        (target / package.name / source.name).write_bytes(source.read_bytes())
    dist = target / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n"
    )
    lines = []
    for group, entries in project["entry-points"].items():
        lines.append(f"[{group}]")
        lines += [f"{name} = {value}" for name, value in entries.items()]
    (dist / "entry_points.txt").write_text("\n".join(lines) + "\n")
    return target


@pytest.fixture
def plugin_path(tmp_path: Path) -> Iterator[Path]:
    """The demo plugin installed on a temporary import path, forgotten again afterwards."""
    target = _install_plugin(tmp_path / "site")
    sys.path.insert(0, str(target))
    try:
        _registry._rescan()
        yield target
    finally:
        sys.path.remove(str(target))
        sys.modules.pop("edoutcomes_writer_demo", None)
        _registry._unregister("demo-tsv")
        _registry._rescan()


class TestPlugin:
    def test_found_and_used(self, plugin_path: Path) -> None:
        """An installed plugin is listed by available() and writes through write()."""
        assert "demo-tsv" in available()
        assert b"# t\na\tb\n1\t\n" == written(RowTable("t", ("a", "b"), [(1, None)]), "demo-tsv")

    def test_not_listed_without_install(self) -> None:
        """Without the plugin on the path, its name is unknown."""
        assert "demo-tsv" not in available()

    def test_fresh_process(self, tmp_path: Path) -> None:
        """In a new interpreter with the plugin installed, the library finds it unchanged."""
        target = _install_plugin(tmp_path / "site")
        code = (
            "import io, edoutcomes.formats as f;"
            "b = io.BytesIO(); f.write(f.RowTable('t', ('a',), [(2,)]), b, 'demo-tsv');"
            "print('demo-tsv' in f.available(), b.getvalue())"
        )
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(target), os.environ.get("PYTHONPATH", "")]),
        }
        result = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        assert "True b'# t\\na\\n2\\n'" == result.stdout.strip()

    def test_broken_plugin(self, tmp_path: Path) -> None:
        """A plugin that fails to import is an error only when used, naming the plugin."""
        target = _install_plugin(tmp_path / "site")
        (target / "edoutcomes_writer_demo" / "__init__.py").write_text(
            "raise RuntimeError('boom')\n"
        )
        sys.path.insert(0, str(target))
        sys.modules.pop("edoutcomes_writer_demo", None)  # a fresh import, whatever ran before
        try:
            _registry._rescan()
            assert "csv" in available()
            with pytest.raises(EdOutcomesError, match=r"writer plugin 'demo-tsv'.*boom"):
                get_writer("demo-tsv")
        finally:
            sys.path.remove(str(target))
            sys.modules.pop("edoutcomes_writer_demo", None)
            _registry._unregister("demo-tsv")
            _registry._rescan()


def test_records_kept_in_order() -> None:
    """Domain objects of different types in one list each keep their own JSON shape."""
    records = [
        Student("A1"),
        EnrollmentRecord(
            "A1",
            CollegeCode("001817"),
            CollegeType.FOUR_YEAR,
            dt.date(2007, 8, 27),
            dt.date(2007, 12, 15),
        ),
        DegreeRecord("A1", CollegeCode("001817"), dt.date(2011, 5, 7), degree_title="BA"),
    ]
    data = json.loads(written(records, "json"))
    assert ["A1", "001817-00", "BA"] == [
        data[0]["requester_id"],
        data[1]["college_code"],
        data[2]["degree_title"],
    ]
