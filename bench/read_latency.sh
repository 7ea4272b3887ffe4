#!/usr/bin/env bash
# Read latency of the HTTP API (issue 12): `GET /api/v1/datasets/{name}` and
# `GET /api/v1/datasets/{name}/releases`, p99 <= 10 ms at 200 concurrent connections on loopback
# with 1,000 datasets loaded.
#
#   bench/read_latency.sh                    build, make the data directory once, measure both routes
#   bench/read_latency.sh --duration 30      seconds per measured run (default 25)
#
# Options: --datasets N (default 1000)  --work DIR (default /tmp/satudata-read-latency)
# --duration S (default 25)  --warmup S (uncounted wrk run before each measured one; default 5)
# --connections N (default 200)  --threads N (wrk threads; default 2)  --no-build (use
# $WORK/bin/satudata as it is)  --fresh (remake the data directory)  --portal (measure the CKAN
# API's package_show, target p99 <= 5 ms, package_search with a query and two facets, <= 20 ms,
# and the dataset page, <= 30 ms, of issue 13, instead of the JSON API's two routes).
#
# What it does: builds the release binary (`cargo build --release` in $CARGO_TARGET_DIR, default
# $HOME/.cache/satudata-target) and copies it to $WORK/bin; writes a region folder with
# read_latency/generate.py (5 PDs, one standard, N dataset metadata files, a 6-row CSV and a
# pipeline each); `satudata init`, `load`, and `satudata run` for every pipeline, so that every
# dataset has a published release; starts `satudata serve` on 127.0.0.1 (a free port); then for
# each route runs wrk (installed with apt-get when missing) with --latency and
# read_latency/spread.lua, which spreads the requests over all N names and counts non-200
# answers. Prints a markdown table and writes it to $WORK/results.md; wrk's own output is in
# $WORK/out/. Touches only $WORK and the build directory. Not run by CI.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"

DATASETS=1000
WORK=/tmp/satudata-read-latency
DURATION=25
WARMUP=5
CONNECTIONS=200
THREADS=2
BUILD=1
FRESH=0
PORTAL=0

while [ $# -gt 0 ]; do
  case "$1" in
    --datasets) DATASETS="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --fresh) FRESH=1; shift ;;
    --portal) PORTAL=1; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

mkdir -p "$WORK/bin" "$WORK/out"
BIN="$WORK/bin/satudata"
DATA="$WORK/data"
REGION="$WORK/region"

log() { printf '== %s\n' "$*" >&2; }

install_wrk() {
  command -v wrk >/dev/null 2>&1 && return
  log "installing wrk (apt-get)"
  local sudo=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo=sudo; fi
  $sudo apt-get install -y wrk || { $sudo apt-get update && $sudo apt-get install -y wrk; }
}

build() {
  if [ "$BUILD" -eq 0 ]; then
    [ -x "$BIN" ] || { echo "--no-build: $BIN is missing" >&2; exit 2; }
    return
  fi
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/satudata-target}"
  log "cargo build --release (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
  (cd "$REPO" && cargo build --release --quiet --bin satudata)
  # A copy, so that another build cannot swap the binary mid-run.
  cp "$CARGO_TARGET_DIR/release/satudata" "$BIN.new" && mv "$BIN.new" "$BIN"
}

# The data directory: made once per --datasets (a marker names the count), reused after.
make_data() {
  local marker="$DATA/.bench-datasets-$DATASETS"
  if [ "$FRESH" -eq 0 ] && [ -f "$marker" ]; then
    log "reusing $DATA ($DATASETS datasets)"
    return
  fi
  rm -rf "$DATA" "$REGION"
  log "generating $DATASETS datasets in $REGION"
  python3 "$HERE/read_latency/generate.py" "$REGION" --datasets "$DATASETS"
  "$BIN" --data-dir "$DATA" init >/dev/null
  "$BIN" --data-dir "$DATA" load "$REGION" >/dev/null
  # Every dataset a recurring feed (a verifier's automatic approval, its PD's standing consent),
  # so that each pipeline's submission publishes at once, in the name of its PD's produsen.
  log "accounts and recurring-feed switches"
  local pw="kata sandi tolok ukur baca"
  "$BIN" --data-dir "$DATA" user add --role walidata --password "$pw" walidata >/dev/null
  for org in $(cut -d' ' -f2 "$REGION/feeds.txt" | sort -u); do
    "$BIN" --data-dir "$DATA" user add --role produsen --org "$org" --password "$pw" "produsen-$org" >/dev/null
  done
  while read -r name org status; do
    "$BIN" --data-dir "$DATA" dataset auto-approve "$name" --status "$status" --as walidata >/dev/null
    "$BIN" --data-dir "$DATA" dataset consent "$name" --as "produsen-$org" >/dev/null
  done < "$REGION/feeds.txt"
  log "publishing: satudata run for each of $DATASETS pipelines"
  local start failed=0
  start=$(date +%s)
  for pipeline in "$REGION"/pipelines/*.toml; do
    if ! "$BIN" --data-dir "$DATA" run "$pipeline" >"$WORK/out/run.log" 2>&1; then
      failed=$((failed + 1))
      cat "$WORK/out/run.log" >&2
    fi
  done
  [ "$failed" -eq 0 ] || { echo "$failed pipelines failed" >&2; exit 1; }
  log "published $DATASETS releases in $(( $(date +%s) - start )) s"
  touch "$marker"
}

SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
trap stop_server EXIT

# Starts `serve` on a free port and sets URL from the line it prints first.
start_server() {
  SATUDATA_LOG=warn "$BIN" --data-dir "$DATA" serve --listen 127.0.0.1:0 \
    >"$WORK/out/serve.out" 2>"$WORK/out/serve.err" &
  SERVER_PID=$!
  URL=""
  for _ in $(seq 1 100); do
    URL=$(grep -o 'http://[0-9.:]*' "$WORK/out/serve.out" | head -1 || true)
    [ -n "$URL" ] && break
    sleep 0.1
  done
  [ -n "$URL" ] || { cat "$WORK/out/serve.err" >&2; echo "serve did not start" >&2; exit 1; }
  log "serving on $URL (pid $SERVER_PID)"
}

# Checks that the routes answer 200 for a generated name (a benchmark of 404s measures nothing).
check_routes() {
  local name path
  name=$(head -1 "$REGION/names.txt")
  for path in "/api/v1/datasets/$name" "/api/v1/datasets/$name/releases"; do
    local status
    status=$(curl -s -o "$WORK/out/check.json" -w '%{http_code}' "$URL$path")
    [ "$status" = 200 ] || { echo "$path answered $status: $(cat "$WORK/out/check.json")" >&2; exit 1; }
  done
  grep -q '"version"' "$WORK/out/check.json" || { echo "no release in $(cat "$WORK/out/check.json")" >&2; exit 1; }
}

# Runs wrk on one route template; prints the RESULT line of spread.lua.
measure() {
  local label="$1" template="$2"
  local out="$WORK/out/wrk-$label.txt"
  export BENCH_PATH="$template" BENCH_NAMES="$REGION/names.txt"
  log "$label: warm-up ${WARMUP}s"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$HERE/read_latency/spread.lua" "$URL" >/dev/null
  log "$label: ${DURATION}s, $CONNECTIONS connections, $THREADS threads"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency \
    -s "$HERE/read_latency/spread.lua" "$URL" | tee "$out" >&2
  grep '^RESULT ' "$out"
}

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"; }

install_wrk
build
make_data
start_server
check_routes

ROWS=""
# label:target p99 in ms:path template
if [ "$PORTAL" -eq 1 ]; then
  ROUTES=("package_show:5:/api/3/action/package_show?id={name}"
    "package_search:20:/api/3/action/package_search?q={name}&rows=10&facet.field=%5B%22organization%22,%22tags%22%5D"
    "dataset_page:30:/dataset/{name}")
else
  ROUTES=("datasets:10:/api/v1/datasets/{name}" "releases:10:/api/v1/datasets/{name}/releases")
fi
for route in "${ROUTES[@]}"; do
  label="${route%%:*}"
  rest="${route#*:}"
  target="${rest%%:*}"
  template="${rest#*:}"
  result=$(measure "$label" "$template")
  verdict="met"
  awk -v p="$(field "$result" p99_ms)" -v t="$target" 'BEGIN { exit !(p > t) }' && verdict="missed"
  ROWS+="| \`GET ${template}\` | $(field "$result" p50_ms) | $(field "$result" p90_ms) | $(field "$result" p99_ms) | $(field "$result" max_ms) | $(field "$result" rps) | $(field "$result" requests) | $(field "$result" non200) | $(field "$result" socket_errors) | <= $target ms: $verdict |"$'\n'
done
stop_server

commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
{
  echo "## Read latency: $DATASETS datasets, $CONNECTIONS connections, $THREADS wrk threads, ${DURATION} s a route"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$commit\`, $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo
  echo "| route | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | requests/s | requests | non-200 | socket errors | p99 target |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  printf '%s' "$ROWS"
} | tee "$WORK/results.md"
