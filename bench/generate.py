#!/usr/bin/env python3
"""Generate the benchmark data for satudata and its peers (issue 4).

Writes into the work directory (default /tmp/satudata-bench):

  valid.csv             --rows rows, 10 columns, no errors
  invalid.csv           the same rows with --errors injected errors (one per affected row)
  standard.json         the satudata data standard (rules below)
  schema.json           the Frictionless Table Schema expressing the SAME rules
  jsonschema.json       the same rules as a JSON Schema, for `qsv validate` (when qsv is there)
  meta.json             rows, bytes, seed and the injected errors per kind

Everything is derived from --seed, so two runs with the same arguments write the same bytes.

Columns and rules (identical in the standard, the Table Schema and the JSON Schema):

  id               integer   required, unique
  tahun            year      required, 1900..2100
  jumlah           integer   required, >= 0
  nilai            number    required, >= 0          (two decimals, dot as decimal mark)
  rasio            number    required, 0..1          (four decimals)
  tanggal_mulai    date      required                (ISO yyyy-mm-dd)
  tanggal_selesai  date      optional
  kode             string    required, one of 500 codes K001..K500
  nama             string    required, at most 60 characters
  keterangan       string    optional, at most 100 characters

Injected error kinds (cycled, each on its own row, rows never adjacent):

  id-duplicate      id repeats the previous row's id      unique-error
  tahun-range       year 1850 or 2150                     constraint-error (min/max)
  jumlah-type       "abc"                                 type-error
  nilai-type        "tidak ada"                           type-error
  rasio-range       "1.5000"                              constraint-error (max)
  tanggal-type      "2023-02-30" (no such day)            type-error
  kode-enum         "K999"                                constraint-error (enum)
  nama-required     empty                                 constraint-error (required)
  nama-length       70 characters                         constraint-error (max length)
  selesai-type      "31-31-2023"                          type-error

The --big mode of run.sh uses --repeat: the first block of --rows rows is generated once and then
written --repeat times with new ids, which is fast enough to make a 10 GB file in a few minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys

HEADER = [
    "id",
    "tahun",
    "jumlah",
    "nilai",
    "rasio",
    "tanggal_mulai",
    "tanggal_selesai",
    "kode",
    "nama",
    "keterangan",
]

CODES = [f"K{n:03d}" for n in range(1, 501)]

JENIS = ["Sekolah", "Puskesmas", "Pasar", "Kantor", "Taman", "Posyandu", "Masjid", "Gereja", "Balai", "Klinik"]
SIFAT = ["Negeri", "Swasta", "Terpadu", "Utama", "Baru", "Lama", "Pusat", "Kota", "Raya", "Indah"]
TEMPAT = [
    "Pontianak", "Sungai Jawi", "Siantan", "Tanjung Hulu", "Parit Tokaya", "Benua Melayu",
    "Tambelan", "Sungai Bangkong", "Kota Baru", "Bansir", "Batu Layang", "Dalam Bugis",
]
CATATAN = [
    "", "baik", "perlu perbaikan", "rusak ringan", "rusak berat", "dalam pembangunan",
    "data lapangan", "hasil survei", "laporan triwulan", "verifikasi ulang",
]

ERROR_KINDS = [
    "id-duplicate",
    "tahun-range",
    "jumlah-type",
    "nilai-type",
    "rasio-range",
    "tanggal-type",
    "kode-enum",
    "nama-required",
    "nama-length",
    "selesai-type",
]


def standard() -> dict:
    return {
        "id": "bench-sepuluh-kolom",
        "nama": "Tolok ukur sepuluh kolom",
        "versi": "1.0",
        "deskripsi": "Standar untuk tolok ukur satudata (issue 4): sepuluh kolom, aturan sama dengan schema.json (Frictionless).",
        "kolom": [
            {"nama": "id", "tipe_data": "integer", "aturan_validasi": {"wajib": True, "unik": True}},
            {"nama": "tahun", "tipe_data": "year", "aturan_validasi": {"wajib": True, "minimum": 1900, "maksimum": 2100}},
            {"nama": "jumlah", "tipe_data": "integer", "aturan_validasi": {"wajib": True, "minimum": 0}},
            {"nama": "nilai", "tipe_data": "number", "aturan_validasi": {"wajib": True, "minimum": 0}},
            {"nama": "rasio", "tipe_data": "number", "aturan_validasi": {"wajib": True, "minimum": 0, "maksimum": 1}},
            {"nama": "tanggal_mulai", "tipe_data": "date", "aturan_validasi": {"wajib": True}},
            {"nama": "tanggal_selesai", "tipe_data": "date"},
            {"nama": "kode", "tipe_data": "string", "aturan_validasi": {"wajib": True, "enum": CODES}},
            {"nama": "nama", "tipe_data": "string", "aturan_validasi": {"wajib": True, "panjang_maksimum": 60}},
            {"nama": "keterangan", "tipe_data": "string", "aturan_validasi": {"panjang_maksimum": 100}},
        ],
    }


def table_schema() -> dict:
    """Frictionless Table Schema with the same rules as standard()."""
    return {
        "fields": [
            {"name": "id", "type": "integer", "constraints": {"required": True, "unique": True}},
            {"name": "tahun", "type": "year", "constraints": {"required": True, "minimum": 1900, "maximum": 2100}},
            {"name": "jumlah", "type": "integer", "constraints": {"required": True, "minimum": 0}},
            {"name": "nilai", "type": "number", "constraints": {"required": True, "minimum": 0}},
            {"name": "rasio", "type": "number", "constraints": {"required": True, "minimum": 0, "maximum": 1}},
            {"name": "tanggal_mulai", "type": "date", "constraints": {"required": True}},
            {"name": "tanggal_selesai", "type": "date"},
            {"name": "kode", "type": "string", "constraints": {"required": True, "enum": CODES}},
            {"name": "nama", "type": "string", "constraints": {"required": True, "maxLength": 60}},
            {"name": "keterangan", "type": "string", "constraints": {"maxLength": 100}},
        ],
        "missingValues": [""],
    }


def json_schema() -> dict:
    """The same rules as a JSON Schema, the form `qsv validate` takes.

    qsv casts each cell to the first JSON type listed; empty cells of optional columns are null.
    Uniqueness of one column across rows cannot be said in JSON Schema, so qsv does not check it.
    """
    date = {"type": "string", "format": "date"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "bench-sepuluh-kolom",
        "type": "object",
        "required": HEADER[:6] + ["kode", "nama"],
        "properties": {
            "id": {"type": "integer"},
            "tahun": {"type": "integer", "minimum": 1900, "maximum": 2100},
            "jumlah": {"type": "integer", "minimum": 0},
            "nilai": {"type": "number", "minimum": 0},
            "rasio": {"type": "number", "minimum": 0, "maximum": 1},
            "tanggal_mulai": date,
            "tanggal_selesai": {"type": ["string", "null"], "format": "date"},
            "kode": {"type": "string", "enum": CODES},
            "nama": {"type": "string", "minLength": 1, "maxLength": 60},
            "keterangan": {"type": ["string", "null"], "maxLength": 100},
        },
    }


def make_rows(rng: random.Random, rows: int) -> list[list[str]]:
    """Rows as lists of cell text (valid). id is 1-based row number."""
    base = dt.date(2000, 1, 1).toordinal()
    out = []
    randint = rng.randint
    rand = rng.random
    choice = rng.choice
    for i in range(rows):
        start = base + randint(0, 9000)
        end = start + randint(0, 365)
        nama = f"{choice(JENIS)} {choice(SIFAT)} {choice(TEMPAT)} {randint(1, 99)}"
        out.append(
            [
                str(i + 1),
                str(randint(1900, 2100)),
                str(randint(0, 99999)),
                f"{randint(0, 9999999) / 100:.2f}",
                f"{rand():.4f}",
                dt.date.fromordinal(start).isoformat(),
                dt.date.fromordinal(end).isoformat(),
                choice(CODES),
                nama,
                choice(CATATAN),
            ]
        )
    return out


def inject(rng: random.Random, rows: list[list[str]], errors: int) -> dict[str, int]:
    """Put `errors` errors into `rows` (in place): one per row, rows at even indexes >= 2."""
    candidates = range(2, len(rows), 2)
    errors = min(errors, len(candidates))
    chosen = sorted(rng.sample(candidates, errors))
    kinds: dict[str, int] = {k: 0 for k in ERROR_KINDS}
    for n, r in enumerate(chosen):
        kind = ERROR_KINDS[n % len(ERROR_KINDS)]
        row = rows[r]
        if kind == "id-duplicate":
            row[0] = rows[r - 1][0]
        elif kind == "tahun-range":
            row[1] = rng.choice(["1850", "2150"])
        elif kind == "jumlah-type":
            row[2] = "abc"
        elif kind == "nilai-type":
            row[3] = "tidak ada"
        elif kind == "rasio-range":
            row[4] = "1.5000"
        elif kind == "tanggal-type":
            row[5] = "2023-02-30"
        elif kind == "kode-enum":
            row[7] = "K999"
        elif kind == "nama-required":
            row[8] = ""
        elif kind == "nama-length":
            row[8] = "Nama yang terlalu panjang untuk kolom ini " + "x" * 28
        elif kind == "selesai-type":
            row[6] = "31-31-2023"
        kinds[kind] += 1
    return kinds


def write_csv(path: str, rows: list[list[str]], repeat: int) -> int:
    """Write header + rows, `repeat` times with ids shifted by len(rows) per block. Returns bytes."""
    n = len(rows)
    header = ",".join(HEADER) + "\n"
    # The tail of each row (everything after the id) is joined once; blocks only change the id.
    ids = [int(r[0]) for r in rows]
    tails = ["," + ",".join(r[1:]) + "\n" for r in rows]
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(header)
        written += len(header)
        for block in range(repeat):
            shift = block * n
            chunk = []
            size = 0
            for k in range(n):
                line = f"{ids[k] + shift}{tails[k]}"
                chunk.append(line)
                size += len(line)
                if len(chunk) == 65536:
                    f.write("".join(chunk))
                    chunk = []
            f.write("".join(chunk))
            written += size
    return written


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000, help="rows per block (default 1,000,000)")
    p.add_argument("--errors", type=int, default=1000, help="errors injected into invalid.csv (default 1000)")
    p.add_argument("--seed", type=int, default=20240404)
    p.add_argument("--out", default="/tmp/satudata-bench", help="work directory")
    p.add_argument("--repeat", type=int, default=1, help="write the valid block N times (big mode)")
    p.add_argument("--big-name", default="big.csv", help="file name for --repeat > 1")
    p.add_argument("--only-big", action="store_true", help="write only the repeated valid file")
    a = p.parse_args()
    if a.rows < 20:
        p.error("--rows must be at least 20")
    os.makedirs(a.out, exist_ok=True)
    rng = random.Random(a.seed)
    rows = make_rows(rng, a.rows)

    def dump(name: str, obj: dict) -> None:
        with open(os.path.join(a.out, name), "w", encoding="utf-8") as f:
            json.dump(obj, f, indent=2, ensure_ascii=False)
            f.write("\n")

    if a.only_big:
        size = write_csv(os.path.join(a.out, a.big_name), rows, a.repeat)
        print(f"{a.big_name}: {a.rows * a.repeat} rows, {size} bytes", file=sys.stderr)
        return 0

    dump("standard.json", standard())
    dump("schema.json", table_schema())
    dump("jsonschema.json", json_schema())
    valid_bytes = write_csv(os.path.join(a.out, "valid.csv"), rows, 1)
    kinds = inject(random.Random(a.seed + 1), rows, min(a.errors, a.rows // 10))
    invalid_bytes = write_csv(os.path.join(a.out, "invalid.csv"), rows, 1)
    meta = {
        "seed": a.seed,
        "rows": a.rows,
        "columns": len(HEADER),
        "valid_bytes": valid_bytes,
        "invalid_bytes": invalid_bytes,
        "injected_errors": sum(kinds.values()),
        "injected_by_kind": kinds,
    }
    dump("meta.json", meta)
    print(json.dumps(meta), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
