"""
Benchmark: ``edoutcomes cohort-query`` end to end (canonical CSVs in, three files out) against DuckDB.

For each size (default 300,000 and 1,000,000 students from ``edoutcomes.synth``) it writes the
canonical students, enrollments and degrees CSVs twice, plain (as ``write_cohort`` writes them)
and fully quoted (every field in quotes, as pandas, pyarrow, Excel and most SIS exports write
them), then runs, alternating, each in a fresh subprocess (so peak memory is each side's own):

- ours: what ``edoutcomes cohort-query`` runs (``read_cohort``, ``cohort_query``,
  ``write_cohort_query_files``): the control, aggregate and 33-column detail files;
- DuckDB: ``read_csv`` of the same three files (dates typed, the rest as text), the same
  tables computed in one SQL statement (``bench_cohort_query.py``'s, over the tables read
  from the CSVs), and ``COPY (...) TO`` a detail CSV with the detail report's 33 columns and
  its rows (records after the search date that are not FERPA-blocked, ``YYYYMMDD`` dates, a
  ``College Sequence``, one ``N`` row for a student with nothing to show).

Printed per size and file style: each side's read / compute / write seconds, its total, its
peak resident memory, and the ratio edoutcomes / DuckDB (target: <= 0.8). DuckDB uses every
core; so does pyarrow's CSV reader.

Needs the ``bench`` extra (duckdb): ``pip install 'edoutcomes[bench]'``.
Run: ``python benchmarks/bench_end_to_end.py [--students 300000 1000000] [--repeat 1]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 0.8

_OURS = r"""
import json, sys, time
from pathlib import Path
from edoutcomes.cohort import cohort_query
from edoutcomes.formats import read_cohort, write_cohort_query_files
from edoutcomes.model import Institution
folder, out, search, code = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
import datetime as dt
search_date = dt.date.fromisoformat(search)
t0 = time.perf_counter()
read = read_cohort(folder / "students.csv", folder / "enrollments.csv", folder / "degrees.csv",
                   as_of=dt.date(2024, 1, 1))
t1 = time.perf_counter()
result = cohort_query(read.columns, search_date=search_date,
                      institution=Institution(code, name="RIVERBEND STATE UNIVERSITY"), as_of=dt.date(2024, 1, 1))
t2 = time.perf_counter()
paths = write_cohort_query_files(result, out, file_date=dt.date(2024, 1, 1))
t3 = time.perf_counter()
rows = len(result.detail)
print(json.dumps({"read": t1 - t0, "compute": t2 - t1, "write": t3 - t2, "peak": __PEAK__(),
                  "detail_rows": rows, "found": result.control.found}))
"""

_DUCKDB = r"""
import json, sys, time
from pathlib import Path
import duckdb
sys.path.insert(0, sys.argv[5])
from bench_cohort_query import _SQL
folder, out, search, codes, n_years = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[6])
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
t0 = time.perf_counter()
def load(name, dates):
    types = ", ".join(f"'{d}': 'DATE'" for d in dates)
    con.execute(f"CREATE TABLE raw_{name} AS SELECT * FROM read_csv('{folder / (name + '.csv')}', header=true, all_varchar=false, "
                f"types={{{types}}}, auto_detect=true, quote='\"', escape='\"', sample_size=-1)")
load("students", ["birth_date", "hs_grad_date"])
load("enrollments", ["begin_date", "end_date"])
load("degrees", ["award_date"])
con.execute("CREATE TABLE students AS SELECT row_number() OVER () - 1 AS sid, * FROM raw_students")
con.execute("CREATE TABLE enrollments AS SELECT coalesce(s.sid, -1) AS sid, "
            "CAST(replace(e.college_code, '-', '') AS INTEGER) AS code, CAST(e.college_type AS VARCHAR) AS college_type, "
            "e.begin_date, e.end_date, CAST(e.enrollment_status AS VARCHAR) AS status, "
            "coalesce(CAST(e.ferpa_block AS VARCHAR), 'none') AS ferpa, e.* EXCLUDE (college_type) "
            "FROM raw_enrollments e LEFT JOIN students s USING (requester_id)")
con.execute("CREATE TABLE degrees AS SELECT coalesce(s.sid, -1) AS sid, "
            "CAST(replace(d.college_code, '-', '') AS INTEGER) AS code, CAST(d.college_type AS VARCHAR) AS college_type, "
            "d.award_date, d.degree_title AS title, coalesce(CAST(d.ferpa_block AS VARCHAR), 'none') AS ferpa, "
            "d.* EXCLUDE (college_type) FROM raw_degrees d LEFT JOIN students s USING (requester_id)")
t1 = time.perf_counter()
sql = _SQL.format(S=search, n_years=n_years, codes=codes)
rows = con.execute(sql).fetchall()
t2 = time.perf_counter()
S = search
D = ", ".join(f"d.{c} AS d_{c}" for c in ["major_1", "cip_1", "major_2", "cip_2", "major_3", "cip_3", "major_4", "cip_4"])
NULLS = ", ".join(f"NULL AS d_{c}" for c in ["major_1", "cip_1", "major_2", "cip_2", "major_3", "cip_3", "major_4", "cip_4"])
def cip(x):
    return f"replace(CAST({x} AS VARCHAR), '.', '')"
detail = f'''
WITH rec AS (
    SELECT e.sid, 0 AS kind, e.college_code, e.college_name, e.college_state, e.college_type, e.college_control,
           e.begin_date, e.end_date, e.enrollment_status, e.class_level, e.major_1, e.cip_1, e.major_2, e.cip_2,
           NULL::DATE AS award_date, NULL AS degree_title, {NULLS},
           coalesce(e.begin_date, e.end_date) AS day
    FROM enrollments e WHERE e.sid >= 0 AND e.end_date > DATE '{S}' AND e.ferpa = 'none'
    UNION ALL
    SELECT d.sid, 1, d.college_code, d.college_name, d.college_state, d.college_type, d.college_control,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           d.award_date, d.degree_title, {D}, d.award_date
    FROM degrees d WHERE d.sid >= 0 AND d.award_date > DATE '{S}' AND d.ferpa = 'none'
),
firsts AS (SELECT sid, college_code, min(day) AS first_day FROM rec GROUP BY sid, college_code),
seq AS (SELECT sid, college_code, row_number() OVER (PARTITION BY sid ORDER BY first_day, college_code) AS seq FROM firsts),
shown AS (
    SELECT r.*, q.seq FROM rec r JOIN seq q USING (sid, college_code)
    UNION ALL BY NAME
    SELECT s.sid, -1 AS kind FROM students s WHERE s.sid NOT IN (SELECT sid FROM rec)
)
SELECT s.unique_id AS "Your Unique Identifier", s.first_name AS "First Name", left(s.middle_name, 1) AS "Middle Initial",
       s.last_name AS "Last Name", s.name_suffix AS "Name Suffix", s.requester_id AS "Requester Return Field",
       CASE WHEN r.kind >= 0 THEN 'Y' ELSE 'N' END AS "Record Found Y/N",
       strftime(DATE '{S}', '%Y%m%d') AS "Search Date",
       r.college_code AS "College Code/Branch", r.college_name AS "College Name", r.college_state AS "College State",
       r.college_type AS "2-year / 4-year", r.college_control AS "Public / Private",
       strftime(r.begin_date, '%Y%m%d') AS "Enrollment Begin", strftime(r.end_date, '%Y%m%d') AS "Enrollment End",
       r.enrollment_status AS "Enrollment Status", r.class_level AS "Class Level",
       r.major_1 AS "Enrollment Major 1", {cip("r.cip_1")} AS "Enrollment CIP 1",
       r.major_2 AS "Enrollment Major 2", {cip("r.cip_2")} AS "Enrollment CIP 2",
       CASE r.kind WHEN 1 THEN 'Y' WHEN 0 THEN 'N' END AS "Graduated?",
       strftime(r.award_date, '%Y%m%d') AS "Graduation Date", r.degree_title AS "Degree Title",
       r.d_major_1 AS "Degree Major 1", {cip("r.d_cip_1")} AS "Degree CIP 1",
       r.d_major_2 AS "Degree Major 2", {cip("r.d_cip_2")} AS "Degree CIP 2",
       r.d_major_3 AS "Degree Major 3", {cip("r.d_cip_3")} AS "Degree CIP 3",
       r.d_major_4 AS "Degree Major 4", {cip("r.d_cip_4")} AS "Degree CIP 4",
       r.seq AS "College Sequence"
FROM shown r JOIN students s USING (sid)
ORDER BY r.sid, r.seq NULLS LAST, r.kind, r.day
'''
con.execute(f"COPY ({detail}) TO '{out}' (HEADER, DELIMITER ',')")
t3 = time.perf_counter()
n = con.execute(f"SELECT count(*) FROM read_csv('{out}', header=true, all_varchar=true)").fetchone()[0]
print(json.dumps({"read": t1 - t0, "compute": t2 - t1, "write": t3 - t2, "peak": __PEAK__(),
                  "detail_rows": n, "found": None}))
"""

_PEAK = r"""
def __PEAK__():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) / 1024
    return float('nan')
"""


def _write_inputs(n_students: int, folder: Path, *, seed: int) -> tuple[str, str, int]:
    """Plain CSVs in folder/plain, fully quoted ones in folder/quoted; the search date, codes and years."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from edoutcomes.cohort import cohort_query
    from edoutcomes.synth import synthetic_cohort

    cohort = synthetic_cohort(n_students, seed=seed)
    plain = folder / "plain"
    cohort.write(plain)
    quoted = folder / "quoted"
    quoted.mkdir()
    for name in ("students", "enrollments", "degrees"):
        header = pacsv.read_csv(
            plain / f"{name}.csv", read_options=pacsv.ReadOptions(block_size=1 << 16)
        ).column_names
        table = pacsv.read_csv(
            plain / f"{name}.csv",
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        pacsv.write_csv(
            table, quoted / f"{name}.csv", pacsv.WriteOptions(quoting_style="all_valid")
        )
    result = cohort_query(
        cohort.columns,
        search_date=cohort.search_date,
        institution=cohort.institution,
        as_of=dt.date(2024, 1, 1),
    )
    codes = ", ".join(str(int(c)) for c in cohort.institution.codes)
    return cohort.search_date.isoformat(), codes, len(result.years)


def _run(script: str, *args: str) -> dict[str, float]:
    code = _PEAK + script
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    return dict(json.loads(lines[-1]))


def _line(label: str, r: dict[str, float]) -> str:
    total = r["read"] + r["compute"] + r["write"]
    return (
        f"  {label:<10} read {r['read']:6.2f} s  compute {r['compute']:5.2f} s  "
        f"write {r['write']:6.2f} s  total {total:6.2f} s  peak {r['peak']:7.0f} MB  "
        f"detail rows {int(r['detail_rows']):,}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[300_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--style", choices=["plain", "quoted"], nargs="+", default=["plain", "quoted"]
    )
    args = parser.parse_args(argv)
    here = str(Path(__file__).resolve().parent)
    ok = True
    for n in args.students:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            start = time.perf_counter()
            search, codes, n_years = _write_inputs(n, folder, seed=args.seed)
            print(f"{n:,} students (inputs written in {time.perf_counter() - start:.0f} s)")
            institution = f"{int(codes.split(',')[0]):06d}"
            for style in args.style:
                ours: list[dict[str, float]] = []
                theirs: list[dict[str, float]] = []
                for k in range(args.repeat):
                    out = folder / f"out-{style}-{k}"
                    ours.append(_run(_OURS, str(folder / style), str(out), search, institution))
                    theirs.append(
                        _run(
                            _DUCKDB,
                            str(folder / style),
                            str(folder / f"duck-{style}-{k}.csv"),
                            search,
                            codes,
                            here,
                            str(n_years),
                        )
                    )
                best_ours = min(ours, key=lambda r: r["read"] + r["compute"] + r["write"])
                best_duck = min(theirs, key=lambda r: r["read"] + r["compute"] + r["write"])
                total_ours = sum(best_ours[k] for k in ("read", "compute", "write"))
                total_duck = sum(best_duck[k] for k in ("read", "compute", "write"))
                ratio = total_ours / total_duck
                ok &= ratio <= TARGET
                print(f" {style} CSVs:")
                print(_line("edoutcomes", best_ours))
                print(_line("DuckDB", best_duck))
                print(f"  ratio edoutcomes/DuckDB {ratio:.2f} (target <= {TARGET})")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
