"""
The on-track extract's layout, as data: one row per field, versioned by school year.

The default layout follows the field order and widths of the SIS vendor's Oregon layout
(seed 001); the short names are the state's element names. The state has not published
fixed positions for this collection, so fillers are 0 wide until a versioned layout says
otherwise. A new school year's layout is one more entry in :data:`LAYOUTS`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import Any

from attrs import field, frozen

from .._kernel._fixed import split_fixed
from ..errors import InvalidArgumentError
from ..model import SchoolYear

__all__ = [
    "DEFAULT_LAYOUT",
    "LAYOUTS",
    "FieldKind",
    "LayoutField",
    "OnTrackLayout",
    "Padding",
    "layout_for",
]


class FieldKind(enum.StrEnum):
    """
    What a field holds.

    Examples:
        >>> [f.short_name for f in DEFAULT_LAYOUT.fields if f.kind is FieldKind.DATE]
        ['BirthDtTxt']
    """

    NUMERIC = "numeric"
    ALPHANUMERIC = "alphanumeric"
    FLAG = "flag"
    DATE = "date"
    FILLER = "filler"


class Padding(enum.StrEnum):
    """
    How a fixed-width field fills its width (a blank value is always all spaces).

    Examples:
        >>> DEFAULT_LAYOUT.field("ZipCd").padding, Padding.ZERO_LEFT.pad("7401", 5)
        (<Padding.ZERO_LEFT: 'zero-left'>, '07401')
    """

    #: Left-aligned, spaces on the right (text, flags, dates).
    SPACE_RIGHT = "space-right"
    #: Right-aligned, zeros on the left (numbers).
    ZERO_LEFT = "zero-left"

    def pad(self, text: str, width: int) -> str:
        """
        *text* filled to *width* characters.

        Examples:
            >>> Padding.ZERO_LEFT.pad("63", 4), Padding.ZERO_LEFT.pad("", 4), Padding.SPACE_RIGHT.pad("Y", 2)
            ('0063', '    ', 'Y ')
        """
        if not text:
            return " " * width
        if self is Padding.ZERO_LEFT:
            return text.rjust(width, "0")
        return text.ljust(width, " ")


@frozen
class LayoutField:
    """
    One field of the extract.

    Attributes:
        position: 1-based place in the record.
        short_name: The state's element name: the CSV header.
        long_name: The field's name for people.
        kind: Numeric, alphanumeric, flag, date or filler.
        width: Maximum characters (0 for a filler the fixed-width file leaves out).
        padding: How the fixed-width file fills the width.
        allowed: The only values the field may take (None: any of its kind).
        required: Must be non-blank in every row.
        personal: Personal data: never echoed in a finding.

    Examples:
        >>> gender = DEFAULT_LAYOUT.field("GndrCd")
        >>> gender.position, gender.width, gender.allowed, gender.personal
        (16, 1, ('F', 'M', 'X'), False)
        >>> DEFAULT_LAYOUT.field("LglLNm").personal
        True
    """

    position: int
    short_name: str
    long_name: str
    kind: FieldKind = field(converter=FieldKind)
    width: int
    padding: Padding = field(converter=Padding)
    allowed: tuple[str, ...] | None = None
    required: bool = False
    personal: bool = False

    @property
    def is_filler(self) -> bool:
        """True for a filler."""
        return self.kind is FieldKind.FILLER


def _fields(value: Any) -> tuple[LayoutField, ...]:
    return tuple(value)


@frozen
class OnTrackLayout:
    """
    A version of the extract's layout: which school years it applies to and its fields in order.

    Examples:
        >>> layout = layout_for("2023-24")
        >>> len(layout.fields), layout.names[0], layout.width
        (51, 'ChkDigitStdntID', 416)
        >>> layout.positions()["BirthDtTxt"]
        (284, 291)
    """

    version: str
    first_year: SchoolYear
    fields: tuple[LayoutField, ...] = field(converter=_fields)

    @fields.validator
    def _in_order(self, attribute: Any, value: tuple[LayoutField, ...]) -> None:
        positions = [f.position for f in value]
        if positions != list(range(1, len(value) + 1)):
            msg = f"layout {self.version}: positions must run 1..{len(value)} in order"
            raise InvalidArgumentError(msg)
        names = [f.short_name for f in value]
        if len(set(names)) != len(names):
            msg = f"layout {self.version}: short names must be unique"
            raise InvalidArgumentError(msg)

    def __iter__(self) -> Iterator[LayoutField]:
        return iter(self.fields)

    @property
    def names(self) -> tuple[str, ...]:
        """The short names, in order: the CSV header."""
        return tuple(f.short_name for f in self.fields)

    @property
    def width(self) -> int:
        """Characters in one fixed-width record (without the line end)."""
        return sum(f.width for f in self.fields)

    def field(self, short_name: str) -> LayoutField:
        """
        The field called *short_name*.

        Raises:
            InvalidArgumentError: If the layout has no such field.
        """
        for f in self.fields:
            if f.short_name == short_name:
                return f
        msg = f"layout {self.version} has no field {short_name!r}"
        raise InvalidArgumentError(msg)

    def positions(self) -> dict[str, tuple[int, int]]:
        """Each non-empty field's first and last character, 1-based and inclusive."""
        out: dict[str, tuple[int, int]] = {}
        start = 1
        for f in self.fields:
            if f.width:
                out[f.short_name] = (start, start + f.width - 1)
                start += f.width
        return out

    def format_line(self, values: tuple[str, ...]) -> str:
        """One fixed-width record from the row's values (in field order; fit checked upstream)."""
        return "".join(f.padding.pad(x, f.width) for f, x in zip(self.fields, values, strict=True))

    def parse_line(self, line: str) -> dict[str, str]:
        """
        The values of one fixed-width record, padding removed (fillers of width 0 are blank).

        Raises:
            InvalidArgumentError: If the line is not :attr:`width` characters long.
        """
        widths = [f.width for f in self.fields]
        chunks = split_fixed(line, widths, layout=f"layout {self.version}")
        out: dict[str, str] = {}
        for f, chunk in zip(self.fields, chunks, strict=True):
            if not chunk.strip():
                out[f.short_name] = ""
            elif f.padding is Padding.ZERO_LEFT:
                out[f.short_name] = chunk.strip()
            else:
                out[f.short_name] = chunk.rstrip(" ")
        return out


_YN = ("Y", "N")
_Y_OR_BLANK = ("Y", "")

N, A, F, D, X = (
    FieldKind.NUMERIC,
    FieldKind.ALPHANUMERIC,
    FieldKind.FLAG,
    FieldKind.DATE,
    FieldKind.FILLER,
)
Z, S = Padding.ZERO_LEFT, Padding.SPACE_RIGHT

# short name, long name, kind, width, padding, allowed values, required, personal
_DEFAULT_ROWS: tuple[tuple[Any, ...], ...] = (
    ("ChkDigitStdntID", "Check Digit Student Identifier", N, 10, Z, None, True, False),
    ("DistStdntID", "District Student Identifier", A, 10, S, None, True, False),
    ("ResdDistInstID", "Resident District Institution Identifier", N, 10, Z, None, True, False),
    ("ResdSchlInstID", "Resident School Institution Identifier", N, 10, Z, None, True, False),
    ("AttndDistInstID", "Attending District Institution Identifier", N, 10, Z, None, True, False),
    ("AttndSchlInstID", "Attending School Institution Identifier", N, 10, Z, None, True, False),
    ("InstFill", "Institution Filler", X, 0, S, None, False, False),
    ("LglLNm", "Legal Last Name", A, 50, S, None, True, True),
    ("LglFNm", "Legal First Name", A, 30, S, None, True, True),
    ("LglMNm", "Legal Middle Name", A, 30, S, None, False, True),
    ("GnrtnCd", "Generation Code (Suffix)", A, 3, S, None, False, True),
    ("PrfrdLNm", "Preferred Last Name", A, 50, S, None, False, True),
    ("PrfrdFNm", "Preferred First Name", A, 30, S, None, False, True),
    ("PrfrdMNm", "Preferred Middle Name", A, 30, S, None, False, True),
    ("BirthDtTxt", "Birth Date (MMDDYYYY)", D, 8, S, None, True, True),
    ("GndrCd", "Gender Code", A, 1, S, ("F", "M", "X"), True, False),
    ("HispEthnicFg", "Hispanic/Latino Ethnicity Flag", F, 1, S, _YN, True, False),
    (
        "AmerIndianAlsknNtvRaceFg",
        "American Indian/Alaska Native Race Flag",
        F,
        1,
        S,
        _YN,
        True,
        False,
    ),
    ("AsianRaceFg", "Asian Race Flag", F, 1, S, _YN, True, False),
    ("BlackRaceFg", "Black/African American Race Flag", F, 1, S, _YN, True, False),
    ("WhiteRaceFg", "White Race Flag", F, 1, S, _YN, True, False),
    (
        "PacIslndrRaceFg",
        "Native Hawaiian/Other Pacific Islander Race Flag",
        F,
        1,
        S,
        _YN,
        True,
        False,
    ),
    ("RaceFill", "Race Filler", X, 0, S, None, False, False),
    ("LangOrgnCd", "Language of Origin Code", N, 4, Z, None, False, False),
    ("SSN", "Partial Social Security Number (last 4)", N, 4, Z, None, False, True),
    ("EnrlGrdCd", "Enrolled Grade Code", A, 2, S, None, True, False),
    ("Addr", "Street Address", A, 45, S, None, False, True),
    ("City", "City", A, 20, S, None, False, True),
    ("ZipCd", "Zip Code", N, 5, Z, None, False, True),
    ("Zip4Cd", "Zip Plus Four Code", N, 4, Z, None, False, True),
    ("ResdCntyCd", "Resident County Code", N, 2, Z, None, False, False),
    ("Phn", "Phone Number", N, 10, Z, None, False, True),
    ("TchrFill", "Teacher Filler", X, 0, S, None, False, False),
    ("HSEntrySchlYr", "High School Entry Cohort School Year", N, 4, Z, None, True, False),
    ("Fill", "Student Filler", X, 0, S, None, False, False),
    ("EconDsvntgFg", "Economically Disadvantaged Flag", F, 1, S, _YN, True, False),
    ("Ttl1Fg", "Title I Flag", F, 1, S, _YN, True, False),
    ("SpEdFg", "Special Education Flag", F, 1, S, _YN, True, False),
    ("Sect504Fg", "Section 504 Flag", F, 1, S, _YN, True, False),
    ("MigrntEdFg", "Migrant Education Flag", F, 1, S, _YN, True, False),
    ("IndianEdFg", "Indian Education Flag", F, 1, S, _YN, True, False),
    ("ELFg", "English Learner Flag", F, 1, S, _YN, True, False),
    ("DstncLrnFg", "Distance Learning Flag", F, 1, S, _YN, True, False),
    ("HomeSchlFg", "Homeschooling Flag", F, 1, S, _YN, True, False),
    ("TrnstnProgFg", "Transition Program Flag", F, 1, S, _YN, True, False),
    ("AltEdProgFg", "Alternative Education Program Flag", F, 1, S, _Y_OR_BLANK, False, False),
    ("TrbAfflnCd", "Tribal Affiliation Code", F, 1, S, _Y_OR_BLANK, False, False),
    ("TAGFg", "Talented and Gifted Flag", F, 1, S, _YN, True, False),
    ("AddnLangCd", "Additional Language Code", A, 4, S, None, False, False),
    ("DemogFill", "Demographic Filler", X, 0, S, None, False, False),
    ("OnTrackFg", "On Track Flag", F, 1, S, ("Y",), True, False),
)

DEFAULT_LAYOUT = OnTrackLayout(
    "2023-24",
    SchoolYear(2023),
    [LayoutField(i, *row) for i, row in enumerate(_DEFAULT_ROWS, start=1)],
)
"""
The layout since 2023-24 (the first year of the "Ninth Grade On-Track" name).

Examples:
    >>> DEFAULT_LAYOUT.version, len(DEFAULT_LAYOUT.fields), DEFAULT_LAYOUT.names[-1]
    ('2023-24', 51, 'OnTrackFg')
"""

LAYOUTS: tuple[OnTrackLayout, ...] = (DEFAULT_LAYOUT,)
"""
Every layout version, oldest first; a year uses the newest layout that starts by it.

Examples:
    >>> [layout.version for layout in LAYOUTS]
    ['2023-24']
"""


def layout_for(year: SchoolYear | str) -> OnTrackLayout:
    """
    The layout in force for *year*: the newest version starting by it (the oldest before any).

    Examples:
        >>> layout_for("2030-31").version
        '2023-24'
    """
    school_year = SchoolYear.parse(year)
    chosen = LAYOUTS[0]
    for layout in LAYOUTS:
        if layout.first_year <= school_year:
            chosen = layout
    return chosen
