"""Reads a published release the way other tools do; prints what they saw as JSON.

    python3 tests/release_readers.py package RELEASE   # Frictionless and pandas, given datapackage.json
    OLD_PYTHON tests/release_readers.py pyarrow RELEASE # every file, with an old pyarrow
    OLD_PYTHON tests/release_readers.py duckdb RELEASE  # both data files, with DuckDB

Used by tests/release_files.rs; the Rust test makes the assertions.
"""

import json
import sys
from pathlib import Path


def package(release: Path) -> dict:
    import pandas
    from frictionless import Package

    descriptor = release / "datapackage.json"
    pkg = Package(str(descriptor))
    rows = [dict(row) for row in pkg.get_resource("data").read_rows()]
    parquet_rows = [dict(row) for row in pkg.get_resource("data-parquet").read_rows()]
    fields = pkg.get_resource("data").schema.fields
    # pandas given the package's types: text fields as str, the rest guessed as pandas does.
    text = {f.name: str for f in fields if f.type == "string"}
    typed = pandas.read_csv(release / "data.csv", dtype=text, keep_default_na=False)
    guessed = pandas.read_csv(release / "data.csv")
    code = next(f.name for f in fields if f.name.startswith("kode"))
    return {
        "frictionless": [{k: str(v) if v is not None else None for k, v in r.items()} for r in rows],
        "frictionless_types": {k: type(v).__name__ for k, v in rows[0].items()},
        "parquet_rows": len(parquet_rows),
        "pandas_with_schema": [str(v) for v in typed[code]],
        "pandas_guessing": [str(v) for v in guessed[code]],
    }


def old_pyarrow(release: Path) -> dict:
    import pyarrow
    import pyarrow.csv
    import pyarrow.parquet

    descriptor = json.loads((release / "datapackage.json").read_text("utf-8"))
    fields = descriptor["resources"][0]["schema"]["fields"]
    text = {f["name"]: pyarrow.string() for f in fields if f["type"] == "string"}
    table = pyarrow.parquet.read_table(release / "data.parquet")
    csv = pyarrow.csv.read_csv(
        release / "data.csv",
        convert_options=pyarrow.csv.ConvertOptions(column_types=text, strings_can_be_null=False),
    )
    json_files = sorted(p.name for p in release.iterdir() if p.suffix in (".json", ".sig"))
    for name in json_files:
        json.loads((release / name).read_text("utf-8"))
    return {
        "pyarrow": pyarrow.__version__,
        "parquet_schema": {f.name: str(f.type) for f in table.schema},
        "parquet_rows": table.num_rows,
        "parquet_columns": {name: [str(v) for v in table.column(name).to_pylist()] for name in table.column_names},
        "csv_schema": {f.name: str(f.type) for f in csv.schema},
        "csv_codes": [str(v) for v in csv.column(1).to_pylist()],
        "json_files": json_files,
    }


def duckdb_reads(release: Path) -> dict:
    import duckdb

    descriptor = json.loads((release / "datapackage.json").read_text("utf-8"))
    fields = descriptor["resources"][0]["schema"]["fields"]
    text = {f["name"]: "VARCHAR" for f in fields if f["type"] == "string"}
    parquet = duckdb.read_parquet(str(release / "data.parquet"))
    csv = duckdb.read_csv(str(release / "data.csv"), dtype=text)
    guessed = duckdb.read_csv(str(release / "data.csv"))
    code = next(f["name"] for f in fields if f["name"].startswith("kode"))
    column = lambda rel: [str(r[0]) for r in rel.select(code).fetchall()]
    return {
        "duckdb": duckdb.__version__,
        "parquet_types": dict(zip(parquet.columns, map(str, parquet.dtypes))),
        "parquet_codes": column(parquet),
        "csv_codes": column(csv),
        "csv_guessing": column(guessed),
    }


READERS = {"package": package, "pyarrow": old_pyarrow, "duckdb": duckdb_reads}

if __name__ == "__main__":
    mode, release = sys.argv[1], Path(sys.argv[2])
    print(json.dumps(READERS[mode](release)))
