"""Name normalisation for matching: nicknames, phonetic codes, and the core rules over arrays."""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Mapping
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from .._kernel._names import normalise_name
from .._kernel._optional import require

__all__ = [
    "NICKNAMES",
    "canonical_first_names",
    "map_unique",
    "nickname_groups",
    "normalise_names",
    "phonetic_codes",
]

_NICKNAME_GROUPS: dict[str, tuple[str, ...]] = {
    "ABIGAIL": ("ABBY", "ABBIE", "GAIL"),
    "ALBERT": ("AL", "BERT", "BERTIE"),
    "ALEXANDER": ("ALEX", "AL", "SANDY", "XANDER"),
    "ALEXANDRA": ("ALEX", "ALEXA", "SANDRA", "SANDY", "LEXI"),
    "ANDREW": ("ANDY", "DREW"),
    "ANTHONY": ("TONY",),
    "BARBARA": ("BARB", "BABS"),
    "BENJAMIN": ("BEN", "BENNY", "BENJI"),
    "CATHERINE": ("CATHY", "CATE", "KATE", "KATIE", "CAT"),
    "CHARLES": ("CHARLIE", "CHUCK", "CHAS"),
    "CHRISTOPHER": ("CHRIS", "KIT", "TOPHER"),
    "CHRISTINE": ("CHRIS", "CHRISSY", "TINA"),
    "DANIEL": ("DAN", "DANNY"),
    "DAVID": ("DAVE", "DAVEY"),
    "DEBORAH": ("DEB", "DEBBIE", "DEBBY"),
    "DONALD": ("DON", "DONNIE"),
    "DOROTHY": ("DOT", "DOTTIE", "DOTTY"),
    "EDWARD": ("ED", "EDDIE", "NED", "TED", "TEDDY"),
    "ELIZABETH": ("LIZ", "LIZZY", "BETH", "BETSY", "BETTY", "ELIZA", "LISA", "LIBBY"),
    "EUGENE": ("GENE",),
    "FREDERICK": ("FRED", "FREDDIE", "FREDDY"),
    "GREGORY": ("GREG",),
    "HENRY": ("HANK", "HARRY"),
    "JACOB": ("JAKE",),
    "JAMES": ("JIM", "JIMMY", "JAMIE"),
    "JENNIFER": ("JEN", "JENNY", "JENNI"),
    "JESSICA": ("JESS", "JESSIE"),
    "JOHN": ("JACK", "JOHNNY", "JON"),
    "JONATHAN": ("JON", "JONNY", "NATHAN"),
    "JOSEPH": ("JOE", "JOEY"),
    "JOSHUA": ("JOSH",),
    "KATHERINE": ("KATHY", "KATE", "KATIE", "KAT", "KAY", "KITTY"),
    "KENNETH": ("KEN", "KENNY"),
    "LAWRENCE": ("LARRY",),
    "LEONARD": ("LEN", "LENNY", "LEO"),
    "MARGARET": ("MAGGIE", "MEG", "PEGGY", "MARGE", "MADGE"),
    "MATTHEW": ("MATT", "MATTY"),
    "MICHAEL": ("MIKE", "MIKEY", "MICK", "MICKEY"),
    "NATHANIEL": ("NATE", "NAT", "NATHAN"),
    "NICHOLAS": ("NICK", "NICKY", "NICO"),
    "PATRICIA": ("PAT", "PATTY", "TRISH", "TRICIA"),
    "PATRICK": ("PAT", "PADDY"),
    "PETER": ("PETE",),
    "PHILIP": ("PHIL",),
    "RAYMOND": ("RAY",),
    "REBECCA": ("BECKY", "BECCA"),
    "RICHARD": ("RICK", "RICKY", "RICH", "DICK", "RICHIE"),
    "ROBERT": ("BOB", "BOBBY", "ROB", "ROBBIE", "BERT"),
    "RONALD": ("RON", "RONNIE"),
    "SAMANTHA": ("SAM", "SAMMY"),
    "SAMUEL": ("SAM", "SAMMY"),
    "STEPHEN": ("STEVE", "STEVIE"),
    "STEVEN": ("STEVE", "STEVIE"),
    "SUSAN": ("SUE", "SUSIE", "SUZY"),
    "THEODORE": ("TED", "TEDDY", "THEO"),
    "THOMAS": ("TOM", "TOMMY"),
    "TIMOTHY": ("TIM", "TIMMY"),
    "VICTORIA": ("VICKY", "TORI"),
    "WILLIAM": ("BILL", "BILLY", "WILL", "WILLIE", "LIAM"),
    "ZACHARY": ("ZACH", "ZACK"),
}


def _nickname_table() -> dict[str, str]:
    # A nickname shared by several names (PAT, CHRIS, SAM) maps to the first one alphabetically,
    # so both PATRICIA and PATRICK meet PAT under one canonical form.
    table: dict[str, str] = {}
    for name in sorted(_NICKNAME_GROUPS):
        for nickname in _NICKNAME_GROUPS[name]:
            table.setdefault(nickname, name)
    for name in sorted(_NICKNAME_GROUPS):
        table.setdefault(name, name)
    # A full name that is also another's nickname (JON, NATHAN) keeps pointing at its group.
    return table


NICKNAMES: Mapping[str, str] = _nickname_table()
"""
Nickname -> the full first name it usually stands for (BILL -> WILLIAM); full names map to
themselves.

Examples:
    >>> NICKNAMES["BILL"], NICKNAMES["WILLIAM"]
    ('WILLIAM', 'WILLIAM')
"""


@functools.cache
def nickname_groups() -> Mapping[str, frozenset[str]]:
    """
    Every name of the ``nicknames`` package's table -> the full names it stands for (itself included).

    The table is the maintained, curated one on PyPI (English given names and their nicknames),
    read in both directions and one name to many: ``CHRIS`` stands for ``CHRISTINE``,
    ``CHRISTOPHER``, ``KRISTEN`` ...; ``WILLIAM`` for itself. Two first names are nicknames of
    each other when their sets meet (``BILL`` and ``WILL`` through ``WILLIAM``).

    Examples:
        >>> groups = nickname_groups()
        >>> {"CHRISTINE", "CHRISTOPHER"} <= groups["CHRIS"], groups["KATE"] >= {"KATHERINE"}
        (True, True)
    """
    package = require("nicknames", feature="nicknames for matching", extra="match")
    table: dict[str, set[str]] = {}
    for full, nicknames in package.NickNamer().nickname_lookup.items():
        name = normalise_name(full)
        if name is None:
            continue
        table.setdefault(name, set()).add(name)
        for nickname in nicknames:
            short = normalise_name(nickname)
            if short is not None:
                table.setdefault(short, {short}).add(name)
    return {name: frozenset(groups) for name, groups in table.items()}


def groups_of(table: Mapping[str, str | Collection[str]], name: str) -> frozenset[str]:
    """The full names *name* may stand for under *table* (a name -> full name(s) mapping), itself included."""
    value = table.get(name)
    if value is None:
        return frozenset((name,))
    if isinstance(value, str):
        return frozenset((name, value))
    return frozenset((name, *value))


def map_unique(values: NDArray[np.object_], function: Callable[[Any], Any]) -> NDArray[np.object_]:
    """
    Apply *function* once per distinct present value of *values*; missing stays None.

    Names repeat a lot, so this costs one call per distinct name, not per row.

    Examples:
        >>> map_unique(np.array(["a", "b", "a"], dtype=object), str.upper).tolist()
        ['A', 'B', 'A']
    """
    values = np.asarray(values, dtype=object)
    present = np.array([v is not None for v in values.tolist()], dtype=bool)
    out = np.empty(len(values), dtype=object)
    if present.any():
        distinct, inverse = np.unique(values[present].astype(str), return_inverse=True)
        mapped = np.empty(len(distinct), dtype=object)
        mapped[:] = [function(v) for v in distinct.tolist()]
        out[present] = mapped[inverse]
    return out


def normalise_names(values: NDArray[np.object_]) -> NDArray[np.object_]:
    """
    :func:`normalise_name` over an array (one call per distinct value).

    Examples:
        >>> normalise_names(np.array(["José", None, "jose"], dtype=object)).tolist()
        ['JOSE', None, 'JOSE']
    """
    return map_unique(values, normalise_name)


def canonical_first_names(
    values: NDArray[np.object_], nicknames: Mapping[str, str] = NICKNAMES
) -> NDArray[np.object_]:
    """
    Normalised first names with nicknames replaced by the full name (BILL -> WILLIAM).

    Examples:
        >>> canonical_first_names(np.array(["BILL", "WILLIAM", "ZED"], dtype=object)).tolist()
        ['WILLIAM', 'WILLIAM', 'ZED']
    """
    return map_unique(values, lambda v: nicknames.get(v, v))


def phonetic_codes(values: NDArray[np.object_]) -> NDArray[np.object_]:
    """
    Soundex codes of normalised names (jellyfish), one call per distinct name.

    Examples:
        >>> phonetic_codes(np.array(["SMITH", "SMYTHE", None], dtype=object)).tolist()
        ['S530', 'S530', None]
    """
    jellyfish = require("jellyfish", feature="phonetic blocking", extra="match")
    soundex = cast(Callable[[str], str], jellyfish.soundex)

    def code(value: str) -> str | None:
        letters = value if value.isalpha() else "".join(c for c in value if c.isalpha())
        return soundex(letters) if letters else None

    return map_unique(values, code)
