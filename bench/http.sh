#!/usr/bin/env bash
# HTTP benchmark: quantri beside nginx serving the same bytes as static
# files, on this machine, over loopback. Prints figures; passes or fails
# nothing. See bench/README.md.
#
#   bench/http.sh            (DURATION=10s CONNECTIONS=64 THREADS=2 PORT=18080)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PORT=${PORT:-18080}
NGINX_PORT=${NGINX_PORT:-$((PORT + 1))}
STARTUP_RUNS=${STARTUP_RUNS:-10}
BUILD=build-bench
BUILD_TYPE=${BUILD_TYPE:-Release}

for tool in wrk nginx curl cc cmake; do
	command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || {
		echo "bench: $tool is missing: run scripts/install-deps" >&2
		exit 1
	}
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

echo "== building $BUILD_TYPE in $BUILD/"
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" -DQUANTRI_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j "$(nproc)" --target quantri >/dev/null
cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror bench/startup.c \
	-o "$BUILD/startup"
BIN=$ROOT/$BUILD/quantri

TMP=$(mktemp -d "${TMPDIR:-/tmp}/quantri-bench-XXXXXX")
chmod 755 "$TMP" # nginx workers may run as another user when we are root
QPID= NPID=
cleanup() {
	[ -n "$QPID" ] && kill "$QPID" 2>/dev/null && wait "$QPID" 2>/dev/null
	[ -n "$NPID" ] && kill "$NPID" 2>/dev/null && wait "$NPID" 2>/dev/null
	rm -rf "$TMP"
	return 0
}
trap cleanup EXIT

export QUANTRI_SECRET_FILE=$TMP/secret.key
DB=$TMP/bench.db
"$BIN" --db "$DB" init --demo >/dev/null

wait_200() { # url
	for _ in $(seq 1 500); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ] && return 0
		sleep 0.02
	done
	echo "bench: no 200 from $1" >&2
	return 1
}
rss_kb() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

echo "== start-up: exec to first 200 on /healthz, median of $STARTUP_RUNS"
START_MS=$("$BUILD/startup" "$STARTUP_RUNS" "$PORT" "$BIN" --db "$DB" serve \
	--port "$PORT" --listen 127.0.0.1)

"$BIN" --db "$DB" serve --port "$PORT" --listen 127.0.0.1 >"$TMP/quantri.log" 2>&1 &
QPID=$!
wait_200 "http://127.0.0.1:$PORT/healthz"
sleep 1
RSS_IDLE=$(rss_kb "$QPID")

# The same bytes quantri sends, for nginx to serve as files.
mkdir -p "$TMP/www"
curl -s "http://127.0.0.1:$PORT/login" -o "$TMP/www/login.html"
JAR=$TMP/cookies
curl -s -c "$JAR" -b "$JAR" "http://127.0.0.1:$PORT/login" -o "$TMP/login-form.html"
CSRF=$(grep -o 'name="csrf_token"[^>]*value="[^"]*"' "$TMP/login-form.html" |
	tail -1 | sed 's/.*value="//; s/"$//')
curl -s -c "$JAR" -b "$JAR" -o /dev/null \
	--data-urlencode "username=chutich" --data-urlencode "password=demo2026" \
	--data-urlencode "csrf_token=$CSRF" "http://127.0.0.1:$PORT/login"
SESSION=$(awk '$6 == "qt_session" { print $7 }' "$JAR")
if [ -z "$SESSION" ]; then
	echo "bench: login as chutich failed (no qt_session cookie)" >&2
	exit 1
fi
COOKIE="qt_session=$SESSION"
curl -s -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/" -o "$TMP/www/home.html"
grep -q 'csrf_token' "$TMP/www/home.html" || {
	echo "bench: the home page did not come back logged in" >&2
	exit 1
}
chmod -R a+rX "$TMP/www"

mkdir -p "$TMP/nginx/logs"
cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes $(nproc);
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 100000;
	client_body_temp_path $TMP/nginx/body;
	proxy_temp_path $TMP/nginx/proxy;
	fastcgi_temp_path $TMP/nginx/fastcgi;
	uwsgi_temp_path $TMP/nginx/uwsgi;
	scgi_temp_path $TMP/nginx/scgi;
	types { text/html html; }
	server {
		listen 127.0.0.1:$NGINX_PORT;
		root $TMP/www;
	}
}
EOF
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/logs/error.log" &
NPID=$!
wait_200 "http://127.0.0.1:$NGINX_PORT/login.html"

# wrk URL [header] -> "req/s p99_ms"
load() {
	local out
	if [ $# -gt 1 ]; then
		out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "$2" "$1")
	else
		out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$1")
	fi
	if grep -q 'Non-2xx' <<<"$out"; then
		echo "bench: non-2xx replies from $1:" >&2
		echo "$out" >&2
	fi
	local rps p99
	rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
	p99=$(awk '$1 == "99%" { v = $2;
		if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
		else if (v ~ /ms$/) { sub(/ms$/, "", v) }
		else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
		printf "%.2f", v }' <<<"$out")
	echo "$rps $p99"
}

echo "== wrk -t$THREADS -c$CONNECTIONS -d$DURATION (4 runs)"
read -r Q_LOGIN_RPS Q_LOGIN_P99 < <(load "http://127.0.0.1:$PORT/login")
read -r N_LOGIN_RPS N_LOGIN_P99 < <(load "http://127.0.0.1:$NGINX_PORT/login.html")
read -r Q_HOME_RPS Q_HOME_P99 < <(load "http://127.0.0.1:$PORT/" "Cookie: $COOKIE")
read -r N_HOME_RPS N_HOME_P99 < <(load "http://127.0.0.1:$NGINX_PORT/home.html")
sleep 1
RSS_AFTER=$(rss_kb "$QPID")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

echo
echo "quantri $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-26s %12s %10s %12s %10s %8s\n' "page" "quantri r/s" "p99 ms" "nginx r/s" "p99 ms" "ratio"
printf '%-26s %12s %10s %12s %10s %8s\n' "login page ($(stat -c %s "$TMP/www/login.html") B)" \
	"$Q_LOGIN_RPS" "$Q_LOGIN_P99" "$N_LOGIN_RPS" "$N_LOGIN_P99" "$(ratio "$Q_LOGIN_RPS" "$N_LOGIN_RPS")"
printf '%-26s %12s %10s %12s %10s %8s\n' "home, logged in ($(stat -c %s "$TMP/www/home.html") B)" \
	"$Q_HOME_RPS" "$Q_HOME_P99" "$N_HOME_RPS" "$N_HOME_P99" "$(ratio "$Q_HOME_RPS" "$N_HOME_RPS")"
echo "resident memory: idle $((RSS_IDLE / 1024)).$(((RSS_IDLE % 1024) * 10 / 1024)) MB after start," \
	"$((RSS_AFTER / 1024)).$(((RSS_AFTER % 1024) * 10 / 1024)) MB after the load"
echo "start-up: ${START_MS} ms from exec to the first 200 on /healthz (median of $STARTUP_RUNS)"
echo "aims: login >= 0.5 x nginx; idle < 20 MB; start-up < 200 ms"
