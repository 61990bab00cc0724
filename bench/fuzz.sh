#!/usr/bin/env bash
# Longer fuzzing than scripts/test does: every libFuzzer target in
# tests/fuzz/ for ${SECONDS_EACH:-300} s, starting from its seed corpus
# tests/fuzz/corpus/<target>/ and a working corpus kept in
# build-fuzz/corpus/<target>/ between runs. Crashes, sanitizer reports and
# leaks stop a target; the input is saved in artifacts/fuzz/.
#   bench/fuzz.sh [TARGET...]
set -uo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${SECONDS_EACH:-300}
JOBS=${JOBS:-$(nproc)}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for src in tests/fuzz/fuzz_*.c; do
		[ -e "$src" ] && targets+=("$(basename "$src" .c)")
	done
fi
[ ${#targets[@]} -gt 0 ] || { echo "fuzz: no targets in tests/fuzz/" >&2; exit 1; }

cmake -S . -B build-fuzz -DQUANTRI_FUZZ=ON -DCMAKE_C_COMPILER=clang >/dev/null &&
	cmake --build build-fuzz -j "$JOBS" --target "${targets[@]}" >/dev/null || exit 1
mkdir -p artifacts/fuzz

failed=0
for t in "${targets[@]}"; do
	mkdir -p "build-fuzz/corpus/$t" "tests/fuzz/corpus/$t"
	echo "== $t: $SECONDS_EACH s"
	if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"build-fuzz/$t" -max_total_time="$SECONDS_EACH" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="artifacts/fuzz/$t-" \
		"build-fuzz/corpus/$t" "tests/fuzz/corpus/$t" 2>"build-fuzz/$t.log"; then
		grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "build-fuzz/$t.log"
		echo "   corpus: $(ls "build-fuzz/corpus/$t" | wc -l) inputs"
	else
		tail -40 "build-fuzz/$t.log"
		echo "== $t: FAILED, see artifacts/fuzz/ and build-fuzz/$t.log"
		failed=$((failed + 1))
	fi
done
echo "fuzz: ${#targets[@]} targets, $failed failed"
[ "$failed" -eq 0 ]
