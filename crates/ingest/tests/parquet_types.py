#!/usr/bin/env python3
"""Writes one Parquet file per Arrow type, the way pyarrow and pandas write them.

Usage: parquet_types.py OUTDIR

Each file holds one column named after its type (`int8.parquet` has the column `int8`), except
`pandas_*.parquet`, which pandas writes from a DataFrame. `crates/ingest/tests/parquet_types.rs`
runs this at test time and checks the text satudata reads from each file.
"""

import datetime as dt
import decimal
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

D = decimal.Decimal
# 2024-08-17 03:00 UTC is 10:00 in Jakarta (+07:00); 2024-08-16 17:00 UTC is its midnight.
MORNING = dt.datetime(2024, 8, 17, 3, 0, tzinfo=dt.timezone.utc)
JAKARTA_MIDNIGHT = dt.datetime(2024, 8, 16, 17, 0, tzinfo=dt.timezone.utc)


def columns():
    """(name, pyarrow array) for each file written by pyarrow alone."""
    for width in (8, 16, 32, 64):
        lo, hi = -(2 ** (width - 1)), 2 ** (width - 1) - 1
        yield f"int{width}", pa.array([lo, 0, hi, None], pa.int64()).cast(getattr(pa, f"int{width}")())
        yield f"uint{width}", pa.array([0, 7, 2**width - 1, None], getattr(pa, f"uint{width}")())
    yield "float16", pa.array(np.array([150.0, 1.5, -0.25], dtype=np.float16))
    yield "float32", pa.array([150.0, 0.1, -2.5, None], pa.float32())
    yield "float64", pa.array([150.0, 0.1, 1e20, float("nan"), None], pa.float64())
    yield "decimal128", pa.array([D("12.50"), D("-0.05"), D("100.00"), None], pa.decimal128(5, 2))
    yield "decimal128_scale0", pa.array([D("12345678901234567890"), None], pa.decimal128(20, 0))
    yield "decimal256", pa.array([D("1234567890123456789012345678901234567890.125"), None], pa.decimal256(43, 3))
    yield "bool", pa.array([True, False, None])
    yield "date32", pa.array([dt.date(2024, 8, 17), dt.date(1945, 8, 17), None], pa.date32())
    yield "date64", pa.array([dt.date(2024, 8, 17), None], pa.date64())
    yield "timestamp_s", pa.array([dt.datetime(2024, 8, 17), dt.datetime(2024, 8, 17, 10, 30), None], pa.timestamp("s"))
    yield "timestamp_ms", pa.array([dt.datetime(2024, 8, 17, 10, 30, 0, 250000)], pa.timestamp("ms"))
    yield "timestamp_us", pa.array([dt.datetime(2024, 8, 17, 0, 0, 0, 1)], pa.timestamp("us"))
    yield "timestamp_ns", pa.array([dt.datetime(2024, 8, 17)], pa.timestamp("ns"))
    for name, zone in (("offset", "+07:00"), ("jakarta", "Asia/Jakarta"), ("utc", "UTC")):
        yield f"timestamp_{name}", pa.array([JAKARTA_MIDNIGHT, MORNING, None], pa.timestamp("us", tz=zone))
    yield "time32_s", pa.array([dt.time(10, 30), None], pa.time32("s"))
    yield "time32_ms", pa.array([dt.time(10, 30, 0, 500000)], pa.time32("ms"))
    yield "time64_us", pa.array([dt.time(7, 5, 9)], pa.time64("us"))
    yield "time64_ns", pa.array([dt.time(23, 59, 59, 999999)], pa.time64("ns"))
    strings = ["  Pontianak Kota ", "", None, "Pontianak Barat"]
    yield "string", pa.array(strings, pa.string())
    yield "large_string", pa.array(strings, pa.large_string())
    yield "string_view", pa.array(strings, pa.string_view())
    yield "dictionary", pa.array(strings * 3, pa.string()).dictionary_encode()
    yield "null", pa.nulls(3)
    # Types satudata cannot read as text.
    yield "list", pa.array([[1, 2], None], pa.list_(pa.int64()))
    yield "struct", pa.array([{"a": 1}, None], pa.struct([("a", pa.int64())]))
    yield "binary", pa.array([b"\x00\x01", None], pa.binary())
    yield "duration", pa.array([dt.timedelta(hours=1), None], pa.duration("s"))


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, array in columns():
        pq.write_table(pa.table({name: array}), out / f"{name}.parquet")
    # pandas writes a date column as midnight timestamps, and a category column as a dictionary.
    pd.DataFrame({"tanggal": pd.to_datetime(["2024-08-17", "2024-08-18", None])}).to_parquet(
        out / "pandas_dates.parquet"
    )
    pd.DataFrame({"kecamatan": pd.Categorical(["Pontianak Kota", "Pontianak Barat", "Pontianak Kota"])}).to_parquet(
        out / "pandas_category.parquet"
    )
    pd.DataFrame({"jumlah": [150.0, float("nan"), 2.5]}).to_parquet(out / "pandas_floats.parquet")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
