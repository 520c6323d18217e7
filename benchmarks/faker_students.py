"""
A matching benchmark the matcher was not tuned on: Faker people, realistic perturbations.

``generate(n_people, n_submitted, seed, directory)`` writes two CSV files, ``people.csv`` (the
store) and ``submitted.csv`` (the school's file), and returns their paths. Ground truth is in
the files: ``submitted.csv`` has ``true_person_id`` (blank for a student not in the store),
``twin_person_id`` (the store person who is the student's twin, if any) and ``perturbations``
(the kinds applied, ``;``-separated); ``people.csv`` has ``twin_person_id``. Engines read
every other column.

People come from Faker's ``en_US`` data: first names drawn from a small pool (the commonest
:data:`FIRST_NAME_POOL` per gender, by Faker's weights), last names by Faker's weights,
addresses from Faker's streets, cities and ZIP codes, birth dates over 14 years. Each
perturbation of :data:`RATES` is applied to a submitted row independently at its stated rate
(to students in the store and not alike); nicknames come from the ``nicknames`` package, in
both directions. Needs ``faker`` and ``nicknames`` (``pip install 'edoutcomes[match,bench-match]'``).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np

#: First names drawn per gender (the commonest by Faker's weights): a small pool, as in a school.
FIRST_NAME_POOL = 120
#: Share of submitted students who are in the store.
IN_STORE = 0.75
#: Share of people who are one of a pair of twins (same last name, birth date, address).
TWINS = 0.02
#: Share of surnames that are hyphenated or two words.
COMPOUND = 0.06
#: Share of store people with an SSN; of submitted students.
SSN_STORE, SSN_SUBMITTED = 0.8, 0.5
#: Share of submitted students who have a twin in the same file but not in the store (the
#: school sends both twins; the store holds one of them).
TWIN_ALONE = 0.01

#: Each perturbation of a submitted row, applied independently at this rate.
RATES: dict[str, float] = {
    "first_typo": 0.05,  # one edit in the first name
    "last_typo": 0.05,  # one edit in the last name
    "nickname": 0.08,  # a nickname of the first name, or the full name of a nickname
    "married": 0.04,  # a new last name (women; no previous name given)
    "swapped": 0.02,  # first and last name swapped
    "compound_part": 0.5,  # of compound surnames: one part only, or the other separator
    "dm_swap": 0.03,  # day and month swapped (where the day is 12 or less)
    "dob_typo": 0.04,  # one birth-date digit changed (often an impossible date)
    "dob_missing": 0.03,  # no birth date
    "ssn_typo": 0.02,  # of present SSNs: one digit changed
    "moved": 0.15,  # another address, city and ZIP
    "middle_missing": 0.2,  # no middle name
}

_START = dt.date(1994, 1, 1).toordinal()
_DAYS = 14 * 365
_LETTERS = np.array(list("abcdefghijklmnopqrstuvwxyz"))


def _pool(weights: dict[str, float], k: int | None) -> tuple[np.ndarray, np.ndarray]:
    items = sorted(weights.items(), key=lambda kv: -kv[1])[:k]
    names = np.array([n for n, _ in items], dtype=object)
    p = np.array([w for _, w in items], dtype=np.float64)
    return names, p / p.sum()


class _Population:
    """Independent people drawn from Faker's data (vectorised draws from fixed pools)."""

    def __init__(self, rng: np.random.Generator, seed: int, n_ssns: int) -> None:
        from faker import Faker
        from faker.providers.person.en_US import Provider as Person

        fake = Faker("en_US")
        fake.seed_instance(seed)
        self.rng = rng
        self.female, self.pf = _pool(Person.first_names_female, FIRST_NAME_POOL)
        self.male, self.pm = _pool(Person.first_names_male, FIRST_NAME_POOL)
        self.last, self.pl = _pool(Person.last_names, None)
        self.streets = np.array(sorted({fake.street_name() for _ in range(3000)}), dtype=object)
        places = sorted({(fake.city(), fake.zipcode()) for _ in range(2000)})
        self.cities = np.array([c for c, _ in places], dtype=object)
        self.zips = np.array([z for _, z in places], dtype=object)
        # Distinct SSNs for everyone ever drawn, handed out in order.
        drawn = np.unique(rng.integers(100_000_000, 900_000_000, int(n_ssns * 1.1) + 100))
        self.ssns = rng.permutation(drawn)
        self.next_ssn = 0

    def new_ssns(self, n: int) -> np.ndarray:
        out = self.ssns[self.next_ssn : self.next_ssn + n]
        self.next_ssn += n
        return out

    def first_names(self, female: np.ndarray) -> np.ndarray:
        out = np.empty(len(female), dtype=object)
        nf = int(female.sum())
        out[female] = self.rng.choice(self.female, nf, p=self.pf)
        out[~female] = self.rng.choice(self.male, len(female) - nf, p=self.pm)
        return out

    def last_names(self, n: int) -> np.ndarray:
        out = self.rng.choice(self.last, n, p=self.pl)
        compound = self.rng.random(n) < COMPOUND
        second = self.rng.choice(self.last, int(compound.sum()), p=self.pl)
        hyphen = self.rng.random(int(compound.sum())) < 0.6
        out[compound] = [
            f"{a}-{b}" if h else f"{a} {b}"
            for a, b, h in zip(out[compound], second, hyphen, strict=True)
        ]
        return out

    def addresses(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        numbers = self.rng.integers(1, 9999, n)
        streets = self.rng.choice(self.streets, n)
        address = np.array([f"{k} {s}" for k, s in zip(numbers, streets, strict=True)], object)
        place = self.rng.integers(0, len(self.cities), n)
        return address, self.cities[place], self.zips[place]

    def people(self, n: int) -> dict[str, np.ndarray]:
        female = self.rng.random(n) < 0.5
        address, city, zipcode = self.addresses(n)
        middle_female = self.rng.random(n) < 0.5
        return {
            "female": female,
            "first_name": self.first_names(female),
            "middle_name": self.first_names(middle_female),
            "last_name": self.last_names(n),
            "birth": _START + self.rng.integers(0, _DAYS, n),
            "ssn": self.new_ssns(n),
            "address": address,
            "city": city,
            "zip": zipcode,
        }


def _twin_of(pop: _Population, people: dict[str, np.ndarray], rows: np.ndarray) -> dict[str, Any]:
    """Twins of *rows*: the same last name, birth date and address, another first name and SSN."""
    n = len(rows)
    female = pop.rng.random(n) < 0.5
    first = pop.first_names(female)
    # A twin's first name is never the sibling's.
    same = first == people["first_name"][rows]
    while same.any():
        first[same] = pop.first_names(female[same])
        same = first == people["first_name"][rows]
    twin = {k: v[rows].copy() for k, v in people.items()}
    twin["female"] = female
    twin["first_name"] = first
    twin["middle_name"] = pop.first_names(pop.rng.random(n) < 0.5)
    twin["ssn"] = pop.new_ssns(n)
    return twin


def _concat(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: np.concatenate([a[k], b[k]]) for k in a}


def _typo(rng: np.random.Generator, name: str) -> str:
    """One edit: substitute, delete, insert a letter, or swap two adjacent ones."""
    lower = name.lower()
    if len(lower) < 2:
        return name + "a"
    i = int(rng.integers(0, len(lower)))
    kind = int(rng.integers(0, 4))
    letter = str(rng.choice(_LETTERS))
    if kind == 0:
        out = lower[:i] + letter + lower[i + 1 :]
    elif kind == 1:
        out = lower[:i] + lower[i + 1 :]
    elif kind == 2:
        out = lower[:i] + letter + lower[i:]
    else:
        i = min(i, len(lower) - 2)
        out = lower[:i] + lower[i + 1] + lower[i] + lower[i + 2 :]
    out = out if out != lower else lower + letter
    return out.title()


def _digit_typo(rng: np.random.Generator, digits: str) -> str:
    i = int(rng.integers(0, len(digits)))
    new = str((int(digits[i]) + int(rng.integers(1, 10))) % 10)
    return digits[:i] + new + digits[i + 1 :]


def _ymd(ordinal: int) -> str:
    return dt.date.fromordinal(int(ordinal)).strftime("%Y%m%d")


def _perturb(
    pop: _Population, rows: dict[str, np.ndarray], nick: Any
) -> tuple[list[dict[str, str]], list[str]]:
    """The submitted rows with their perturbations, one dict per row, and the kinds applied."""
    rng = pop.rng
    n = len(rows["first_name"])
    draws = {k: rng.random(n) < p for k, p in RATES.items()}
    moved_address, moved_city, moved_zip = pop.addresses(n)
    married_names = pop.last_names(n)
    ssn_present = rng.random(n) < SSN_SUBMITTED
    out: list[dict[str, str]] = []
    kinds: list[str] = []
    for i in range(n):
        applied: list[str] = []
        first, last = str(rows["first_name"][i]), str(rows["last_name"][i])
        middle = str(rows["middle_name"][i])
        birth = _ymd(rows["birth"][i])
        if draws["nickname"][i]:
            options = sorted(nick.nicknames_of(first) | nick.canonicals_of(first))
            options = [o for o in options if len(o) > 1 and o != first.lower()]
            if options:
                first = options[int(rng.integers(0, len(options)))].title()
                applied.append("nickname")
        if draws["first_typo"][i]:
            first = _typo(rng, first)
            applied.append("first_typo")
        if draws["married"][i] and rows["female"][i]:
            last = str(married_names[i])
            applied.append("married")
        elif (" " in last or "-" in last) and draws["compound_part"][i]:
            parts = last.replace("-", " ").split()
            choice = int(rng.integers(0, 3))
            sep = " " if "-" in last else "-"
            last = sep.join(parts) if choice == 0 else parts[choice - 1]
            applied.append("compound_part")
        if draws["last_typo"][i]:
            last = _typo(rng, last)
            applied.append("last_typo")
        if draws["swapped"][i]:
            first, last = last, first
            applied.append("swapped")
        if draws["middle_missing"][i]:
            middle = ""
            applied.append("middle_missing")
        if draws["dob_missing"][i]:
            birth = ""
            applied.append("dob_missing")
        else:
            if draws["dm_swap"][i] and int(birth[6:]) <= 12 and birth[4:6] != birth[6:]:
                birth = birth[:4] + birth[6:] + birth[4:6]
                applied.append("dm_swap")
            if draws["dob_typo"][i]:
                birth = _digit_typo(rng, birth)
                applied.append("dob_typo")
        ssn = ""
        if ssn_present[i]:
            ssn = f"{int(rows['ssn'][i]):09d}"
            if draws["ssn_typo"][i]:
                ssn = _digit_typo(rng, ssn)
                applied.append("ssn_typo")
        address, city, zipcode = rows["address"][i], rows["city"][i], rows["zip"][i]
        if draws["moved"][i]:
            address, city, zipcode = moved_address[i], moved_city[i], moved_zip[i]
            applied.append("moved")
        out.append(
            {
                "first_name": first,
                "middle_name": middle,
                "last_name": last,
                "birth_date": birth,
                "ssn": ssn,
                "gender": "F" if rows["female"][i] else "M",
                "address": str(address),
                "city": str(city),
                "zip": str(zipcode),
            }
        )
        kinds.append(";".join(applied))
    return out, kinds


PEOPLE_COLUMNS = (
    "requester_id",
    "first_name",
    "middle_name",
    "last_name",
    "birth_date",
    "ssn",
    "gender",
    "address",
    "city",
    "zip",
    "twin_person_id",
)
SUBMITTED_COLUMNS = (*PEOPLE_COLUMNS, "true_person_id", "perturbations")
#: Columns that hold the truth: no engine reads them.
TRUTH_COLUMNS = ("twin_person_id", "true_person_id", "perturbations")


def generate(n_people: int, n_submitted: int, seed: int, directory: Path) -> tuple[Path, Path]:
    """Write (or reuse) ``people.csv`` and ``submitted.csv`` under *directory*; their paths."""
    from nicknames import NickNamer

    directory = directory / f"faker-{n_submitted}x{n_people}-seed{seed}"
    people_path, submitted_path = directory / "people.csv", directory / "submitted.csv"
    if people_path.exists() and submitted_path.exists():
        return people_path, submitted_path
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    pop = _Population(rng, seed, n_people + n_submitted)

    # The store: singles, then twin pairs (each twin a store person).
    n_pairs = int(n_people * TWINS / 2)
    base = pop.people(n_people - n_pairs)
    twin_rows = rng.choice(n_people - n_pairs, n_pairs, replace=False)
    store = _concat(base, _twin_of(pop, base, twin_rows))
    twin_id = np.full(n_people, -1, dtype=np.int64)
    twin_id[twin_rows] = np.arange(n_people - n_pairs, n_people)
    twin_id[n_people - n_pairs :] = twin_rows
    order = rng.permutation(n_people)  # twins not next to each other
    store = {k: v[order] for k, v in store.items()}
    position = np.empty(n_people, dtype=np.int64)
    position[order] = np.arange(n_people)
    twin_id = np.where(twin_id[order] >= 0, position[np.maximum(twin_id[order], 0)], -1)
    person_ids = np.array([f"P{i:07d}" for i in range(n_people)], dtype=object)

    # Submitted: people in the store, twins of store people who are not, and new people.
    n_in = int(n_submitted * IN_STORE)
    n_twin_alone = int(n_submitted * TWIN_ALONE)
    n_new = n_submitted - n_in - n_twin_alone
    chosen = rng.choice(n_people, n_in, replace=False)
    # Twins the school sends together, of whom the store holds one: siblings of students in
    # the store (and in the file) who have no twin in the store.
    singles = chosen[twin_id[chosen] < 0]
    alone_of = rng.choice(singles, n_twin_alone, replace=False)
    sent = _concat(
        _concat({k: v[chosen] for k, v in store.items()}, _twin_of(pop, store, alone_of)),
        pop.people(n_new),
    )
    truth = np.concatenate([chosen, np.full(n_submitted - n_in, -1)])
    sent_twin = np.concatenate([twin_id[chosen], alone_of, np.full(n_new, -1)])
    order = rng.permutation(n_submitted)
    sent = {k: v[order] for k, v in sent.items()}
    truth, sent_twin = truth[order], sent_twin[order]

    rows, kinds = _perturb(pop, sent, NickNamer())
    store_ssn = rng.random(n_people) < SSN_STORE
    with people_path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(PEOPLE_COLUMNS)
        for i in range(n_people):
            writer.writerow(
                (
                    person_ids[i],
                    store["first_name"][i],
                    store["middle_name"][i],
                    store["last_name"][i],
                    _ymd(store["birth"][i]),
                    f"{int(store['ssn'][i]):09d}" if store_ssn[i] else "",
                    "F" if store["female"][i] else "M",
                    store["address"][i],
                    store["city"][i],
                    store["zip"][i],
                    person_ids[twin_id[i]] if twin_id[i] >= 0 else "",
                )
            )
    with submitted_path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(SUBMITTED_COLUMNS)
        for i, (row, kind) in enumerate(zip(rows, kinds, strict=True)):
            writer.writerow(
                (
                    f"S{i:07d}",
                    *(row[c] for c in PEOPLE_COLUMNS[1:-1]),
                    person_ids[sent_twin[i]] if sent_twin[i] >= 0 else "",
                    person_ids[truth[i]] if truth[i] >= 0 else "",
                    kind,
                )
            )
    return people_path, submitted_path


def describe() -> str:
    """The generator's rates, one line."""
    rates = ", ".join(f"{k} {v:.0%}" for k, v in RATES.items())
    return (
        f"{IN_STORE:.0%} of submitted in the store, {TWINS:.0%} of people twins, "
        f"{TWIN_ALONE:.0%} submitted twins (sent with their sibling) not in the store, {COMPOUND:.0%} compound surnames, "
        f"SSN {SSN_STORE:.0%} store / {SSN_SUBMITTED:.0%} submitted, {FIRST_NAME_POOL} first "
        f"names per gender; perturbations: {rates}"
    )
