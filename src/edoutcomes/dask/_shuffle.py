"""Dask dataframes in any order, numbered by row and shuffled into partitions by student."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import InvalidArgumentError
from ._partitions import BUCKET, ROW, hash_buckets, require_dask

__all__ = ["shuffled_parts"]


def _number(
    frame: Any, offsets: Sequence[int], n_buckets: int, key: str, partition_info: Any = None
) -> Any:
    """One input partition with each row's global position and its student's bucket."""
    import numpy as np

    start = offsets[partition_info["number"]] if partition_info else 0
    ids = frame[key].to_numpy(dtype=object)
    return frame.assign(
        **{
            ROW: np.arange(start, start + len(frame), dtype=np.int64),
            BUCKET: hash_buckets(ids, n_buckets),
        }
    )


def shuffled_parts(
    frames: Sequence[Any], n_buckets: int, key: str = "requester_id"
) -> list[list[Any]]:
    """
    For each dask dataframe, its *n_buckets* delayed partitions after a shuffle by bucket.

    The same bucket lands in the same partition number in every frame (one hash of the
    bucket number), so partition ``k`` of each frame holds the same students.
    """
    require_dask()
    import numpy as np

    if n_buckets < 1:
        msg = f"{n_buckets=} must be at least 1"
        raise InvalidArgumentError(msg)
    out = []
    for frame in frames:
        if key not in frame.columns:
            msg = f"a dask dataframe has no {key} column"
            raise InvalidArgumentError(msg)
        lengths = frame.map_partitions(len).compute()
        offsets = [0, *np.cumsum(list(lengths)).tolist()][:-1]
        meta = frame._meta.assign(**{ROW: np.int64(0), BUCKET: np.int64(0)})
        numbered = frame.map_partitions(_number, offsets, n_buckets, key, meta=meta)
        out.append(list(numbered.shuffle(on=BUCKET, npartitions=n_buckets).to_delayed()))
    return out
