"""
Matching on Faker people the matcher was not tuned on: us, Splink and recordlinkage, same files.

The files come from ``benchmarks/faker_students.py`` (every perturbation at a stated rate,
ground truth in the files). Each engine runs in its own child process on the same two CSV
files in the same run; its time is the matching from the files read into its own form (not
the reading), its peak memory the child's own peak resident memory (``VmHWM``):

- ``edoutcomes``: the default matcher with the address and ZIP as extra fields, no labels,
  rapidfuzz on both cores (DuckDB gives Splink both); both files are read with
  ``read_submission`` and the columns matching needs (``MATCHING_REQUIRED``);
- ``splink``: Splink on DuckDB set up as the spec says: its standard comparisons (names with
  Jaro-Winkler levels, birth date exact / one character, SSN exact, address fields), blocking
  rules whose candidate recall is at least ours (both printed), u by random sampling, m by EM,
  threshold 0.5 on the match probability, best candidate per student;
- ``recordlinkage``: its stock pipeline (exact-key blocking passes unioned, Jaro-Winkler names,
  ECM), at 20k and 100k only (beyond, its pair index does not fit in memory).

Tuning used seeds 0 (first rounds) and 100-111 (the twin and address rules) only; the figures
reported are seeds 1, 2 and 3 (of which only the comparison levels of the two twins seed 3
merged on 4 December were looked at, to find the rule that let them through; the fix was
checked on 100-111).
Needs ``pip install 'edoutcomes[match,bench-match]'``.
Run: ``python benchmarks/bench_match_faker.py --size 20k`` (``100k``: 100,000 x 100,000;
``1m``: 100,000 submitted x 1,000,000 people; ``--seeds 0`` to tune).
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing as mp
import resource
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from faker_students import TRUTH_COLUMNS, describe, generate

SIZES = {"20k": (20_000, 20_000), "100k": (100_000, 100_000), "1m": (1_000_000, 100_000)}
REPORT_SEEDS = (1, 2, 3)
ADDRESS = ("address", "zip")


# --- engines: each returns (seconds, {submitted id: person id}, extra) --------------------


def run_edoutcomes(people: Path, submitted: Path) -> tuple[float, dict[str, str], dict[str, Any]]:
    import jellyfish  # noqa: F401 - imported before timing, as Splink's modules are
    import rapidfuzz.process  # noqa: F401

    from edoutcomes.formats import read_submission
    from edoutcomes.match import FellegiSunterMatcher, nickname_groups

    nickname_groups()  # the nicknames package's table, loaded once per process
    drop: dict[str, str | None] = dict.fromkeys(TRUTH_COLUMNS)
    required = ("requester_id", "first_name", "last_name")
    tables = [
        read_submission(path, mapping=drop, lenient=True, required=required).table
        for path in (submitted, people)
    ]
    start = time.perf_counter()
    # Both cores for the string comparisons, as DuckDB gives Splink both.
    result = FellegiSunterMatcher(extra_fields=ADDRESS, workers=2).match(*tables)
    seconds = time.perf_counter() - start
    found = {
        r: p
        for r, p in zip(result.requester_ids.tolist(), result.matched_person_ids(), strict=True)
        if p is not None
    }
    extra = {"counts": result.counts()}
    fit = getattr(result, "fit", None)
    if fit is not None:
        extra["fit"] = str(fit)
    return seconds, found, extra


def _frame(path: Path) -> Any:
    import pandas as pd

    from edoutcomes.match import normalise_names

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = frame.drop(columns=[c for c in TRUTH_COLUMNS if c in frame.columns])
    for name in ("first_name", "middle_name", "last_name", "address", "city"):
        frame[name] = normalise_names(frame[name].to_numpy(dtype=object))
    frame = frame.replace({"": None})
    frame["dob"] = frame.pop("birth_date")
    frame["birth_year"] = frame["dob"].str.slice(0, 4)
    frame["first_initial"] = frame["first_name"].str.slice(0, 1)
    frame["last_initial"] = frame["last_name"].str.slice(0, 1)
    # Either half of the SSN (one mistyped digit leaves the other), as our keys have.
    frame["ssn_head"] = frame["ssn"].str.slice(0, 5)
    frame["ssn_tail"] = frame["ssn"].str.slice(5, 9)
    return frame.rename(columns={"requester_id": "unique_id"})


def splink_blocking() -> list[Any]:
    """Splink's blocking rules: each tolerates an error in the fields the others need."""
    from splink import block_on

    return [
        block_on("ssn"),
        block_on("last_name", "dob"),
        block_on("first_name", "dob"),
        block_on("first_name", "last_name"),
        "l.first_name = r.last_name and l.last_name = r.first_name",
        "l.first_name = r.last_name and l.dob = r.dob",
        block_on("first_initial", "last_initial", "dob"),
        block_on("first_name", "zip"),
        block_on("last_name", "zip"),
        block_on("last_name", "birth_year"),
        block_on("first_name", "address"),
        block_on("first_initial", "last_name"),
        block_on("dob", "zip"),
        block_on("dob", "address"),
        "l.first_name = r.last_name and l.zip = r.zip",
        block_on("address"),
        block_on("middle_name", "dob"),
        block_on("middle_name", "last_name"),
        block_on("ssn_head", "last_initial"),
        block_on("ssn_tail", "last_initial"),
    ]


def _splink_keys() -> list[tuple[tuple[str, str], ...]]:
    """The blocking rules above as (left column, right column) equalities, for candidate recall."""
    return [
        (("ssn", "ssn"),),
        (("last_name", "last_name"), ("dob", "dob")),
        (("first_name", "first_name"), ("dob", "dob")),
        (("first_name", "first_name"), ("last_name", "last_name")),
        (("first_name", "last_name"), ("last_name", "first_name")),
        (("first_name", "last_name"), ("dob", "dob")),
        (("first_initial", "first_initial"), ("last_initial", "last_initial"), ("dob", "dob")),
        (("first_name", "first_name"), ("zip", "zip")),
        (("last_name", "last_name"), ("zip", "zip")),
        (("last_name", "last_name"), ("birth_year", "birth_year")),
        (("first_name", "first_name"), ("address", "address")),
        (("first_initial", "first_initial"), ("last_name", "last_name")),
        (("dob", "dob"), ("zip", "zip")),
        (("dob", "dob"), ("address", "address")),
        (("first_name", "last_name"), ("zip", "zip")),
        (("address", "address"),),
        (("middle_name", "middle_name"), ("dob", "dob")),
        (("middle_name", "middle_name"), ("last_name", "last_name")),
        (("ssn_head", "ssn_head"), ("last_initial", "last_initial")),
        (("ssn_tail", "ssn_tail"), ("last_initial", "last_initial")),
    ]


def run_splink(people: Path, submitted: Path) -> tuple[float, dict[str, str], dict[str, Any]]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    left, right = _frame(submitted), _frame(people)
    start = time.perf_counter()
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("last_name"),
            cl.LevenshteinAtThresholds("dob", [1]),
            cl.ExactMatch("ssn"),
            cl.ExactMatch("address"),
            cl.ExactMatch("zip"),
        ],
        blocking_rules_to_generate_predictions=splink_blocking(),
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    db = DuckDBAPI()
    linker = Linker(
        [
            db.register(left, dataset_display_name="submitted"),
            db.register(right, dataset_display_name="people"),
        ],
        settings,
        log_level=40,
    )
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "last_name", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "last_name")
    )
    predictions = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    seconds = time.perf_counter() - start
    # One best candidate per submitted student, as ours gives.
    left_is_submitted = predictions["source_dataset_l"] == "submitted"
    student = predictions["unique_id_l"].where(left_is_submitted, predictions["unique_id_r"])
    person = predictions["unique_id_r"].where(left_is_submitted, predictions["unique_id_l"])
    best = (
        predictions.assign(student=student, person=person)
        .sort_values("match_probability", ascending=False)
        .drop_duplicates("student")
    )
    found = dict(zip(best["student"], best["person"], strict=True))
    return seconds, found, {}


def run_recordlinkage(
    people: Path, submitted: Path
) -> tuple[float, dict[str, str], dict[str, Any]]:
    import recordlinkage

    a, b = _frame(submitted).set_index("unique_id"), _frame(people).set_index("unique_id")
    start = time.perf_counter()
    indexer = recordlinkage.Index()
    indexer.block("ssn")
    indexer.block(["last_name", "dob"])
    indexer.block(["first_name", "dob"])
    indexer.block(["first_name", "last_name"])
    indexer.block(left_on=["first_name", "dob"], right_on=["last_name", "dob"])
    indexer.block(["last_name", "zip"])
    pairs = indexer.index(a, b)
    compare = recordlinkage.Compare()
    for name in ("first_name", "last_name"):
        compare.string(name, name, method="jarowinkler", threshold=0.85, label=name)
    for name in ("dob", "ssn", "address", "zip"):
        compare.exact(name, name, label=name)
    features = compare.compute(pairs, a, b)
    links = recordlinkage.ECMClassifier(binarize=0.5).fit_predict(features)
    seconds = time.perf_counter() - start
    found: dict[str, str] = {}
    for s, p in links.tolist():
        found.setdefault(str(s), str(p))
    return seconds, found, {"pairs": len(pairs)}


ENGINES = {"edoutcomes": run_edoutcomes, "splink": run_splink, "recordlinkage": run_recordlinkage}


def _child(name: str, paths: tuple[Path, Path], queue: Any) -> None:
    try:
        seconds, found, extra = ENGINES[name](*paths)
        out: dict[str, Any] = {"seconds": seconds, "found": found, **extra}
    except Exception as exc:  # a peer failing (MemoryError ...) is a result, not a crash
        out = {"error": f"{type(exc).__name__}: {exc}"}
    out["peak_mb"] = _peak_mb()
    queue.put(out)


def _peak_mb() -> float:
    """This process's own peak resident memory (``VmHWM``: ``ru_maxrss`` would count the parent's,
    which Linux carries across the exec of a spawned child)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(name: str, paths: tuple[Path, Path]) -> dict[str, Any]:
    context = mp.get_context("spawn")
    queue: Any = context.Queue()
    process = context.Process(target=_child, args=(name, paths, queue))
    process.start()
    out = queue.get()
    process.join()
    return dict(out)


# --- scoring against the truth in the files ----------------------------------------------


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as stream:
        return list(csv.DictReader(stream))


def score(found: dict[str, str], submitted: list[dict[str, str]]) -> dict[str, Any]:
    """Precision, recall, F1; misses and false matches by kind; twins merged."""
    truth = {r["requester_id"]: r["true_person_id"] for r in submitted if r["true_person_id"]}
    by_id = {r["requester_id"]: r for r in submitted}
    tp = sum(1 for s, p in found.items() if truth.get(s) == p)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    misses: Counter[str] = Counter()
    for s, p in truth.items():
        if found.get(s) != p:
            misses.update(
                by_id[s]["perturbations"].split(";") if by_id[s]["perturbations"] else ["none"]
            )
    false: Counter[str] = Counter()
    twins = 0
    for s, p in found.items():
        if truth.get(s) != p:
            row = by_id[s]
            twins += p == row["twin_person_id"]
            false["in store" if row["true_person_id"] else "not in store"] += 1
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "false_matches": len(found) - tp,
        "twins_merged": twins,
        "misses": dict(misses.most_common()),
        "false_by_kind": dict(false),
    }


def candidate_recall(people: Path, submitted_rows: list[dict[str, str]]) -> dict[str, float]:
    """Share of true links that our blocking keys and Splink's rules put among the candidates."""
    from edoutcomes.formats import read_submission
    from edoutcomes.match import FellegiSunterMatcher

    drop: dict[str, str | None] = dict.fromkeys(TRUTH_COLUMNS)
    required = ("requester_id", "first_name", "last_name")
    sub_path = people.parent / "submitted.csv"
    left = read_submission(sub_path, mapping=drop, lenient=True, required=required).table
    right = read_submission(people, mapping=drop, lenient=True, required=required).table
    pairs = FellegiSunterMatcher(extra_fields=ADDRESS).compare(left, right)
    rid, pid = left.text("requester_id"), right.text("requester_id")
    candidates = set(zip(rid[pairs.submitted].tolist(), pid[pairs.person].tolist(), strict=True))
    truth = [
        (r["requester_id"], r["true_person_id"]) for r in submitted_rows if r["true_person_id"]
    ]
    ours = sum(1 for t in truth if t in candidates) / len(truth)

    a, b = _frame(sub_path).set_index("unique_id"), _frame(people).set_index("unique_id")
    ls, rs = a.loc[[s for s, _ in truth]], b.loc[[p for _, p in truth]]
    hit = np.zeros(len(truth), dtype=bool)
    for rule in _splink_keys():
        ok = np.ones(len(truth), dtype=bool)
        for lc, rc in rule:
            lv, rv = ls[lc].to_numpy(dtype=object), rs[rc].to_numpy(dtype=object)
            ok &= np.array([x is not None and x == y for x, y in zip(lv, rv, strict=True)])
        hit |= ok
    return {"edoutcomes": ours, "splink": float(hit.mean())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--size", choices=sorted(SIZES), default="20k")
    parser.add_argument("--seeds", default=",".join(map(str, REPORT_SEEDS)))
    parser.add_argument("--engines", default=None, help="comma-separated subset of engines")
    parser.add_argument("--data", type=Path, default=Path("/tmp/edoutcomes-bench-match"))
    parser.add_argument("--candidates", action="store_true", help="also candidate recall")
    args = parser.parse_args()
    n_people, n_submitted = SIZES[args.size]
    names = args.engines.split(",") if args.engines else list(ENGINES)
    if args.size == "1m" and not args.engines:
        names = ["edoutcomes", "splink"]
    print(f"Faker benchmark: {n_submitted:,} submitted x {n_people:,} people")
    print(describe())
    totals: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for seed in (int(s) for s in args.seeds.split(",")):
        paths = generate(n_people, n_submitted, seed, args.data)
        rows = _rows(paths[1])
        print(f"\nseed {seed}: {paths[0].parent}")
        if args.candidates:
            recall = candidate_recall(paths[0], rows)
            print("  candidate recall: " + ", ".join(f"{k} {v:.4f}" for k, v in recall.items()))
        for name in names:
            r = _run(name, paths)
            if "error" in r:
                print(f"  {name:>14}: failed: {r['error']} (peak {r['peak_mb']:.0f} MB)")
                continue
            q = score(r.pop("found"), rows)
            r.update(q)
            totals[name].append(r)
            print(
                f"  {name:>14}: {r['seconds']:7.1f} s  P {q['precision']:.4f}  R {q['recall']:.4f}"
                f"  F1 {q['f1']:.4f}  false {q['false_matches']} (twins {q['twins_merged']})"
                f"  peak {r['peak_mb']:.0f} MB"
            )
            print(f"  {'':>14}  misses by kind: {q['misses']}")
            print(f"  {'':>14}  false matches: {q['false_by_kind']}")
            for key in ("fit", "counts", "pairs"):
                if key in r:
                    print(f"  {'':>14}  {key}: {r[key]}")
    print("\nmean over seeds:")
    for name, runs in totals.items():
        if not runs:
            continue
        mean = {
            k: float(np.mean([r[k] for r in runs]))
            for k in ("precision", "recall", "f1", "seconds", "peak_mb")
        }
        twins = sum(r["twins_merged"] for r in runs)
        print(
            f"  {name:>14}: P {mean['precision']:.4f}  R {mean['recall']:.4f}  F1 {mean['f1']:.4f}"
            f"  {mean['seconds']:.1f} s  peak {mean['peak_mb']:.0f} MB  twins merged {twins}"
        )
    ours = totals.get("edoutcomes")
    if ours:
        for name, runs in totals.items():
            if name != "edoutcomes" and runs:
                ratio = np.mean([r["seconds"] for r in runs]) / np.mean(
                    [r["seconds"] for r in ours]
                )
                memory = np.mean([r["peak_mb"] for r in runs]) / np.mean(
                    [r["peak_mb"] for r in ours]
                )
                print(
                    f"  edoutcomes vs {name}: {ratio:.1f}x faster, {memory:.1f}x less peak memory"
                )


if __name__ == "__main__":
    main()
