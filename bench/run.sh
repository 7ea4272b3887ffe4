#!/usr/bin/env bash
# Benchmark satudata against its peers on one generated CSV (issue 4).
#
#   bench/run.sh                 1,000,000 rows (~96 MiB), satudata + Frictionless (+ qsv if available)
#   bench/run.sh --rows 100000   quick smoke run
#   bench/run.sh --big           also a ~10 GB valid file for satudata alone (generated, then deleted)
#   bench/run.sh --breakdown     also time satudata on one column at a time (where the time goes)
#
# Options: --rows N  --errors N  --work DIR (default /tmp/satudata-bench)  --repeats N (satudata
# and qsv runs per file, median reported; default 3)  --warmup N (uncounted runs of each before
# those; default 1)  --big  --big-gb N (default 10)  --breakdown
# --qsv auto|build|skip (auto: use a qsv already installed under the work dir or on PATH;
# build: also try `cargo install qsv` within --qsv-timeout seconds, default 900)  --no-build
# (use the satudata binary as it is)  --source head|worktree (build the committed HEAD, exported
# to $WORK/src, the default; or the work tree as it is)  --no-frictionless.
#
# Touches only the work directory, the satudata build directory ($CARGO_TARGET_DIR, default
# /root/.cache/satudata-target) and, when missing, installs Debian's `time` and a Python venv
# with Frictionless under the work directory. Prints a markdown report and writes it to
# $WORK/results.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"

ROWS=1000000
ERRORS=1000
WORK=/tmp/satudata-bench
REPEATS=3
WARMUP=1
BIG=0
BIG_GB=10
BREAKDOWN=0
QSV_MODE=auto
QSV_TIMEOUT=900
QSV_VERSION=16.1.0
BUILD=1
SOURCE=head
FRICTIONLESS=1

while [ $# -gt 0 ]; do
  case "$1" in
    --rows) ROWS="$2"; shift 2 ;;
    --errors) ERRORS="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --repeats) REPEATS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --big) BIG=1; shift ;;
    --big-gb) BIG_GB="$2"; shift 2 ;;
    --breakdown) BREAKDOWN=1; shift ;;
    --qsv) QSV_MODE="$2"; shift 2 ;;
    --qsv-timeout) QSV_TIMEOUT="$2"; shift 2 ;;
    --qsv-version) QSV_VERSION="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --source) SOURCE="$2"; shift 2 ;;
    --no-frictionless) FRICTIONLESS=0; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/root/.cache/satudata-target}"
SATUDATA="$CARGO_TARGET_DIR/release/satudata"
OUT="$WORK/out"
mkdir -p "$WORK" "$OUT"
log() { echo "[bench] $*" >&2; }

# ---------------------------------------------------------------- tools
if [ ! -x /usr/bin/time ]; then
  log "installing GNU time (Debian package 'time')"
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

FL="$WORK/venv/bin/frictionless"
if [ "$FRICTIONLESS" = 1 ] && [ ! -x "$FL" ]; then
  log "installing Frictionless 5 into $WORK/venv"
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/pip" install -q 'frictionless>=5,<6'
fi

QSV=""
if [ "$QSV_MODE" != skip ]; then
  if [ -x "$WORK/qsv/bin/qsv" ]; then QSV="$WORK/qsv/bin/qsv"
  elif command -v qsv >/dev/null 2>&1 && qsv --version 2>/dev/null | grep -qi qsv; then QSV="$(command -v qsv)"
  elif [ "$QSV_MODE" = build ]; then
    # qsv is on crates.io only (not Debian; PyPI's "qsv" is another program). Its published crate
    # does not build as is: src/cmd/json.rs calls Json2Csv::preserve_key_order, which exists only
    # in the patched json-objects-to-csv its authors build with ([patch] is not published). We
    # drop that one call (the `json` command only; `validate` is untouched) and build the crate
    # with its own Cargo.lock and release profile (fat LTO, one codegen unit).
    log "building qsv $QSV_VERSION from crates.io (timeout ${QSV_TIMEOUT}s)"
    cargo info "qsv@$QSV_VERSION" >/dev/null 2>&1 || true    # puts the .crate in cargo's cache
    crate=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/"qsv-$QSV_VERSION.crate" 2>/dev/null | head -1)
    if [ -n "$crate" ]; then
      rm -rf "$WORK/qsv-src" && mkdir -p "$WORK/qsv-src"
      tar -xzf "$crate" -C "$WORK/qsv-src" --strip-components=1
      sed -i '/\.preserve_key_order(true)/d' "$WORK/qsv-src/src/cmd/json.rs"
    fi
    if [ -n "$crate" ] && timeout "$QSV_TIMEOUT" env CARGO_TARGET_DIR="$WORK/qsv-target" \
        cargo install --path "$WORK/qsv-src" --locked --features feature_capable --bin qsv --root "$WORK/qsv" \
        >"$OUT/qsv-build.log" 2>&1; then
      QSV="$WORK/qsv/bin/qsv"
    else
      log "qsv build failed or took over ${QSV_TIMEOUT}s: skipped (see $OUT/qsv-build.log)"
      echo "build failed or took over ${QSV_TIMEOUT}s on this machine" >"$OUT/qsv-skipped"
    fi
  fi
fi

if [ "$BUILD" = 1 ]; then
  if [ "$SOURCE" = head ]; then
    # Build the committed HEAD, exported to the work directory: a work tree in the middle of an
    # edit may not compile, and the figures then belong to a known commit.
    SRC="$WORK/src"
    if [ "$(cat "$SRC/.commit" 2>/dev/null)" != "$(git -C "$REPO" rev-parse HEAD)" ]; then
      log "exporting HEAD ($(git -C "$REPO" rev-parse --short HEAD)) to $SRC"
      rm -rf "$SRC" && mkdir -p "$SRC"
      git -C "$REPO" archive HEAD | tar -x -C "$SRC"
      git -C "$REPO" rev-parse HEAD >"$SRC/.commit"
    fi
  else
    SRC="$REPO"
  fi
  log "building satudata from $SRC (release, CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
  (cd "$SRC" && cargo build --release --quiet)
  # Benchmark a copy: another build in the same target directory (the work tree's, say) would
  # replace release/satudata between runs.
  mkdir -p "$WORK/bin"
  cp "$SATUDATA" "$WORK/bin/satudata.tmp" && mv "$WORK/bin/satudata.tmp" "$WORK/bin/satudata"
  if [ "$SOURCE" = head ]; then cp "$SRC/.commit" "$WORK/bin/satudata.commit"; else echo "work tree" >"$WORK/bin/satudata.commit"; fi
fi
[ -x "$WORK/bin/satudata" ] && SATUDATA="$WORK/bin/satudata"
[ -x "$SATUDATA" ] || { echo "no satudata binary at $SATUDATA" >&2; exit 2; }

# ---------------------------------------------------------------- data
if ! python3 - "$WORK/meta.json" "$ROWS" "$ERRORS" <<'EOF' 2>/dev/null
import json, sys
m = json.load(open(sys.argv[1]))
rows, errors = int(sys.argv[2]), int(sys.argv[3])
sys.exit(0 if m["rows"] == rows and m["injected_errors"] == min(errors, rows // 10) else 1)
EOF
then
  log "generating $ROWS rows into $WORK"
  python3 "$HERE/generate.py" --rows "$ROWS" --errors "$ERRORS" --out "$WORK"
fi
EXPECTED_ERRORS=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["injected_errors"])' "$WORK/meta.json")

# ---------------------------------------------------------------- measuring
# measure NAME CMD...: runs CMD under /usr/bin/time -v; sets RC, WALL (s), RSS (MB).
measure() {
  local name="$1"; shift
  local t0 t1
  t0=$(date +%s.%N)
  set +e
  /usr/bin/time -v -o "$OUT/$name.time" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
  RC=$?
  set -e
  t1=$(date +%s.%N)
  WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}')
  RSS=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$OUT/$name.time")
  CPU=$(awk -F': ' '/User time|System time/{s+=$2} END{printf "%.2f", s}' "$OUT/$name.time")
}

median() { sort -g | awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2 }'; }

satudata_errors() {  # JSON report on stdout -> error count
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["errors"])' "$1" 2>/dev/null || echo "?"
}
frictionless_errors() {
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(sum(t["stats"]["errors"] for t in r["tasks"]))' "$1" 2>/dev/null || echo "?"
}
verdict() {  # exit code -> valid/invalid/error
  case "$1" in 0) echo valid ;; 1) echo invalid ;; *) echo "error($1)" ;; esac
}

ROWS_MD="$OUT/rows.md"
: >"$ROWS_MD"
declare -A WALLS
# record TOOL FILE EXPECTED VERDICT ERRS WALL RSS RUNS CPU
record() {
  local ok="yes"
  [ "$3" = "$4" ] || ok="NO"
  echo "| $1 | $2 | $3 | $4 | $ok | $5 | $( [ "$2" = valid.csv ] && echo 0 || echo "$EXPECTED_ERRORS") | $6 | $9 | $7 | $8 |" >>"$ROWS_MD"
  WALLS["$1/$2"]="$6"
}

for f in valid.csv invalid.csv; do cat "$WORK/$f" >/dev/null; done   # page cache warm for everyone
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# Other processes (a compiler, say) inflate wall times on 2 cores: say so in the report.
busy=$(ps -eo pid=,pcpu=,comm= | awk '$2 > 20 && $3 !~ /^(ps|awk|bash|run.sh)$/ {print $3}' | sort -u | tr '\n' ' ')
[ -n "$busy" ] && log "warning: busy processes while benchmarking: $busy"

# satudata
for f in valid.csv invalid.csv; do
  expected=$([ "$f" = valid.csv ] && echo valid || echo invalid)
  walls=(); rsss=(); cpus=()
  for i in $(seq 1 "$WARMUP"); do   # not counted: the first runs after a pause are often slow
    "$SATUDATA" validate --standard "$WORK/standard.json" --references "$WORK" --format json --limit 100 \
      "$WORK/$f" >/dev/null 2>&1 || true
  done
  for i in $(seq 1 "$REPEATS"); do
    measure "satudata-$f-$i" "$SATUDATA" validate --standard "$WORK/standard.json" --references "$WORK" \
      --format json --limit 100 "$WORK/$f"
    walls+=("$WALL"); rsss+=("$RSS"); cpus+=("$CPU")
    log "satudata $f run $i: ${WALL}s, ${CPU}s CPU, ${RSS} MB, exit $RC"
  done
  w=$(printf '%s\n' "${walls[@]}" | median)
  r=$(printf '%s\n' "${rsss[@]}" | sort -g | tail -1)
  record satudata "$f" "$expected" "$(verdict "$RC")" "$(satudata_errors "$OUT/satudata-$f-$REPEATS.out")" "$w" "$r" "$REPEATS" "$(printf '%s\n' "${cpus[@]}" | median)"
done

# qsv validate with the JSON Schema (no uniqueness check: JSON Schema cannot say it per column)
if [ -n "$QSV" ]; then
  for f in valid.csv invalid.csv; do
    expected=$([ "$f" = valid.csv ] && echo valid || echo invalid)
    walls=(); rsss=(); cpus=()
    for i in $(seq 1 "$WARMUP"); do
      "$QSV" validate "$WORK/$f" "$WORK/jsonschema.json" >/dev/null 2>&1 || true
    done
    for i in $(seq 1 "$REPEATS"); do
      rm -f "$WORK/$f.valid" "$WORK/$f.invalid" "$WORK/$f.validation-errors.tsv"
      measure "qsv-$f-$i" "$QSV" validate "$WORK/$f" "$WORK/jsonschema.json"
      walls+=("$WALL"); rsss+=("$RSS"); cpus+=("$CPU")
      log "qsv $f run $i: ${WALL}s, ${CPU}s CPU, ${RSS} MB, exit $RC"
    done
    errs=0
    [ -f "$WORK/$f.validation-errors.tsv" ] && errs=$(( $(wc -l <"$WORK/$f.validation-errors.tsv") - 1 ))
    [ "$errs" -lt 0 ] && errs=0
    w=$(printf '%s\n' "${walls[@]}" | median)
    r=$(printf '%s\n' "${rsss[@]}" | sort -g | tail -1)
    record "qsv validate" "$f" "$expected" "$(verdict "$RC")" "$errs (rows)" "$w" "$r" "$REPEATS" "$(printf '%s\n' "${cpus[@]}" | median)"
    rm -f "$WORK/$f.valid" "$WORK/$f.invalid" "$WORK/$f.validation-errors.tsv"
  done
fi

# Frictionless: once per file (about 40 s per million rows)
if [ "$FRICTIONLESS" = 1 ]; then
  for f in valid.csv invalid.csv; do
    expected=$([ "$f" = valid.csv ] && echo valid || echo invalid)
    # run inside the work directory: Frictionless 5 refuses absolute paths as "not safe"
    measure "frictionless-$f" env -C "$WORK" "$FL" validate --json --limit-errors 100000000 --schema schema.json "$f"
    log "frictionless $f: ${WALL}s, ${CPU}s CPU, ${RSS} MB, exit $RC"
    record frictionless "$f" "$expected" "$(verdict "$RC")" "$(frictionless_errors "$OUT/frictionless-$f.out")" "$WALL" "$RSS" 1 "$CPU"
  done
fi

# ---------------------------------------------------------------- optional: where the time goes
BREAK_MD="$OUT/breakdown.md"
: >"$BREAK_MD"
if [ "$BREAKDOWN" = 1 ]; then
  log "breakdown: satudata on one column at a time"
  cols=$(head -1 "$WORK/valid.csv" | tr ',' ' ')
  # Each column is timed next to the id column (an optional string, no rules): a column alone
  # repeats values and would trip satudata's duplicate-row check on most rows.
  python3 - "$WORK" <<'EOF'
import json, sys
w = sys.argv[1]
s = json.load(open(f"{w}/standard.json"))
plain = dict(s, id="bench-tanpa-aturan", kolom=[{"nama": k["nama"], "tipe_data": "string"} for k in s["kolom"]])
json.dump(plain, open(f"{w}/standard-plain.json", "w"))
idplain = {"nama": "id", "tipe_data": "string"}
json.dump(dict(s, id="bench-kolom-0", kolom=[idplain]), open(f"{w}/standard-col0.json", "w"))
for n, k in enumerate(s["kolom"]):
    kolom = [k] if n == 0 else [idplain, k]
    json.dump(dict(s, id=f"bench-kolom-{n+1}", kolom=kolom), open(f"{w}/standard-col{n+1}.json", "w"))
EOF
  break_run() {  # break_run LABEL RULES STANDARD CSV
    local walls=() cpus=() i
    for i in $(seq 1 "$REPEATS"); do
      measure "break-$(echo "$1" | tr -c 'a-z0-9_\n' '-')-$i" "$SATUDATA" validate --standard "$3" --references "$WORK" --format json --limit 100 "$4"
      walls+=("$WALL"); cpus+=("$CPU")
    done
    echo "| $1 | $2 | $(verdict "$RC") | $(printf '%s\n' "${walls[@]}" | median) | $(printf '%s\n' "${cpus[@]}" | median) | $RSS |" >>"$BREAK_MD"
  }
  echo "| columns | rules | verdict | wall (s, median of $REPEATS) | CPU (s) | peak RSS (MiB) |" >>"$BREAK_MD"
  echo "|---|---|---|---:|---:|---:|" >>"$BREAK_MD"
  break_run "all 10" "none: every column an optional string" "$WORK/standard-plain.json" "$WORK/valid.csv"
  cut -d, -f1 "$WORK/valid.csv" >"$WORK/col.csv"
  break_run "id" "none: an optional string (baseline for the rows below)" "$WORK/standard-col0.json" "$WORK/col.csv"
  n=0
  for c in $cols; do
    n=$((n + 1))
    if [ "$n" = 1 ]; then cut -d, -f1 "$WORK/valid.csv" >"$WORK/col.csv"; label="id"
    else cut -d, -f1,"$n" "$WORK/valid.csv" >"$WORK/col.csv"; label="id + $c"; fi
    rules=$(python3 -c 'import json,sys; k=json.load(open(sys.argv[1]))["kolom"][-1]; r=dict(k.get("aturan_validasi",{})); r.pop("enum",None) and r.update(enum="500 values"); print(k["nama"], k["tipe_data"], json.dumps(r).replace("|","/"))' "$WORK/standard-col$n.json")
    break_run "$label" "$rules" "$WORK/standard-col$n.json" "$WORK/col.csv"
  done
  rm -f "$WORK/col.csv"
fi

# ---------------------------------------------------------------- optional: ~10 GB
BIG_MD="$OUT/big.md"
: >"$BIG_MD"
if [ "$BIG" = 1 ]; then
  BIGF="$WORK/big.csv"
  trap 'rm -f "$BIGF"' EXIT
  block=1000000
  [ "$ROWS" -lt "$block" ] && block="$ROWS"
  block_bytes=$(python3 - "$block" <<'EOF'
import sys
print(int(sys.argv[1]) * 100)   # ~100 bytes a row
EOF
)
  repeat=$(( (BIG_GB * 1000000000 + block_bytes - 1) / block_bytes ))
  need=$(( BIG_GB * 1100000 ))   # KB, with 10% to spare
  avail=$(df -Pk "$WORK" | awk 'NR==2{print $4}')
  if [ "$avail" -lt "$need" ]; then
    log "not enough disk for --big: ${avail} KB free, ${need} KB needed"
    echo "skipped: not enough disk (${avail} KB free)" >>"$BIG_MD"
  else
    log "generating ~${BIG_GB} GB ($block rows x $repeat)"
    python3 "$HERE/generate.py" --rows "$block" --out "$WORK" --repeat "$repeat" --only-big --big-name big.csv
    bytes=$(stat -c %s "$BIGF")
    # Cap the address space (default: 80% of available memory, at most 16 GiB) so that a tool
    # that holds the whole file fails with an allocation error instead of waking the OOM killer.
    cap=$(awk -v max=$((16 * 1024 * 1024 * 1024)) '/MemAvailable/{c = $2 * 1024 * 0.8; if (c > max) c = max; printf "%.0f", c}' /proc/meminfo)
    log "big run under an address-space cap of $((cap / 1024 / 1024)) MiB"
    measure "satudata-big" prlimit --as="$cap" "$SATUDATA" validate --standard "$WORK/standard.json" --references "$WORK" --format json --limit 100 "$BIGF"
    log "satudata big: ${WALL}s, ${RSS} MB, exit $RC"
    echo "| satudata | big.csv ($(( block * repeat )) rows, $(awk -v b="$bytes" 'BEGIN{printf "%.2f", b/1e9}') GB) | valid | $(verdict "$RC") | $(satudata_errors "$OUT/satudata-big.out") | $WALL | $RSS |" >>"$BIG_MD"
    if [ -n "$QSV" ]; then
      measure "qsv-big" prlimit --as="$cap" "$QSV" validate "$BIGF" "$WORK/jsonschema.json"
      echo "| qsv validate | big.csv | valid | $(verdict "$RC") | - | $WALL | $RSS |" >>"$BIG_MD"
      rm -f "$BIGF.valid" "$BIGF.invalid" "$BIGF.validation-errors.tsv"
    fi
    rm -f "$BIGF"
  fi
fi

# ---------------------------------------------------------------- report
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a == "" || b == "" || b == 0) print "-"; else printf "%.1fx", a/b }'; }
{
  echo "## Results: $ROWS rows, $(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print("%.1f MiB valid / %.1f MiB invalid, %d injected errors" % (m["valid_bytes"]/2**20, m["invalid_bytes"]/2**20, m["injected_errors"]))' "$WORK/meta.json")"
  echo
  echo "Load average before / after the runs: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)${busy:+; busy processes at the start: $busy}"
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM; $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "satudata: $("$SATUDATA" --version 2>/dev/null || echo '?'), commit $(cut -c1-10 "$WORK/bin/satudata.commit" 2>/dev/null || echo '?') ($SATUDATA)"
  [ "$FRICTIONLESS" = 1 ] && echo "Frictionless: $("$FL" --version 2>/dev/null)"
  if [ -n "$QSV" ]; then echo "qsv: $("$QSV" --version 2>/dev/null | head -1)"
  elif [ -f "$OUT/qsv-skipped" ]; then echo "qsv: skipped ($(cat "$OUT/qsv-skipped"))"
  else echo "qsv: not installed (run with --qsv build to try building it from crates.io)"; fi
  echo
  echo "| tool | file | expected | verdict | right | errors reported | errors injected | wall (s) | CPU user+sys (s) | peak RSS (MiB) | runs (median) |"
  echo "|---|---|---|---|---|---:|---:|---:|---:|---:|---:|"
  cat "$ROWS_MD"
  echo
  echo "Ratios (wall time, higher = satudata faster):"
  echo
  for f in valid.csv invalid.csv; do
    s="${WALLS[satudata/$f]:-}"
    line="- $f: satudata ${s}s"
    [ -n "${WALLS[frictionless/$f]:-}" ] && line="$line; Frictionless / satudata = $(ratio "${WALLS[frictionless/$f]}" "$s")"
    [ -n "${WALLS[qsv validate/$f]:-}" ] && line="$line; qsv / satudata = $(ratio "${WALLS[qsv validate/$f]}" "$s")"
    echo "$line"
  done
  if [ -s "$BREAK_MD" ]; then
    echo
    echo "### satudata, one column at a time (valid.csv)"
    echo
    cat "$BREAK_MD"
  fi
  if [ -s "$BIG_MD" ]; then
    echo
    echo "### Big file"
    echo
    echo "| tool | file | expected | verdict | errors | wall (s) | peak RSS (MiB) |"
    echo "|---|---|---|---|---:|---:|---:|"
    cat "$BIG_MD"
  fi
} | tee "$WORK/results.md"
