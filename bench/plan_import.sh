#!/usr/bin/env bash
# Importing progress updates: a generated CSV of 50,000 reports (the most a
# file may hold) on the demo 2024 plan of Minh Tiến, timed through
# `quantri plan import --updates` on SQLite and on PostgreSQL, beside
# pandas reading the same CSV and keeping each task's last report (what a
# person would otherwise do with a script). Prints figures; passes or fails
# nothing. See bench/README.md.
#
#   bench/plan_import.sh      (ROWS=50000 BACKENDS="sqlite postgres"
#                             BIN=path/to/quantri skips the build)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ROWS=${ROWS:-50000}
BACKENDS=${BACKENDS:-sqlite postgres}
BUILD=${BUILD:-build-bench}

for tool in cmake python3; do
	command -v "$tool" >/dev/null || {
		echo "bench: $tool is missing: run scripts/install-deps" >&2
		exit 1
	}
done

if [ -z "${BIN:-}" ]; then
	echo "== building Release in $BUILD/"
	cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DQUANTRI_TESTS=OFF >/dev/null
	cmake --build "$BUILD" -j "$(nproc)" --target quantri >/dev/null
	BIN=$ROOT/$BUILD/quantri
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/quantri-import-bench-XXXXXX")
PGDB=
cleanup() {
	[ -n "$PGDB" ] && psql -X -q "$(scripts/pg-start)" \
		-c "DROP DATABASE IF EXISTS qt_import_bench WITH (FORCE)" >/dev/null 2>&1
	rm -rf "$TMP"
	return 0
}
trap cleanup EXIT
export QUANTRI_SECRET_FILE=$TMP/secret.key QUANTRI_DEMO_ROUND=0

# The demo's 2024 plan: its id and its tasks, from the export, so the file
# names real tasks. Only tasks without sub-tasks take reports.
"$BIN" --db "$TMP/gen.db" init --demo >/dev/null
PLAN=$("$BIN" --db "$TMP/gen.db" plan list | awk -F'\t' '$2 == 2024 { print $1 }')
"$BIN" --db "$TMP/gen.db" plan export "$PLAN" --format csv -o "$TMP/tasks.csv"

# ROWS reports spread over the leaf tasks, each task's progress rising
# through 2024 to done; seeded, so runs compare.
python3 - "$TMP/tasks.csv" "$TMP/updates.csv" "$ROWS" <<'PY'
import csv, datetime, random, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
random.seed(2024)
rows = list(csv.reader(open(src, encoding="utf-8-sig")))
h = rows[0]
ID, STT, PARENT = h.index("Mã nhiệm vụ"), h.index("STT"), h.index("Thuộc STT")
parents = {r[PARENT] for r in rows[1:] if r[PARENT]}
leaves = [r[ID] for r in rows[1:] if r[STT] not in parents]
per = (n + len(leaves) - 1) // len(leaves)
status = {0: "Chưa thực hiện", 100: "Hoàn thành"}
with open(dst, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow(["Mã nhiệm vụ", "Ngày", "Tiến độ (%)", "Trạng thái", "Ghi chú"])
    for i in range(n):
        task, k = leaves[i % len(leaves)], i // len(leaves)
        day = datetime.date(2024, 1, 1) + datetime.timedelta(days=k * 365 // per)
        progress = min(100, k * 100 // max(1, per - 1))
        w.writerow([task, day.strftime("%d/%m/%Y"), progress,
                    status.get(progress, "Đang thực hiện"),
                    f"Lần {k + 1}: đã rà soát, đôn đốc thôn {random.randint(1, 9)}"])
print(f"generated {n} reports on {len(leaves)} tasks: "
      f"{sum(1 for _ in open(dst, encoding='utf-8')) - 1} rows")
PY
SIZE=$(du -k "$TMP/updates.csv" | cut -f1)
echo "file: $TMP/updates.csv, ${SIZE} kB"

secs() { python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.2f}")' "$1" "$2"; }
now() { date +%s.%N; }

for backend in $BACKENDS; do
	case $backend in
	sqlite) DB=$TMP/bench.db ;;
	postgres)
		PGDB=1
		DB=$(scripts/pg-fresh-db qt_import_bench)
		;;
	*)
		echo "bench: unknown backend $backend" >&2
		exit 1
		;;
	esac
	"$BIN" --db "$DB" init --demo >/dev/null
	t0=$(now)
	"$BIN" --db "$DB" plan import "$PLAN" "$TMP/updates.csv" --updates
	t1=$(now)
	# once more: every row is already there, nothing is written
	"$BIN" --db "$DB" plan import "$PLAN" "$TMP/updates.csv" --updates >/dev/null
	t2=$(now)
	"$BIN" --db "$DB" plan export "$PLAN" --format csv --updates -o "$TMP/back.csv"
	n=$(($(wc -l <"$TMP/back.csv") - 1))
	printf '%-9s import %s rows: %6s s; again (all unchanged): %6s s; reports in the plan now: %d\n' \
		"$backend" "$ROWS" "$(secs "$t0" "$t1")" "$(secs "$t1" "$t2")" "$n"
done

# The floor: pandas reads the CSV and keeps each task's last report by
# date (file order within a day), the state the import leaves tasks in.
# (Debian's python3-pandas: /usr/bin/python3 when another python3 is first
# on the PATH)
PANDAS=
for py in python3 /usr/bin/python3; do
	"$py" -c 'import pandas' 2>/dev/null && PANDAS=$py && break
done
if [ -n "$PANDAS" ]; then
	"$PANDAS" - "$TMP/updates.csv" <<'PY'
import sys, time
t0 = time.perf_counter()
import pandas as pd
t1 = time.perf_counter()
df = pd.read_csv(sys.argv[1], encoding="utf-8")
df["day"] = pd.to_datetime(df["Ngày"], format="%d/%m/%Y")
last = df.sort_values(["Mã nhiệm vụ", "day"], kind="stable").groupby("Mã nhiệm vụ").tail(1)
t2 = time.perf_counter()
print(f"pandas    read + last report per task: {t2 - t1:6.2f} s "
      f"(+ {t1 - t0:.2f} s to import pandas); {len(last)} tasks")
PY
else
	echo "pandas    missing: scripts/install-deps --bench installs python3-pandas"
fi
