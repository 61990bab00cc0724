#!/usr/bin/env bash
# Outreach benchmark (issue 6): the coverage matrix and the list of
# activities with 100 communes × 5 years of activities (150 a year each,
# 10 villages a commune) in one database, on SQLite and on PostgreSQL,
# under wrk (16 connections); p95 latency beside nginx serving the same
# page's bytes. Prints figures; passes or fails nothing. See
# bench/README.md.
#
#   bench/outreach.sh   (COMMUNES=100 YEARS=5 PER_YEAR=150 DURATION=10s
#                        CONNECTIONS=16 BACKENDS="sqlite postgres"
#                        CACHES="true false" BUILD=build-bench-outreach
#                        PGNAME=qt_outreach_bench PORT=18280)
#
# CACHES: the server's views_cache (plan views' cache, which the pages
# use): true keeps a page's matrix or rows at the database's version until
# the next recorded change; false computes every request afresh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
COMMUNES=${COMMUNES:-100}
YEARS=${YEARS:-5}
PER_YEAR=${PER_YEAR:-150}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
BACKENDS=${BACKENDS:-sqlite postgres}
CACHES=${CACHES:-true false}
PORT=${PORT:-18280}
NGINX_PORT=${NGINX_PORT:-$((PORT + 1))}
BUILD=${BUILD:-build-bench-outreach}
PGNAME=${PGNAME:-qt_outreach_bench}
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

TMP=$(mktemp -d "${TMPDIR:-/tmp}/quantri-outreach-bench-XXXXXX")
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
# "today" for the pages: the generated activities run to 27/11/2026
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

# the pages: name and path (the coverage of this year, of a past year for
# one topic, and the list's first page and a filtered one)
PAGES=(
	"coverage /outreach/coverage"
	"cov-2023-t3 /outreach/coverage?year=2023&topic=3"
	"list /outreach"
	"list-search /outreach?year=2025&dimension=D2&q=ngan+sach"
)
RESULTS=()
for backend in $BACKENDS; do
	echo "== $backend: $COMMUNES communes × $YEARS years × $PER_YEAR activities"
	if [ "$backend" = postgres ]; then
		DB=$(scripts/pg-fresh-db "$PGNAME")
		PGDB=1
		SQL=(psql -X -q -v ON_ERROR_STOP=1 "$DB")
		HASHQ=(psql -X -At "$DB" -c)
	else
		DB=$TMP/outreach.db
		SQL=(sqlite3 "$DB")
		HASHQ=(sqlite3 "$DB")
	fi
	"$BIN" --db "$DB" init >/dev/null
	"$BIN" --db "$DB" user add bench_seed "Bench Seed" --password "$PASSWORD" >/dev/null
	HASH=$("${HASHQ[@]}" "SELECT password_hash FROM users WHERE username = 'bench_seed'")
	t0=$(date +%s.%N)
	python3 bench/outreach_gen.py "$COMMUNES" "$YEARS" "$PER_YEAR" "$HASH" | "${SQL[@]}" >/dev/null
	[ "$backend" = postgres ] && psql -X -q "$DB" -c "VACUUM (ANALYZE)" >/dev/null
	[ "$backend" = sqlite ] && sqlite3 "$DB" "ANALYZE"
	echo "   data loaded in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s:" \
		"$("${HASHQ[@]}" "SELECT COUNT(*) FROM outreach_activities") activities"
	for cache in $CACHES; do
	QUANTRI_VIEWS_CACHE=$cache "$BIN" --db "$DB" serve --port "$PORT" --listen 127.0.0.1 >"$TMP/quantri-$backend-$cache.log" 2>&1 &
	QPID=$!
	wait_200 "http://127.0.0.1:$PORT/healthz"
	for who in bench_vp_001 bench_tinh; do
		COOKIE=$(login "$who")
		for p in "${PAGES[@]}"; do
			name=${p%% *} path=${p#* }
			url="http://127.0.0.1:$PORT$path"
			file=$name-$who.html
			code=$(curl -s -o "$TMP/www/$file" -w '%{http_code}' -H "Cookie: $COOKIE" "$url")
			[ "$code" = 200 ] || { echo "bench: $url as $who: HTTP $code" >&2; exit 1; }
			read -r qp95 qrps qbad < <(load "$url" "$COOKIE")
			read -r np95 nrps _ < <(load "http://127.0.0.1:$NGINX_PORT/$file")
			[ "$qbad" = 0 ] || echo "bench: $qbad non-2xx replies from $url" >&2
			RESULTS+=("$(printf '%-9s %-6s %-13s %-12s %8s %9s %10s %9s %10s' "$backend" "$cache" "$who" "$name" \
				"$(stat -c %s "$TMP/www/$file")" "$qp95" "$qrps" "$np95" "$nrps")")
		done
	done
	kill "$QPID"; wait "$QPID" 2>/dev/null || true; QPID=
	done
done

echo
echo "quantri $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-9s %-6s %-13s %-12s %8s %9s %10s %9s %10s\n' backend cache user page bytes "p95 ms" "req/s" "nginx p95" "nginx r/s"
printf '%s\n' "${RESULTS[@]}"
echo "bench_vp_001: the office of one commune; bench_tinh: the province (the matrix of one commune, a choice of all $COMMUNES)"
echo "cache: views_cache; false = every page computed afresh"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "aim: p95 < 50 ms for the coverage page (and the list), on both backends"
