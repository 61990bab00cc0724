#!/usr/bin/env bash
# Plan benchmark: the overdue list and the scorecard page with 100 communes
# × 300 tasks × 20 progress updates in one database, on SQLite and on
# PostgreSQL, under wrk (16 connections); p95 latency beside nginx serving
# the same page bytes. Prints figures; passes or fails nothing. See
# bench/README.md.
#
#   bench/plan.sh      (COMMUNES=100 TASKS=300 UPDATES=20 DURATION=10s
#                       CONNECTIONS=16 BACKENDS="sqlite postgres"
#                       CACHES="true false" BUILD=build-bench
#                       PGNAME=qt_plan_bench PORT=18180)
#
# QUANTRI_TIMING=1 in the environment makes the server print each view
# statement's time (and the page's phases) into its log,
# $TMP/quantri-<backend>-<cache>.log: KEEP=1 keeps $TMP (with the SQLite
# database) and the PostgreSQL database.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
COMMUNES=${COMMUNES:-100}
TASKS=${TASKS:-300}
UPDATES=${UPDATES:-20}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
BACKENDS=${BACKENDS:-sqlite postgres}
PORT=${PORT:-18180}
NGINX_PORT=${NGINX_PORT:-$((PORT + 1))}
CACHES=${CACHES:-true false}
# two benchmarks at once: each its own build, port and database
BUILD=${BUILD:-build-bench}
PGNAME=${PGNAME:-qt_plan_bench}
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

TMP=$(mktemp -d "${TMPDIR:-/tmp}/quantri-plan-bench-XXXXXX")
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
# "today" for the pages: the generated plan runs through 2026
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
	echo "== $backend: $COMMUNES communes × $TASKS tasks × $UPDATES updates"
	if [ "$backend" = postgres ]; then
		DB=$(scripts/pg-fresh-db "$PGNAME")
		PGDB=1
		SQL=(psql -X -q -v ON_ERROR_STOP=1 "$DB")
		HASHQ=(psql -X -At "$DB" -c)
	else
		DB=$TMP/plan.db
		SQL=(sqlite3 "$DB")
		HASHQ=(sqlite3 "$DB")
	fi
	"$BIN" --db "$DB" init >/dev/null
	"$BIN" --db "$DB" user add bench_seed "Bench Seed" --password "$PASSWORD" >/dev/null
	HASH=$("${HASHQ[@]}" "SELECT password_hash FROM users WHERE username = 'bench_seed'")
	t0=$(date +%s.%N)
	python3 bench/plan_gen.py "$COMMUNES" "$TASKS" "$UPDATES" "$HASH" | "${SQL[@]}" >/dev/null
	# VACUUM as autovacuum does after a load this size: without the
	# visibility map an index-only scan still reads every row it counts
	[ "$backend" = postgres ] && psql -X -q "$DB" -c "VACUUM (ANALYZE)" >/dev/null
	[ "$backend" = sqlite ] && sqlite3 "$DB" "ANALYZE"
	echo "   data loaded in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
	for cache in $CACHES; do
	QUANTRI_VIEWS_CACHE=$cache "$BIN" --db "$DB" serve --port "$PORT" --listen 127.0.0.1 >"$TMP/quantri-$backend-$cache.log" 2>&1 &
	QPID=$!
	wait_200 "http://127.0.0.1:$PORT/healthz"
	for who in bench_vp_001 bench_tinh; do
		COOKIE=$(login "$who")
		for page in overdue scorecard; do
			url="http://127.0.0.1:$PORT/plan/$page"
			code=$(curl -s -o "$TMP/www/$page-$who.html" -w '%{http_code}' -H "Cookie: $COOKIE" "$url")
			[ "$code" = 200 ] || { echo "bench: $url as $who: HTTP $code" >&2; exit 1; }
			# CPU per request: what a loaded machine (other
			# benchmarks, builds) changes least; the database's
			# own on PostgreSQL (its backends, started or not)
			pids0=$(db_pids)
			c0=$(cpu_ticks "$QPID") d0=$(cpu_ticks $pids0)
			read -r qp95 qrps qbad < <(load "$url" "$COOKIE")
			c1=$(cpu_ticks "$QPID") d1=$(cpu_ticks $(db_pids))
			qcpu=$(per_req $((c1 - c0)) "$qrps")
			dcpu=-
			[ "$backend" = postgres ] && dcpu=$(per_req $((d1 - d0)) "$qrps")
			read -r np95 nrps _ < <(load "http://127.0.0.1:$NGINX_PORT/$page-$who.html")
			[ "$qbad" = 0 ] || echo "bench: $qbad non-2xx replies from $url" >&2
			RESULTS+=("$(printf '%-9s %-6s %-14s %-10s %8s %9s %10s %8s %8s %9s %10s' "$backend" "$cache" "$who" "$page" \
				"$(stat -c %s "$TMP/www/$page-$who.html")" "$qp95" "$qrps" "$qcpu" "$dcpu" "$np95" "$nrps")")
		done
	done
	kill "$QPID"; wait "$QPID" 2>/dev/null || true; QPID=
	done
done

echo
echo "quantri $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-9s %-6s %-14s %-10s %8s %9s %10s %8s %8s %9s %10s\n' backend cache user page bytes "p95 ms" "req/s" "cpu/req" "db/req" "nginx p95" "nginx r/s"
printf '%s\n' "${RESULTS[@]}"
echo "bench_vp_001: the office of one commune; bench_tinh: the province (all $COMMUNES communes)"
echo "cache: views_cache (results kept until the next recorded change); false = every page computed afresh"
echo "cpu/req: ms of quantri's CPU per request; db/req: of PostgreSQL's backends (when CPU is the limit, p95 ~ connections / cores x the two)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine shows in p95, less in cpu/req)"
echo "aim: p95 < 50 ms for the overdue list and the scorecard, on both backends"
