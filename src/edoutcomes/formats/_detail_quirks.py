"""
What real returned detail files do that the published layout does not say, and how it is read.

Real high-school detail files (a vendor's scrambled test file, a state's variant) leave the
requester return field blank on every row and carry the student id in ``Your Unique
Identifier``; their high-school codes lost a leading zero in a spreadsheet (``53280``), as
college codes can (``1817-00``); a state adds columns of its own before and after the
layout's. Each step here works per distinct value (or with numpy over rows) and gives the
findings the file status reports; none echoes a personal value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from .._kernel._findings import Finding, Severity
from .._kernel._groups import first_rows
from ..errors import InvalidInputError
from ._parse import Parsed
from ._reader import RawColumn, factorise

__all__ = ["disagreements", "pad_codes", "student_key"]

_SHORT_SCHOOL_CODE = re.compile(r"^\d{1,5}$")
_SHORT_COLLEGE_CODE = re.compile(r"^(\d{1,5})-(\d{2})$")


def _strip_underscore(text: str) -> str:
    text = text.strip()
    return text[:-1] if text.endswith("_") else text


def student_key(
    return_field: RawColumn | None,
    unique_id: RawColumn | None,
    file: str | None,
) -> tuple[RawColumn, list[Finding]]:
    """
    Each row's student key: the requester return field (trailing ``_`` removed), else ``Your Unique Identifier``.

    Returns:
        The key column (named as the return field column, or as the unique-id column when
        the file has no return field) and a warning saying on how many rows the unique id
        was used. Rows where both are blank keep a blank key (the reader rejects them).

    Raises:
        InvalidInputError: If the file has neither column.

    Examples:
        >>> rid = factorise("Requester Return Field", ["7_", "", ""])
        >>> uid = factorise("Your Unique Identifier", ["A", "B", ""])
        >>> key, notes = student_key(rid, uid, None)
        >>> key.distinct[key.codes].tolist(), len(notes)
        (['7', 'B', ''], 1)
    """
    if return_field is None and unique_id is None:
        msg = "the file has neither a Requester Return Field nor a Your Unique Identifier column"
        raise InvalidInputError([Finding.make(Severity.ERROR, file, 1, None, None, msg)])
    if unique_id is None or return_field is None:
        column = return_field or unique_id
        assert column is not None
        stripped = [_strip_underscore(s) for s in column.distinct.tolist()]
        if return_field is not None:
            return _recoded(column.name, column.codes, stripped), []
        message = (
            f"the file has no Requester Return Field column; students are keyed by {column.name!r}"
        )
        note = Finding.make(Severity.WARNING, file, None, column.name, None, message)
        return _recoded(column.name, column.codes, stripped), [note]
    rid = [_strip_underscore(s) for s in return_field.distinct.tolist()]
    uid = [s.strip() for s in unique_id.distinct.tolist()]
    rid_blank = np.array([not s for s in rid], dtype=bool)
    uid_blank = np.array([not s for s in uid], dtype=bool)
    use_uid = rid_blank[return_field.codes] & ~uid_blank[unique_id.codes]
    codes = np.where(use_uid, unique_id.codes + len(rid), return_field.codes)
    key = _recoded(return_field.name, codes, rid + uid)
    used = int(use_uid.sum())
    if not used:
        return key, []
    everywhere = " on every row" if used == len(codes) else f" on {used} of {len(codes)} rows"
    message = (
        f"{return_field.name!r} is blank{everywhere}; those students are keyed by "
        f"{unique_id.name!r}"
    )
    return key, [Finding.make(Severity.WARNING, file, None, return_field.name, None, message)]


def _recoded(name: str, codes: NDArray[np.integer], strings: list[str]) -> RawColumn:
    """A raw column from per-row indices into *strings* (equal strings merged into one code)."""
    merged = factorise(name, strings)
    return RawColumn(name, merged.codes[codes].astype(np.int32), merged.distinct)


def pad_codes(
    raw: RawColumn, kind: str, file: str | None, rows: NDArray[np.int32]
) -> tuple[RawColumn, list[Finding]]:
    """
    High-school (``kind="high_school_code"``) or college codes (``"college_code"``) a spreadsheet shortened, zero-padded.

    A 6-digit ACT/CEEB or OPE code written as a number loses its leading zeros
    (``53280``, ``1817-00``); the zeros are put back, with one warning for the column that
    names the first row, how many values, and one example.

    Examples:
        >>> raw = factorise("HIGH_SCHOOL_CODE", ["53280", "053280", ""])
        >>> padded, notes = pad_codes(raw, "high_school_code", None, np.array([2, 3, 4], np.int32))
        >>> padded.distinct[padded.codes].tolist(), notes[0].row
        (['053280', '053280', ''], 2)
    """
    fixed: list[str] = []
    changed: list[bool] = []
    for value in raw.distinct.tolist():
        text = value.strip()
        if kind == "high_school_code" and _SHORT_SCHOOL_CODE.match(text):
            new = text.zfill(6)
        elif kind == "college_code" and (match := _SHORT_COLLEGE_CODE.match(text)):
            new = f"{match.group(1).zfill(6)}-{match.group(2)}"
        else:
            new = text
        fixed.append(new)
        changed.append(new != text)
    short = np.array(changed, dtype=bool)[raw.codes] if len(raw.codes) else np.zeros(0, bool)
    if not short.any():
        return raw, []
    first = int(np.flatnonzero(short)[0])
    what = "high-school (ACT/CEEB)" if kind == "high_school_code" else "college (OPE)"
    example = raw.value(first).strip()
    message = (
        f"{int(short.sum())} {what} codes have lost leading zeros (a spreadsheet read them as "
        f"numbers); they are read with the zeros put back ({example} as "
        f"{fixed[int(raw.codes[first])]})"
    )
    note = Finding.make(Severity.WARNING, file, int(rows[first]), raw.name, example, message)
    return _recoded(raw.name, raw.codes, fixed), [note]


def disagreements(
    parsed: Mapping[str, Parsed],
    columns: Mapping[str, str],
    row_student: NDArray[np.int32],
    rows: NDArray[np.int32],
    file: str | None,
) -> list[Finding]:
    """
    A warning per student whose rows disagree on their high-school code or graduation date.

    The student's first row counts (it is where the students table takes them from); the
    warning names that row. Blank values are not a disagreement.
    """
    findings: list[Finding] = []
    known = row_student >= 0
    if not known.any():
        return findings
    first_row = first_rows(row_student, int(row_student.max()) + 1)
    what = {"high_school_code": "high-school codes", "hs_grad_date": "high-school graduation dates"}
    for key, label in what.items():
        if key not in parsed:
            continue
        column = parsed[key]
        anchor = first_row[np.maximum(row_student, 0)]
        differs = (
            known & ~column.blank & ~column.blank[anchor] & (column.data != column.data[anchor])
        )
        for student in np.unique(row_student[differs]).tolist():
            row = int(first_row[student])
            message = (
                f"this student's rows carry different {label}; the value of their first row "
                f"(row {int(rows[row])}) is used"
            )
            findings.append(
                Finding.make(Severity.WARNING, file, int(rows[row]), columns[key], None, message)
            )
    return findings
