"""Name normalisation for matching: one example per rule (no optional dependency needed)."""

from __future__ import annotations

import numpy as np
import pytest
from match_extra import MATCH_EXTRA_MISSING

from edoutcomes.match import (
    NICKNAMES,
    canonical_first_names,
    fold,
    name_parts,
    normalise_name,
    normalise_names,
    normalise_suffix,
    split_suffix,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("smith", "SMITH"),
        ("José", "JOSE"),
        ("Müller", "MULLER"),
        ("Smith-Richards", "SMITHRICHARDS"),
        ("Smith Richards", "SMITHRICHARDS"),
        ("O'Brien", "OBRIEN"),
        ("de la Cruz", "DELACRUZ"),
        ("  ", None),
        (None, None),
    ],
)
def test_normalise_name(raw: str | None, expected: str | None) -> None:
    """Upper case, accents folded, punctuation and spaces removed; blank is missing."""
    assert expected == normalise_name(raw)


def test_hyphenated_equals_two_words() -> None:
    """SMITH-RICHARDS and SMITH RICHARDS normalise to the same surname."""
    assert normalise_name("SMITH-RICHARDS") == normalise_name("SMITH RICHARDS")


def test_fold_keeps_letters() -> None:
    """Folding removes diacritics only."""
    assert "RENEE ZOE" == fold("Renée Zoë")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("King Jr.", ("King", "JR")),
        ("King, Sr", ("King", "SR")),
        ("Vance III", ("Vance", "III")),
        ("Vance", ("Vance", None)),
        ("Jr", ("Jr", None)),
        (None, (None, None)),
    ],
)
def test_split_suffix(raw: str | None, expected: tuple[str | None, str | None]) -> None:
    """A trailing generational suffix is split off the last name (a lone one is a name)."""
    assert expected == split_suffix(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Jr.", "JR"), ("junior", "JR"), ("2nd", "II"), ("3RD", "III"), ("MD", None)],
)
def test_normalise_suffix(raw: str, expected: str | None) -> None:
    """Suffix spellings map to one form; anything else is not a suffix."""
    assert expected == normalise_suffix(raw)


def test_name_parts() -> None:
    """Multi-part surnames split into their words."""
    assert ("SMITH", "RICHARDS") == name_parts("Smith-Richards")


@pytest.mark.parametrize(
    ("nickname", "full"), [("BILL", "WILLIAM"), ("BOB", "ROBERT"), ("PEGGY", "MARGARET")]
)
def test_nicknames(nickname: str, full: str) -> None:
    """The nickname table maps common nicknames to the full first name."""
    assert full == NICKNAMES[nickname]
    assert [full, full] == canonical_first_names(np.array([nickname, full], dtype=object)).tolist()


def test_normalise_names_vectorised() -> None:
    """The array form agrees with the scalar form and keeps missing values."""
    raw = np.array(["Ann", None, "ann", "Zoë"], dtype=object)
    assert [normalise_name(v) for v in raw.tolist()] == normalise_names(raw).tolist()


@pytest.mark.match
def test_phonetic_codes() -> None:
    """Names that sound alike share a phonetic code (jellyfish Soundex)."""
    pytest.importorskip("jellyfish", reason=MATCH_EXTRA_MISSING)
    from edoutcomes.match import phonetic_codes

    codes = phonetic_codes(np.array(["SMITH", "SMYTHE", "JONES", None], dtype=object)).tolist()
    assert codes[0] == codes[1]
    assert codes[0] != codes[2]
    assert codes[3] is None
