#!/usr/bin/env bash
# Dashboard benchmark (issue 7): the commune's dashboard /report/dashboard
# (as one commune's office) and the province view /report/province (as
# the province's user, every commune) with COMMUNES communes in one
# database: bench/plan_gen.py's communes, units, users and plan (TASKS
# tasks × UPDATES updates each), and CASES citizens' cases per commune
# received over YEARS years (made by the database itself, as
# bench/voice_gen.py does for one commune). wrk (16 connections), p95 and
# requests/s, beside nginx serving the same page's bytes as a file (the
# floor). SQLite and PostgreSQL, Release build. Prints figures; passes or
# fails nothing. See bench/README.md ("Dashboards").
#
#   bench/dashboard.sh  (COMMUNES=104 TASKS=300 UPDATES=5 CASES=1000
#                        YEARS=5 DURATION=10s CONNECTIONS=16
#                        BACKENDS="sqlite postgres" BUILD=build-bench-dash
#                        PGNAME=qt_dash_bench PORT=18780)
# Quick run: COMMUNES=104 TASKS=30 UPDATES=2 CASES=200 DURATION=5s.
# KEEP=1 keeps $TMP (the SQLite database, the pages, the logs) and the
# PostgreSQL database.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
COMMUNES=${COMMUNES:-104}
TASKS=${TASKS:-300}
UPDATES=${UPDATES:-5}
CASES=${CASES:-1000}
YEARS=${YEARS:-5}
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

for tool in wrk nginx curl cmake python3 sqlite3 psql; do
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
export QUANTRI_SECRET_FILE=$TMP/secret.key QUANTRI_DEMO_ROUND=0
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
# each in one of its villages; two in five open with a due day (some of
# those past it), the rest answered. $1: sqlite or postgres.
cases_sql() {
	local pg=$1 n=$((CASES * COMMUNES)) span=$((YEARS * 365))
	local series day due ans code
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
 c.id >= 1000000 GROUP BY c.id;
INSERT INTO cases (commune_id, code, secret_hash, case_type, topic_id,
 village_id, channel, title, body, text_fold, status, received_on, due_on,
 answered_on, answer_due_on, published, created_at, updated_at)
SELECT bcv.commune_id, $code, 'bench',
 CASE s.i % 10 WHEN 0 THEN 'complaint' WHEN 1 THEN 'petition' WHEN 2 THEN 'petition'
  WHEN 3 THEN 'denunciation' ELSE 'feedback' END,
 1 + s.i % 11, bcv.village_id,
 CASE s.i % 3 WHEN 0 THEN 'paper' ELSE 'online' END, '',
 'Phản ánh: đường thôn xuống cấp, đề nghị sửa chữa',
 'phan anh: duong thon xuong cap, de nghi sua chua',
 CASE WHEN s.i % 5 < 2 THEN 'assigned' ELSE 'answered' END,
 $day, CASE WHEN s.i % 5 < 2 THEN $due END,
 CASE WHEN s.i % 5 >= 2 THEN $ans END,
 CASE WHEN s.i % 5 >= 2 THEN $due END, 0,
 $day || 'T02:00:00Z', $day || 'T02:00:00Z'
FROM $series JOIN bcv ON bcv.k = s.i % $COMMUNES;
COMMIT;
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

RESULTS=()
for backend in $BACKENDS; do
	echo "== $backend: $COMMUNES communes × $TASKS tasks × $UPDATES updates, $CASES cases each over $YEARS years"
	if [ "$backend" = postgres ]; then
		DB=$(scripts/pg-fresh-db "$PGNAME")
		PGDB=1
		SQL=(psql -X -q -v ON_ERROR_STOP=1 "$DB")
		HASHQ=(psql -X -At "$DB" -c)
	else
		DB=$TMP/dash.db
		SQL=(sqlite3 "$DB")
		HASHQ=(sqlite3 "$DB")
	fi
	"$BIN" --db "$DB" init >/dev/null
	"$BIN" --db "$DB" user add bench_seed "Bench Seed" --password "$PASSWORD" >/dev/null
	HASH=$("${HASHQ[@]}" "SELECT password_hash FROM users WHERE username = 'bench_seed'")
	t0=$(date +%s.%N)
	python3 bench/plan_gen.py "$COMMUNES" "$TASKS" "$UPDATES" "$HASH" | "${SQL[@]}" >/dev/null
	cases_sql "$backend" | "${SQL[@]}" >/dev/null
	[ "$backend" = postgres ] && psql -X -q "$DB" -c "VACUUM (ANALYZE)" >/dev/null
	[ "$backend" = sqlite ] && sqlite3 "$DB" "ANALYZE"
	echo "   data loaded in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
	"$BIN" --db "$DB" serve --port "$PORT" --listen 127.0.0.1 >"$TMP/quantri-$backend.log" 2>&1 &
	QPID=$!
	wait_200 "http://127.0.0.1:$PORT/healthz"
	for run in "bench_vp_001 dashboard /report/dashboard" \
		"bench_tinh province /report/province?sort=total&dir=desc" \
		"bench_tinh drill-down /report/dashboard?commune=1000001"; do
		read -r who name path <<<"$run"
		COOKIE=$(login "$who")
		url="http://127.0.0.1:$PORT$path"
		code=$(curl -s -o "$TMP/www/$name.html" -w '%{http_code}' -H "Cookie: $COOKIE" "$url")
		[ "$code" = 200 ] || { echo "bench: $url as $who: HTTP $code" >&2; exit 1; }
		read -r qp95 qrps qbad < <(load "$url" "$COOKIE")
		read -r np95 nrps _ < <(load "http://127.0.0.1:$NGINX_PORT/$name.html")
		[ "$qbad" = 0 ] || echo "bench: $qbad non-2xx replies from $url" >&2
		RESULTS+=("$(printf '%-9s %-13s %-11s %8s %9s %9s %10s %10s' "$backend" "$who" "$name" \
			"$(stat -c %s "$TMP/www/$name.html")" "$qp95" "$qrps" "$np95" "$nrps")")
	done
	kill "$QPID"; wait "$QPID" 2>/dev/null || true; QPID=
done

echo
echo "quantri $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "$COMMUNES communes, $TASKS tasks × $UPDATES updates and $CASES cases over $YEARS years each"
printf '%-9s %-13s %-11s %8s %9s %9s %10s %10s\n' backend user page bytes "p95 ms" "req/s" "nginx p95" "nginx r/s"
printf '%s\n' "${RESULTS[@]}"
echo "aim: dashboard p95 < 100 ms, province p95 < 300 ms"
