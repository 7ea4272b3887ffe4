-- wrk script for bench/read_latency.sh: every request asks for one of the generated datasets,
-- in turn (each wrk thread starts at its own place in the list), at the path template in the
-- environment variable BENCH_PATH with {name} replaced ("/api/v1/datasets/{name}" or
-- "/api/v1/datasets/{name}/releases"). Names are read from BENCH_NAMES (one a line). Responses
-- that are not 200 are counted and printed at the end: a benchmark of 404s measures nothing.

local names = {}
local template = os.getenv("BENCH_PATH") or "/api/v1/datasets/{name}"
for line in io.lines(os.getenv("BENCH_NAMES") or "names.txt") do
  if #line > 0 then names[#names + 1] = line end
end

local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  i = (id * 7919) % #names
  bad = 0
end

function request()
  i = i % #names + 1
  local path = template:gsub("{name}", names[i])
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local total_bad = 0
  for _, t in ipairs(threads) do total_bad = total_bad + (t:get("bad") or 0) end
  io.write(string.format("names: %d\n", #names))
  io.write(string.format("non-200: %d\n", total_bad))
  local e = summary.errors
  io.write(string.format(
    "RESULT p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f rps=%.1f requests=%d non200=%d socket_errors=%d\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests / (summary.duration / 1e6), summary.requests, total_bad,
    e.connect + e.read + e.write + e.timeout))
end
