#!/usr/bin/env bash
# Verifies systemd/rill.service: `systemd-analyze verify` (syntax, directives) and
# `systemd-analyze security --offline=yes` (exposure score; fails above 2.0).
# Installs Debian's systemd package when systemd-analyze is missing (needs root + apt).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v systemd-analyze >/dev/null; then
    echo "installing systemd (for systemd-analyze)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd >/dev/null
fi
unit=systemd/rill.service
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# verify resolves ExecStart: point it at a built binary in a copy of the unit.
bin=$(pwd)/target/release/rill
[ -x "$bin" ] || bin=$(pwd)/target/debug/rill
if [ ! -x "$bin" ]; then cargo build --quiet; fi
sed "s|/usr/local/bin/rill|$bin|" "$unit" > "$tmp/rill.service"
echo "== systemd-analyze verify"
SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$tmp/rill.service" 2>&1 | grep -v "Failed to open /dev/tty\|/proc/" || true
if SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$tmp/rill.service" 2>&1 | grep -qi "unknown\|invalid\|failed to parse"; then
    echo "verify found problems" >&2
    exit 1
fi
echo "== systemd-analyze security --offline=yes"
out=$(systemd-analyze security --offline=yes --no-pager "$tmp/rill.service" 2>&1)
echo "$out" | tail -n 3
score=$(echo "$out" | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p' | tail -1)
[ -n "$score" ] || { echo "no exposure score in the output" >&2; exit 1; }
echo "exposure score: $score (must be 2.0 or lower)"
awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'
