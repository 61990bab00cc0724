#!/usr/bin/env bash
# quantri's survey estimation beside R's survey package, pandas, DuckDB and
# the floor (one pass over the numbers in memory). See bench/README.md.
#
#   bench/estimate.sh                 # both sizes (the big one takes long)
#   SIZES=papi bench/estimate.sh      # PAPI size only
#
# Environment: SIZES ("papi big"), R_BIG_VARS (variables R estimates at
# the big size, 1), R_TIMEOUT (seconds per R run, 1800), THREADS (quantri's
# threads; default: the cores; a second run uses one).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SIZES=${SIZES:-papi big}
R_BIG_VARS=${R_BIG_VARS:-1}
R_TIMEOUT=${R_TIMEOUT:-1800}
# named, so that the PAPI size runs them too (by default quantri uses one
# thread below 4,194,304 numbers)
THREADS=${THREADS:-$(nproc)}
BUILD=$ROOT/build-bench-est
DATA=$ROOT/bench/data
OUT=$(mktemp -d "${TMPDIR:-/tmp}/quantri-bench-est.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
PY=/usr/bin/python3 # Debian's, with python3-pandas
scripts/install-deps --bench

echo "building quantri (Release) in $BUILD ..." >&2
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DQUANTRI_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j "$(nproc)" --target quantri >/dev/null
mkdir -p "$DATA"
cc -O2 -DGEN_SURVEY_MAIN -o "$DATA/gen_survey" tests/oracle/gen_survey.c -lm
cc -O2 -o "$DATA/floor" bench/floor.c
if [ ! -d bench/node_modules/@duckdb/node-api ]; then
	(cd bench && npm install --no-audit --no-fund >/dev/null 2>&1) ||
		echo "bench: npm install of @duckdb/node-api failed: no DuckDB column" >&2
fi

# field KEY FILE: the value of key=value in FILE
field() { grep -o "$1=[0-9.e+-]*" "$2" | tail -1 | cut -d= -f2; }
# peak RSS (MB) and wall seconds written by /usr/bin/time -f '%M %e'
rss_mb() { awk 'END { printf "%.0f", $1 / 1024 }' "$1"; }

run_size() {
	local name=$1 rows=$2 strata=$3 clusters=$4 units=$5 by=$6 seed=$7
	local csv=$DATA/$name.csv vars=130
	if [ ! -s "$csv" ]; then
		echo "generating $csv ($rows x $vars) ..." >&2
		"$DATA/gen_survey" "$rows" "$vars" "$strata" "$clusters" "$units" "$seed" >"$csv.tmp"
		mv "$csv.tmp" "$csv"
	fi
	local mb raw_mb
	mb=$(du -m "$csv" | cut -f1)
	raw_mb=$((rows * vars * 8 / 1000000))
	echo
	echo "== $name: $rows interviews x $vars indicators, $strata strata, $clusters clusters, by $by ($mb MB of CSV; raw numbers $raw_mb MB) =="
	# quantri: once to warm the page cache (the others get it warm too),
	# then timed: with the default threads (the cores), then with one.
	# estimate_s is the command's own estimation (from the loaded
	# columns to every mean and SE: design, pass, variances; no CSV, no
	# printing); --repeat 5 runs it 4 more times on the same columns for
	# estimate_best_s, the best, as the floor takes its best of 3.
	local q=$OUT/$name-quantri q1=$OUT/$name-quantri1
	run_q() { # out-prefix extra-args...
		local o=$1
		shift
		/usr/bin/time -f '%M %e' -o "$o.time" "$BUILD/quantri" survey estimate "$csv" \
			--weight w --strata stratum --cluster cluster --by "$by" --vars 'q*' \
			--timing --repeat 5 "$@" >"$o.csv" 2>"$o.err"
	}
	run_q "$q" --threads "$THREADS"
	run_q "$q" --threads "$THREADS"
	run_q "$q1" --threads 1
	local q_load q_est q_best q1_load q1_est q1_best q_threads
	q_load=$(field load_s "$q.err")
	q_est=$(field estimate_s "$q.err")
	q_best=$(field estimate_best_s "$q.err")
	q_threads=$(field threads "$q.err")
	q1_load=$(field load_s "$q1.err")
	q1_est=$(field estimate_s "$q1.err")
	q1_best=$(field estimate_best_s "$q1.err")
	"$DATA/floor" "$rows" "$vars" >"$OUT/floor.txt"
	local floor_s floor_first
	floor_s=$(field pass_s "$OUT/floor.txt")
	floor_first=$(field first_s "$OUT/floor.txt")
	printf '%-10s %9s %11s %9s %10s %8s  %s\n' tool import_s estimate_s total_s est/quantri rss_MB "agreement with quantri"
	line() { # tool load est rss agree
		local ratio
		ratio=$(awk -v a="$3" -v b="$q_est" 'BEGIN { if (a == "" || a == "-") print "-"; else printf "%.1fx", a / b }')
		local total
		total=$(awk -v a="$2" -v b="$3" 'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%.3f", a + b }')
		printf '%-10s %9s %11s %9s %10s %8s  %s\n' "$1" "$2" "$3" "$total" "$ratio" "$4" "$5"
	}
	line quantri "$q_load" "$q_est" "$(rss_mb "$q.time")" "(reference; $q_threads threads)"
	line quantri-1t "$q1_load" "$q1_est" "$(rss_mb "$q1.time")" "one thread: $($PY bench/compare.py "$q.csv" "$q1.csv")"
	line floor - "$floor_s" - "one pass over the numbers, one thread"

	# R: every variable at the PAPI size; R_BIG_VARS at the big one
	local rv=$vars note=""
	[ "$name" = big ] && rv=$R_BIG_VARS
	local r=$OUT/$name-r
	if command -v Rscript >/dev/null &&
		timeout "$R_TIMEOUT" /usr/bin/time -f '%M %e' -o "$r.time" \
			Rscript bench/estimate_r.R "$csv" "$by" "$rv" "$r.csv" 2>"$r.err"; then
		local r_est r_load
		r_est=$(grep -o 'estimate_s=[0-9.]*' "$r.err" | cut -d= -f2)
		r_load=$(grep -o 'load_s=[0-9.]*' "$r.err" | cut -d= -f2)
		if [ "$rv" != "$vars" ]; then
			# scale to all the variables: svyby's time grows with them
			note=" (ran $rv of $vars variables; time scaled x$((vars / rv)))"
			r_est=$(awk -v a="$r_est" -v k="$((vars / rv))" 'BEGIN { printf "%.1f", a * k }')
		fi
		line R "$r_load" "$r_est" "$(rss_mb "$r.time")" "$($PY bench/compare.py "$q.csv" "$r.csv")$note"
	else
		line R - - - "did not finish within ${R_TIMEOUT}s ($rv variables) or failed: $(tail -1 "$r.err" 2>/dev/null)"
	fi

	local p=$OUT/$name-pandas
	if /usr/bin/time -f '%M %e' -o "$p.time" $PY bench/estimate_pandas.py "$csv" "$by" "$p.csv" 2>"$p.err"; then
		line pandas "$(field load_s "$p.err")" "$(field estimate_s "$p.err")" "$(rss_mb "$p.time")" "$($PY bench/compare.py "$q.csv" "$p.csv")"
	else
		line pandas - - - "failed: $(tail -1 "$p.err")"
	fi

	local d=$OUT/$name-duckdb
	if [ -d bench/node_modules/@duckdb/node-api ] &&
		/usr/bin/time -f '%M %e' -o "$d.time" node bench/estimate_duckdb.mjs "$csv" "$by" "$d.csv" 2>"$d.err"; then
		line DuckDB "$(field load_s "$d.err")" "$(field estimate_s "$d.err")" "$(rss_mb "$d.time")" "$($PY bench/compare.py "$q.csv" "$d.csv")"
	else
		line DuckDB - - - "not run: $(tail -1 "$d.err" 2>/dev/null)"
	fi
	echo "quantri: $(cat "$q.err")"
	echo "quantri, one thread: $(cat "$q1.err")"
	awk -v e="$q_est" -v b="$q_best" -v e1="$q1_est" -v b1="$q1_best" -v t="$q_threads" \
		-v f="$floor_s" -v ff="$floor_first" -v rss="$(rss_mb "$q.time")" -v raw="$raw_mb" 'BEGIN {
		printf "floor (one thread): best pass %.6f s, first pass %.6f s\n", f, ff
		printf "quantri estimation / floor, best / best: %.2fx with %d threads, %.2fx with one thread\n", b / f, t, b1 / f
		printf "quantri estimation / floor, first / first: %.2fx with %d threads, %.2fx with one thread\n", e / ff, t, e1 / ff
		printf "quantri peak RSS / raw numbers: %.2fx\n", rss / raw }'
}

for s in $SIZES; do
	case $s in
	papi) run_size papi 19536 63 828 200 stratum 1 ;;
	big) run_size big 2000000 100 10000 2000 unit 2 ;;
	*) echo "bench/estimate.sh: unknown size $s" >&2; exit 2 ;;
	esac
done
