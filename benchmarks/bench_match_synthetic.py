"""
Synthetic students with realistic errors: quality (precision and recall separately) and scale.

Each engine runs in its own child process on the same generated data (same seed), so its
time excludes data generation and its peak memory (max RSS) is its own:

- ``edoutcomes``: the default matcher, no labels;
- ``splink``: Splink on DuckDB, trained without labels (u by random sampling, m by EM on two
  blocking rules), the same fields and comparable blocking, best candidate per student;
- ``recordlinkage``: its stock pipeline (six blocking passes unioned with ``Index``,
  ``Compare`` with Jaro-Winkler names, ECM classifier), at 100k x 100k only: at 100k x 1M
  it does not fit in memory.

Needs ``pip install 'edoutcomes[match,bench-match]'`` (splink and duckdb are benchmark-only).
Run: ``python benchmarks/bench_match_synthetic.py --size 100k`` (about 4 minutes) and
``--size 1m`` (100k submitted x 1M people, about 5 minutes); ``--size small`` is a smoke run.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import time
from typing import Any

import numpy as np

SIZES = {"small": (20_000, 10_000), "100k": (100_000, 100_000), "1m": (1_000_000, 100_000)}
SEED = 7


def _data(n_people: int, n_submitted: int) -> Any:
    from edoutcomes.synth import synthetic_matching

    return synthetic_matching(n_people, n_submitted, seed=SEED)


def _quality(found: dict[int, int], truth: np.ndarray) -> dict[str, float]:
    """Precision and recall over (submitted row, person row) links."""
    true_links = int((truth >= 0).sum())
    tp = sum(1 for s, p in found.items() if truth[s] == p)
    fp = len(found) - tp
    precision = tp / len(found) if found else 0.0
    recall = tp / true_links if true_links else 0.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "false_matches": fp,
        "links": len(found),
    }


def run_edoutcomes(n_people: int, n_submitted: int) -> dict[str, Any]:
    from edoutcomes.match import FellegiSunterMatcher

    data = _data(n_people, n_submitted)
    start = time.perf_counter()
    result = FellegiSunterMatcher().match(data.submitted, data.people)
    seconds = time.perf_counter() - start
    found = {i: int(p) for i, p in enumerate(result.person.tolist()) if p >= 0}
    return {
        "seconds": seconds,
        **_quality(found, data.truth),
        "candidates": int(result.candidates.sum()),
    }


def _frame(table: Any, offset: int) -> Any:
    import pandas as pd

    from edoutcomes.match import normalise_names

    days = table.data["birth_date"]
    dob = np.where(days == np.iinfo(np.int32).min, 0, days).astype("datetime64[D]").astype(str)
    dob = np.where(days == np.iinfo(np.int32).min, None, dob)
    return pd.DataFrame(
        {
            "unique_id": np.arange(table.n_rows) + offset,
            "first_name": normalise_names(table.text("first_name")),
            "middle_name": normalise_names(table.text("middle_name")),
            "last_name": normalise_names(table.text("last_name")),
            "dob": dob,
            "ssn": table.text("ssn"),
            "gender": table.text("gender"),
        }
    )


def run_splink(n_people: int, n_submitted: int) -> dict[str, Any]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    data = _data(n_people, n_submitted)
    start = time.perf_counter()
    offset = 10_000_000
    left, right = _frame(data.submitted, 0), _frame(data.people, offset)
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("first_name", [0.92, 0.85, 0.7]).configure(
                term_frequency_adjustments=True
            ),
            cl.JaroWinklerAtThresholds("last_name", [0.92, 0.85, 0.7]).configure(
                term_frequency_adjustments=True
            ),
            cl.ExactMatch("middle_name"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.LevenshteinAtThresholds("ssn", [1]),
            cl.ExactMatch("gender"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("ssn"),
            block_on("last_name", "dob"),
            block_on("first_name", "dob"),
            block_on("first_name", "last_name"),
            "l.first_name = r.last_name and l.dob = r.dob",
        ],
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
    predictions = linker.inference.predict(threshold_match_probability=0.9).as_pandas_dataframe()
    seconds = time.perf_counter() - start
    # One best candidate per submitted student, as the edoutcomes matcher gives.
    ids = predictions[["unique_id_l", "unique_id_r"]].to_numpy()
    predictions["student"] = ids.min(axis=1)
    predictions["person"] = ids.max(axis=1) - offset
    best = predictions.sort_values("match_probability", ascending=False).drop_duplicates("student")
    found = {int(s): int(p) for s, p in zip(best["student"], best["person"], strict=True)}
    return {"seconds": seconds, **_quality(found, data.truth), "candidates": None}


def run_recordlinkage(n_people: int, n_submitted: int) -> dict[str, Any]:
    import recordlinkage

    data = _data(n_people, n_submitted)
    start = time.perf_counter()
    a, b = _frame(data.submitted, 0), _frame(data.people, 0)
    a, b = a.set_index("unique_id"), b.set_index("unique_id")
    indexer = recordlinkage.Index()
    indexer.block("ssn")
    indexer.block(["last_name", "dob"])
    indexer.block(["first_name", "dob"])
    indexer.block(["first_name", "last_name"])
    indexer.block(left_on=["first_name", "dob"], right_on=["last_name", "dob"])
    indexer.block(["middle_name", "dob"])
    pairs = indexer.index(a, b)
    compare = recordlinkage.Compare()
    compare.string(
        "first_name", "first_name", method="jarowinkler", threshold=0.85, label="first_name"
    )
    compare.string(
        "last_name", "last_name", method="jarowinkler", threshold=0.85, label="last_name"
    )
    compare.exact("middle_name", "middle_name", label="middle_name")
    compare.exact("dob", "dob", label="dob")
    compare.exact("ssn", "ssn", label="ssn")
    compare.exact("gender", "gender", label="gender")
    features = compare.compute(pairs, a, b)
    links = recordlinkage.ECMClassifier(binarize=0.5).fit_predict(features)
    seconds = time.perf_counter() - start
    found: dict[int, int] = {}
    for s, p in links.tolist():
        found.setdefault(int(s), int(p))
    return {"seconds": seconds, **_quality(found, data.truth), "candidates": len(pairs)}


ENGINES = {"edoutcomes": run_edoutcomes, "splink": run_splink, "recordlinkage": run_recordlinkage}


def _child(name: str, sizes: tuple[int, int], queue: Any) -> None:
    try:
        out = ENGINES[name](*sizes)
    except Exception as exc:  # a peer failing (MemoryError ...) is a result, not a crash
        out = {"error": f"{type(exc).__name__}: {exc}"}
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put(out)


def _run(name: str, sizes: tuple[int, int]) -> dict[str, Any]:
    queue: Any = mp.get_context("fork").Queue()
    process = mp.get_context("fork").Process(target=_child, args=(name, sizes, queue))
    process.start()
    out = queue.get()
    process.join()
    return dict(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--engines", default=None, help="comma-separated subset of engines")
    args = parser.parse_args()
    n_people, n_submitted = SIZES[args.size]
    names = args.engines.split(",") if args.engines else ["edoutcomes", "splink", "recordlinkage"]
    if args.size == "1m" and not args.engines:
        names = ["edoutcomes", "splink"]
    print(
        f"synthetic: {n_submitted:,} submitted x {n_people:,} people (60% in the store, seed {SEED})"
    )
    results = {}
    for name in names:
        r = _run(name, (n_people, n_submitted))
        results[name] = r
        if "error" in r:
            print(f"{name:>14}: failed: {r['error']} (peak {r['peak_mb']:.0f} MB)")
            continue
        print(
            f"{name:>14}: {r['seconds']:7.1f} s  precision {r['precision']:.4f}  recall {r['recall']:.4f}"
            f"  F1 {r['f1']:.4f}  false matches {r['false_matches']}  peak {r['peak_mb']:.0f} MB"
        )
    ours = results.get("edoutcomes")
    if ours and "error" not in ours:
        for name, r in results.items():
            if name != "edoutcomes" and "error" not in r:
                print(
                    f"edoutcomes vs {name}: {r['seconds'] / ours['seconds']:.1f}x faster, F1 {ours['f1']:.4f} vs {r['f1']:.4f}"
                )


if __name__ == "__main__":
    main()
