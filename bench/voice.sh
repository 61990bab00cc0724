#!/usr/bin/env bash
# Citizens' voice under load (issue 5): with CASES cases already in the
# database, sustained durable submissions of the public form per second
# (POST /citizen/submit, each answered only after the commit that holds
# it: the group-commit writer, src/voice/voice_submit.c), and the tracking
# page's requests per second and p99 (POST /citizen/track with code and
# secret), on SQLite (WAL, synchronous=FULL) and PostgreSQL (its own
# cluster with fsync and synchronous_commit ON, not the test server's
# fsync=off), beside nginx serving the tracking page's bytes as a file.
# Prints figures; passes or fails nothing. See bench/README.md.
#
#   bench/voice.sh   (CASES=1000000 DURATION=10s CONNECTIONS=64
#                     SUBMIT_CONNECTIONS=256 SERVER_THREADS=128
#                     BACKENDS="sqlite postgres" PORT=18480)
#
# Rate limits are raised for the run only (voice_submit_per_10min and
# voice_submit_per_day through the environment). SERVER_THREADS (the
# config key threads): each worker thread waits for its batch's commit,
# so the number of threads is the most submissions one commit can hold:
# 1,000 a second with commits of 5-20 ms on this disk needs dozens in
# flight (a commune's server, one thread per core, needs far fewer).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CASES=${CASES:-1000000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
SUBMIT_CONNECTIONS=${SUBMIT_CONNECTIONS:-256}
SERVER_THREADS=${SERVER_THREADS:-128}
BACKENDS=${BACKENDS:-sqlite postgres}
PORT=${PORT:-18480}
NGINX_PORT=${NGINX_PORT:-$((PORT + 1))}
PG_PORT=${PG_PORT:-55680}
BUILD=${BUILD:-build-bench}
BUILD_TYPE=${BUILD_TYPE:-Release}

for tool in wrk nginx curl cmake python3 sqlite3 psql; do
	command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || {
		echo "bench: $tool is missing: run scripts/install-deps" >&2
		exit 1
	}
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

echo "== building $BUILD_TYPE in $BUILD/"
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" -DQUANTRI_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j "$(nproc)" --target quantri >/dev/null
BIN=$ROOT/$BUILD/quantri

TMP=$(mktemp -d "${TMPDIR:-/tmp}/quantri-voice-bench-XXXXXX")
chmod 755 "$TMP" # nginx workers and postgres may run as other users
QPID= NPID= PGDIR=
cleanup() {
	[ -n "$QPID" ] && kill "$QPID" 2>/dev/null && wait "$QPID" 2>/dev/null
	[ -n "$NPID" ] && kill "$NPID" 2>/dev/null && wait "$NPID" 2>/dev/null
	[ -n "$PGDIR" ] && PGTEST_DIR=$PGDIR scripts/pg-stop --purge >/dev/null 2>&1
	rm -rf "$TMP"
	return 0
}
trap cleanup EXIT

export QUANTRI_SECRET_FILE=$TMP/secret.key QUANTRI_DEMO_ROUND=0
export QUANTRI_VOICE_SUBMIT_PER_10MIN=100000000 QUANTRI_VOICE_SUBMIT_PER_DAY=100000000
CSRF=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export CSRF
SUBMIT_BODY="case_type=feedback&topic_id=3&body=%C4%90%C6%B0%E1%BB%9Dng+th%C3%B4n+%C4%90%C3%B4ng+b%E1%BB%8B+s%E1%BB%A5t+l%C3%BAn%2C+%C4%91%E1%BB%81+ngh%E1%BB%8B+s%E1%BB%ADa"

wait_200() { # url
	for _ in $(seq 1 500); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ] && return 0
		sleep 0.02
	done
	echo "bench: no 200 from $1" >&2
	return 1
}

# wrk over POST with the form body: "rps p99_ms bad requests"
post_load() { # url body connections
	local out
	out=$(BODY="$2" wrk -t"$THREADS" -c"$3" -d"$DURATION" --latency \
		-s bench/voice_submit.lua "$1")
	local bad rps p99 n
	read -r _ bad rps p99 < <(grep '^BAD ' <<<"$out")
	n=$(awk '/requests in/ { print $1 }' <<<"$out")
	echo "$rps $p99 $bad $n"
}
get_load() { # url -> "rps p99_ms"
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$1" |
		awk '/^Requests\/sec:/ { r = $2 }
		$1 == "99%" { v = $2
			if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
			else if (v ~ /ms$/) { sub(/ms$/, "", v) }
			else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
			p = v }
		END { printf "%s %.2f\n", r, p }'
}

count_cases() { # backend db
	if [ "$1" = sqlite ]; then
		sqlite3 "$2" "SELECT COUNT(*) FROM cases"
	else
		psql -X -q -t -A "$2" -c "SELECT COUNT(*) FROM cases"
	fi
}

declare -A SUB_RPS SUB_P99 SUB_BAD SUB_N SUB_ROWS TRK_RPS TRK_P99
for backend in $BACKENDS; do
	echo "== $backend: a database with $CASES cases"
	if [ "$backend" = sqlite ]; then
		DB=$TMP/voice.db
		"$BIN" --db "$DB" init --demo >/dev/null
		t0=$(date +%s)
		{ echo "PRAGMA synchronous = OFF;"; python3 bench/voice_gen.py sqlite "$CASES"; } |
			sqlite3 "$DB" >/dev/null
	else
		PGDIR=$TMP/pg
		mkdir -p "$PGDIR"
		BASE=$(PGTEST_DIR=$PGDIR PGTEST_PORT=$PG_PORT scripts/pg-start)
		# the test server's speed settings off: durable commits
		psql -X -q "$BASE" -c "ALTER SYSTEM SET fsync = on" \
			-c "ALTER SYSTEM SET synchronous_commit = on" \
			-c "ALTER SYSTEM SET full_page_writes = on" \
			-c "SELECT pg_reload_conf()" >/dev/null
		sleep 0.5
		[ "$(psql -X -t -A "$BASE" -c 'SHOW fsync')" = on ] || {
			echo "bench: PostgreSQL fsync is not on" >&2
			exit 1
		}
		psql -X -q "$BASE" -c "CREATE DATABASE qt_voice_bench" >/dev/null
		DB=${BASE%/*}/qt_voice_bench
		"$BIN" --db "$DB" init --demo >/dev/null
		t0=$(date +%s)
		python3 bench/voice_gen.py postgres "$CASES" | psql -X -q -v ON_ERROR_STOP=1 "$DB" >/dev/null
	fi
	echo "   generated in $(($(date +%s) - t0)) s: $(count_cases "$backend" "$DB") cases"

	QUANTRI_THREADS=$SERVER_THREADS "$BIN" --db "$DB" serve --port "$PORT" \
		--listen 127.0.0.1 >"$TMP/quantri-$backend.log" 2>&1 &
	QPID=$!
	wait_200 "http://127.0.0.1:$PORT/healthz"

	echo "== $backend: submissions, wrk -t$THREADS -c$SUBMIT_CONNECTIONS -d$DURATION"
	before=$(count_cases "$backend" "$DB")
	read -r rps p99 bad n < <(post_load "http://127.0.0.1:$PORT/citizen/submit" \
		"$SUBMIT_BODY" "$SUBMIT_CONNECTIONS")
	sleep 1
	after=$(count_cases "$backend" "$DB")
	SUB_RPS[$backend]=$rps SUB_P99[$backend]=$p99 SUB_BAD[$backend]=$bad
	SUB_N[$backend]=$n SUB_ROWS[$backend]=$((after - before))

	# one real case to track: its code and secret from the receipt cookie
	JAR=$TMP/jar-$backend
	curl -s -o /dev/null -D "$TMP/receipt-$backend" -b "qt_csrf=$CSRF" \
		--data "csrf_token=$CSRF&$SUBMIT_BODY" "http://127.0.0.1:$PORT/citizen/submit"
	RECEIPT=$(grep -o 'qt_receipt=[A-Z0-9]*\.[A-Z0-9]*' "$TMP/receipt-$backend" | cut -d= -f2)
	CODE=${RECEIPT%.*} SECRET=${RECEIPT#*.}
	[ -n "$CODE" ] && [ -n "$SECRET" ] || {
		echo "bench: no receipt from a submission" >&2
		exit 1
	}
	TRACK_BODY="code=$CODE&secret=$SECRET"
	mkdir -p "$TMP/www"
	curl -s -b "qt_csrf=$CSRF" --data "csrf_token=$CSRF&$TRACK_BODY" \
		"http://127.0.0.1:$PORT/citizen/track" -o "$TMP/www/track-$backend.html"
	grep -q "$CODE" "$TMP/www/track-$backend.html" || {
		echo "bench: the tracking page did not show $CODE" >&2
		exit 1
	}
	echo "== $backend: tracking page, wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
	read -r rps p99 bad n < <(post_load "http://127.0.0.1:$PORT/citizen/track" \
		"$TRACK_BODY" "$CONNECTIONS")
	TRK_RPS[$backend]=$rps TRK_P99[$backend]=$p99
	[ "$bad" = 0 ] || echo "bench: $bad tracking replies not 2xx" >&2

	kill "$QPID"
	wait "$QPID" 2>/dev/null || true
	QPID=
done

# the floor: nginx serving the tracking page's bytes as a file
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
PAGE=$(ls "$TMP/www" | head -1)
wait_200 "http://127.0.0.1:$NGINX_PORT/$PAGE"
read -r N_RPS N_P99 < <(get_load "http://127.0.0.1:$NGINX_PORT/$PAGE")

echo
echo "quantri $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores," \
	"load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "$CASES cases before the run; server threads $SERVER_THREADS; wrk -t$THREADS -d$DURATION," \
	"-c$SUBMIT_CONNECTIONS submitting, -c$CONNECTIONS tracking and nginx"
printf '%-10s %10s %8s %5s %9s %9s %10s %8s\n' backend "submit/s" "p99 ms" "bad" "replies" "new rows" "track r/s" "p99 ms"
for backend in $BACKENDS; do
	printf '%-10s %10s %8s %5s %9s %9s %10s %8s\n' "$backend" "${SUB_RPS[$backend]}" \
		"${SUB_P99[$backend]}" "${SUB_BAD[$backend]}" "${SUB_N[$backend]}" \
		"${SUB_ROWS[$backend]}" "${TRK_RPS[$backend]}" "${TRK_P99[$backend]}"
done
printf '%-10s %10s %8s %5s %9s %9s %10s %8s\n' nginx - - - - - "$N_RPS" "$N_P99"
echo "tracking page: $(stat -c %s "$TMP/www/$PAGE") bytes; new rows >= replies: every 303 was committed first"
echo "aims (issue 5): 1,000 durable submissions/s; 5,000 tracking views/s"
