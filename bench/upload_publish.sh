#!/usr/bin/env bash
# Upload to published through the HTTP API, and the server's memory during a large upload
# (issue 12).
#
#   bench/upload_publish.sh              1,000,000 rows (~96 MiB), 3 runs; then a ~1 GiB upload
#   bench/upload_publish.sh --rows 100000 --no-big   quick smoke run
#
# Options: --rows N  --runs N (default 3; 0 for the 1 GiB upload alone)  --work DIR (default /tmp/satudata-upload-bench)
# --no-build (use the release binary as it is)  --no-big (skip the 1 GiB upload); the variable
# SATUDATA_BIN names another binary to measure.
#
# What it does: builds the release binary (cargo build --release, CARGO_TARGET_DIR) and copies
# it to $WORK/bin; generates the reference file with bench/generate.py (the same seeded file as
# bench/run.sh); makes a data directory with one PD, the generated standard and one dataset per
# run, each a recurring feed (a verifier's automatic approval and the PD's standing consent), so
# that nobody has to act between upload and release; starts `satudata serve --workers 1`; then for
# each run POSTs the file as a raw body with a produsen's token and polls the submission until it
# is published (every 20 ms), timing from the first byte sent to the state `published`. The
# server's peak RSS is sampled from /proc every 20 ms. Last, a ~1 GiB file (the reference rows
# repeated) is uploaded to a freshly started server (no embedded worker, so nothing but the upload
# runs in it) while RSS is sampled, and its idle RSS and the peak during the upload are reported.
# Touches only the work directory and the build directory. Prints a markdown report and writes it
# to $WORK/results.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
ROWS=1000000
RUNS=3
WORK=/tmp/satudata-upload-bench
BUILD=1
BIG=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) ROWS="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --no-big) BIG=0; shift ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/satudata-target}"
mkdir -p "$WORK/bin"
if [ "$BUILD" = 1 ]; then
  (cd "$REPO" && cargo build --release --quiet)
fi
# SATUDATA_BIN: another binary to measure (a smoke run with a debug build, say).
cp "${SATUDATA_BIN:-$CARGO_TARGET_DIR/release/satudata}" "$WORK/bin/satudata"
BIN="$WORK/bin/satudata"

if [ ! -f "$WORK/data/valid.csv" ] || [ "$(python3 -c "import json;print(json.load(open('$WORK/data/meta.json'))['rows'])")" != "$ROWS" ]; then
  python3 "$HERE/generate.py" --rows "$ROWS" --out "$WORK/data" > /dev/null 2>&1
fi
FILE="$WORK/data/valid.csv"

# The region: one PD, the generated standard, one dataset per run (and one for the big upload).
REGION="$WORK/region"
rm -rf "$REGION" "$WORK/dd"
mkdir -p "$REGION/standards" "$REGION/datasets"
cat > "$REGION/organizations.json" <<'EOF'
[{"slug": "uji", "nama": "Dinas Uji", "singkatan": "Uji", "kode_wilayah": "61.71", "email": "uji@example.go.id"}]
EOF
cp "$WORK/data/standard.json" "$REGION/standards/"
STANDARD=$(python3 -c "import json;print(json.load(open('$WORK/data/standard.json'))['id'])")
for i in $(seq 1 "$RUNS") besar; do
  cat > "$REGION/datasets/bench-$i.json" <<EOF
{"name": "bench-$i", "title": "Data uji $i", "description": "Data uji tolok ukur unggah sampai terbit.",
 "organization": "uji", "topic": "Lainnya", "tags": ["uji"], "license": "cc-by-sa", "temporal_coverage": {"start": "2024", "end": "2024"}, "frequency": "tahunan",
 "presentation_level": "kabupaten/kota", "spatial_coverage": "61.71", "maintainer": "Bidang Uji",
 "maintainer_email": "uji@example.go.id", "status_kerahasiaan": "terbuka", "standard": "$STANDARD"}
EOF
done
S() { "$BIN" --data-dir "$WORK/dd" "$@"; }
S init > /dev/null
S load "$REGION" > /dev/null
PW="kata sandi tolok ukur"
S user add --role walidata --password "$PW" walidata > /dev/null
S user add --role produsen --org uji --password "$PW" produsen > /dev/null
for i in $(seq 1 "$RUNS") besar; do
  S dataset auto-approve "bench-$i" --status terbuka --as walidata > /dev/null
  S dataset consent "bench-$i" --as produsen > /dev/null
done
TOKEN=$(S token create produsen --expires 1d | tail -1 | tr -d ' ')

PORT=18731
SATUDATA_LOG=warn "$BIN" --data-dir "$WORK/dd" serve --listen "127.0.0.1:$PORT" --workers 1 --upload-limit 2147483648 > "$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT/api/v1"

# Samples the server's RSS (kB) every 20 ms into $1 until the file $2 exists.
sample_rss() {
  local out="$1" stop="$2" peak=0 rss
  while [ ! -e "$stop" ]; do
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status" 2>/dev/null || echo 0)
    [ "${rss:-0}" -gt "$peak" ] && peak=$rss
    sleep 0.02
  done
  echo "$peak" > "$out"
}

# Uploads $2 to dataset $1 and waits until it is published: prints seconds, upload seconds, state.
upload_and_wait() {
  local dataset="$1" file="$2" start answer id state upload_done now
  start=$(date +%s.%N)
  answer=$(curl -s -H "Authorization: Bearer $TOKEN" -H "Content-Type: text/csv" --data-binary "@$file" \
    "$BASE/datasets/$dataset/submissions?filename=data.csv&period=2024")
  upload_done=$(date +%s.%N)
  id=$(python3 -c "import json,sys;print(json.loads(sys.argv[1])['id'])" "$answer")
  while true; do
    state=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/submissions/$id" |
      python3 -c "import json,sys;d=json.load(sys.stdin);print(d.get('state') or d.get('status'))")
    case "$state" in published|invalid|rejected|needs_review) break ;; esac
    sleep 0.02
  done
  now=$(date +%s.%N)
  python3 -c "print(f'{$now-$start:.2f} {$upload_done-$start:.2f} $state')"
}

REPORT="$WORK/results.md"
{
  echo "## Upload to published ($(date -u +%Y-%m-%d), commit $(cd "$REPO" && git rev-parse --short HEAD))"
  echo
  echo "$ROWS rows, $(du -m "$FILE" | cut -f1) MiB, raw body, \`serve --workers 1\`, release build, $(nproc) cores."
  echo
  echo "| run | upload to published (s) | of which the upload (s) | state | server peak RSS (MB) |"
  echo "|---|---:|---:|---|---:|"
} > "$REPORT"
for i in $(seq 1 "$RUNS"); do
  rm -f "$WORK/stop"
  sample_rss "$WORK/rss" "$WORK/stop" &
  SAMPLER=$!
  read -r total upload state < <(upload_and_wait "bench-$i" "$FILE")
  touch "$WORK/stop"; wait $SAMPLER
  echo "| $i | $total | $upload | $state | $(( $(cat "$WORK/rss") / 1024 )) |" >> "$REPORT"
done

if [ "$BIG" = 1 ]; then
  BIGFILE="$WORK/data/big.csv"
  if [ ! -f "$BIGFILE" ]; then
    head -1 "$FILE" > "$BIGFILE"
    while [ "$(stat -c %s "$BIGFILE")" -lt 1070000000 ]; do tail -n +2 "$FILE" >> "$BIGFILE"; done
  fi
  # A fresh server, so that the peak is the upload's own (the runs above leave the worker's
  # memory with the allocator), and its RSS idle before the first byte.
  kill $SERVER 2>/dev/null || true
  wait $SERVER 2>/dev/null || true
  SATUDATA_LOG=warn "$BIN" --data-dir "$WORK/dd" serve --listen "127.0.0.1:$PORT" --workers 0 --upload-limit 2147483648 >> "$WORK/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null && break; sleep 0.1; done
  idle=$(awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status")
  rm -f "$WORK/stop"
  sample_rss "$WORK/rss" "$WORK/stop" &
  SAMPLER=$!
  start=$(date +%s.%N)
  # -T streams the file from disk (--data-binary would read all of it into curl first).
  code=$(curl -s -o "$WORK/big-answer.json" -w "%{http_code}" -X POST -T "$BIGFILE" \
    -H "Authorization: Bearer $TOKEN" -H "Content-Type: text/csv" \
    "$BASE/datasets/bench-besar/submissions?filename=besar.csv&period=2024" || echo "curl-failed")
  touch "$WORK/stop"; wait $SAMPLER
  echo "big upload answered $code: $(head -c 300 "$WORK/big-answer.json" 2>/dev/null)" >&2
  took=$(python3 -c "print(f'{$(date +%s.%N)-$start:.1f}')")
  {
    echo
    echo "Upload of $(du -m "$BIGFILE" | cut -f1) MiB (the rows repeated) to a fresh \`serve --workers 0\`: $took s; server RSS idle $(( idle / 1024 )) MB, peak during the upload $(( $(cat "$WORK/rss") / 1024 )) MB (target < 300 MB)."
  } >> "$REPORT"
fi
cat "$REPORT"
