#!/usr/bin/env bash
# Side by side: two satudata release builds on the 1M-row reference files, alternating runs.
#
#   python3 bench/generate.py --out /tmp/satudata-bench
#   cp <old build>/satudata /tmp/satudata-base; cp <new build>/satudata /tmp/satudata-new
#   bench/compare.sh [ROUNDS]      (default 7; one uncounted run of each first)
#
# Prints the median wall and CPU time and the peak RSS of each, and whether the two reports on
# invalid.csv agree in their totals.
set -u
W=/tmp/satudata-bench
rm -f /tmp/compare.raw
for f in valid.csv invalid.csv; do
  for b in base new; do /tmp/satudata-$b validate --standard $W/standard.json --references $W --format json --limit 100 $W/$f > /dev/null 2>&1; done
  for i in $(seq 1 ${1:-7}); do
    for b in base new; do
      /usr/bin/time -f "$b $f %e %U %S %M" /tmp/satudata-$b validate --standard $W/standard.json --references $W --format json --limit 100 $W/$f > /tmp/cmp-$b-$f.json 2>> /tmp/compare.raw
    done
  done
done
python3 - <<'PY'
import statistics, collections
d=collections.defaultdict(list)
for line in open('/tmp/compare.raw'):
    p=line.split()
    if len(p)==6 and p[0] in ('base','new'):
        d[(p[0],p[1])].append((float(p[2]),float(p[3])+float(p[4]),int(p[5])))
for f in ('valid.csv','invalid.csv'):
    for b in ('base','new'):
        v=d[(b,f)]
        if v: print(f"{f:12} {b:5} median wall {statistics.median(x[0] for x in v):.3f} s  cpu {statistics.median(x[1] for x in v):.3f} s  max rss {max(x[2] for x in v)/1024:.0f} MiB  runs {len(v)}")
PY
cmp <(python3 -c "import json;r=json.load(open('/tmp/cmp-base-invalid.csv.json'));print(json.dumps({k:r[k] for k in ('valid','rows','errors','warnings','totals_by_code')},sort_keys=True))") <(python3 -c "import json;r=json.load(open('/tmp/cmp-new-invalid.csv.json'));print(json.dumps({k:r[k] for k in ('valid','rows','errors','warnings','totals_by_code')},sort_keys=True))") && echo "reports agree (totals)"
