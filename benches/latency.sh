#!/usr/bin/env bash
# Who limits a pass when the network is slow: rill or the network?
#
#   bash benches/latency.sh                         # 200 feeds, 250 ms farm latency, 8 16 32 64
#   FEEDS=300 LATENCY_MS=400 STEPS="8 32" bash benches/latency.sh
#
# Runs rill's pass 1 (benches/farm_keep.sh, no baseline, a fresh farm each time) at each fetch
# concurrency in STEPS and prints one row per step: wall and CPU seconds, the share of one core
# rill used, articles stored and articles/s, and that rate against the network's ceiling. With
# every request waiting LATENCY_MS at the farm, `concurrency` requests in flight can complete at
# most concurrency / latency per second; a pass that is network-bound follows that ceiling as
# the concurrency grows, at well under a core. A pass that is CPU-bound stops following it.
# The per-host limit stays at 2 (the farm spreads feeds over 50 loopback hosts, so 100 requests
# can be in flight at most). Artifacts of each step are kept in $OUT_BASE/cN.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
feeds=${FEEDS:-200}
latency=${LATENCY_MS:-250}
base=${OUT_BASE:-/tmp/rill-latency}
mkdir -p "$base"
printf '%-11s %7s %7s %6s %9s %10s %9s %15s %8s\n' concurrency wall_s cpu_s cores articles articles/s requests ceiling_req/s of_ceil
for c in ${STEPS:-8 16 32 64}; do
  out=$base/c$c
  LATENCY_MS=$latency FEEDS=$feeds CONCURRENCY=$c BASELINE=0 OUT=$out \
    bash "$here/benches/farm_keep.sh" >"$out.log" 2>&1 || { echo "step $c failed: see $out.log" >&2; exit 1; }
  line=$(grep 'client pass1 exit' "$out.log")
  wall=$(sed -E 's/.*wall_s=([0-9.]+).*/\1/' <<<"$line")
  cpu=$(sed -E 's/.*cpu_s=([0-9.]+).*/\1/' <<<"$line")
  saw=$(grep 'client pass1 farm saw:' "$out.log" | sed -E 's/.*farm saw: (\{[^}]*\}).*/\1/')
  python3 - "$out/client/rill-pass1.db" "$wall" "$cpu" "$c" "$latency" "$saw" <<'PY'
import json, sqlite3, sys
db, wall, cpu, c, latency = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
# Every feed, page and robots.txt request the farm answered in the pass (not the script's own).
requests = sum(v for k, v in json.loads(sys.argv[6]).items() if k.split()[0] not in ("stats", "truth", "admin"))
con = sqlite3.connect(db)
articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
con.close()
ceiling = c / (latency / 1000.0)  # requests/s with c always in flight
print(f"{c:<11} {wall:7.2f} {cpu:7.2f} {cpu / wall:6.2f} {articles:9} {articles / wall:10.1f} {requests:9} {ceiling:15.1f} {requests / wall / ceiling:8.0%}")
PY
done
