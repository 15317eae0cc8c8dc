#!/usr/bin/env bash
# benches/farm.sh, but keeping what the shared run_bench.sh deletes on exit, so the run can be
# checked afterwards: the rill database, /truth before pass 1 and before pass 2 (the farm's truth
# changes with /admin/advance), /stats after each pass, and `rill feed ls --json` after pass 2.
#
#   OUT=/tmp/farm-300 FEEDS=300 bash benches/farm_keep.sh
#   KEEP_FARM=1 ...      leave the farm running at the end (its pid is in $OUT/farm.pid)
#   BASELINE_FIRST=1 ... run the Python baseline before rill (rill then meets a warm farm cache)
#   LATENCY_MS=250 CONCURRENCY=8 PER_HOST=2 ...   a slower farm and rill's fetch limits (defaults
#                        20, 64, 2): with the network slow enough, rill's throughput follows its
#                        concurrency at well under a core (benches/latency.sh runs the series)
#
# It starts the shared farm.py with the same arguments and defaults as run_bench.sh, writes the
# same rill config as benches/farm.sh, and measures each pass with the shared measure.py, so its
# figures are comparable with farm.sh. BASELINE [1]: 0 skips the Python baseline. Then run
#   python3 benches/farm_check.py $OUT        stored vs truth, lost / duplicated articles
#   python3 benches/story_score.py $OUT       same-story pairwise precision / recall
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
farmdir=${FARM_DIR:-$here/../shared/bench/farm}
venv=${VENV:-/tmp/venv-farm}
port=${PORT:-8808}
farm_url=http://127.0.0.2:$port
out=${OUT:?set OUT to a directory for the kept artifacts}
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --upgrade pip
  "$venv/bin/pip" install -q -r "$farmdir/requirements.txt"
fi
py=$venv/bin/python
cargo build --release --manifest-path "$here/Cargo.toml" >&2
rill=${RILL_OVERRIDE:-$here/target/release/rill}

"$py" "$farmdir/farm.py" --feeds "${FEEDS:-2000}" --items "${ITEMS:-20}" --hosts "${HOSTS:-50}" --port "$port" \
  --latency-ms "${LATENCY_MS:-20}" --fail-share "${FAIL_SHARE:-0}" --dup-share "${DUP_SHARE:-0.15}" \
  --max-seconds 3600 >"$out/farm.log" 2>&1 &
farm=$!
echo "$farm" >"$out/farm.pid"
if [ "${KEEP_FARM:-0}" = 1 ]; then
  trap 'echo "farm left running: pid $farm, $farm_url"' EXIT
else
  # Keep the run's own status: the farm's SIGTERM status (143) must not become the script's.
  trap 'rc=$?; kill $farm 2>/dev/null; wait $farm 2>/dev/null || true; exit $rc' EXIT
fi
for _ in $(seq 1 600); do
  curl -sf "$farm_url/feeds.txt" -o "$out/feeds.txt" 2>/dev/null && break
  sleep 0.2
done
curl -sf "$farm_url/feeds.opml" -o "$out/feeds.opml"
head -1 "$out/farm.log"
curl -sf "$farm_url/truth" >"$out/truth0.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("truth:", d["healthy_feeds"], "recoverable:", d["with_recoverable_feeds"], "failing feeds:", d["failing_feeds"])' "$out/truth0.json"

stats_delta() {  # label before.json now.json
  python3 -c '
import json,sys
before=json.load(open(sys.argv[2])); now=json.load(open(sys.argv[3]))
d={k: v-before["requests"].get(k,0) for k,v in now["requests"].items() if v-before["requests"].get(k,0)}
print(sys.argv[1], "farm saw:", json.dumps(d, sort_keys=True), "peak in-flight per host (whole farm run):", now["peak_inflight_per_host"])' "$@"
}

farm_cpu() {  # CPU seconds the farm process has used so far (utime + stime)
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$farm/stat" 2>/dev/null || echo 0
}

one() {  # label setup pass
  local label=$1 setup=$2 pass=$3 dir=$out/$1
  rm -rf "$dir"; mkdir -p "$dir"
  export FARM_URL=$farm_url FEEDS_OPML=$out/feeds.opml FEEDS_TXT=$out/feeds.txt WORKDIR=$dir RILL_BIN=$rill
  [ -n "$setup" ] && (cd "$dir" && bash -c "$setup")
  curl -sf "$farm_url/truth" >"$dir/truth0.json"
  curl -sf "$farm_url/stats" >"$dir/stats0.json"
  echo "$label load: $(cut -d' ' -f1-3 /proc/loadavg)"
  local c0; c0=$(farm_cpu)
  "$py" "$farmdir/measure.py" "$label pass1" "cd '$dir' && $pass"
  echo "$label pass1 farm_cpu_s=$(echo "$(farm_cpu) $c0" | awk '{printf "%.2f", $1 - $2}') (CPU the farm, one Python thread, spent serving this pass)"
  curl -sf "$farm_url/stats" >"$dir/stats1.json"
  stats_delta "$label pass1" "$dir/stats0.json" "$dir/stats1.json"
  if [ "$label" = client ]; then  # snapshot through SQLite (a plain cp would miss a leftover WAL)
    echo "client after pass1: $(ls -l "$dir" | grep -c 'rill.db-wal') wal file(s), wal bytes: $(stat -c %s "$dir/rill.db-wal" 2>/dev/null || echo none)"
    python3 -c 'import sqlite3,sys; s=sqlite3.connect(sys.argv[1]); d=sqlite3.connect(sys.argv[2]); s.backup(d); d.close(); s.close()' \
      "$dir/rill.db" "$dir/rill-pass1.db"
  fi
  echo "$label advance: $(curl -sf "$farm_url/admin/advance?k=3&share=0.2")"
  curl -sf "$farm_url/truth" >"$dir/truth1.json"
  echo "$label load: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$py" "$farmdir/measure.py" "$label pass2" "cd '$dir' && $pass"
  curl -sf "$farm_url/stats" >"$dir/stats2.json"
  stats_delta "$label pass2" "$dir/stats1.json" "$dir/stats2.json"
  stats_delta "$label both passes" "$dir/stats0.json" "$dir/stats2.json"
}

baseline() {
  one baseline "" "'$py' '$farmdir/baseline/pipeline.py' \"\$FEEDS_TXT\" \"\$WORKDIR/baseline.db\""
}
# The farm builds and gzips each article page the first time it is asked for and caches it, so
# the client that runs first pays the farm's cache fill (measured: 47 farm CPU s for rill's
# 2,000-feed pass 1, 15 for the baseline's after it). BASELINE_FIRST=1 runs the baseline first.
if [ "${BASELINE:-1}" != 0 ] && [ "${BASELINE_FIRST:-0}" = 1 ]; then
  baseline
fi
one client 'cat > rill.toml <<TOML
[storage]
path = "rill.db"
[feeds]
opml = ""
[fetch]
allow_private_addresses = true
concurrency = ${CONCURRENCY:-64}
per_host_concurrency = ${PER_HOST:-2}
per_host_interval = "0s"
[log]
level = "warn"
TOML
"$RILL_BIN" --config rill.toml feed import "$FEEDS_OPML" >/dev/null' '"$RILL_BIN" --config rill.toml poll --once'
(cd "$out/client" && "$rill" --config rill.toml feed ls --json >feeds-after.json 2>&1 || true)
if [ "${BASELINE:-1}" != 0 ] && [ "${BASELINE_FIRST:-0}" != 1 ]; then
  baseline
fi
echo "kept in $out"
