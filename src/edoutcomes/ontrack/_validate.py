"""Validation of an extract (the vendor's "validate output" step, computed)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

import numpy as np

from .._kernel._findings import Finding, Severity
from ._eligibility import Eligibility, Rule
from ._extract import OnTrackExtract
from ._layout import FieldKind, LayoutField
from ._ssid import check_digits

__all__ = ["validate_extract"]

_REDACTED = "<redacted>"
#: Collects one finding: severity, 0-based row, field, value, message.
_Add = Callable[[Severity, int, str, str, str], None]
_INSTITUTIONS = ("ResdDistInstID", "ResdSchlInstID", "AttndDistInstID", "AttndSchlInstID")


def validate_extract(
    extract: OnTrackExtract, result: Eligibility | None = None, *, file: str | None = None
) -> list[Finding]:
    """
    Check an extract against its layout and the rules; every problem is a finding.

    Checked: required fields populated; values within their width; numeric fields
    numeric, dates real ``MMDDYYYY`` dates; flags only their allowed values (Y/N, or Y
    and blank where the layout says so); SSIDs ten digits (a failed check digit is a
    warning) and institution ids numeric; the entry year is the reporting year (under the
    record-based rule another entry year is a warning: the on-track record decides); one
    row per student (SSID and district id); and, given the *result* the extract came from,
    every row's student is in the cohort and at or above the credit threshold (under the
    record-based rule: has an on-track record that reports, and no credit check).

    Args:
        extract: The extract to check.
        result: The eligibility it was built from, to check cohort and threshold per row.
        file: A file name to put in the findings.

    Returns:
        The findings, by row then field; rows are numbered as in the CSV (header = row 1).
        Values of personal fields are redacted.

    Examples:
        >>> from edoutcomes.synth import synthetic_k12
        >>> from edoutcomes.ontrack import build_extract, eligibility
        >>> data = synthetic_k12(200, seed=1)
        >>> result = eligibility(data, "2023-24", as_of=dt.date(2024, 6, 20))
        >>> [f for f in validate_extract(build_extract(result), result) if f.is_error]
        []
    """
    findings: list[Finding] = []
    layout = extract.layout

    def add(severity: Severity, row: int, name: str, value: str, message: str) -> None:
        shown = _REDACTED if layout.field(name).personal and value else value
        findings.append(Finding.make(severity, file, row + 2, name, shown, message))

    for f in layout.fields:
        values = extract.values[f.short_name]
        if len(values) == 0:
            continue
        # Each distinct value is checked once; its problems go to every row that has it.
        distinct, inverse = np.unique(values, return_inverse=True)
        inverse = inverse.reshape(-1)
        for code, text in enumerate(distinct.tolist()):
            messages = _problems(f, text)
            if not messages:
                continue
            for i in np.flatnonzero(inverse == code).tolist():
                for message in messages:
                    add(Severity.ERROR, i, f.short_name, text, message)
    _check_ids(extract, add)
    _check_unique(extract, add)
    if result is not None:
        _check_rules(extract, result, add)
    findings.sort(key=lambda x: (x.row or 0, layout.names.index(x.column or layout.names[0])))
    return findings


def _problems(f: LayoutField, text: str) -> list[str]:
    """What is wrong with *text* as a value of field *f* (the layout's rules only)."""
    if not text:
        return ["a required field is blank"] if f.required else []
    out = []
    if len(text) > f.width:
        out.append(f"longer than the field's {f.width} characters")
    if f.allowed is not None and text not in f.allowed:
        out.append("not one of the allowed values " + ", ".join(repr(x) for x in f.allowed))
    elif f.kind is FieldKind.NUMERIC and not (text.isdigit() and text.isascii()):
        out.append("a numeric field holds a non-digit")
    elif f.kind is FieldKind.DATE and not _is_mmddyyyy(text):
        out.append("not a date in MMDDYYYY form")
    return out


def _is_mmddyyyy(text: str) -> bool:
    if len(text) != 8 or not text.isdigit():
        return False
    try:
        dt.date(int(text[4:]), int(text[:2]), int(text[2:4]))
    except ValueError:
        return False
    return True


def _check_ids(extract: OnTrackExtract, add: _Add) -> None:
    ssids = extract.values["ChkDigitStdntID"]
    ok, expected = check_digits(ssids)
    for i in np.flatnonzero(~ok).tolist():
        if expected[i] < 0:
            add(Severity.ERROR, i, "ChkDigitStdntID", ssids[i], "an SSID must be 10 digits")
        else:
            add(Severity.WARNING, i, "ChkDigitStdntID", ssids[i], "the SSID fails its check digit")
    for name in _INSTITUTIONS:
        values = extract.values[name].tolist()
        for i, text in enumerate(values):
            if text and not (text.isdigit() and text.isascii()):
                add(Severity.ERROR, i, name, text, "an institution id must be numeric")
    year = extract.year.short
    # Under the record-based rule the on-track record decides the cohort: an entry year
    # (from the grade-9 date) other than the reporting year is worth a look, not an error.
    record_based = extract.rule is Rule.RECORD_BASED
    severity = Severity.WARNING if record_based else Severity.ERROR
    why = "; the on-track record reports the student" if record_based else ""
    for i, text in enumerate(extract.values["HSEntrySchlYr"].tolist()):
        if text and text != year:
            add(
                severity,
                i,
                "HSEntrySchlYr",
                text,
                f"the entry year is not the reporting year {year}{why}",
            )


def _check_unique(extract: OnTrackExtract, add: _Add) -> None:
    for name in ("ChkDigitStdntID", "DistStdntID"):
        values = extract.values[name].tolist()
        counts = Counter(values)
        for i, text in enumerate(values):
            if text and counts[text] > 1:
                add(Severity.ERROR, i, name, text, f"the student appears in {counts[text]} rows")


def _check_rules(extract: OnTrackExtract, result: Eligibility, add: _Add) -> None:
    students = result.data.students
    ids = students.categories["student_id"].tolist()
    row_of_code = np.full(len(ids), -1, dtype=np.int64)
    row_of_code[students.data["student_id"]] = np.arange(students.n_rows)
    row_of = dict(zip(ids, row_of_code.tolist(), strict=True))
    threshold = result.threshold
    for i, student_id in enumerate(extract.values["DistStdntID"].tolist()):
        row = row_of.get(student_id, -1)
        if row < 0:
            add(Severity.ERROR, i, "DistStdntID", student_id, "not a student of the data evaluated")
            continue
        if result.options.rule is Rule.RECORD_BASED:
            if result.mask[row]:
                add(
                    Severity.ERROR,
                    i,
                    "OnTrackFg",
                    "Y",
                    "the student's on-track record does not report",
                )
            continue
        if result.grade9_year[row] != result.year.start:
            add(
                Severity.ERROR,
                i,
                "HSEntrySchlYr",
                extract.values["HSEntrySchlYr"][i],
                "not in the ninth-grade cohort",
            )
        if result.credits[row] + 1e-9 < threshold:
            message = f"credits {round(float(result.credits[row]), 4)} below threshold {threshold}"
            add(Severity.ERROR, i, "OnTrackFg", "Y", message)
