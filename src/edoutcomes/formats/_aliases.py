"""
The column names schools use for the canonical students fields, and how a header is resolved.

Each canonical field has its own name plus the spellings submission files use for it. Headers
are matched in :func:`~edoutcomes.formats._reader.normalise_header` form (case, spaces, ``_``,
``-``, ``/`` and ``?`` ignored), so one alias covers ``First Name``, ``FIRST_NAME`` and
``first-name``. No two fields share an alias (checked at import).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..errors import InvalidArgumentError
from ..model import STUDENTS
from ._reader import normalise_header

__all__ = ["STUDENT_ALIASES", "alias_index", "resolve_headers"]

STUDENT_ALIASES: Mapping[str, tuple[str, ...]] = {
    "requester_id": (
        "Student ID",
        "StudentID",
        "Student Number",
        "Student No",
        "Student #",
        "Requester Return Field",
        "Return Field",
        "Local ID",
        "Local Student ID",
        "SIS ID",
        "ID",
        "SID",
    ),
    "unique_id": ("Unique ID", "Your Unique Identifier", "Unique Identifier", "UID"),
    "first_name": (
        "First Name",
        "First",
        "FName",
        "Given Name",
        "Student First Name",
        "Legal First Name",
        "Forename",
    ),
    "middle_name": (
        "Middle Name",
        "Middle",
        "MName",
        "Middle Initial",
        "MI",
        "Student Middle Name",
        "Legal Middle Name",
    ),
    "last_name": (
        "Last Name",
        "Last",
        "LName",
        "Surname",
        "Family Name",
        "Student Last Name",
        "Legal Last Name",
    ),
    "name_suffix": ("Suffix", "Name Suffix", "Generation", "Jr/Sr"),
    "birth_date": (
        "DOB",
        "Date of Birth",
        "Birthdate",
        "Birth Date",
        "Birthday",
        "Student DOB",
        "Student Birth Date",
    ),
    "ssn": ("SSN", "Social Security Number", "Social Security No", "Social Security"),
    "high_school_code": (
        "ACT code",
        "CEEB",
        "CEEB code",
        "ACT/CEEB",
        "ACT CEEB Code",
        "HS Code",
        "High School Code",
        "High School ACT Code",
        "High School CEEB Code",
    ),
    "high_school_state": ("HS State", "High School State", "School State"),
    "hs_grad_date": (
        "Graduation Date",
        "Grad Date",
        "High School Grad Date",
        "High School Graduation Date",
        "HS Grad Date",
        "HS Graduation Date",
        "Date of Graduation",
        "Diploma Date",
    ),
    "gender": ("Sex", "Gender Code", "Legal Gender", "Student Gender"),
    "race_ethnicity": ("Race/Ethnicity", "Race", "Race Ethnicity"),
}
"""
The spellings each canonical students field is known by, besides its own name.

Examples:
    >>> STUDENT_ALIASES["birth_date"][:3]
    ('DOB', 'Date of Birth', 'Birthdate')
    >>> "CEEB" in STUDENT_ALIASES["high_school_code"]
    True
"""


def alias_index(aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """
    Normalised spelling -> field, for every field's own name and aliases.

    Raises:
        InvalidArgumentError: If two fields share a spelling.

    Examples:
        >>> alias_index({"birth_date": ("DOB",)})
        {'birthdate': 'birth_date', 'dob': 'birth_date'}
    """
    index: dict[str, str] = {}
    for field, spellings in aliases.items():
        for spelling in (field, *spellings):
            key = normalise_header(spelling)
            if index.get(key, field) != field:
                msg = f"{spelling!r} is an alias of both {index[key]} and {field}"
                raise InvalidArgumentError(msg)
            index[key] = field
    return index


_STUDENT_INDEX = alias_index(STUDENT_ALIASES)
assert set(STUDENT_ALIASES) == set(STUDENTS.names), "every students field has aliases"


def resolve_headers(
    header: Sequence[str], mapping: Mapping[str, str | None] | None = None
) -> tuple[list[str | None], list[int], list[str]]:
    """
    Resolve a file's header to students fields: a caller mapping first, then the aliases.

    A field the mapping names is taken only from the mapped column: other columns whose
    alias would have filled it are kept as extra columns. A mapping key is matched as
    spelled, else in normalised form; a ``None`` value drops the column.

    Args:
        header: The file's column names, in order.
        mapping: File column -> students field (or None to drop the column).

    Returns:
        Per column, the field it fills (None: an extra column); the positions of dropped
        columns; and the mapping keys the header does not have.

    Raises:
        InvalidArgumentError: If the mapping names a field that is not a students column.

    Examples:
        >>> resolve_headers(["Student ID", "FNAME", "DOB", "Pell?"])
        (['requester_id', 'first_name', 'birth_date', None], [], [])
        >>> resolve_headers(["id", "Local ID"], {"Local ID": "requester_id"})
        ([None, 'requester_id'], [], [])
    """
    mapping = dict(mapping or {})
    fields = set(STUDENTS.names)
    wrong = sorted(repr(v) for v in mapping.values() if v is not None and v not in fields)
    if wrong:
        msg = (
            f"mapping values {', '.join(wrong)} are not students columns; "
            f"expected one of {', '.join(STUDENTS.names)} (or None to drop a column)"
        )
        raise InvalidArgumentError(msg)
    by_key = {normalise_header(k): k for k in mapping}
    claimed = {v for v in mapping.values() if v is not None}
    targets: list[str | None] = []
    dropped: list[int] = []
    used: set[str] = set()
    for position, name in enumerate(header):
        key = name if name in mapping else by_key.get(normalise_header(name))
        if key is not None:
            used.add(key)
            if mapping[key] is None:
                dropped.append(position)
            targets.append(mapping[key])
            continue
        field = _STUDENT_INDEX.get(normalise_header(name))
        targets.append(None if field is None or field in claimed else field)
    missing = [k for k in mapping if k not in used]
    return targets, dropped, missing
