#!/usr/bin/env python3
"""SQL that fills the cases table with N generated cases for bench/voice.sh.

    bench/voice_gen.py sqlite 1000000 | sqlite3 bench.db
    bench/voice_gen.py postgres 1000000 | psql URL

The rows are made by the database itself (a recursive CTE on SQLite,
generate_series on PostgreSQL), so a million take seconds: every type,
topic and village of the demo commune (12424, in force), received over
1,000 days, two in five still open with a due day, the rest answered,
one in ten of the answered published. Codes are "PB" + 8 digits, never
a real "PA" code; the secret hash is a placeholder (these cases are not
tracked: the bench tracks cases it submits through the app). No events
or answers rows: the tracking page reads those of its own case only."""
import sys

def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("sqlite", "postgres"):
        sys.exit("usage: voice_gen.py sqlite|postgres N")
    backend, n = sys.argv[1], int(sys.argv[2])
    pg = backend == "postgres"
    series = ("generate_series(1, %d) AS s(i)" % n if pg else
              "(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s "
              "WHERE i < %d) SELECT i FROM s) AS s" % n)
    day = ("to_char(DATE '2024-01-01' + (s.i % 1000), 'YYYY-MM-DD')" if pg else
           "date('2024-01-01', '+' || (s.i % 1000) || ' days')")
    due = ("to_char(DATE '2024-01-15' + (s.i % 1000), 'YYYY-MM-DD')" if pg else
           "date('2024-01-15', '+' || (s.i % 1000) || ' days')")
    ans = ("to_char(DATE '2024-01-08' + (s.i % 1000), 'YYYY-MM-DD')" if pg else
           "date('2024-01-08', '+' || (s.i % 1000) || ' days')")
    code = ("'PB' || to_char(s.i, 'FM00000000')" if pg else
            "'PB' || printf('%08d', s.i)")
    num = "CAST(s.i AS TEXT)"
    print("BEGIN;")
    print("CREATE TEMP TABLE bv AS SELECT ROW_NUMBER() OVER (ORDER BY v.id) - 1 "
          "AS k, v.id FROM units v JOIN units c ON c.id = v.parent_id WHERE "
          "c.code = '12424' AND c.kind = 'commune' AND c.valid_to IS NULL AND "
          "v.kind = 'village' AND v.valid_to IS NULL;")
    print("CREATE TEMP TABLE bc AS SELECT id FROM units WHERE code = '12424' AND "
          "kind = 'commune' AND valid_to IS NULL;")
    print(f"""INSERT INTO cases (commune_id, code, secret_hash, case_type, topic_id,
 village_id, channel, title, body, text_fold, status, received_on, due_on,
 answered_on, answer_due_on, published, created_at, updated_at)
SELECT (SELECT id FROM bc), {code}, 'bench',
 CASE s.i % 10 WHEN 0 THEN 'complaint' WHEN 1 THEN 'petition' WHEN 2 THEN 'petition'
  WHEN 3 THEN 'denunciation' ELSE 'feedback' END,
 1 + s.i % 11, bv.id,
 CASE s.i % 3 WHEN 0 THEN 'paper' ELSE 'online' END, '',
 'Phản ánh số ' || {num} || ': đường thôn xuống cấp, đề nghị sửa chữa',
 'phan anh so ' || {num} || ': duong thon xuong cap, de nghi sua chua',
 CASE WHEN s.i % 5 < 2 THEN 'assigned' ELSE 'answered' END,
 {day}, CASE WHEN s.i % 5 < 2 THEN {due} END,
 CASE WHEN s.i % 5 >= 2 THEN {ans} END,
 CASE WHEN s.i % 5 >= 2 THEN {due} END,
 CASE WHEN s.i % 5 >= 2 AND s.i % 10 IN (2, 4) THEN 1 ELSE 0 END,
 {day} || 'T02:00:00Z', {day} || 'T02:00:00Z'
FROM {series} JOIN bv ON bv.k = s.i % (SELECT COUNT(*) FROM bv);""")
    print("COMMIT;")
    print("ANALYZE;")

main()
