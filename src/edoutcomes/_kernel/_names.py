"""
Name normalisation the core needs: accents folded to ASCII, punctuation dropped, suffixes split off.

Standard library only, so the request writers and the matcher (the ``match`` extra) share one
definition of a normalised name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

__all__ = [
    "SUFFIXES",
    "fold",
    "name_parts",
    "normalise_name",
    "normalise_suffix",
    "split_suffix",
]

SUFFIXES: Mapping[str, str] = {
    "JR": "JR",
    "JNR": "JR",
    "JUNIOR": "JR",
    "SR": "SR",
    "SNR": "SR",
    "SENIOR": "SR",
    "II": "II",
    "2ND": "II",
    "III": "III",
    "3RD": "III",
    "IV": "IV",
    "4TH": "IV",
    "V": "V",
    "5TH": "V",
}
"""
Generational suffixes as written, mapped to one spelling (the value).

Examples:
    >>> SUFFIXES["JUNIOR"], SUFFIXES["3RD"]
    ('JR', 'III')
"""

_NOT_LETTER = re.compile(r"[^A-Z0-9]+")


def fold(value: str) -> str:
    """
    Upper-case *value* with accents folded to plain ASCII letters.

    Examples:
        >>> fold("José Núñez")
        'JOSE NUNEZ'
    """
    if value.isascii():
        return value.upper()
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def normalise_name(value: str | None) -> str | None:
    """
    One name as the matcher compares it: folded, upper case, only letters and digits.

    Hyphens, apostrophes and spaces inside a name are dropped, so a hyphenated and a
    two-word spelling of the same surname agree. A name with nothing left is missing.

    Examples:
        >>> normalise_name("Smith-Richards"), normalise_name("smith richards")
        ('SMITHRICHARDS', 'SMITHRICHARDS')
        >>> normalise_name("O'Brien"), normalise_name(" - ")
        ('OBRIEN', None)
    """
    if value is None:
        return None
    text = _NOT_LETTER.sub("", fold(value))
    return text or None


def name_parts(value: str | None) -> tuple[str, ...]:
    """
    The words of a multi-part name (hyphen or space separated), normalised.

    Examples:
        >>> name_parts("Smith-Richards")
        ('SMITH', 'RICHARDS')
    """
    if value is None:
        return ()
    return tuple(p for p in _NOT_LETTER.split(fold(value)) if p)


def normalise_suffix(value: str | None) -> str | None:
    """
    A generational suffix in one spelling (``Jr.`` -> ``JR``, ``3rd`` -> ``III``), else None.

    Examples:
        >>> normalise_suffix("Jr."), normalise_suffix("3rd"), normalise_suffix("Esq")
        ('JR', 'III', None)
    """
    text = normalise_name(value)
    return None if text is None else SUFFIXES.get(text)


def split_suffix(last_name: str | None) -> tuple[str | None, str | None]:
    """
    Split a trailing generational suffix off a last name.

    Examples:
        >>> split_suffix("King Jr."), split_suffix("Vance"), split_suffix("Jr")
        (('King', 'JR'), ('Vance', None), ('Jr', None))
    """
    if last_name is None:
        return None, None
    words = last_name.replace(",", " ").split()
    if len(words) > 1:
        suffix = normalise_suffix(words[-1])
        if suffix is not None:
            return " ".join(words[:-1]), suffix
    return last_name, None
