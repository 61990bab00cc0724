#!/usr/bin/env bash
# Dashboard benchmark (issue 7): the commune's dashboard /report/dashboard
# (as one commune's office), the province view /report/province (as the
# province's user, every commune) and the province user's drill-down into
# one commune, with COMMUNES communes in one database holding YEARS years
# (up to 2026) of everything the dashboards read:
#   bench/plan_gen.py      communes, units, villages, users, a 2026 plan of
#                          TASKS tasks x UPDATES updates each
#   cases_sql (below)      CASES citizens' cases per commune over YEARS
#                          years (made by the database, as voice_gen.py)
#   bench/dashboard_gen.py a survey round per commune-year (the demo
#                          round of `quantri init --demo` copied onto the
#                          commune's villages: its PAPI estimate),
#                          DISCLOSURES disclosures, OUTREACH outreach
#                          activities (outreach_gen.py) and INSPECTIONS
#                          inspections (findings, recommendations followed
#                          by plan tasks) per commune-year
# wrk (16 connections): p95, requests/s and CPU per request, with the
# views cache on and off (CACHES: the dashboards keep their figures under
# the database's version, src/report/report_kept.c), beside nginx serving
# the same page's bytes as a file (the floor). Then the yearly report of
# one commune end to end with the CLI (`report build yearly 2026`, then
# `report file ID --pdf`), beside pdftoppm rasterising that PDF. SQLite
# and PostgreSQL, Release build. Prints figures; passes or fails nothing.
# See bench/README.md ("Dashboards").
#
#   bench/dashboard.sh  (COMMUNES=104 YEARS=5 TASKS=300 UPDATES=5
#                        CASES=1000 DISCLOSURES=40 OUTREACH=150
#                        INSPECTIONS=4 DURATION=10s CONNECTIONS=16
#                        CACHES="true false" BACKENDS="sqlite postgres"
#                        PDF_RUNS=3 BUILD=build-bench-dash
#                        PGNAME=qt_dash_bench PORT=18780)
# Quick run: COMMUNES=10 YEARS=2 DURATION=3s. KEEP=1 keeps $TMP (the
# SQLite database, the pages, the PDF, the logs) and the PostgreSQL
# database; QUANTRI_TIMING=1 makes the server log each view statement's
# time into $TMP/quantri-<backend>-<cache>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
COMMUNES=${COMMUNES:-104}
TASKS=${TASKS:-300}
UPDATES=${UPDATES:-5}
CASES=${CASES:-1000}
YEARS=${YEARS:-5}
DISCLOSURES=${DISCLOSURES:-40}
OUTREACH=${OUTREACH:-150}
INSPECTIONS=${INSPECTIONS:-4}
CACHES=${CACHES:-true false}
PDF_RUNS=${PDF_RUNS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
BACKENDS=${BACKENDS:-sqlite postgres}
PORT=${PORT:-18780}
NGINX_PORT=${NGINX_PORT:-$((PORT + 1))}
BUILD=${BUILD:-build-bench-dash}
PGNAME=${PGNAME:-qt_dash_bench}
KEEP=${KEEP:-}
PASSWORD=bench-pass-2026

for tool in wrk nginx curl cmake python3 sqlite3 psql pdftoppm pdfinfo; do
	command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || {
		echo "bench: $tool is missing: run scripts/install-deps" >&2
		exit 1
	}
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

echo "== building Release in $BUILD/"
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DQUANTRI_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j "$(nproc)" --target quantri >/dev/null
BIN=$ROOT/$BUILD/quantri

TMP=$(mktemp -d "${TMPDIR:-/tmp}/quantri-dash-bench-XXXXXX")
chmod 755 "$TMP"
QPID= NPID= PGDB=
cleanup() {
	[ -n "$QPID" ] && kill "$QPID" 2>/dev/null && wait "$QPID" 2>/dev/null
	[ -n "$NPID" ] && kill "$NPID" 2>/dev/null && wait "$NPID" 2>/dev/null
	if [ -n "$KEEP" ]; then
		echo "bench: kept $TMP${PGDB:+ and the database $PGNAME}" >&2
		return 0
	fi
	[ -n "$PGDB" ] && psql -X -q "$(scripts/pg-start)" \
		-c "DROP DATABASE IF EXISTS $PGNAME WITH (FORCE)" >/dev/null 2>&1
	rm -rf "$TMP"
	return 0
}
trap cleanup EXIT
# the demo survey round is the model of every commune's rounds
export QUANTRI_SECRET_FILE=$TMP/secret.key QUANTRI_DEMO_ROUND=1
# "today" for the pages: the generated data run to 27/11/2026
export QUANTRI_NOW=2026-11-27T08:00:00Z

wait_200() {
	for _ in $(seq 1 500); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ] && return 0
		sleep 0.02
	done
	echo "bench: no 200 from $1" >&2
	return 1
}

# url [cookie] -> "p95_ms rps non2xx"
load() {
	local args=(-t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s bench/p95.lua)
	[ $# -gt 1 ] && args+=(-H "Cookie: $2")
	wrk "${args[@]}" "$1" | awk '$1 == "P95" { print $2, $3, $4 }'
}

# CPU time (user + system, clock ticks) of these processes; a process
# gone or not ours counts 0
TICK=$(getconf CLK_TCK)
cpu_ticks() {
	local t=0 p
	for p in "$@"; do
		[ -r "/proc/$p/stat" ] || continue
		t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
	done
	echo "$t"
}
# the PostgreSQL backends serving the bench's database (none on SQLite)
db_pids() {
	[ "$backend" = postgres ] || return 0
	psql -X -At "$DB" -c "SELECT pid FROM pg_stat_activity WHERE datname = \
		current_database() AND pid <> pg_backend_pid()" 2>/dev/null || true
}
# ticks, requests/s -> ms of CPU per request over the wrk run
per_req() {
	awk -v t="$1" -v r="$2" -v d="${DURATION%s}" -v k="$TICK" \
		'BEGIN { n = r * d; if (n > 0) printf "%.2f", t * 1000 / k / n; else print "-" }'
}
secs() { # start (date +%s.%N) -> seconds since, 2 decimals
	awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'
}
median() { # numbers -> their median
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

login() { # user -> cookie value
	local jar=$TMP/jar.$1 csrf
	curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$PORT/login" -o "$TMP/form.html"
	csrf=$(grep -o 'name="csrf_token"[^>]*value="[^"]*"' "$TMP/form.html" |
		tail -1 | sed 's/.*value="//; s/"$//')
	curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "username=$1" \
		--data-urlencode "password=$PASSWORD" --data-urlencode "csrf_token=$csrf" \
		"http://127.0.0.1:$PORT/login"
	local s
	s=$(awk '$6 == "qt_session" { print $7 }' "$jar")
	[ -n "$s" ] || { echo "bench: login as $1 failed" >&2; exit 1; }
	echo "qt_session=$s"
}

# CASES cases per generated commune over YEARS years up to 2026-11-26,
# each in one of its villages; of the last 30 days' two in five open with
# a due day (half of those past it), the rest answered. $1: sqlite or
# postgres.
cases_sql() {
	local pg=$1 n=$((CASES * COMMUNES)) span=$((YEARS * 365))
	# j: the case's number within its commune (i % COMMUNES picks the
	# commune), so that every commune gets every type and status
	local j="(s.i / $COMMUNES)" series day due ans code open
	# open: two in five of the last 30 days' cases (half of them past
	# their 15 days); the rest answered in 7
	open="($j % 5 < 2 AND s.i % $span < 30)"
	if [ "$pg" = postgres ]; then
		series="generate_series(1, $n) AS s(i)"
		day="to_char(DATE '2026-11-26' - (s.i % $span), 'YYYY-MM-DD')"
		due="to_char(DATE '2026-11-26' - (s.i % $span) + 15, 'YYYY-MM-DD')"
		ans="to_char(DATE '2026-11-26' - (s.i % $span) + 7, 'YYYY-MM-DD')"
		code="'PD' || to_char(s.i, 'FM00000000')"
	else
		series="(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $n) SELECT i FROM s) AS s"
		day="date('2026-11-26', '-' || (s.i % $span) || ' days')"
		due="date('2026-11-26', '-' || (s.i % $span) || ' days', '+15 days')"
		ans="date('2026-11-26', '-' || (s.i % $span) || ' days', '+7 days')"
		code="'PD' || printf('%08d', s.i)"
	fi
	cat <<SQL
BEGIN;
CREATE TEMP TABLE bcv AS SELECT ROW_NUMBER() OVER (ORDER BY c.id) - 1 AS k,
 c.id AS commune_id, MIN(v.id) AS village_id FROM units c JOIN units v ON
 v.parent_id = c.id AND v.kind = 'village' WHERE c.kind = 'commune' AND
 c.parent_id IN ($BENCH_PROVINCE) GROUP BY c.id;
INSERT INTO cases (commune_id, code, secret_hash, case_type, topic_id,
 village_id, channel, title, body, text_fold, status, received_on, due_on,
 answered_on, answer_due_on, published, created_at, updated_at)
SELECT bcv.commune_id, $code, 'bench',
 CASE $j % 10 WHEN 0 THEN 'complaint' WHEN 1 THEN 'petition' WHEN 2 THEN 'petition'
  WHEN 3 THEN 'denunciation' ELSE 'feedback' END,
 1 + s.i % 11, bcv.village_id,
 CASE $j % 3 WHEN 0 THEN 'paper' ELSE 'online' END, '',
 'Phản ánh: đường thôn xuống cấp, đề nghị sửa chữa',
 'phan anh: duong thon xuong cap, de nghi sua chua',
 CASE WHEN $open THEN 'assigned' ELSE 'answered' END,
 $day, CASE WHEN $open THEN $due END,
 CASE WHEN NOT $open THEN $ans END,
 CASE WHEN NOT $open THEN $due END, 0,
 $day || 'T02:00:00Z', $day || 'T02:00:00Z'
FROM $series JOIN bcv ON bcv.k = s.i % $COMMUNES;
COMMIT;
SQL
}

# plan_gen.py's province (code 99) and communes
BENCH_PROVINCE="SELECT id FROM units WHERE kind = 'province' AND code = '99'"
BENCH_COMMUNES="SELECT id FROM units WHERE kind = 'commune' AND parent_id IN ($BENCH_PROVINCE)"
# what dashboard_gen.py reads (its docstring): villages, units, office
# users and leaf tasks of the communes, the disclosure items
communes_tsv_sql() {
	cat <<SQL
SELECT 'v', parent_id, id, 0, '' FROM units WHERE kind = 'village' AND parent_id IN ($BENCH_COMMUNES)
UNION ALL SELECT 'u', parent_id, id, 0, '' FROM units WHERE kind = 'unit' AND parent_id IN ($BENCH_COMMUNES)
UNION ALL SELECT 'o', u.parent_id, r.user_id, 0, '' FROM user_roles r JOIN units u ON u.id = r.unit_id
 WHERE r.role = 'office' AND u.parent_id IN ($BENCH_COMMUNES)
UNION ALL SELECT 't', p.unit_id, t.id, t.lead_unit_id, t.status FROM tasks t JOIN plans p ON p.id = t.plan_id
 WHERE t.is_leaf = 1 AND p.unit_id IN ($BENCH_COMMUNES)
UNION ALL SELECT 'i', 0, no, id, frequency FROM disclosure_items
ORDER BY 1, 2, 3
SQL
}

mkdir -p "$TMP/www" "$TMP/nginx/logs"
cat >"$TMP/nginx/nginx.conf" <<NGINX
worker_processes $(nproc);
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
	access_log off; sendfile on; keepalive_requests 100000;
	client_body_temp_path $TMP/nginx/body; proxy_temp_path $TMP/nginx/proxy;
	fastcgi_temp_path $TMP/nginx/fastcgi; uwsgi_temp_path $TMP/nginx/uwsgi;
	scgi_temp_path $TMP/nginx/scgi;
	types { text/html html; }
	server { listen 127.0.0.1:$NGINX_PORT; root $TMP/www; }
}
NGINX
chmod -R a+rX "$TMP/www"
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/logs/error.log" &
NPID=$!

RESULTS=() PDFS=() LOADS=()
for backend in $BACKENDS; do
	echo "== $backend: $COMMUNES communes × $YEARS years: $TASKS tasks × $UPDATES updates, $CASES cases, a survey round a year, $DISCLOSURES disclosures, $OUTREACH activities, $INSPECTIONS inspections a year each"
	if [ "$backend" = postgres ]; then
		DB=$(scripts/pg-fresh-db "$PGNAME")
		PGDB=1
		SQL=(psql -X -q -v ON_ERROR_STOP=1 "$DB")
		HASHQ=(psql -X -At "$DB" -c)
		TSVQ=(psql -X -At -F $'\t' "$DB" -c)
	else
		DB=$TMP/dash.db
		SQL=(sqlite3 -bail "$DB")
		HASHQ=(sqlite3 "$DB")
		TSVQ=(sqlite3 -separator $'\t' "$DB")
	fi
	t0=$(date +%s.%N)
	"$BIN" --db "$DB" init --demo >/dev/null
	"$BIN" --db "$DB" user add bench_seed "Bench Seed" --password "$PASSWORD" >/dev/null
	HASH=$("${HASHQ[@]}" "SELECT password_hash FROM users WHERE username = 'bench_seed'")
	tinit=$(secs "$t0")
	t0=$(date +%s.%N)
	python3 bench/plan_gen.py "$COMMUNES" "$TASKS" "$UPDATES" "$HASH" | "${SQL[@]}" >/dev/null
	cases_sql "$backend" | "${SQL[@]}" >/dev/null
	"${TSVQ[@]}" "$(communes_tsv_sql)" >"$TMP/communes.tsv"
	python3 bench/dashboard_gen.py "$YEARS" "$DISCLOSURES" "$OUTREACH" "$INSPECTIONS" \
		<"$TMP/communes.tsv" | "${SQL[@]}" >/dev/null
	# VACUUM as autovacuum does after a load this size: without the
	# visibility map an index-only scan still reads every row it counts
	[ "$backend" = postgres ] && psql -X -q "$DB" -c "VACUUM (ANALYZE)" >/dev/null
	[ "$backend" = sqlite ] && sqlite3 "$DB" "ANALYZE"
	counts=$("${HASHQ[@]}" "SELECT (SELECT COUNT(*) FROM survey_rounds) || ' rounds, ' ||
		(SELECT COUNT(*) FROM interviews) || ' interviews, ' ||
		(SELECT COUNT(*) FROM tasks) || ' tasks, ' ||
		(SELECT COUNT(*) FROM cases) || ' cases, ' ||
		(SELECT COUNT(*) FROM disclosures) || ' disclosures, ' ||
		(SELECT COUNT(*) FROM outreach_activities) || ' activities, ' ||
		(SELECT COUNT(*) FROM inspections) || ' inspections, ' ||
		(SELECT COUNT(*) FROM recommendations) || ' recommendations'")
	echo "   init --demo in $tinit s; data loaded in $(secs "$t0") s: $counts"
	LOADS+=("$backend: $counts")
	for cache in $CACHES; do
	QUANTRI_VIEWS_CACHE=$cache "$BIN" --db "$DB" serve --port "$PORT" --listen 127.0.0.1 >"$TMP/quantri-$backend-$cache.log" 2>&1 &
	QPID=$!
	wait_200 "http://127.0.0.1:$PORT/healthz"
	for run in "bench_vp_001 dashboard /report/dashboard" \
		"bench_tinh province /report/province?sort=total&dir=desc" \
		"bench_tinh drill-down /report/dashboard?commune=1000001"; do
		read -r who name path <<<"$run"
		COOKIE=$(login "$who")
		url="http://127.0.0.1:$PORT$path"
		file=$name-$backend-$cache.html
		# the first request (figures computed, and kept when the cache
		# is on), then the same under load
		t1=$(date +%s.%N)
		code=$(curl -s -o "$TMP/www/$file" -w '%{http_code}' -H "Cookie: $COOKIE" "$url")
		first=$(awk -v a="$t1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
		if [ "$code" != 200 ]; then
			# a page that fails is a figure too: say so, go on
			echo "bench: $url as $who: HTTP $code:" \
				"$(grep -m1 'level=error' "$TMP/quantri-$backend-$cache.log" | cut -c1-300)" >&2
			RESULTS+=("$(printf '%-9s %-6s %-13s %-11s %7s %7s %8s' "$backend" "$cache" "$who" "$name" \
				"-" "$first" "HTTP $code")")
			continue
		fi
		pids0=$(db_pids)
		c0=$(cpu_ticks "$QPID") d0=$(cpu_ticks $pids0)
		read -r qp95 qrps qbad < <(load "$url" "$COOKIE")
		c1=$(cpu_ticks "$QPID") d1=$(cpu_ticks $(db_pids))
		qcpu=$(per_req $((c1 - c0)) "$qrps")
		dcpu=-
		[ "$backend" = postgres ] && dcpu=$(per_req $((d1 - d0)) "$qrps")
		read -r np95 nrps _ < <(load "http://127.0.0.1:$NGINX_PORT/$file")
		[ "$qbad" = 0 ] || echo "bench: $qbad non-2xx replies from $url" >&2
		RESULTS+=("$(printf '%-9s %-6s %-13s %-11s %7s %7s %8s %8s %8s %8s %9s %10s' "$backend" "$cache" "$who" "$name" \
			"$(stat -c %s "$TMP/www/$file")" "$first" "$qp95" "$qrps" "$qcpu" "$dcpu" "$np95" "$nrps")")
	done
	kill "$QPID"; wait "$QPID" 2>/dev/null || true; QPID=
	done

	# the yearly report of commune 1 (code 90000) end to end with the
	# CLI: its figures gathered and its document built and stored, then
	# the stored report drawn as PDF; pdftoppm rasterising that PDF at
	# 150 dpi is the reference
	tb=() tf=() tr=()
	for k in $(seq 1 "$PDF_RUNS"); do
		t0=$(date +%s.%N)
		rid=$("$BIN" --db "$DB" report build yearly 2026 --commune 90000)
		tb+=("$(secs "$t0")")
		t0=$(date +%s.%N)
		"$BIN" --db "$DB" report file "$rid" --pdf -o "$TMP/yearly-$backend.pdf"
		tf+=("$(secs "$t0")")
		rm -f "$TMP"/page-*.png
		t0=$(date +%s.%N)
		pdftoppm -r 150 -png "$TMP/yearly-$backend.pdf" "$TMP/page"
		tr+=("$(secs "$t0")")
	done
	pages=$(pdfinfo "$TMP/yearly-$backend.pdf" | awk '/^Pages:/ { print $2 }')
	PDFS+=("$(printf '%-9s %6s %6s %12s %12s %8s %14s' "$backend" "$pages" \
		"$(( $(stat -c %s "$TMP/yearly-$backend.pdf") / 1024 ))" "$(median "${tb[@]}")" \
		"$(median "${tf[@]}")" "$(awk -v a="$(median "${tb[@]}")" -v b="$(median "${tf[@]}")" 'BEGIN { printf "%.2f", a + b }')" \
		"$(median "${tr[@]}")")")
done

echo
echo "quantri $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "$COMMUNES communes × $YEARS years ($((2027 - YEARS))..2026): $TASKS tasks × $UPDATES updates (the 2026 plan), and per commune-year: $((CASES / YEARS)) cases, a survey round, $DISCLOSURES disclosures, $OUTREACH activities, $INSPECTIONS inspections"
printf '  %s\n' "${LOADS[@]}"
printf '%-9s %-6s %-13s %-11s %7s %7s %8s %8s %8s %8s %9s %10s\n' backend cache user page bytes "1st ms" "p95 ms" "req/s" "cpu/req" "db/req" "nginx p95" "nginx r/s"
printf '%s\n' "${RESULTS[@]}"
echo "bench_vp_001: the office of commune 1; bench_tinh: the province (all $COMMUNES communes); drill-down: its view of commune 1"
echo "cache: views_cache (figures kept until the next recorded change); false = every page computed afresh"
echo "1st ms: the first request (curl, computes and keeps the figures); cpu/req: ms of quantri's CPU per request; db/req: of PostgreSQL's backends"
echo
echo "yearly report 2026 of commune 1 (quantri report build yearly 2026 --commune 90000; report file ID --pdf), median of $PDF_RUNS, seconds"
printf '%-9s %6s %6s %12s %12s %8s %14s\n' backend pages KiB "build s" "file --pdf s" "total s" "pdftoppm -r150"
printf '%s\n' "${PDFS[@]}"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine shows in p95, less in cpu/req)"
echo "aim: dashboard p95 < 100 ms, province p95 < 300 ms, yearly PDF < 2 s"
