#!/usr/bin/env python3
"""Generate the satudata sample region (Kota Pontianak, 61.71).

Run from anywhere:  python3 sample_data/tools/generate.py /path/to/idn-area-data/package/data
The region codes come from the npm package idn-area-data 3.1.2 (data under ODbL 1.0).
Everything else (numbers, ids, NPSN, e-mails) is made up and deterministic (fixed seed).
"""
import csv
import json
import os
import random
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SD = os.path.join(ROOT, "sample_data")
AREA = sys.argv[1] if len(sys.argv) > 1 else "/tmp/package/data"
CITY = "61.71"


def wjson(rel, obj):
    path = os.path.join(SD, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write("\n")


def wcsv(rel, lines, encoding="utf-8", bom=False):
    """lines: list of already-formatted lines (no line terminator). CRLF like Excel."""
    path = os.path.join(SD, "submissions", rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = "\r\n".join(lines) + "\r\n"
    raw = data.encode(encoding)
    if bom:
        raw = b"\xef\xbb\xbf" + raw
    with open(path, "wb") as f:
        f.write(raw)


def csvline(fields, sep):
    out = []
    for v in fields:
        v = str(v)
        if sep in v or '"' in v or "\n" in v:
            v = '"' + v.replace('"', '""') + '"'
        out.append(v)
    return sep.join(out)


# ---------------------------------------------------------------- region
def read(name):
    with open(os.path.join(AREA, name), encoding="utf-8") as f:
        return list(csv.DictReader(f))


regency = [r for r in read("regencies.csv") if r["code"] == CITY]
assert len(regency) == 1 and regency[0]["name"] == "KOTA PONTIANAK"
districts = [r for r in read("districts.csv") if r["regency_code"] == CITY]
villages = [r for r in read("villages.csv") if r["code"].startswith(CITY + ".")]
assert len(districts) == 6, districts
districts.sort(key=lambda r: r["code"])
villages.sort(key=lambda r: r["code"])
KEC = {d["code"]: d["name"] for d in districts}

AREA_SUMBER = (
    "Kode dan nama wilayah Kemendagri (Kepmendagri tentang Pemberian dan Pemutakhiran Kode, "
    "Data Wilayah Administrasi Pemerintahan, dan Pulau), diambil dari paket npm idn-area-data 3.1.2 "
    "oleh Fityan (fityannugroho, https://github.com/fityannugroho/idn-area-data); data berlisensi "
    "Open Database License (ODbL) 1.0. Nama ditulis seperti pada sumber; nama kota ditulis "
    "'Kota Pontianak' (sumber: 'KOTA PONTIANAK')."
)

wjson("code_lists/wilayah-pontianak.json", {
    "id": "wilayah-pontianak",
    "nama": "Kode Wilayah Kota Pontianak (kota, kecamatan, kelurahan)",
    "sumber": AREA_SUMBER,
    "isian": [{"kode": CITY, "nilai": "Kota Pontianak"}]
    + [{"kode": d["code"], "nilai": d["name"]} for d in districts]
    + [{"kode": v["code"], "nilai": v["name"]} for v in villages],
})
wjson("code_lists/kecamatan-pontianak.json", {
    "id": "kecamatan-pontianak",
    "nama": "Kode Kecamatan di Kota Pontianak",
    "sumber": AREA_SUMBER,
    "isian": [{"kode": d["code"], "nilai": d["name"]} for d in districts],
})
wjson("code_lists/jenis-kelamin.json", {
    "id": "jenis-kelamin",
    "nama": "Jenis Kelamin",
    "sumber": "Kode yang lazim dipakai BPS (kuesioner sensus/survei) dan SIAK Dukcapil: 1 = Laki-laki, "
              "2 = Perempuan. Disusun untuk data contoh; cocokkan dengan rujukan resmi sebelum dipakai di produksi.",
    "isian": [{"kode": "1", "nilai": "Laki-laki"}, {"kode": "2", "nilai": "Perempuan"}],
})
wjson("code_lists/agama.json", {
    "id": "agama",
    "nama": "Agama dan Kepercayaan",
    "sumber": "Urutan kode agama pada SIAK Dukcapil Kemendagri (1 Islam s.d. 6 Khonghucu) ditambah "
              "7 = Kepercayaan terhadap Tuhan YME (putusan MK 97/PUU-XIV/2016). Disusun untuk data contoh; "
              "cocokkan dengan rujukan resmi Dukcapil sebelum dipakai di produksi.",
    "isian": [
        {"kode": "1", "nilai": "Islam"},
        {"kode": "2", "nilai": "Kristen"},
        {"kode": "3", "nilai": "Katolik"},
        {"kode": "4", "nilai": "Hindu"},
        {"kode": "5", "nilai": "Buddha"},
        {"kode": "6", "nilai": "Khonghucu"},
        {"kode": "7", "nilai": "Kepercayaan terhadap Tuhan YME"},
    ],
})
wjson("code_lists/jenjang-pendidikan.json", {
    "id": "jenjang-pendidikan",
    "nama": "Jenjang / Bentuk Pendidikan",
    "sumber": "Singkatan bentuk pendidikan seperti pada Dapodik Kemendikdasmen (dahulu Kemendikbudristek). "
              "Kode di sini adalah singkatan ringkas untuk data contoh, bukan kode numerik bentuk_pendidikan_id Dapodik.",
    "isian": [
        {"kode": "TK", "nilai": "Taman Kanak-kanak"},
        {"kode": "SD", "nilai": "Sekolah Dasar"},
        {"kode": "SMP", "nilai": "Sekolah Menengah Pertama"},
        {"kode": "SMA", "nilai": "Sekolah Menengah Atas"},
        {"kode": "SMK", "nilai": "Sekolah Menengah Kejuruan"},
        {"kode": "SLB", "nilai": "Sekolah Luar Biasa"},
    ],
})

# ---------------------------------------------------------------- organizations
wjson("organizations.json", [
    {"slug": "disdukcapil", "nama": "Dinas Kependudukan dan Pencatatan Sipil Kota Pontianak",
     "singkatan": "Disdukcapil", "kode_wilayah": CITY, "email": "disdukcapil@pontianak.go.id"},
    {"slug": "dinkes", "nama": "Dinas Kesehatan Kota Pontianak",
     "singkatan": "Dinkes", "kode_wilayah": CITY, "email": "dinkes@pontianak.go.id"},
    {"slug": "disdikbud", "nama": "Dinas Pendidikan dan Kebudayaan Kota Pontianak",
     "singkatan": "Disdikbud", "kode_wilayah": CITY, "email": "disdikbud@pontianak.go.id"},
    {"slug": "bappeda", "nama": "Badan Perencanaan Pembangunan Daerah Kota Pontianak",
     "singkatan": "Bappeda", "kode_wilayah": CITY, "email": "bappeda@pontianak.go.id"},
    {"slug": "diskominfo", "nama": "Dinas Komunikasi dan Informatika Kota Pontianak",
     "singkatan": "Diskominfo", "kode_wilayah": CITY, "email": "diskominfo@pontianak.go.id"},
])

# ---------------------------------------------------------------- master data
PUSK = [  # (kecamatan suffix, name)
    ("01", "Gang Sehat"), ("01", "Purnama"),
    ("02", "Kampung Dalam"), ("02", "Tanjung Hulu"), ("02", "Saigon"), ("02", "Parit Mayor"), ("02", "Banjar Serasan"),
    ("03", "Perumnas I"), ("03", "Perumnas II"), ("03", "Pal Tiga"), ("03", "Komyos Sudarso"),
    ("04", "Siantan Hulu"), ("04", "Siantan Tengah"), ("04", "Siantan Hilir"), ("04", "Khatulistiwa"), ("04", "Telaga Biru"),
    ("05", "Alianyang"), ("05", "Kampung Bali"), ("05", "Karya Mulia"),
    ("06", "Kampung Bangka"), ("06", "Paris II"),
]
puskesmas = []
cnt = {}
for k, name in PUSK:
    cnt[k] = cnt.get(k, 0) + 1
    puskesmas.append({
        "kode_puskesmas": f"P6171{k}02{cnt[k]:02d}",
        "nama_puskesmas": f"Puskesmas {name}",
        "kode_kecamatan": f"{CITY}.{k}",
    })
wjson("master_data/puskesmas.json", {
    "id": "puskesmas",
    "nama": "Data Induk Puskesmas Kota Pontianak",
    "sumber": "Data contoh. Nama mengikuti puskesmas yang ada di Kota Pontianak, tetapi kode puskesmas "
              "(pola P + 6171 + kode kecamatan + 02 + nomor urut) dan penempatan kecamatan bersifat ilustratif, "
              "bukan kode resmi Kemenkes. Kode kecamatan adalah kode Kemendagri yang sebenarnya.",
    "kunci": "kode_puskesmas",
    "baris": puskesmas,
})

SEKOLAH = [  # (npsn, nama, jenjang, kec, status)
    ("30100101", "TK Negeri Pembina Pontianak", "TK", "05", "Negeri"),
    ("30100102", "TK Aisyiyah Bustanul Athfal 1, Pontianak", "TK", "01", "Swasta"),
    ("30100201", "SD Negeri 01 Pontianak Selatan", "SD", "01", "Negeri"),
    ("30100202", "SD Negeri 14 Pontianak Timur", "SD", "02", "Negeri"),
    ("30100203", "SD Negeri 20 Pontianak Barat", "SD", "03", "Negeri"),
    ("30100204", "SD Negeri 11 Pontianak Utara", "SD", "04", "Negeri"),
    ("30100205", "SD Swasta Kristen Immanuel, Pontianak", "SD", "05", "Swasta"),
    ("30100206", "SD Islam Al-Azhar 21 Pontianak", "SD", "06", "Swasta"),
    ("30100301", "SMP Negeri 1 Pontianak", "SMP", "05", "Negeri"),
    ("30100302", "SMP Negeri 3 Pontianak", "SMP", "01", "Negeri"),
    ("30100303", "SMP Negeri 9 Pontianak", "SMP", "04", "Negeri"),
    ("30100304", "SMP Negeri 11 Pontianak", "SMP", "02", "Negeri"),
    ("30100305", "SMP Santo Fransiskus Asisi", "SMP", "06", "Swasta"),
    ("30100401", "SMA Negeri 1 Pontianak", "SMA", "05", "Negeri"),
    ("30100402", "SMA Negeri 3 Pontianak", "SMA", "01", "Negeri"),
    ("30100403", "SMA Negeri 5 Pontianak", "SMA", "03", "Negeri"),
    ("30100404", "SMA Santo Paulus, Pontianak", "SMA", "01", "Swasta"),
    ("30100501", "SMK Negeri 1 Pontianak", "SMK", "06", "Negeri"),
    ("30100502", "SMK Negeri 4 Pontianak", "SMK", "04", "Negeri"),
    ("30100503", "SMK Kesehatan Bhakti Husada, Pontianak", "SMK", "03", "Swasta"),
    ("30100601", "SLB Negeri 1 Pontianak", "SLB", "06", "Negeri"),
]
wjson("master_data/sekolah.json", {
    "id": "sekolah",
    "nama": "Data Induk Sekolah Kota Pontianak",
    "sumber": "Data contoh. Nama sekolah dibuat mirip sekolah di Kota Pontianak, tetapi NPSN (8 digit) bersifat "
              "ilustratif dan bukan NPSN resmi Dapodik Kemendikdasmen; jangan dipakai sebagai rujukan. "
              "Kode kecamatan adalah kode Kemendagri yang sebenarnya.",
    "kunci": "npsn",
    "baris": [{"npsn": n, "nama_sekolah": nm, "jenjang": j, "kode_kecamatan": f"{CITY}.{k}", "status": s}
              for n, nm, j, k, s in SEKOLAH],
})

# ---------------------------------------------------------------- standards
def col(nama, alias, konsep, definisi, tipe, **kw):
    c = {"nama": nama, "alias": alias, "konsep": konsep, "definisi": definisi, "tipe_data": tipe}
    c.update(kw)
    return c


TAHUN = col("tahun", ["Tahun"], "Tahun", "Tahun keadaan data (referensi waktu) dalam kalender Masehi.",
            "year", ukuran="tahun", satuan="tahun",
            aturan_validasi={"wajib": True, "minimum": 2000, "maksimum": 2100})

wjson("standards/penduduk-kelurahan-jenis-kelamin.json", {
    "id": "penduduk-kelurahan-jenis-kelamin",
    "nama": "Jumlah Penduduk menurut Kelurahan dan Jenis Kelamin",
    "versi": "1.0",
    "deskripsi": "Jumlah penduduk yang tercatat dalam data administrasi kependudukan (SIAK) per kelurahan "
                 "dan jenis kelamin pada akhir tahun (keadaan 31 Desember). Satu baris untuk setiap "
                 "kombinasi kelurahan dan jenis kelamin.",
    "kunci_utama": ["tahun", "kode_kelurahan", "jenis_kelamin"],
    "kolom_periode": "tahun",
    "kolom": [
        TAHUN,
        col("kode_kelurahan", ["Kode Kelurahan", "Kode Wilayah"], "Kelurahan",
            "Kode wilayah kelurahan menurut Kemendagri, 10 digit dengan titik (2.2.2.4), misalnya 61.71.01.1002.",
            "kode_wilayah", klasifikasi="wilayah-pontianak",
            aturan_validasi={"wajib": True, "tingkat_wilayah": "desa/kelurahan"}),
        col("jenis_kelamin", ["Jenis Kelamin", "JK"], "Jenis Kelamin",
            "Jenis kelamin penduduk menurut dokumen kependudukan, diisi dengan kode: 1 = Laki-laki, 2 = Perempuan.",
            "string", klasifikasi="jenis-kelamin", aturan_validasi={"wajib": True}),
        col("jumlah_penduduk", ["Jumlah Penduduk (jiwa)", "Jumlah Penduduk"], "Penduduk",
            "Banyaknya penduduk (WNI dan WNA yang memiliki dokumen kependudukan) yang berdomisili di kelurahan tersebut.",
            "integer", ukuran="jumlah", satuan="jiwa", aturan_validasi={"wajib": True, "minimum": 0}),
    ],
})

wjson("standards/kunjungan-puskesmas-bulanan.json", {
    "id": "kunjungan-puskesmas-bulanan",
    "nama": "Jumlah Kunjungan Pasien Puskesmas per Bulan",
    "versi": "1.0",
    "deskripsi": "Jumlah kunjungan pasien rawat jalan ke setiap puskesmas per bulan, beserta persentase "
                 "kunjungan oleh peserta Jaminan Kesehatan Nasional (JKN). Satu baris untuk setiap puskesmas dan bulan.",
    "kunci_utama": ["tahun", "bulan", "kode_puskesmas"],
    "kolom_periode": "tahun",
    "kolom": [
        TAHUN,
        col("bulan", ["Bulan"], "Bulan", "Bulan keadaan data, 1 = Januari sampai 12 = Desember.",
            "integer", ukuran="bulan", satuan="bulan", aturan_validasi={"wajib": True, "minimum": 1, "maksimum": 12}),
        col("kode_puskesmas", ["Kode Puskesmas"], "Puskesmas",
            "Kode puskesmas menurut Data Induk Puskesmas Kota Pontianak.",
            "string", data_induk={"id": "puskesmas", "kolom": "kode_puskesmas"}, aturan_validasi={"wajib": True}),
        col("jumlah_kunjungan", ["Jumlah Kunjungan", "Kunjungan \u2013 Total"], "Kunjungan Pasien",
            "Banyaknya kunjungan pasien (baru dan lama) ke pelayanan rawat jalan puskesmas selama bulan tersebut.",
            "integer", ukuran="jumlah", satuan="kunjungan", aturan_validasi={"wajib": True, "minimum": 0}),
        col("persentase_peserta_jkn", ["Persentase Peserta JKN (%)", "Persentase Peserta JKN"], "Peserta JKN",
            "Persentase kunjungan oleh peserta Jaminan Kesehatan Nasional terhadap seluruh kunjungan bulan tersebut.",
            "number", ukuran="persentase", satuan="persen",
            aturan_validasi={"wajib": True, "minimum": 0, "maksimum": 100}),
    ],
})

wjson("standards/sekolah-menurut-jenjang.json", {
    "id": "sekolah-menurut-jenjang",
    "nama": "Sekolah menurut Jenjang Pendidikan, Siswa, dan Guru",
    "versi": "1.0",
    "deskripsi": "Daftar sekolah di Kota Pontianak dengan jenjang, status, jumlah siswa, jumlah guru, dan rasio "
                 "siswa terhadap guru pada awal tahun ajaran. Satu baris untuk setiap sekolah (NPSN).",
    "aturan_konsistensi": [
        {"nama": "guru-tidak-melebihi-siswa", "rumus": "jumlah_guru <= jumlah_siswa"},
    ],
    "kolom": [
        col("npsn", ["NPSN"], "Nomor Pokok Sekolah Nasional",
            "NPSN sekolah, 8 digit, sesuai Data Induk Sekolah.", "string",
            data_induk={"id": "sekolah", "kolom": "npsn"}, aturan_validasi={"wajib": True, "unik": True}),
        col("nama_sekolah", ["Nama Sekolah"], "Nama Sekolah", "Nama resmi satuan pendidikan.", "string",
            aturan_validasi={"wajib": True}),
        col("jenjang", ["Jenjang", "Jenjang Pendidikan"], "Jenjang Pendidikan",
            "Jenjang/bentuk pendidikan, diisi dengan kode (TK, SD, SMP, SMA, SMK, SLB).", "string",
            klasifikasi="jenjang-pendidikan", aturan_validasi={"wajib": True}),
        col("kode_kecamatan", ["Kode Kecamatan"], "Kecamatan",
            "Kode wilayah kecamatan lokasi sekolah menurut Kemendagri (2.2.2), misalnya 61.71.05.", "kode_wilayah",
            klasifikasi="kecamatan-pontianak", aturan_validasi={"wajib": True, "tingkat_wilayah": "kecamatan"}),
        col("status", ["Status", "Status Sekolah"], "Status Sekolah",
            "Status penyelenggaraan sekolah: Negeri atau Swasta.", "string",
            aturan_validasi={"wajib": True, "enum": ["Negeri", "Swasta"]}),
        col("jumlah_siswa", ["Jumlah Siswa"], "Peserta Didik",
            "Banyaknya peserta didik terdaftar pada awal tahun ajaran.", "integer",
            ukuran="jumlah", satuan="orang", aturan_validasi={"wajib": True, "minimum": 0}),
        col("jumlah_guru", ["Jumlah Guru"], "Guru",
            "Banyaknya guru (PNS, PPPK, dan honorer) yang mengajar di sekolah tersebut.", "integer",
            ukuran="jumlah", satuan="orang", aturan_validasi={"wajib": True, "minimum": 0}),
        col("rasio_siswa_guru", ["Rasio Siswa/Guru", "Rasio Siswa Guru"], "Rasio Siswa terhadap Guru",
            "Jumlah siswa dibagi jumlah guru, dibulatkan dua angka desimal.", "number",
            ukuran="rasio", satuan="siswa per guru", aturan_validasi={"minimum": 0}),
    ],
})

# ---------------------------------------------------------------- datasets
wjson("datasets/jumlah-penduduk-kelurahan.json", {
    "name": "jumlah-penduduk-kelurahan",
    "title": "Jumlah Penduduk menurut Kelurahan dan Jenis Kelamin di Kota Pontianak",
    "description": "Jumlah penduduk Kota Pontianak per kelurahan dan jenis kelamin berdasarkan data "
                   "administrasi kependudukan (SIAK) keadaan akhir tahun. Data contoh untuk satudata.",
    "organization": "disdukcapil",
    "topic": "Kependudukan",
    "tags": ["penduduk", "kelurahan", "jenis kelamin", "adminduk"],
    "license": "cc-by",
    "frequency": "tahunan",
    "presentation_level": "desa/kelurahan",
    "temporal_coverage": {"start": "2024", "end": "2024"},
    "spatial_coverage": CITY,
    "maintainer": "Bidang Pengelolaan Informasi Administrasi Kependudukan",
    "maintainer_email": "disdukcapil@pontianak.go.id",
    "status_kerahasiaan": "terbuka",
    "reference": "https://dukcapil.kemendagri.go.id/",
    "standard": "penduduk-kelurahan-jenis-kelamin",
})
wjson("datasets/kunjungan-puskesmas.json", {
    "name": "kunjungan-puskesmas",
    "title": "Jumlah Kunjungan Pasien Puskesmas per Bulan di Kota Pontianak",
    "description": "Jumlah kunjungan rawat jalan per puskesmas per bulan dan persentase kunjungan peserta JKN, "
                   "direkap dari laporan bulanan puskesmas. Data contoh untuk satudata.",
    "organization": "dinkes",
    "topic": "Kesehatan",
    "tags": ["kesehatan", "puskesmas", "kunjungan", "jkn"],
    "license": "cc-by",
    "frequency": "bulanan",
    "presentation_level": "kecamatan",
    "temporal_coverage": {"start": "2024-01", "end": "2024-12"},
    "spatial_coverage": CITY,
    "maintainer": "Seksi Data dan Sistem Informasi Kesehatan",
    "maintainer_email": "dinkes@pontianak.go.id",
    "status_kerahasiaan": "terbuka",
    "standard": "kunjungan-puskesmas-bulanan",
})
wjson("datasets/sekolah-jenjang.json", {
    "name": "sekolah-jenjang",
    "title": "Sekolah menurut Jenjang Pendidikan, Jumlah Siswa, dan Guru di Kota Pontianak",
    "description": "Daftar sekolah di Kota Pontianak menurut jenjang dan status, dengan jumlah siswa, jumlah guru, "
                   "dan rasio siswa per guru pada awal tahun ajaran. Data contoh untuk satudata.",
    "organization": "disdikbud",
    "topic": "Pendidikan",
    "tags": ["pendidikan", "sekolah", "siswa", "guru"],
    "license": "cc-by-sa",
    "frequency": "tahunan",
    "presentation_level": "kecamatan",
    "temporal_coverage": {"start": "2024", "end": "2024"},
    "spatial_coverage": CITY,
    "maintainer": "Sub Bagian Perencanaan, Evaluasi, dan Pelaporan",
    "maintainer_email": "disdikbud@pontianak.go.id",
    "status_kerahasiaan": "terbuka",
    "reference": "https://dapo.kemdikbud.go.id/",
    "standard": "sekolah-menurut-jenjang",
})
# Deliberately broken metadata: no license, frequency not in the enum, maintainer_email not an e-mail.
wjson("datasets/rekap-anggaran-bappeda.json", {
    "name": "rekap-anggaran-bappeda",
    "title": "Rekapitulasi Penduduk per Kelurahan untuk Perencanaan Anggaran",
    "description": "Rekap jumlah penduduk per kelurahan yang dipakai Bappeda sebagai dasar alokasi anggaran "
                   "kelurahan. CONTOH RUSAK: metadata ini sengaja melanggar standar metadata.",
    "organization": "bappeda",
    "topic": "Perencanaan Pembangunan",
    "tags": ["anggaran", "perencanaan", "penduduk"],
    "frequency": "kadang-kadang",
    "presentation_level": "desa/kelurahan",
    "temporal_coverage": {"start": "2024", "end": "2024"},
    "spatial_coverage": CITY,
    "maintainer": "Bidang Perencanaan, Pengendalian, dan Evaluasi Pembangunan Daerah",
    "maintainer_email": "bukan-email",
    "status_kerahasiaan": "terbuka",
    "standard": "penduduk-kelurahan-jenis-kelamin",
})

# ---------------------------------------------------------------- submissions
rnd = random.Random(6171)

# --- penduduk: ~680k in 29 kelurahan
weights = {v["code"]: rnd.uniform(0.5, 1.6) for v in villages}
TOTAL = 680_000
wsum = sum(weights.values())
pend = {}
for v in villages:
    tot = round(TOTAL * weights[v["code"]] / wsum)
    male = round(tot * rnd.uniform(0.497, 0.512))
    pend[v["code"]] = {"1": male, "2": tot - male}

PEN_HEADER = ["Tahun", "Kode Kelurahan", "Jenis Kelamin", "Jumlah Penduduk (jiwa)"]


def pend_lines(year, data):
    lines = [csvline(PEN_HEADER, ";")]
    for v in villages:
        for jk in ("1", "2"):
            lines.append(csvline([year, v["code"], jk, data[v["code"]][jk]], ";"))
    return lines


wcsv("penduduk-kelurahan-2024.csv", pend_lines(2024, pend), bom=True)
pend25 = {k: dict(v) for k, v in pend.items()}
changes = {}
for code in [villages[0]["code"], villages[7]["code"], villages[15]["code"], villages[22]["code"]]:
    for jk in ("1", "2"):
        pend25[code][jk] += rnd.randint(80, 450)
    changes[code] = (pend[code], pend25[code])
wcsv("penduduk-kelurahan-2025.csv", pend_lines(2025, pend25), bom=True)

# --- kunjungan: 12 months x all puskesmas, Windows-1252, ';', decimal comma
KUN_HEADER = ["Tahun", "Bulan", "Kode Puskesmas", "Kunjungan \u2013 Total", "Persentase Peserta JKN (%)"]


def dec(x):
    return f"{x:.1f}".replace(".", ",")


base = {p["kode_puskesmas"]: rnd.randint(1800, 5200) for p in puskesmas}
lines = [csvline(KUN_HEADER, ";")]
for m in range(1, 13):
    for p in puskesmas:
        k = p["kode_puskesmas"]
        n = round(base[k] * rnd.uniform(0.85, 1.15))
        lines.append(csvline([2024, m, k, n, dec(rnd.uniform(72, 94))], ";"))
wcsv("kunjungan-puskesmas-2024.csv", lines, encoding="cp1252")

# --- sekolah: UTF-8, ',', decimal point
SEK_HEADER = ["NPSN", "Nama Sekolah", "Jenjang", "Kode Kecamatan", "Status", "Jumlah Siswa", "Jumlah Guru", "Rasio Siswa/Guru"]
SIZE = {"TK": (40, 120, 4, 9), "SD": (250, 750, 18, 34), "SMP": (500, 1100, 30, 60),
        "SMA": (600, 1200, 35, 70), "SMK": (700, 1500, 40, 90), "SLB": (90, 200, 15, 30)}
sek_rows = []
for n, nm, j, k, s in SEKOLAH:
    a, b, c, d = SIZE[j]
    siswa, guru = rnd.randint(a, b), rnd.randint(c, d)
    sek_rows.append([n, nm, j, f"{CITY}.{k}", s, siswa, guru, f"{siswa / guru:.2f}"])
wcsv("sekolah-2024.csv", [csvline(SEK_HEADER, ",")] + [csvline(r, ",") for r in sek_rows])

# ---------------------------------------------------------------- broken submissions
# Each: small; the problem rows are documented in EXPECTED.md (generated below from the same data).
expected = []  # (file, description, [findings]) finding = (code, row, column_pos, field, value)


def P(code, name):
    return next(p for p in puskesmas if p["kode_puskesmas"] == code)


vs = villages[:6]  # first 6 kelurahan (Pontianak Selatan + 1 of Timur)

# 1. penduduk: missing label (Jenis Kelamin column dropped)
rows = [[2024, v["code"], pend[v["code"]]["1"] + pend[v["code"]]["2"]] for v in vs]
wcsv("penduduk-kelurahan-rusak-label-hilang.csv",
     [csvline(["Tahun", "Kode Kelurahan", "Jumlah Penduduk (jiwa)"], ";")] + [csvline(r, ";") for r in rows], bom=True)
expected.append(("penduduk-kelurahan-rusak-label-hilang.csv",
                 "Kolom wajib `Jenis Kelamin` tidak ada (petugas menjumlahkan laki-laki dan perempuan). "
                 "UTF-8 BOM, `;`. Baris data lainnya benar.",
                 [("missing-label", 1, None, "jenis_kelamin", "")]))

# 2. penduduk: reference errors
rows = []
for v in vs[:4]:
    for jk in ("1", "2"):
        rows.append([2024, v["code"], jk, pend[v["code"]][jk]])
rows[2][1] = "32.75.01.1001"           # row 4: Bekasi code
rows[5][2] = "L"                       # row 7: sex as letter
rows[6][1] = "61.71.07.1001"           # row 8: kecamatan 07 does not exist in Pontianak
wcsv("penduduk-kelurahan-rusak-kode-wilayah.csv",
     [csvline(PEN_HEADER, ";")] + [csvline(r, ";") for r in rows], bom=True)
expected.append(("penduduk-kelurahan-rusak-kode-wilayah.csv",
                 "Kode di luar kode referensi: kode kelurahan Kota Bekasi (32.75.01.1001), kode kelurahan yang tidak ada "
                 "(61.71.07.1001) dan jenis kelamin `L` (yang benar `1`/`2`). UTF-8 BOM, `;`.",
                 [("reference-error", 4, 2, "kode_kelurahan", "32.75.01.1001"),
                  ("reference-error", 7, 3, "jenis_kelamin", "L"),
                  ("reference-error", 8, 2, "kode_kelurahan", "61.71.07.1001")]))

# 3. kunjungan: extra label
ps = puskesmas[:6]
rows = [[2024, 1, p["kode_puskesmas"], p["nama_puskesmas"], base[p["kode_puskesmas"]], dec(80 + i * 1.5)]
        for i, p in enumerate(ps)]
wcsv("kunjungan-puskesmas-rusak-label-asing.csv",
     [csvline(["Tahun", "Bulan", "Kode Puskesmas", "Nama Puskesmas", "Kunjungan \u2013 Total", "Persentase Peserta JKN (%)"], ";")]
     + [csvline(r, ";") for r in rows], encoding="cp1252")
expected.append(("kunjungan-puskesmas-rusak-label-asing.csv",
                 "Kolom `Nama Puskesmas` tidak ada dalam standar. Windows-1252, `;`, koma desimal.",
                 [("extra-label", 1, 4, None, "Nama Puskesmas")]))

# 4. kunjungan: blank label (notes typed in an unnamed last column)
rows = [[2024, 2, p["kode_puskesmas"], base[p["kode_puskesmas"]], dec(85 - i), ""] for i, p in enumerate(ps)]
rows[1][5] = "data sementara"
rows[4][5] = "cek ulang"
wcsv("kunjungan-puskesmas-rusak-label-kosong.csv",
     [csvline(KUN_HEADER + [""], ";")] + [csvline(r, ";") for r in rows], encoding="cp1252")
expected.append(("kunjungan-puskesmas-rusak-label-kosong.csv",
                 "Sel judul kolom ke-6 kosong (petugas menulis catatan di kolom tanpa judul). Windows-1252, `;`.",
                 [("blank-label", 1, 6, None, "")]))

# 5. kunjungan: type and constraint errors
rows = [[2024, m, p["kode_puskesmas"], round(base[p["kode_puskesmas"]] * (1 + m / 100)), dec(75 + m)]
        for m in (3, 4) for p in puskesmas[:6]]
rows[1][3] = "seratus"      # row 3
rows[3][1] = "12a"          # row 5
rows[5][1] = 13             # row 7
rows[7][3] = -250           # row 9
rows[8][3] = ""             # row 10
rows[10][4] = "104,5"       # row 12
wcsv("kunjungan-puskesmas-rusak-nilai.csv",
     [csvline(KUN_HEADER, ";")] + [csvline(r, ";") for r in rows], encoding="cp1252")
expected.append(("kunjungan-puskesmas-rusak-nilai.csv",
                 "Nilai salah tipe dan di luar batas. Windows-1252, `;`, koma desimal.",
                 [("type-error", 3, 4, "jumlah_kunjungan", "seratus"),
                  ("type-error", 5, 2, "bulan", "12a"),
                  ("constraint-error", 7, 2, "bulan", "13"),
                  ("constraint-error", 9, 4, "jumlah_kunjungan", "-250"),
                  ("constraint-error", 10, 4, "jumlah_kunjungan", ""),
                  ("constraint-error", 12, 5, "persentase_peserta_jkn", "104,5")]))

# 6. kunjungan: master data
rows = [[2024, 5, p["kode_puskesmas"], base[p["kode_puskesmas"]], dec(82.5)] for p in puskesmas[-6:]]
rows[2][2] = "P6171069901"   # row 4: unknown puskesmas
rows[4][2] = "P6171010200"   # row 6: unknown puskesmas (typo of P6171010201)
wcsv("kunjungan-puskesmas-rusak-data-induk.csv",
     [csvline(KUN_HEADER, ";")] + [csvline(r, ";") for r in rows], encoding="cp1252")
expected.append(("kunjungan-puskesmas-rusak-data-induk.csv",
                 "Kode puskesmas yang tidak ada di Data Induk Puskesmas. Windows-1252, `;`.",
                 [("master-data-error", 4, 3, "kode_puskesmas", "P6171069901"),
                  ("master-data-error", 6, 3, "kode_puskesmas", "P6171010200")]))

# 7. sekolah: duplicate label
rows = [r[:6] + [r[5]] + r[6:] for r in sek_rows[:6]]
wcsv("sekolah-rusak-label-ganda.csv",
     [csvline(SEK_HEADER[:6] + ["Jumlah Siswa"] + SEK_HEADER[6:], ",")] + [csvline(r, ",") for r in rows])
expected.append(("sekolah-rusak-label-ganda.csv",
                 "Judul `Jumlah Siswa` muncul dua kali (kolom 6 dan 7). UTF-8, `,`.",
                 [("duplicate-label", 1, 7, "jumlah_siswa", "Jumlah Siswa")]))

# 8. sekolah: values
rows = [list(r) for r in sek_rows[:10]]
rows[3][0] = rows[1][0]; rows[3][1] = rows[1][1]        # row 5: duplicate npsn of row 3
rows[3][2:5] = rows[1][2:5]
rows[4][2] = "SMU"                                      # row 6
rows[5][4] = "Swasta Nasional"                          # row 7
rows[7][0] = "30199999"                                 # row 9: npsn not in data induk
rows[8][3] = "61.71.07"                                 # row 10: kecamatan not in Pontianak
wcsv("sekolah-rusak-nilai.csv", [csvline(SEK_HEADER, ",")] + [csvline(r, ",") for r in rows])
expected.append(("sekolah-rusak-nilai.csv",
                 "NPSN ganda, NPSN di luar data induk, jenjang `SMU`, kecamatan yang tidak ada, status di luar pilihan. "
                 "UTF-8 tanpa BOM, `,`, nama sekolah yang mengandung koma diberi tanda kutip.",
                 [("unique-error", 5, 1, "npsn", rows[3][0]),
                  ("reference-error", 6, 3, "jenjang", "SMU"),
                  ("constraint-error", 7, 5, "status", "Swasta Nasional"),
                  ("master-data-error", 9, 1, "npsn", "30199999"),
                  ("reference-error", 10, 4, "kode_kecamatan", "61.71.07")]))


def write_expected(expected, changes):
    out = []
    w = out.append
    w("# Expected validation findings for the sample submissions")
    w("")
    w("Generated by `sample_data/tools/generate.py` (do not edit by hand; change the script and re-run).")
    w("")
    w("## Conventions")
    w("")
    w("- **row**: 1-based physical line number in the file. The header is row 1, the first data row is row 2. "
      "No broken file has quoted fields spanning lines, so line = record. A byte-order mark does not count.")
    w("- **column**: 1-based position of the cell in the file's header (empty for `missing-label`, which has no position).")
    w("- **field**: the standard's field name (`nama`); `-` when the label matches no field (`extra-label`, `blank-label`).")
    w("- **value**: the raw cell text as it appears in the file after decoding, before any number parsing "
      "(so `104,5`, not `104.5`). For label findings the value is the header label text. Empty means empty string.")
    w("- Every listed finding has severity **error**. The list per file is **complete**: no other error findings, "
      "and **no warnings** are expected (in particular `-250` is a negative number, not a spreadsheet formula, so no "
      "`formula-warning`; there is no personal data).")
    w("- Code lists are matched against `kode`, exactly (case-sensitive, no trimming beyond the usual CSV parsing). "
      "Master data keys are matched exactly against the named column.")
    w("- A cell that fails its type (`type-error`) gets no further checks (no `constraint-error`, no reference checks).")
    w("- An empty cell in a `wajib` column is a `constraint-error` (Frictionless: required constraint), not a `type-error`.")
    w("- `unique-error` is reported on the later occurrence only (the first occurrence is fine).")
    w("- After a header finding, the rows are still checked against the columns that could be mapped. A column whose label is "
      "unknown, blank or a duplicate is ignored for row checks (the first `Jumlah Siswa` is used). A missing column gives one "
      "`missing-label` and no per-row `constraint-error`.")
    w("- These are the findings of `satudata validate --standard <standard> <file>`, which knows no producing PD and no "
      "period: `32.75.01.1001` (Kota Bekasi) is not in the code list `wilayah-pontianak`, so it is a `reference-error`. "
      "Submitted through a pipeline (or validated with `--region 61.71`), the same cell is a `region-scope-error`: "
      "a region code outside the producing PD's region is reported as that, and not also as a `reference-error`.")
    w("- The `missing-label` rule applies to every column of the standard, required or not.")
    w("- Valid files (`penduduk-kelurahan-2024.csv`, `penduduk-kelurahan-2025.csv`, `kunjungan-puskesmas-2024.csv`, "
      "`sekolah-2024.csv`) are expected to give **zero findings** (no errors, no warnings) for their period.")
    w("")
    w("| file | standard (dataset) |")
    w("|---|---|")
    std = {"penduduk": "penduduk-kelurahan-jenis-kelamin (jumlah-penduduk-kelurahan)",
           "kunjungan": "kunjungan-puskesmas-bulanan (kunjungan-puskesmas)",
           "sekolah": "sekolah-menurut-jenjang (sekolah-jenjang)"}
    for f, _, _ in expected:
        w(f"| `{f}` | {std[f.split('-')[0]]} |")
    w("")
    for f, desc, findings in expected:
        w(f"## `submissions/{f}`")
        w("")
        w(desc)
        w("")
        w("| code | row | column | field | value |")
        w("|---|---|---|---|---|")
        for code, row, colpos, field, value in findings:
            w(f"| `{code}` | {row} | {'' if colpos is None else colpos} | {'-' if field is None else '`' + field + '`'} | "
              f"{'`' + str(value) + '`' if value != '' else '(empty)'} |")
        w("")
    w("## Dataset `rekap-anggaran-bappeda` (metadata)")
    w("")
    w("`datasets/rekap-anggaran-bappeda.json` breaks `schemas/dataset.schema.json`. Its data "
      "(`pipelines/rekap-anggaran-bappeda-2024.toml` submits the valid `penduduk-kelurahan-2024.csv`) gives no data findings; "
      "the submission is rejected only for metadata. Expected `metadata-error` findings (no row, no column), exactly these fields:")
    w("")
    w("| code | field | value | why |")
    w("|---|---|---|---|")
    w("| `metadata-error` | `license` | (missing) | required property absent (the schema `default` is only a hint for forms, it is not applied) |")
    w("| `metadata-error` | `frequency` | `kadang-kadang` | not in the enum |")
    w("| `metadata-error` | `maintainer_email` | `bukan-email` | fails `pattern` (and `format: email` where formats are asserted) |")
    w("")
    w("A JSON Schema validator that asserts `format` reports `maintainer_email` twice (format and pattern); "
      "tests should assert the set of fields {`license`, `frequency`, `maintainer_email`}, or collapse findings per field "
      "(then exactly 3).")
    w("")
    w("## `penduduk-kelurahan-2025.csv` (v2)")
    w("")
    w("Same shape and encoding as the 2024 file (UTF-8 BOM, `;`), `Tahun` = 2025 on every row (submit it for period `2025`), "
      "and the same numbers as 2024 except these kelurahan:")
    w("")
    w("| kode_kelurahan | 2024 L / P | 2025 L / P |")
    w("|---|---|---|")
    for code, (a, b) in changes.items():
        w(f"| `{code}` | {a['1']} / {a['2']} | {b['1']} / {b['2']} |")
    w("")
    with open(os.path.join(SD, "EXPECTED.md"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(out))


write_expected(expected, changes)
print("ok", len(villages), "kelurahan;", sum(a + b for a, b in [(d["1"], d["2"]) for d in pend.values()]), "jiwa 2024")
