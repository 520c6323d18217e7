"""Oregon's secure student id (SSID): ten digits, the last a mod-11 check digit."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["check_digit", "check_digits", "is_valid_ssid"]

#: Weights from the rightmost of the first nine digits leftwards.
_WEIGHTS = np.array([2, 3, 4, 5, 6, 7, 2, 3, 4], dtype=np.int64)
#: The same weights in reading order (leftmost digit first).
_READING = _WEIGHTS[::-1].copy()


def check_digit(base: str) -> int | None:
    """
    The check digit of a nine-digit SSID base; None when it would be 10 (never issued).

    Weights 2, 3, 4, 5, 6, 7, 2, 3, 4 apply from the rightmost digit leftwards;
    ``r`` is the weighted sum mod 11; the check is ``11 - r``, with 11 written 0.

    Raises:
        ValueError: If *base* is not nine digits.

    Examples:
        >>> check_digit("516192872")
        2
    """
    if len(base) != 9 or not base.isdigit():
        msg = "an SSID base must be 9 digits"
        raise ValueError(msg)
    total = int(np.dot(_READING, [int(c) for c in base]))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def is_valid_ssid(ssid: str) -> bool:
    """
    Whether *ssid* is ten digits whose last is the check digit of the first nine.

    Examples:
        >>> is_valid_ssid("5161928722"), is_valid_ssid("5161928723"), is_valid_ssid("51619287")
        (True, False, False)
    """
    if len(ssid) != 10 or not ssid.isdigit():
        return False
    return check_digit(ssid[:9]) == int(ssid[9])


def check_digits(ssids: NDArray[np.object_]) -> tuple[NDArray[np.bool_], NDArray[np.int64]]:
    """
    Vectorised check of many SSIDs: (passes, expected check digit).

    The expected digit is -1 for a value that is not ten digits, 10 for a base that is
    never issued.

    Examples:
        >>> ok, want = check_digits(np.array(["5161928722", "5161928720", "12"], dtype=object))
        >>> ok.tolist(), want.tolist()
        ([True, False, False], [2, 2, -1])
    """
    texts = [str(x) for x in ssids.tolist()]
    well_formed = np.array([len(t) == 10 and t.isdigit() and t.isascii() for t in texts], bool)
    n = len(texts)
    expected = np.full(n, -1, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    good = np.flatnonzero(well_formed)
    if len(good):
        joined = "".join(texts[i] for i in good.tolist()).encode("ascii")
        digits = (np.frombuffer(joined, dtype=np.uint8).reshape(-1, 10) - ord("0")).astype(np.int64)
        check = 11 - (digits[:, :9] @ _READING) % 11
        check[check == 11] = 0
        expected[good] = check
        ok[good] = check == digits[:, 9]
    return ok, expected
