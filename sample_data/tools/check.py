#!/usr/bin/env python3
"""Check the sample data: JSON files against schemas/, cross references, and the CSV
submissions against EXPECTED.md with a small reference validator (a model of the rules,
not the real one).  Needs: pip install jsonschema   Run: python3 sample_data/tools/check.py"""
import csv, glob, io, json, os, re, sys
import jsonschema

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SD = os.path.join(ROOT, "sample_data")
fails = []


def load(p):
    with open(p, encoding="utf-8") as f:
        return json.load(f)


def schema(name):
    s = load(os.path.join(ROOT, "schemas", name + ".schema.json"))
    jsonschema.Draft202012Validator.check_schema(s)
    return jsonschema.Draft202012Validator(s, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def errors(v, obj):
    return sorted(v.iter_errors(obj), key=lambda e: list(e.path))


V = {n: schema(n) for n in ["dataset", "standard", "code_list", "master_data"]}
code_lists = {}
for p in sorted(glob.glob(os.path.join(SD, "code_lists", "*.json"))):
    o = load(p); es = errors(V["code_list"], o)
    if es: fails.append((p, [e.message for e in es]))
    assert o["id"] == os.path.basename(p)[:-5], p
    kodes = [i["kode"] for i in o["isian"]]
    assert len(kodes) == len(set(kodes)), p
    code_lists[o["id"]] = set(kodes)
masters = {}
for p in sorted(glob.glob(os.path.join(SD, "master_data", "*.json"))):
    o = load(p); es = errors(V["master_data"], o)
    if es: fails.append((p, [e.message for e in es]))
    assert o["id"] == os.path.basename(p)[:-5], p
    keys = [r[o["kunci"]] for r in o["baris"]]
    assert len(keys) == len(set(keys)), p
    masters[o["id"]] = o
for r in masters["puskesmas"]["baris"]:
    assert r["kode_kecamatan"] in code_lists["kecamatan-pontianak"], r
for r in masters["sekolah"]["baris"]:
    assert r["kode_kecamatan"] in code_lists["kecamatan-pontianak"], r
    assert r["jenjang"] in code_lists["jenjang-pendidikan"], r
    assert re.fullmatch(r"\d{8}", r["npsn"]), r
standards = {}
for p in sorted(glob.glob(os.path.join(SD, "standards", "*.json"))):
    o = load(p); es = errors(V["standard"], o)
    if es: fails.append((p, [e.message for e in es]))
    assert o["id"] == os.path.basename(p)[:-5], p
    names = [c["nama"] for c in o["kolom"]]
    assert len(names) == len(set(names)), p
    for c in o["kolom"]:
        if "klasifikasi" in c: assert c["klasifikasi"] in code_lists, c
        if "data_induk" in c:
            m = masters[c["data_induk"]["id"]]
            assert all(c["data_induk"]["kolom"] in r for r in m["baris"]), c
    standards[o["id"]] = o
orgs = load(os.path.join(SD, "organizations.json"))
org_slugs = {o["slug"] for o in orgs}
assert {"disdukcapil", "dinkes", "disdikbud", "bappeda", "diskominfo"} <= org_slugs
for o in orgs:
    assert re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", o["email"]) and o["kode_wilayah"] in code_lists["wilayah-pontianak"]
datasets = {}
for p in sorted(glob.glob(os.path.join(SD, "datasets", "*.json"))):
    o = load(p)
    assert o["name"] == os.path.basename(p)[:-5] and o["organization"] in org_slugs and o["standard"] in standards, p
    full = dict(o, columns=standards[o["standard"]]["kolom"])   # what the Rust side validates
    es = errors(V["dataset"], full)
    datasets[o["name"]] = o
    got = sorted({(e.path[0] if e.path else re.search(r"'(\w+)' is a required", e.message).group(1)) for e in es})
    want = ["frequency", "license", "maintainer_email"] if o["name"] == "rekap-anggaran-bappeda" else []
    if got != want: fails.append((p, [e.message for e in es]))
    else: print(f"metadata {o['name']}: {got or 'ok'}", "|", "; ".join(e.message for e in es))

# ---------------------------------------------------------------- reference CSV validator
INT = re.compile(r"^-?\d+$")


def parse_number(s):
    t = s
    if "," in t:                      # Indonesian: 1.234,56
        t = t.replace(".", "").replace(",", ".")
    return float(t)


def read_csv(path):
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        text = raw[3:].decode("utf-8")
    else:
        try: text = raw.decode("utf-8")
        except UnicodeDecodeError: text = raw.decode("cp1252")
    first = text.splitlines()[0]
    delim = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))


def validate(path, std):
    rows = read_csv(path)
    header, data = rows[0], rows[1:]
    out = []
    lab = {}
    for c in std["kolom"]:
        for a in [c["nama"]] + c.get("alias", []):
            lab[a.strip().lower()] = c
    mapped = {}
    seen = set()
    for i, h in enumerate(header, 1):
        if h.strip() == "":
            out.append(("blank-label", 1, i, None, "")); continue
        c = lab.get(h.strip().lower())
        if c is None:
            out.append(("extra-label", 1, i, None, h)); continue
        if c["nama"] in seen:
            out.append(("duplicate-label", 1, i, c["nama"], h)); continue
        seen.add(c["nama"]); mapped[i - 1] = c
    for c in std["kolom"]:
        if c["nama"] not in seen:
            out.append(("missing-label", 1, None, c["nama"], ""))
    uniq = {}
    for r, row in enumerate(data, 2):
        assert len(row) == len(header), (path, r)
        for idx, c in mapped.items():
            v = row[idx]; a = c.get("aturan_validasi", {}); f = c["nama"]
            if v.strip() == "":
                if a.get("wajib"): out.append(("constraint-error", r, idx + 1, f, v))
                continue
            t = c["tipe_data"]
            if t == "integer":
                if not INT.match(v): out.append(("type-error", r, idx + 1, f, v)); continue
                num = int(v)
            elif t == "number":
                try: num = parse_number(v)
                except ValueError: out.append(("type-error", r, idx + 1, f, v)); continue
            else:
                num = None
            bad = (num is not None and (("minimum" in a and num < a["minimum"]) or ("maksimum" in a and num > a["maksimum"])))
            bad = bad or ("enum" in a and v not in a["enum"])
            if bad: out.append(("constraint-error", r, idx + 1, f, v)); continue
            if a.get("unik"):
                if v in uniq: out.append(("unique-error", r, idx + 1, f, v)); continue
                uniq[v] = r
            if "klasifikasi" in c and v not in code_lists[c["klasifikasi"]]:
                out.append(("reference-error", r, idx + 1, f, v)); continue
            if "data_induk" in c:
                di = c["data_induk"]
                if v not in {x[di["kolom"]] for x in masters[di["id"]]["baris"]}:
                    out.append(("master-data-error", r, idx + 1, f, v))
    return out


# expected findings from EXPECTED.md tables
exp = {}
cur = None
for line in open(os.path.join(SD, "EXPECTED.md"), encoding="utf-8"):
    m = re.match(r"^## `submissions/(.+)`", line)
    if m: cur = m.group(1); exp[cur] = []; continue
    if line.startswith("## "): cur = None
    m = re.match(r"^\| `([a-z-]+)` \| (\d+) \| (\d*) \| (.+?) \| (.+?) \|$", line.rstrip("\n"))
    if cur and m:
        field = None if m.group(4) == "-" else m.group(4).strip("`")
        value = "" if m.group(5) == "(empty)" else m.group(5).strip("`")
        exp[cur].append((m.group(1), int(m.group(2)), int(m.group(3)) if m.group(3) else None, field, value))

STD_OF = {"penduduk": "penduduk-kelurahan-jenis-kelamin", "kunjungan": "kunjungan-puskesmas-bulanan",
          "sekolah": "sekolah-menurut-jenjang"}
for p in sorted(glob.glob(os.path.join(SD, "submissions", "*.csv"))):
    name = os.path.basename(p)
    got = validate(p, standards[STD_OF[name.split("-")[0]]])
    want = exp.get(name, [])
    if "rusak" in name and name not in exp:
        fails.append((p, ["not documented in EXPECTED.md"]))
    if got != want:
        fails.append((p, [f"got {got}", f"want {want}"]))
    else:
        print(f"{name}: {len(got)} finding(s) as expected")

# pipelines point to existing files/datasets
import tomllib
for p in sorted(glob.glob(os.path.join(ROOT, "pipelines", "*.toml"))):
    t = tomllib.load(open(p, "rb"))
    src = os.path.normpath(os.path.join(os.path.dirname(p), t["source"]["path"]))
    ok = os.path.exists(src) and t["dataset"] in datasets and re.fullmatch(r"\d{4}", t["period"])
    print(f"pipeline {os.path.basename(p)}: {'ok' if ok else 'BAD'}")
    if not ok: fails.append((p, ["bad pipeline"]))

if fails:
    for p, m in fails: print("FAIL", p, *m, sep="\n  ")
    sys.exit(1)
print("ALL OK")
