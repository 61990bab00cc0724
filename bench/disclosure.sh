#!/usr/bin/env bash
# The disclosure register (issue 6) under load: COMMUNES communes × YEARS
# years × PER_YEAR disclosures (each with a village, two loudspeaker days
# and a PAPI link), the register page /disclosure of one commune's year
# as the province's user (every commune in scope), p95 and requests per
# second with wrk (bench/p95.lua), beside nginx serving the same page's
# bytes as a file (the floor). SQLite, Release build in build-bench-
# disclosure/. Prints figures; passes or fails nothing. See
# bench/README.md.
#
#   bench/disclosure.sh   (COMMUNES=100 YEARS=5 PER_YEAR=40 DURATION=10s
#                          CONNECTIONS=16 PORT=18580)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
COMMUNES=${COMMUNES:-100}
YEARS=${YEARS:-5}
PER_YEAR=${PER_YEAR:-40}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
PORT=${PORT:-18580}
NGINX_PORT=${NGINX_PORT:-$((PORT + 1))}
BUILD=${BUILD:-build-bench-disclosure}
PASSWORD=bench2026

for tool in wrk nginx curl cmake sqlite3; do
	command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || {
		echo "bench: $tool is missing: run scripts/install-deps" >&2
		exit 1
	}
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

echo "== building Release in $BUILD/"
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-Release} -DQUANTRI_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j2 --target quantri >/dev/null
BIN=$ROOT/$BUILD/quantri

TMP=$(mktemp -d "${TMPDIR:-/tmp}/quantri-disclosure-bench-XXXXXX")
chmod 755 "$TMP"
QPID= NPID=
cleanup() {
	[ -n "$QPID" ] && kill "$QPID" 2>/dev/null && wait "$QPID" 2>/dev/null
	[ -n "$NPID" ] && kill "$NPID" 2>/dev/null && wait "$NPID" 2>/dev/null
	rm -rf "$TMP"
	return 0
}
trap cleanup EXIT
export QUANTRI_SECRET_FILE=$TMP/secret.key QUANTRI_DEMO_ROUND=0
export QUANTRI_NOW=2026-11-27T08:00:00Z
DB=$TMP/disclosure.db

# the units of Hưng Yên (104 communes in force) come with the demo
"$BIN" --db "$DB" init --demo >/dev/null
"$BIN" --db "$DB" user add bench_tinh "Bench Tỉnh" --password "$PASSWORD" >/dev/null
# the province's user: the upper role on the province
sqlite3 "$DB" "INSERT OR IGNORE INTO user_roles (user_id, role, unit_id)
	SELECT u.id, 'upper', p.id FROM users u, units p
	WHERE u.username = 'bench_tinh' AND p.kind = 'province' AND p.valid_to IS NULL"

t0=$(date +%s.%N)
# Records generated inside SQLite: per commune (the first COMMUNES in
# force), per year (2022..2026), PER_YEAR disclosures spread over the
# items and the year, every seventh one posted too short.
sqlite3 "$DB" <<SQL
BEGIN;
CREATE TEMP TABLE c AS SELECT id FROM units WHERE kind = 'commune'
	AND valid_to IS NULL ORDER BY id LIMIT $COMMUNES;
CREATE TEMP TABLE n(k INTEGER PRIMARY KEY);
WITH RECURSIVE s(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s WHERE k < $((YEARS * PER_YEAR - 1)))
INSERT INTO n SELECT k FROM s;
INSERT INTO disclosures (commune_id, item_id, year, period, title, title_fold,
	channels, posted_from, posted_to, note, problems, created_at, updated_at)
SELECT c.id, i.id, 2027 - $YEARS + n.k / $PER_YEAR,
	CASE i.frequency WHEN 'quarterly' THEN 1 + (n.k % $PER_YEAR) * 4 / $PER_YEAR ELSE 0 END,
	'Công khai số ' || n.k || ' năm ' || (2027 - $YEARS + n.k / $PER_YEAR),
	'cong khai so ' || n.k || ' nam ' || (2027 - $YEARS + n.k / $PER_YEAR),
	'notice_board,website,loudspeaker,village_meeting',
	printf('%04d-%02d-%02d', 2027 - $YEARS + n.k / $PER_YEAR, 1 + (n.k % $PER_YEAR) * 11 / $PER_YEAR, 1 + n.k % 28),
	printf('%04d-%02d-%02d', 2027 - $YEARS + n.k / $PER_YEAR, 2 + (n.k % $PER_YEAR) * 11 / $PER_YEAR, 1 + n.k % 28),
	'', CASE WHEN n.k % 7 = 0 THEN 'short' ELSE '' END,
	'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
FROM c, n JOIN disclosure_items i ON i.no = 1 + n.k % 8;
INSERT OR IGNORE INTO disclosure_links (disclosure_id, dimension, indicator)
	SELECT id, 'D2', '2.2' FROM disclosures;
INSERT OR IGNORE INTO disclosure_days (disclosure_id, day)
	SELECT id, posted_from FROM disclosures;
INSERT OR IGNORE INTO disclosure_villages (disclosure_id, village_id)
	SELECT d.id, (SELECT v.id FROM units v WHERE v.parent_id = d.commune_id
		AND v.kind = 'village' LIMIT 1) FROM disclosures d
	WHERE EXISTS (SELECT 1 FROM units v WHERE v.parent_id = d.commune_id AND v.kind = 'village');
COMMIT;
ANALYZE;
SQL
NREC=$(sqlite3 "$DB" "SELECT COUNT(*) FROM disclosures")
COMMUNE=$(sqlite3 "$DB" "SELECT commune_id FROM disclosures ORDER BY commune_id DESC LIMIT 1")
echo "   $NREC disclosures loaded in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"

"$BIN" --db "$DB" serve --port "$PORT" --listen 127.0.0.1 >"$TMP/quantri.log" 2>&1 &
QPID=$!
for _ in $(seq 1 500); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz" || true)" = 200 ] && break
	sleep 0.02
done
jar=$TMP/jar
curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$PORT/login" -o "$TMP/form.html"
csrf=$(grep -o 'name="csrf_token"[^>]*value="[^"]*"' "$TMP/form.html" | tail -1 | sed 's/.*value="//; s/"$//')
curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "username=bench_tinh" \
	--data-urlencode "password=$PASSWORD" --data-urlencode "csrf_token=$csrf" \
	"http://127.0.0.1:$PORT/login"
COOKIE="qt_session=$(awk '$6 == "qt_session" { print $7 }' "$jar")"

mkdir -p "$TMP/www" "$TMP/nginx/logs"
cat >"$TMP/nginx/nginx.conf" <<NGINX
worker_processes 2;
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
url="http://127.0.0.1:$PORT/disclosure?commune=$COMMUNE&year=2026"
code=$(curl -s -o "$TMP/www/register.html" -w '%{http_code}' -H "Cookie: $COOKIE" "$url")
[ "$code" = 200 ] || { echo "bench: $url: HTTP $code" >&2; cat "$TMP/quantri.log" >&2; exit 1; }
chmod -R a+rX "$TMP/www"
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/logs/error.log" &
NPID=$!
sleep 0.3
load() {
	local args=(-t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s bench/p95.lua)
	[ $# -gt 1 ] && args+=(-H "Cookie: $2")
	wrk "${args[@]}" "$1" | awk '$1 == "P95" { print $2, $3, $4 }'
}
# the server's CPU per request, apart from what a loaded machine adds to
# the latency: utime + stime ticks of the process over the run
TICK=$(getconf CLK_TCK)
c0=$(awk '{ print $14 + $15 }' "/proc/$QPID/stat")
read -r qp95 qrps qbad < <(load "$url" "$COOKIE")
c1=$(awk '{ print $14 + $15 }' "/proc/$QPID/stat")
qcpu=$(awk -v t=$((c1 - c0)) -v r="$qrps" -v d="${DURATION%s}" -v k="$TICK" \
	'BEGIN { n = r * d; if (n > 0) printf "%.2f", t * 1000 / k / n; else print "-" }')
read -r np95 nrps _ < <(load "http://127.0.0.1:$NGINX_PORT/register.html")
[ "$qbad" = 0 ] || echo "bench: $qbad non-2xx replies" >&2
printf '%-22s %8s %10s %10s %12s\n' "page ($NREC records)" bytes "p95 ms" "req/s" "cpu ms/req"
printf '%-22s %8s %10s %10s %12s\n' "quantri /disclosure" "$(stat -c %s "$TMP/www/register.html")" "$qp95" "$qrps" "$qcpu"
printf '%-22s %8s %10s %10s %12s\n' "nginx (same bytes)" "$(stat -c %s "$TMP/www/register.html")" "$np95" "$nrps" "-"
