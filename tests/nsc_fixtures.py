"""
Small synthetic files in the layouts real clearinghouse files and other tools' files have.

Each fixture reproduces one public layout byte for byte (header spellings, delimiters,
quoting, blank and padded fields, date spellings, line endings) with made-up people: no
real student record is here. The comment above each one names the public source it
imitates. The formats cannot carry a comment of their own, so the comments live here and
the tests hand the bytes to the readers under the file names the tools write.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

# --------------------------------------------------------------------------------------------
# Request files written by other tools
# --------------------------------------------------------------------------------------------

# Imitates the request file that the R package nscrequest writes
# (github.com/Haywood-Community-College-IERG/nscrequest, R/nsc_request.r, and its test
# fixture tests/testthat/fixtures/df1_PA.tsv): readr::write_tsv without column names, so
# H1 has its 7 fields and T1 its 2; D1 rows carry dates as the caller gave them (ISO
# YYYY-MM-DD here), an empty SSN and blank column, and an empty requester return field
# (nothing after the last tab) when the data frame has no return-field column; fewer than
# 11 students, which the package does not check. File name: <data frame>_<inquiry>.tsv.
NSCREQUEST_PA_TSV = (
    b"H1\t999999\t00\tTest School Name\t20220830\tPA\tI\n"
    b"D1\t\tMaren\tA\tQuillfeather\t\t1978-01-01\t1998-01-01\t\t999999\t00\t\n"
    b"D1\t\tTobin\tJ\tVarga-Lund\tJr\t1985-08-22\t2005-08-22\t\t999999\t00\t\n"
    b"D1\t\tOrla\tJ\tO'Dwyer\t\t1977-05-04\t1997-05-04\t\t999999\t00\t\n"
    b"T1\t5\n"
)
NSCREQUEST_PA_NAME = "students_PA.tsv"

# Imitates the request file that the R package nscprepr writes
# (github.com/ariespirgel/nscprepr, R/nsc_prep.R): write.table(sep="\t", quote=FALSE,
# col.names=FALSE) of one 12-column data frame, so the H1 and T1 rows are padded with
# empty fields to 12, the blank column holds one space on every row (also in H1 and T1),
# names keep their case, apostrophes and a suffix's period, the middle name is cut to
# its initial, dates are YYYYMMDD and the id is a plain number. File name:
# <code><name><YYYYMMDD>.txt.
NSCPREPR_SE_TXT = (
    b"H1\t001509\t00\tSynthetic Coastal University\t20170612\tSE\tI\t\t \t\t\t\n"
    b"D1\t\tRhea\tB\tAshgrove\t\t19930315\t20120101\t \t001509\t00\t1\n"
    b"D1\t\tWendell\tJ\tBrannock\tJr.\t19960525\t20140601\t \t001509\t00\t2\n"
    b"D1\t\tSable\tD\tO'Kerrigan\t\t19900326\t20110805\t \t001509\t00\t3\n"
    b"T1\t5\t\t\t\t\t\t\t \t\t\t\n"
)
NSCPREPR_SE_NAME = "001509Synthetic Coastal University20170612.txt"

# Imitates the request workbook that the clearinghouse's Excel instructions build
# (StudentTracker for Colleges and Universities, "Creating a request file for submission",
# studentclearinghouse.org/academy, and the ST Excel instructions the cohort query guide
# links to): one sheet, every cell formatted as text, H1 in row 1 with no column-name row,
# D1 rows beneath (SSN, the blank column and the return field empty where not used, the
# return field holding two identifiers joined by a period), T1 last with the total row
# count. One birth date was typed as an Excel date, as happens when a column is not
# formatted as text first.
EXCEL_REQUEST_ROWS: list[list[Any]] = [
    ["H1", "001817", "00", "SYNTHETIC STATE UNIVERSITY", "20160901", "CO", "I"],
    *[
        [
            "D1",
            None,
            first,
            "Q",
            last,
            None,
            f"198801{day:02d}",
            "20060915",
            None,
            "001817",
            "00",
            f"R{day:03d}.FALL06",
        ]
        for day, (first, last) in enumerate(
            [
                ("ANYA", "BELLWEATHER"),
                ("CORMAC", "D'ARCY"),
                ("EDIE", "FAIRLAMB-HOLT"),
                ("GUS", "HALVORSEN"),
                ("ILSE", "JANSKY"),
                ("KOFI", "LARKSPUR"),
                ("MINA", "NORTHCOTE"),
                ("OTTO", "PELLEGRIN"),
                ("PRIYA", "QUENNELL"),
                ("RUFUS", "SALTONSTALL"),
                ("TESS", "UNDERHILL"),
            ],
            start=1,
        )
    ],
    ["T1", "13"],
]
EXCEL_REQUEST_NAME = "co_request.xlsx"


def excel_request() -> bytes:
    """The Excel request fixture as a workbook; row 3's birth date is an Excel date cell."""
    import datetime as dt

    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in EXCEL_REQUEST_ROWS:
        sheet.append(row)
    sheet.cell(row=3, column=7).value = dt.datetime(1988, 1, 2)  # noqa: DTZ001 (a naive Excel date cell)
    sheet.cell(row=3, column=7).number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Imitates a high-school graduates file as the clearinghouse's "Submit a Graduates File"
# guide and its StudentTracker for High Schools Academy lessons build it in Excel and save
# it as "Text (Tab delimited)": PH3 header with the account code, account name, P, the
# transmission date and the diploma period (cells A1-F1, nothing after); PD3 rows over
# columns A to AB with the birth date in I, the graduation date in L, the program code in
# AA (two codes joined by an underscore) and ED last; PT3 with the total row count;
# Windows line endings. Positions other than A, I, L, AA and AB follow the library's
# reading of the guide (see edoutcomes.formats.request.GRADUATES_COLUMNS).
GRADUATES_TXT = (
    b"PH3\t380123\tLINCOLN SYNTHETIC HIGH\tP\t20130701\t2013\r\n"
    b"PD3\t\tNELL\tA\tO'MARA\t\t\t\t19950304\t000417\tREGULAR DIPLOMA\t20130607\tN"
    b"\tLINCOLN SYNTHETIC HIGH\t380123" + b"\t" * 11 + b"\tAP_FAFSA\tED\r\n"
    b"PD3\t\tKIT\t\tVANE-MORROW\tJR\t\t\t19941230\t000418\tREGULAR DIPLOMA\t20130607\tY"
    b"\tLINCOLN SYNTHETIC HIGH\t380123" + b"\t" * 11 + b"\t\tED\r\n"
    b"PT3\t4\r\n"
)
GRADUATES_NAME = "graduates_2013.txt"


# --------------------------------------------------------------------------------------------
# Detail reports as they really come back
# --------------------------------------------------------------------------------------------

# Imitates the StudentTracker for High Schools detail report in a vendor's scrambled test
# data (github.com/PowerSchool-ETL-Assistant-Tool/ETL-Assistant-Tool,
# connector_etl/vendor/nsc/nsc/src/test/resource/sample_vendor_data/.../mungedNSC*.csv,
# and the signature src/main/resource/signatures/nsc.sig beside it): UPPER_SNAKE headers
# with slashes (RECORD_FOUND_Y/N, COLLEGE_CODE/BRANCH, 2-YEAR/4-YEAR, PUBLIC/PRIVATE) and
# GRADUATED without a question mark; the student id in YOUR_UNIQUE_IDENTIFIER with
# REQUESTER_RETURN_FIELD blank on every row; a 5-digit high-school code (the leading zero
# lost) and the graduation date on every row, not-found rows included; GRADUATED = N on
# not-found rows; COLLEGE_SEQUENCE on every found row; levels spelled 4-year / 2-year;
# no quoting, LF line endings. Added from the list of what real files showed: one
# student whose rows disagree on the high-school code, and a college code a spreadsheet
# shortened (1817-00 for 001817-00). Every person, id and college here is made up.
HS_DETAIL_HEADER = (
    "YOUR_UNIQUE_IDENTIFIER,FIRST_NAME,MIDDLE_NAME,LAST_NAME,NAME_SUFFIX,"
    "REQUESTER_RETURN_FIELD,RECORD_FOUND_Y/N,HIGH_SCHOOL_CODE,HIGH_SCHOOL_GRAD_DATE,"
    "COLLEGE_CODE/BRANCH,COLLEGE_NAME,COLLEGE_STATE,2-YEAR/4-YEAR,PUBLIC/PRIVATE,"
    "ENROLLMENT_BEGIN,ENROLLMENT_END,ENROLLMENT_STATUS,GRADUATED,GRADUATION_DATE,"
    "DEGREE_TITLE,MAJOR,COLLEGE_SEQUENCE,PROGRAM_CODE"
)
HS_DETAIL_ROWS = (
    "900000101,Lark,Imogen,Ferreby,,,Y,53280,20160630,001155-00,SYNTHETIC STATE UNIVERSITY,CA,4-year,Public,20160824,20161212,Q,N,,,,1,",
    "900000101,Lark,Imogen,Ferreby,,,Y,53280,20160630,001155-00,SYNTHETIC STATE UNIVERSITY,CA,4-year,Public,20170126,20170516,F,N,,,,1,",
    "900000102,OSRIC,,Pellham,,,N,53280,20160630,,,,,,,,,N,,,,,",
    "900000103,Wren,Tamsin,DALLOWAY,,,Y,53280,20160630,001232-00,SYNTHETIC RIVER COLLEGE,CA,2-year,Public,20160820,20161215,,N,,,,1,",
    "900000103,Wren,Tamsin,DALLOWAY,,,Y,53281,20160630,001232-00,SYNTHETIC RIVER COLLEGE,CA,2-year,Public,20170114,20170517,,N,,,,1,",
    "900000104,Basil,Arlo,Quenby,,,Y,53280,20160630,1817-00,SYNTHETIC PRIVATE COLLEGE,IN,4-year,Private,20160830,20161216,F,N,,,,1,AP",
    "900000104,Basil,Arlo,Quenby,,,Y,53280,20160630,1817-00,SYNTHETIC PRIVATE COLLEGE,IN,4-year,Private,,,,Y,20200516,BACHELOR OF ARTS,HISTORY,1,AP",
    "900000105,Juno,,Hartigan,,,N,53280,20160630,,,,,,,,,N,,,,,",
)
HS_DETAIL_CSV = ("\n".join([HS_DETAIL_HEADER, *HS_DETAIL_ROWS]) + "\n").encode()
HS_DETAIL_NAME = "NSC20180130_detail.csv"

# Imitates a state's variant of the same report (the same repository's
# src/main/resource/signatures/nsc_LDOE.sig): one column before the layout
# (Reporting_Year) and one after it (LEA), the rest as above.
STATE_DETAIL_CSV = (
    "\n".join(
        [
            f"Reporting_Year,{HS_DETAIL_HEADER},LEA",
            *(f"2017,{row},LEA{k // 2 + 1:03d}" for k, row in enumerate(HS_DETAIL_ROWS[:3])),
        ]
    )
    + "\n"
).encode()
STATE_DETAIL_NAME = "nsc_state_variant.csv"
