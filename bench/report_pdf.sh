#!/bin/sh
# The yearly report drawn as PDF: time per document, in one process as the
# server draws it (bench/report_pdf.c over report_pdf), for
# tests/unit/report/fixtures/yearly.json (30 units, 40 late tasks, 8
# dimensions, two charts, four tables: 6 pages). Aim: under 2 s per PDF
# end to end (the lead measures the end to end with the database; this is
# the drawing part). Compared with pdftoppm rasterising the same pages at
# 150 dpi (LibreOffice is not on the machine): poppler drawing the PDF we
# drew. Also the XLSX and DOCX of the same document.
#   bench/report_pdf.sh [N]   (N renders, default 20; quick runs only)
set -eu
cd "$(dirname "$0")/.."
N=${1:-20}
BUILD=build-bench-report
OUT=bench/data/report
mkdir -p "$OUT"
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DQUANTRI_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j2 --target quantri_report >/dev/null
LIBS=""
for l in report oversight outreach disclosure voice plan index notify files people http store base; do
	LIBS="$LIBS $BUILD/libquantri_$l.a"
done
PKGS="cairo pangocairo libmicrohttpd sqlite3 libpq jansson libsodium libutf8proc icu-uc icu-i18n libcurl xlsxwriter libzip expat"
# shellcheck disable=SC2046,SC2086
cc -O2 -D_GNU_SOURCE -Isrc $(pkg-config --cflags $PKGS) -o "$OUT/report_pdf" \
	bench/report_pdf.c -Wl,--start-group $LIBS -Wl,--end-group \
	$(pkg-config --libs $PKGS) -lm -lpthread
DOC=tests/unit/report/fixtures/yearly.json
"$OUT/report_pdf" "$DOC" "$N" "$OUT/yearly.pdf" | tee "$OUT/times.txt"
pages=$(pdfinfo "$OUT/yearly.pdf" | awk '/^Pages:/ {print $2}')
t0=$(date +%s.%N)
pdftoppm -r 150 -png "$OUT/yearly.pdf" "$OUT/page"
t1=$(date +%s.%N)
echo "pages=$pages pdftoppm_150dpi_s=$(echo "$t1 - $t0" | bc)"
median=$(awk '/^pdf / {for (i = 1; i <= NF; i++) if ($i ~ /^median_s=/) {sub("median_s=", "", $i); print $i}}' "$OUT/times.txt")
if [ "$(echo "$median < 2" | bc)" -eq 1 ]; then
	echo "PASS: yearly PDF drawn in ${median} s (median of $N), under 2 s"
else
	echo "FAIL: yearly PDF drawn in ${median} s (median of $N), over 2 s"
	exit 1
fi
