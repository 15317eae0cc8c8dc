#!/usr/bin/env bash
# The idle daemon at scale: `rill run` over N feeds (default 100,000) that are not due, measured
# as a user would see it: resident memory after start-up and CPU used over a quiet minute.
# Target: under 150 MB RSS with 100,000 feeds, CPU near zero between due times.
#
#   benches/idle.sh            # 100,000 feeds, 60 s
#   FEEDS=10000 SECONDS_IDLE=20 benches/idle.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
feeds=${FEEDS:-100000}
idle=${SECONDS_IDLE:-60}
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin=$here/target/release/rill
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
cat > "$work/rill.toml" <<TOML
[storage]
path = "$work/rill.db"
[feeds]
opml = ""
[schedule]
startup_spread = "0s"
[log]
level = "warn"
TOML
python3 - "$work" "$feeds" <<'PY'
import sys
work, n = sys.argv[1], int(sys.argv[2])
with open(f"{work}/feeds.opml", "w") as f:
    f.write('<?xml version="1.0"?><opml version="2.0"><body>\n')
    for i in range(n):
        f.write(f'<outline type="rss" xmlUrl="https://host{i % 5000}.example/feed/{i}.xml"/>\n')
    f.write("</body></opml>\n")
PY
"$bin" --config "$work/rill.toml" feed import "$work/feeds.opml" >/dev/null
# Every feed was polled an hour ago and is due in a day.
python3 - "$work/rill.db" <<'PY'
import sqlite3, sys, datetime
db = sqlite3.connect(sys.argv[1])
now = datetime.datetime.now(datetime.timezone.utc)
fmt = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
db.execute("UPDATE feeds SET last_fetch_at = ?, next_poll_at = ?",
           (fmt(now - datetime.timedelta(hours=1)), fmt(now + datetime.timedelta(days=1))))
db.commit()
PY
"$bin" --config "$work/rill.toml" run &
pid=$!
sleep 5
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks)
sleep "$idle"
t1=$(ticks)
rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
kill -TERM "$pid"
wait "$pid" || true
cpu=$(echo "scale=3; ($t1 - $t0) / $hz" | bc)
pct=$(echo "scale=3; 100 * ($t1 - $t0) / $hz / $idle" | bc)
echo "idle rill run, $feeds feeds: RSS $((rss / 1024)) MB (peak $((hwm / 1024)) MB); CPU ${cpu} s over ${idle} s = ${pct}% of one core"
