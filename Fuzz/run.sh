#!/usr/bin/env bash
# `make fuzz`: runs each libFuzzer target for FUZZ_SECONDS, one at a time, and prints a table (docs/fuzzing.md).
# Usage: Fuzz/run.sh BUILD_DIR "TARGETS" SECONDS
# Each target starts from its committed seeds (Fuzz/Corpus/NAME) and from the corpus it grew in earlier runs
# (BUILD_DIR/corpus/NAME, kept out of git); crashes and differences go to BUILD_DIR/artifacts/NAME/.
set -uo pipefail
build=$1 targets=$2 seconds=$3
here=$(cd "$(dirname "$0")" && pwd)
# The Swift runtime's backtracer and ASan both want the crash; ASan's report is the useful one.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
status=0
rows=()
for target in $targets; do
  binary=$build/release/fuzz-$target
  [ -x "$binary" ] || { echo "fuzz: no $binary (FUZZ_TARGETS names: $(ls "$here/Corpus" | tr '\n' ' '))"; exit 2; }
  corpus=$build/corpus/$target artifacts=$build/artifacts/$target log=$build/logs/$target.log
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  dict=(); [ -f "$here/Dictionaries/$target.dict" ] && dict=(-dict="$here/Dictionaries/$target.dict")
  echo "fuzz: $target for ${seconds}s (log $log)"
  "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "${dict[@]}" "$corpus" "$here/Corpus/$target" >"$log" 2>&1
  rc=$?
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  execs=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$')
  cov=$(grep -o 'cov: [0-9]*' <<<"$last" | grep -o '[0-9]*'); ft=$(grep -o 'ft: [0-9]*' <<<"$last" | grep -o '[0-9]*')
  units=$(ls "$corpus" | wc -l)
  found=$(ls "$artifacts" | grep -c -E '^(crash|leak|timeout|oom)-')
  if [ $rc -ne 0 ]; then status=1; grep -E 'DIFFERENCE|ERROR: AddressSanitizer|Fatal error|deadly signal|Test unit written' "$log" | head -5; fi
  rows+=("$(printf '%-10s %8s %7s %7s %8s %8s  %s' "$target" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$units" "$found" "$([ $rc -eq 0 ] && echo ok || echo "FAILED (exit $rc)")")")
done
echo
printf '%-10s %8s %7s %7s %8s %8s  %s\n' target "exec/s" cov ft corpus findings result
printf '%s\n' "${rows[@]}"
exit $status
