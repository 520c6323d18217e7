"""
Benchmark: high-school outcomes on 8 classes of 60,000 graduates (480,000 students, ~5M records).

Times the library (every KPI, the Enrollment, Persistence/Retention and Completers reports,
and the ARR's columns) against the same outputs computed with straightforward pandas
group-bys in the same run, from data loaded beforehand on both sides (the library's
columnar view; for pandas, DataFrames of the same columns). Checks that both give the same
numbers, and prints time, the ratio and peak memory.

    python benchmarks/bench_highschool.py [--per-class 60000] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import time
import tracemalloc
from typing import Any

import numpy as np
import pandas as pd

from edoutcomes._kernel._degrees import degree_kind_codes
from edoutcomes._kernel._groups import BLOCK_NONE
from edoutcomes._kernel._groups import block_ranks as _block_ranks
from edoutcomes.highschool import ALL, UNKNOWN_HIGH_SCHOOL, high_school_outcomes
from edoutcomes.model import CollegeControl, CollegeType, DegreeKind, EnrollmentStatus
from edoutcomes.synth import HIGH_SCHOOL_SHAPE, synthetic_high_schools

SHAPE = HIGH_SCHOOL_SHAPE.__class__(
    not_found=0.15,
    submitting_share=0.15,
    dual_enrollment=0.3,
    pre_search_only=0.04,
    summer=0.9,
    concurrent=0.3,
    persistence=0.85,
)
EPOCH = np.datetime64("1970-01-01", "D")
SPLITS = ("4yr", "2yr", "lt2yr", "public", "private", "in_state", "out_of_state")


def library(columns: Any, as_of: dt.date) -> dict[str, Any]:
    outcomes = high_school_outcomes(columns, as_of=as_of)
    reports = outcomes.reports(class_totals=False)
    arr = outcomes.arr()
    return {"grid": reports.grid, "arr": arr.to_numpy(), "outcomes": outcomes}


# --- pandas -------------------------------------------------------------------------------


def frames(columns: Any) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The same columns as DataFrames (loaded before the clock starts)."""
    s, e, d = columns.students, columns.enrollments, columns.degrees
    hs_codes = s.categories["high_school_code"].tolist()
    students = pd.DataFrame(
        {
            "sid": np.arange(s.n_rows),
            "grad": s.data["hs_grad_date"],
            "hs": [
                hs_codes[c] if c >= 0 else UNKNOWN_HIGH_SCHOOL
                for c in s.data["high_school_code"].tolist()
            ],
            "hs_state": pd.Series(s.text("high_school_state")),
        }
    )
    enrollments = pd.DataFrame(
        {
            "sid": columns.enrollment_student,
            "begin": e.data["begin_date"],
            "end": e.data["end_date"],
            "status": e.data["enrollment_status"],
            "ctype": e.data["college_type"],
            "control": e.data["college_control"],
            "code": e.data["college_code"],
            "state": pd.Series(e.text("college_state")),
            "blocked": _block_ranks(e) != BLOCK_NONE,
            **_rest_columns(e, ENROLLMENT_REST),
        }
    )
    degrees = pd.DataFrame(
        {
            "sid": columns.degree_student,
            "award": d.data["award_date"],
            "code": d.data["college_code"],
            "kind": degree_kind_codes(d),
            "blocked": _block_ranks(d) != BLOCK_NONE,
            **_rest_columns(d, DEGREE_REST),
        }
    )
    return students, enrollments, degrees


#: The records' remaining columns, the final tie-break of every tie rule (schema order).
ENROLLMENT_REST = (
    "college_name",
    "college_state",
    "college_type",
    "college_control",
    "end_date",
    "class_level",
    "major_1",
    "cip_1",
    "major_2",
    "cip_2",
    "ferpa_block",
)
DEGREE_REST = (
    "college_name",
    "college_state",
    "college_type",
    "college_control",
    "degree_title",
    "major_1",
    "major_2",
    "major_3",
    "major_4",
    "cip_1",
    "cip_2",
    "cip_3",
    "cip_4",
    "ferpa_block",
)


def _rest_columns(table: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """Tie-break columns as pandas sorts them: text as ordered categoricals' codes (missing first)."""
    out = {}
    for name in names:
        if table.column(name).kind.name == "TEXT":
            out[f"r_{name}"] = pd.Categorical(table.text(name), ordered=True).codes
        else:
            out[f"r_{name}"] = table.data[name]
    return out


def _dates(days: pd.Series) -> pd.Series:
    return pd.to_datetime(days.where(days > np.iinfo(np.int32).min), unit="D")


def pandas_outcomes(
    students: pd.DataFrame,
    enrollments: pd.DataFrame,
    degrees: pd.DataFrame,
    as_of: dt.date,
    *,
    student_level: bool,
) -> pd.DataFrame:
    """Per-student measures with plain pandas (sort, group-by, merge)."""
    st = students.copy()
    grad = _dates(st["grad"])
    st["cls"] = (grad.dt.year + (grad.dt.month >= 9)).astype("Int64")
    now = pd.Timestamp(as_of)
    a_now = now.year - (1 if (now.month, now.day) < (8, 15) else 0)
    st["over"] = a_now - st["cls"]
    after_oct = (now.month, now.day) > (10, 31)
    st["fall_over"] = ((now.year > st["cls"]) | ((now.year == st["cls"]) & after_oct)).fillna(False)

    en = enrollments[enrollments["sid"] >= 0]
    if student_level:
        en = en[~en["blocked"]]
    statuses = tuple(EnrollmentStatus)
    ok_status = [-1] + [i for i, s in enumerate(statuses) if s.is_enrolled]
    types = tuple(CollegeType)
    ok_type = [
        types.index(t)
        for t in (CollegeType.FOUR_YEAR, CollegeType.TWO_YEAR, CollegeType.LESS_THAN_TWO_YEAR)
    ]
    en = en[en["status"].isin(ok_status) & en["ctype"].isin(ok_type)]
    en = en.merge(st[["sid", "grad", "cls"]], on="sid", how="left")
    en = en[en["cls"].notna() & (en["begin"] >= en["grad"])].copy()
    begin = _dates(en["begin"])
    academic = begin.dt.year - (
        (begin.dt.month < 8) | ((begin.dt.month == 8) & (begin.dt.day < 15))
    )
    en["k"] = (academic - en["cls"] + 1).astype("int64")
    rank = {
        statuses.index(s): r
        for s, r in (
            (EnrollmentStatus.FULL_TIME, 4),
            (EnrollmentStatus.THREE_QUARTER_TIME, 3),
            (EnrollmentStatus.HALF_TIME, 2),
            (EnrollmentStatus.LESS_THAN_HALF_TIME, 1),
        )
    }
    en["neg_rank"] = -en["status"].map(rank).fillna(0)
    en["neg_len"] = -(en["end"] - en["begin"])
    rest = [f"r_{name}" for name in ENROLLMENT_REST]
    en = en.sort_values(["sid", "begin", "neg_rank", "neg_len", "code", *rest], kind="stable")
    month_day = (begin.dt.month * 100 + begin.dt.day).reindex(en.index)
    fall = (begin.dt.year.reindex(en.index) == en["cls"]) & month_day.between(815, 1031)
    out = st.set_index("sid")
    out["fall"] = en[fall].groupby("sid").size().reindex(out.index).fillna(0) > 0
    out["fall_code"] = en[fall].groupby("sid")["code"].first()
    out["fall_ctype"] = en[fall].groupby("sid")["ctype"].first()
    out["fall_control"] = en[fall].groupby("sid")["control"].first()
    out["fall_state"] = en[fall].groupby("sid")["state"].first()
    out["first_code"] = en.groupby("sid")["code"].first()
    y1 = en[en["k"] == 1]
    y2 = en[en["k"] == 2]
    out["year1"] = y1.groupby("sid").size().reindex(out.index).fillna(0) > 0
    out["y1_code"] = y1.groupby("sid")["code"].first()
    out["y1_ctype"] = y1.groupby("sid")["ctype"].first()
    out["y1_control"] = y1.groupby("sid")["control"].first()
    out["y1_state"] = y1.groupby("sid")["state"].first()
    out["year2"] = y2.groupby("sid").size().reindex(out.index).fillna(0) > 0
    first_two = en[en["k"].isin([1, 2])]
    out["first_two"] = first_two.groupby("sid").size().reindex(out.index).fillna(0) > 0
    out["y2_code"] = y2.groupby("sid")["code"].first()
    y2i = y2.merge(out["y1_code"].rename("y1c").reset_index(), on="sid")
    out["retained"] = (
        y2i[(y2i["code"] // 100) == (y2i["y1c"] // 100)]
        .groupby("sid")
        .size()
        .reindex(out.index)
        .fillna(0)
        > 0
    )
    years = en[en["k"] >= 1][["sid", "k"]].drop_duplicates()
    years = years.merge(out[["over"]].reset_index(), on="sid")
    out["years_enrolled"] = (
        years[years["k"] <= years["over"] + 1].groupby("sid").size().reindex(out.index).fillna(0)
    )

    dg = degrees[degrees["sid"] >= 0]
    if student_level:
        dg = dg[~dg["blocked"]]
    dg = dg.merge(st[["sid", "grad", "cls"]], on="sid", how="left")
    dg = dg[dg["cls"].notna() & (dg["award"] >= dg["grad"])].copy()
    award = _dates(dg["award"])
    academic = award.dt.year - (
        (award.dt.month < 8) | ((award.dt.month == 8) & (award.dt.day < 15))
    )
    dg["k"] = (academic - dg["cls"] + 1).clip(lower=0).astype("int64")
    dg = dg.sort_values(["sid", "award", "code", *(f"r_{n}" for n in DEGREE_REST)], kind="stable")
    kinds = tuple(DegreeKind)
    four, two = kinds.index(DegreeKind.FOUR_YEAR), kinds.index(DegreeKind.TWO_YEAR)
    counted = dg[dg["kind"].isin([four, two])]
    out["deg_k"] = counted.groupby("sid")["k"].first()
    out["deg4_k"] = counted[counted["kind"] == four].groupby("sid")["k"].first()
    out["deg2_k"] = counted[counted["kind"] == two].groupby("sid")["k"].first()
    dg["n"] = dg.groupby("sid").cumcount()
    for i in range(3):
        out[f"cred{i + 1}"] = dg[dg["n"] == i].set_index("sid")["code"]
    if student_level:
        e_all = enrollments[(enrollments["sid"] >= 0) & ~enrollments["blocked"]]
        d_all = degrees[(degrees["sid"] >= 0) & ~degrees["blocked"]]
        found = set(e_all["sid"].unique()) | set(d_all["sid"].unique())
        out["record_found"] = out.index.isin(list(found))
    return out


def pandas_reports(
    p: pd.DataFrame, classes: list[int], n_years: int = 6
) -> dict[tuple[str, int, str], int]:
    """The report counts per (high school, class) and ALL, by group-by."""
    p = p[p["cls"].notna()].copy()
    p["cls"] = p["cls"].astype(int)
    types = tuple(CollegeType)
    controls = tuple(CollegeControl)

    def splits(
        prefix: str, flag: pd.Series, ctype: pd.Series, control: pd.Series, state: pd.Series
    ) -> None:
        known = state.notna() & p["hs_state"].notna()
        p[f"{prefix}_4yr"] = flag & (ctype == types.index(CollegeType.FOUR_YEAR))
        p[f"{prefix}_2yr"] = flag & (ctype == types.index(CollegeType.TWO_YEAR))
        p[f"{prefix}_lt2yr"] = flag & (ctype == types.index(CollegeType.LESS_THAN_TWO_YEAR))
        p[f"{prefix}_public"] = flag & (control == controls.index(CollegeControl.PUBLIC))
        p[f"{prefix}_private"] = flag & (control == controls.index(CollegeControl.PRIVATE))
        p[f"{prefix}_in_state"] = flag & known & (state.str.upper() == p["hs_state"].str.upper())
        p[f"{prefix}_out_of_state"] = (
            flag & known & (state.str.upper() != p["hs_state"].str.upper())
        )

    p["graduates"] = True
    p["enrolled_fall"] = p["fall"]
    p["enrolled_year1"] = p["year1"]
    p["enrolled_first_two_years"] = p["first_two"]
    p["persisted"] = p["year1"] & p["year2"]
    p["retained_"] = p["year1"] & p["retained"]
    done = p["deg_k"].notna() & (p["deg_k"] <= n_years)
    p[f"completed_{n_years}yr"] = done
    p[f"completed_{n_years}yr_4year"] = done & p["deg4_k"].notna() & (p["deg4_k"] <= n_years)
    p[f"completed_{n_years}yr_2year"] = done & ~p[f"completed_{n_years}yr_4year"]
    splits("enrolled_fall", p["fall"], p["fall_ctype"], p["fall_control"], p["fall_state"])
    splits("enrolled_year1", p["year1"], p["y1_ctype"], p["y1_control"], p["y1_state"])
    splits("persisted", p["persisted"], p["y1_ctype"], p["y1_control"], p["y1_state"])
    splits("retained", p["retained_"], p["y1_ctype"], p["y1_control"], p["y1_state"])
    for k in range(1, 9):
        p[f"first_degree_in_year_{k}"] = p["deg_k"] == k
    p = p.rename(columns={"retained": "retained_any", "retained_": "retained"})
    measures = [c for c in p.columns if c in MEASURES]
    counts = p.groupby(["hs", "cls"])[measures].sum()
    account = p.groupby("cls")[measures].sum()
    account["hs"] = ALL
    counts = pd.concat([counts.reset_index(), account.reset_index()])
    # Not available: by class, from the window rules.
    over = p.groupby("cls")["over"].first()
    fall_over = p.groupby("cls")["fall_over"].first()
    out: dict[tuple[str, int, str], int] = {}
    for row in counts.itertuples(index=False):
        record = row._asdict()
        year = int(record["cls"])
        for m in measures:
            need = AVAILABLE.get(m, 0)
            ok = bool(fall_over[year]) if need == "fall" else int(over[year]) >= need
            if m.startswith("first_degree_in_year_"):
                ok = int(over[year]) >= int(m.rsplit("_", 1)[1])
            out[(record["hs"], year, m)] = int(record[m]) if ok else -1
    return out


MEASURES: set[str] = set()
AVAILABLE: dict[str, Any] = {}


def _measure_rules(grid: Any) -> None:
    for m in grid.measures:
        if m.startswith("first_degree_in_year_0") or "_completed" in m:
            continue
        MEASURES.add(m)
        if m.startswith("enrolled_fall"):
            AVAILABLE[m] = "fall"
        elif m.startswith("enrolled_year1"):
            AVAILABLE[m] = 1
        elif m == "enrolled_first_two_years" or m.startswith(("persisted", "retained")):
            AVAILABLE[m] = 2
        elif m.startswith("completed_"):
            AVAILABLE[m] = 6
    MEASURES.discard("first_degree_in_year_0")
    for m in list(MEASURES):
        if m.startswith("completed_6yr_") and m not in (
            "completed_6yr_4year",
            "completed_6yr_2year",
        ):
            MEASURES.discard(m)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--per-class", type=int, default=60_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    t = time.perf_counter()
    hs = synthetic_high_schools(args.per_class, seed=args.seed, shape=SHAPE)
    cols = hs.columns
    n_records = cols.enrollments.n_rows + cols.degrees.n_rows
    print(
        f"data: {cols.n_students:,} students in {len(hs.class_years)} classes, "
        f"{cols.enrollments.n_rows:,} enrollments + {cols.degrees.n_rows:,} degrees = {n_records:,} records "
        f"(generated in {time.perf_counter() - t:.1f}s); as of {hs.as_of}"
    )
    students, enrollments, degrees = frames(cols)
    gc.collect()

    def run_pandas() -> tuple[Any, Any, Any]:
        agg = pandas_outcomes(students, enrollments, degrees, hs.as_of, student_level=False)
        arr = pandas_outcomes(students, enrollments, degrees, hs.as_of, student_level=True)
        return agg, arr, pandas_reports(agg, list(hs.class_years))

    # Times first (tracemalloc slows allocation-heavy code), then one traced run each for memory.
    # Wall time, and CPU time (steadier on a shared machine; both sides are single-threaded).
    t, c = time.perf_counter(), time.process_time()
    ours = library(cols, hs.as_of)
    ours_time, ours_cpu = time.perf_counter() - t, time.process_time() - c
    _measure_rules(ours["grid"])
    gc.collect()
    t, c = time.perf_counter(), time.process_time()
    agg, arr, theirs = run_pandas()
    pandas_time, pandas_cpu = time.perf_counter() - t, time.process_time() - c
    peaks = []
    for job in (lambda: library(cols, hs.as_of), run_pandas):
        gc.collect()
        tracemalloc.start()
        job()
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    ours_peak, pandas_peak = peaks

    # Same numbers: every report count, and the ARR's main columns.
    grid = ours["grid"]
    mismatches = 0
    for r, (school, year) in enumerate(grid.keys):
        for m in MEASURES:
            mine = int(grid.counts[r, grid.column(m)])
            other = theirs.get((school, year, m), 0 if mine >= 0 else -1)
            mismatches += mine != other
    a = ours["arr"]
    has = agg["cls"].notna().to_numpy()

    def same(name: str, values: np.ndarray, expected: np.ndarray) -> None:
        nonlocal mismatches
        bad = int((values != expected).sum())
        if bad:
            print(f"  ARR {name}: {bad} differences")
        mismatches += bad

    same("record_found", a["record_found"] == 1, arr["record_found"].to_numpy())
    same(
        "first_college_code",
        a["first_college_code"],
        arr["first_code"].fillna(-1).astype(np.int64).to_numpy(),
    )
    fall = arr["fall"].to_numpy() & arr["fall_over"].fillna(False).to_numpy()
    same("enrolled_fall_after_hs", a["enrolled_fall_after_hs"][has] == 1, fall[has])
    same(
        "fall_college_code", a["fall_college_code"], np.where(fall, arr["fall_code"].fillna(-1), -1)
    )
    same(
        "college_years_enrolled",
        a["college_years_enrolled"][has],
        arr["years_enrolled"].to_numpy()[has],
    )
    deg_k = arr["deg_k"].fillna(-1).astype(np.int64).to_numpy()
    same("years_to_first_degree", a["years_to_first_degree"], np.where(has, deg_k, -1))
    for i in range(3):
        same(
            f"credential_{i + 1}_college_code",
            a[f"credential_{i + 1}_college_code"],
            arr[f"cred{i + 1}"].fillna(-1).astype(np.int64).to_numpy(),
        )

    print(
        f"library: {ours_time:6.2f}s wall {ours_cpu:6.2f}s CPU  peak {ours_peak / 2**20:6.0f} MiB (tracemalloc)"
    )
    print(
        f"pandas:  {pandas_time:6.2f}s wall {pandas_cpu:6.2f}s CPU  peak {pandas_peak / 2**20:6.0f} MiB (tracemalloc)"
    )
    print(
        f"ratio:   {pandas_time / ours_time:6.1f}x wall, {pandas_cpu / ours_cpu:.1f}x CPU faster than pandas "
        "(target >= 3x)"
    )
    print(
        f"same numbers: {'yes' if mismatches == 0 else f'NO ({mismatches} differences)'} "
        f"({len(grid.keys) * len(MEASURES):,} report counts, 9 ARR columns)"
    )


if __name__ == "__main__":
    main()
