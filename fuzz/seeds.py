#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora from tests/fixtures (run by fuzz/run.sh).

Usage: seeds.py CORPUS_DIR

Each target gets CORPUS_DIR/<target>/: the fixture files of its format, each prefixed with the
option byte the target reads first (see fuzz/fuzz_targets/*.rs), and for Parquet small files
written here with pyarrow, one a type pandas, pyarrow, Polars and DuckDB write. Rule seeds are
the consistency rules (`aturan_konsistensi`) of the standards and the row-constraint formulas of
the checklists under tests/fixtures and sample_data.
"""

import datetime
import decimal
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"

# The workbook target's first byte: its low two bits pick the kind.
WORKBOOK_KIND = {".xlsx": 0, ".xls": 1, ".xlsb": 2, ".ods": 3}


def write(directory, name, data):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data)


def delimited(out):
    files = sorted(FIXTURES.rglob("*.csv")) + sorted((ROOT / "sample_data").rglob("*.csv"))
    for i, path in enumerate(files):
        # Option byte 0: everything sniffed, default batches; 0x10: one-byte batches.
        for option in (0x00, 0x10):
            write(out, f"{i:03}-{option:02x}-{path.name}", bytes([option]) + path.read_bytes())


def workbooks(out):
    for i, path in enumerate(sorted(FIXTURES.rglob("*"))):
        kind = WORKBOOK_KIND.get(path.suffix)
        if kind is not None:
            write(out, f"{i:03}-{path.name}", bytes([kind]) + path.read_bytes())
            # Bit 7 without bit 2: the plain layout of Frictionless mode.
            write(out, f"{i:03}-plain-{path.name}", bytes([kind | 0x80]) + path.read_bytes())


def json_records(out):
    files = [p for p in sorted(FIXTURES.rglob("*.json")) if "snapshots" not in p.parts]
    for i, path in enumerate(files):
        write(out, f"{i:03}-{path.name}", b"\x00" + path.read_bytes())
    write(out, "nested.json", b'\x00{"data": [{"a": 1, "b": [1, 2], "c": {"d": null}}, {"a": "x"}]}')


def parquet(out):
    import pyarrow as pa
    import pyarrow.parquet as pq

    tz = datetime.timezone(datetime.timedelta(hours=7))
    columns = {
        "teks": pa.array(["a", None, "Pontianak"]),
        "kamus": pa.array(["x", "y", "x"]).dictionary_encode(),
        "besar": pa.array(["a", "b", None], type=pa.large_string()),
        "i8": pa.array([1, -2, None], type=pa.int8()),
        "u64": pa.array([0, 2**64 - 1, None], type=pa.uint64()),
        "f32": pa.array([1.5, None, float("nan")], type=pa.float32()),
        "desimal": pa.array([decimal.Decimal("1.25"), None, decimal.Decimal("-3.50")], type=pa.decimal128(9, 2)),
        "tanggal": pa.array([datetime.date(2024, 8, 17), None, datetime.date(1, 1, 1)], type=pa.date32()),
        "waktu": pa.array([datetime.datetime(2024, 8, 17, 0, 0, tzinfo=tz), None, None], type=pa.timestamp("us", tz="Asia/Jakarta")),
        "ya": pa.array([True, False, None]),
        "daftar": pa.array([[1, 2], None, []], type=pa.list_(pa.int32())),
    }
    for name, column in columns.items():
        path = out / f"{name}.parquet"
        out.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.table({name: column}), path, row_group_size=2)
    pq.write_table(pa.table(columns), out / "semua.parquet", compression="snappy", row_group_size=1)


def rules(out):
    formulas = []
    for path in sorted(list(FIXTURES.rglob("*.json")) + list((ROOT / "sample_data").rglob("*.json"))):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        if not isinstance(doc, dict):
            continue
        # Option byte "0": a Satu Data rumus; "1": a Frictionless row constraint.
        formulas += [("0", r["rumus"]) for r in doc.get("aturan_konsistensi", []) if "rumus" in r]
        formulas += [("1", c["formula"]) for c in doc.get("checks", []) if "formula" in c]
    formulas += [("0", "persen between 0 and 100"), ("0", "not (jumlah < 0 or tahun > 2100)")]
    for i, (syntax, formula) in enumerate(dict.fromkeys(formulas)):
        write(out, f"{i:03}", (syntax + formula).encode("utf-8"))


def main():
    out = pathlib.Path(sys.argv[1])
    delimited(out / "delimited")
    workbooks(out / "workbook")
    json_records(out / "json")
    parquet(out / "parquet")
    rules(out / "rules")
    for target in sorted(p for p in out.iterdir() if p.is_dir()):
        print(f"{target.name}: {sum(1 for _ in target.iterdir())} seeds")


if __name__ == "__main__":
    main()
