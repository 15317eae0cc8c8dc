#!/usr/bin/env bash
# Property-based fuzzing without nightly: runs each proptest target again and again with fresh
# random seeds and many cases, for a bounded time per target, and reports the executions.
#
#   scripts/fuzz.sh                      # 60 s per target
#   FUZZ_SECONDS=600 scripts/fuzz.sh     # 10 minutes per target (what a release note reports)
#   scripts/fuzz.sh extract              # one target
#
# A failing case is printed minimised by proptest and saved under proptest-regressions/, where
# the default `cargo test` replays it from then on: commit that file with the fix.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
cases=${FUZZ_CASES:-2000}
# target name | cargo test arguments | number of property tests the filter selects
targets=(
  "feed|--test tests parse_fixtures::|3"
  "canonical|--lib dedup::canonical::|1"
  "extract|--lib extract::tests::never_panics|2"
  "quotes|--lib enrich::tests::never_panics|3"
)
only=${1:-}
cargo test --release --no-run --quiet >/dev/null 2>&1 || cargo test --release --no-run
printf '%-10s %8s %10s %s\n' target runs execs result
for t in "${targets[@]}"; do
  IFS='|' read -r name args props <<<"$t"
  [ -n "$only" ] && [ "$only" != "$name" ] && continue
  end=$(( $(date +%s) + seconds ))
  runs=0
  result=ok
  while [ "$(date +%s)" -lt "$end" ]; do
    seed=$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')
    # shellcheck disable=SC2086
    if ! PROPTEST_CASES=$cases PROPTEST_RNG_SEED=$seed cargo test --release --quiet $args >"/tmp/rill-fuzz-$name.log" 2>&1; then
      result="FAILED (seed $seed, see /tmp/rill-fuzz-$name.log)"
      break
    fi
    runs=$((runs + 1))
  done
  printf '%-10s %8d %10d %s\n' "$name" "$runs" $((runs * cases * props)) "$result"
  [ "$result" = ok ] || exit 1
done
