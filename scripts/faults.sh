#!/usr/bin/env bash
# The long version of the fault tests: the SIGKILL harness with many kills, the other fault
# tests (server faults, locked database, full disk: run as root for the tmpfs) and the hostile
# inputs at full size. The default
# `cargo test` runs short versions of the same tests.
#
#   scripts/faults.sh                         # 30 kills
#   RILL_CRASH_KILLS=100 RILL_CRASH_SEED=7 scripts/faults.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export RILL_CRASH_KILLS=${RILL_CRASH_KILLS:-30}
echo "== SIGKILL harness: $RILL_CRASH_KILLS kills (seed ${RILL_CRASH_SEED:-default})"
cargo test --release --test tests -- --nocapture --test-threads 1 processes::sigkill_during_ingest 2>&1 \
  | grep -E "after kill|test result|panicked|FAILED"
echo "== faults: server faults, locked database, full disk"
cargo test --release --test tests -- --test-threads 1 faults:: 2>&1 | grep -E "^test |SKIPPED|test result"
echo "== hostile input at full size (release build)"
cargo test --release --test tests -- hostile:: 2>&1 | grep -E "^test |test result"
