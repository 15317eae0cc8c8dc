#!/usr/bin/env bash
# End-to-end benchmark against the local feed farm (../shared/bench/farm), rill and the Python
# baseline in the same run, on the same farm. Builds rill in release mode first.
#
#   benches/farm.sh                          # 2,000 feeds (the farm's default)
#   FEEDS=500 BASELINE=0 benches/farm.sh     # smaller, rill only
#   FAIL_SHARE=0.1 DUP_SHARE=0.3 benches/farm.sh
#
# rill gets the same politeness as the baseline: 64 requests in flight, 2 per host, no delay.
# Everything stays on 127.0.0.0/8 (hence allow_private_addresses = true).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
farm=${FARM_DIR:-$here/../shared/bench/farm}
cargo build --release --manifest-path "$here/Cargo.toml" >&2
export RILL_BIN=$here/target/release/rill
export CLIENT_SETUP='cat > rill.toml <<TOML
[storage]
path = "rill.db"
[feeds]
opml = ""
[fetch]
allow_private_addresses = true
concurrency = 64
per_host_concurrency = 2
per_host_interval = "0s"
[log]
level = "warn"
TOML
"$RILL_BIN" --config rill.toml feed import "$FEEDS_OPML" >/dev/null'
export CLIENT='"$RILL_BIN" --config rill.toml poll --once'
exec bash "$farm/run_bench.sh"
