#!/usr/bin/env python3
"""Writes a region folder for the read-latency benchmark (bench/read_latency.sh).

    generate.py OUT --datasets 1000

OUT gets organizations.json (5 PDs), standards/bench-jumlah.json (one small standard with a
period column), datasets/bench-NNNN.json (one metadata file per dataset, spread over the PDs and
mostly `terbuka`), submissions/bench-NNNN.csv (a few rows each) and pipelines/bench-NNNN.toml (one
per dataset, period 2024). Deterministic: the same arguments write the same bytes.
"""

import argparse
import json
import os

ORGS = ["disdukcapil", "dinkes", "disdikbud", "bappeda", "diskominfo"]


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=2)
        f.write("\n")


def organizations():
    return [
        {
            "slug": slug,
            "nama": f"Perangkat Daerah {slug.capitalize()} Kota Uji",
            "singkatan": slug.capitalize(),
            "kode_wilayah": "61.71",
            "email": f"{slug}@uji.go.id",
        }
        for slug in ORGS
    ]


def standard():
    return {
        "id": "bench-jumlah",
        "nama": "Jumlah menurut Kecamatan (tolok ukur)",
        "versi": "1.0",
        "deskripsi": "Standar kecil untuk tolok ukur latensi baca: satu baris per kecamatan dan tahun.",
        "kunci_utama": ["tahun", "kecamatan"],
        "kolom_periode": "tahun",
        "kolom": [
            {
                "nama": "tahun",
                "alias": ["Tahun"],
                "konsep": "Tahun",
                "definisi": "Tahun pencatatan.",
                "tipe_data": "integer",
                "aturan_validasi": {"wajib": True, "minimum": 2000, "maksimum": 2100},
            },
            {
                "nama": "kecamatan",
                "alias": ["Kecamatan"],
                "konsep": "Kecamatan",
                "definisi": "Nama kecamatan.",
                "tipe_data": "string",
                "aturan_validasi": {"wajib": True},
            },
            {
                "nama": "jumlah",
                "alias": ["Jumlah"],
                "konsep": "Jumlah",
                "definisi": "Banyaknya yang dicatat.",
                "tipe_data": "integer",
                "ukuran": "jumlah",
                "satuan": "unit",
                "aturan_validasi": {"wajib": True, "minimum": 0},
            },
        ],
    }


def dataset(i):
    org = ORGS[i % len(ORGS)]
    return {
        "name": f"bench-{i:04d}",
        "title": f"Dataset tolok ukur nomor {i}",
        "description": f"Dataset buatan nomor {i} untuk mengukur latensi baca API satudata.",
        "organization": org,
        "topic": "Tolok Ukur",
        "tags": ["tolok-ukur"],
        "license": "cc-by",
        "frequency": "tahunan",
        "presentation_level": "kecamatan",
        "temporal_coverage": {"start": "2024", "end": "2024"},
        "spatial_coverage": "61.71",
        "maintainer": "Bidang Statistik",
        "maintainer_email": f"{org}@uji.go.id",
        "status_kerahasiaan": "terbuka",
        "standard": "bench-jumlah",
    }


def submission(i):
    lines = ["Tahun,Kecamatan,Jumlah"]
    for k in range(6):
        lines.append(f"2024,Kecamatan {k + 1},{(i * 7 + k * 13) % 1000}")
    return "\r\n".join(lines) + "\r\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--datasets", type=int, default=1000)
    a = p.parse_args()
    for sub in ["standards", "datasets", "submissions", "pipelines"]:
        os.makedirs(os.path.join(a.out, sub), exist_ok=True)
    write_json(os.path.join(a.out, "organizations.json"), organizations())
    write_json(os.path.join(a.out, "standards", "bench-jumlah.json"), standard())
    for i in range(1, a.datasets + 1):
        name = f"bench-{i:04d}"
        write_json(os.path.join(a.out, "datasets", f"{name}.json"), dataset(i))
        csv = os.path.join(a.out, "submissions", f"{name}.csv")
        with open(csv, "w", encoding="utf-8", newline="") as f:
            f.write(submission(i))
        org = ORGS[i % len(ORGS)]
        with open(os.path.join(a.out, "pipelines", f"{name}.toml"), "w", encoding="utf-8") as f:
            f.write(
                f'dataset = "{name}"\nperiod = "2024"\naccount = "produsen-{org}"\n\n'
                f'[source]\npath = "../submissions/{name}.csv"\n'
            )
    # The names, one a line, for the wrk script; and each with its PD and status, for the
    # recurring-feed switches the harness sets before publishing.
    with open(os.path.join(a.out, "names.txt"), "w", encoding="utf-8") as f:
        for i in range(1, a.datasets + 1):
            f.write(f"bench-{i:04d}\n")
    with open(os.path.join(a.out, "feeds.txt"), "w", encoding="utf-8") as f:
        for i in range(1, a.datasets + 1):
            d = dataset(i)
            f.write(f"{d['name']} {d['organization']} {d['status_kerahasiaan']}\n")


if __name__ == "__main__":
    main()
