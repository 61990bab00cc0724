#!/usr/bin/env python3
"""Generates, as portable SQL (SQLite and PostgreSQL), what the dashboard
benchmark (bench/dashboard.sh) adds to bench/plan_gen.py's communes so that
every part of the dashboards has data, for YEARS years ending in 2026:

- a survey round per commune and year: a copy of the demo round of
  `quantri init --demo` (xã Tiên Tiến, code 12424: same catalogue version
  and estimation settings, status 'closed') scoped to the commune, with
  the demo round's submitted interviews (their design weights carried
  over) moved onto the commune's villages: the demo's k-th village (by
  id) becomes the commune's village (k + year) mod its number of
  villages; so that the communes' scores differ, each round leaves out
  one of the demo's villages (they differ in quality) for five communes
  in six, and about a quarter of the other interviews, a different
  quarter per round;
- DISCLOSURES disclosures per commune and year, as bench/disclosure.sh
  makes them (items 1-8 spread over the year, every seventh posted too
  short, a village, a loudspeaker day and a PAPI link each); a quarter of
  the communes leave one item out each year, and a third one quarter of
  the quarterly item 2 (the register's "due" and "missing");
- OUTREACH outreach activities per commune and year, by
  bench/outreach_gen.py's commune_activities() (campaigns miss villages);
- INSPECTIONS inspections per commune and year (the four kinds in turn),
  each with two findings of one or two recommendations; a
  recommendation's remedial task is a task of the commune's 2026 plan led
  by the unit it names; those of past years whose task is done are
  verified, the rest stay open (task not done) or fixed.

The communes, their units, villages, office users, plan tasks and the
disclosure items are read from stdin, tab-separated, as bench/dashboard.sh
selects them from the database (kind, commune id, id, lead unit, status):

    v  COMMUNE  VILLAGE_ID
    u  COMMUNE  UNIT_ID
    o  COMMUNE  OFFICE_USER_ID
    t  COMMUNE  TASK_ID  LEAD_UNIT_ID  STATUS     (leaf tasks)
    i  0        ITEM_NO  ITEM_ID  FREQUENCY         (disclosure items)

    bench/dashboard_gen.py YEARS DISCLOSURES OUTREACH INSPECTIONS < communes.tsv

Ids are explicit: 3,000,000 up for the disclosures, rounds and oversight
rows (plan_gen.py numbers from 1,000,000, outreach_gen.py from 2,000,000);
the copied interviews take ids from the database. Seeded: the same input
gives the same SQL."""
import datetime
import random
import sys

sys.dont_write_bytecode = True  # no bench/__pycache__ in the tree
import outreach_gen  # noqa: E402
from outreach_gen import Batch  # noqa: E402

NOW = "2026-11-27T08:00:00Z"
LAST = datetime.date(2026, 11, 27)
BASE = 3_000_000
DIMS = ["D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8"]
KINDS = ["inspection", "people_board", "investment_board", "front"]
INSPECTIONS = [
    ("Kiểm tra việc giải quyết thủ tục hành chính tại Bộ phận Một cửa",
     "kiem tra viec giai quyet thu tuc hanh chinh tai bo phan mot cua", "D5"),
    ("Giám sát việc thu, sử dụng các khoản đóng góp của nhân dân",
     "giam sat viec thu, su dung cac khoan dong gop cua nhan dan", "D2"),
    ("Giám sát công trình đường giao thông nông thôn",
     "giam sat cong trinh duong giao thong nong thon", "D4"),
    ("Giám sát việc giải quyết kiến nghị của cử tri",
     "giam sat viec giai quyet kien nghi cua cu tri", "D3"),
]
FINDINGS = [
    ("Hồ sơ trễ hạn không có phiếu xin lỗi và hẹn lại ngày trả kết quả.",
     "ho so tre han khong co phieu xin loi va hen lai ngay tra ket qua."),
    ("Chưa công khai quyết toán tại nhà văn hóa thôn.",
     "chua cong khai quyet toan tai nha van hoa thon."),
    ("Sổ theo dõi chưa cập nhật, thiếu chữ ký của người nộp.",
     "so theo doi chua cap nhat, thieu chu ky cua nguoi nop."),
    ("Bảng niêm yết chưa cập nhật theo danh mục mới của tỉnh.",
     "bang niem yet chua cap nhat theo danh muc moi cua tinh."),
]
RECS = [
    ("Khắc phục ngay, báo cáo kết quả bằng văn bản.",
     "khac phuc ngay, bao cao ket qua bang van ban."),
    ("Rà soát lại quy trình, niêm yết công khai tại trụ sở.",
     "ra soat lai quy trinh, niem yet cong khai tai tru so."),
]


def read_input(f):
    communes = {}  # id -> dict
    items = {}  # no -> (id, frequency)
    for line in f:
        p = line.rstrip("\n").split("\t")
        if len(p) < 3:
            continue
        kind, cid, x = p[0], int(p[1]), int(p[2])
        if kind == "i":
            items[x] = (int(p[3]), p[4])
            continue
        c = communes.setdefault(cid, {"villages": [], "units": [],
                                      "office": None, "tasks": []})
        if kind == "v":
            c["villages"].append(x)
        elif kind == "u":
            c["units"].append(x)
        elif kind == "o" and c["office"] is None:
            c["office"] = x
        elif kind == "t":
            c["tasks"].append((x, int(p[3]), p[4]))
    return communes, items


def days(d, n):
    return (d + datetime.timedelta(days=n)).isoformat()


def main():
    years, ndisc, nout, ninsp = (int(x) for x in sys.argv[1:5])
    communes, items = read_input(sys.stdin)
    if not communes or not items:
        sys.exit("dashboard_gen: no communes or no disclosure items on stdin")
    rng = random.Random(2026)
    out = sys.stdout
    first_year = LAST.year - years + 1
    ids = {"disc": BASE, "round": BASE, "insp": BASE, "find": BASE,
           "rec": BASE}

    rounds = Batch("bench_rounds", ["id", "year", "name", "commune_id",
                                    "drop_k", "a", "b"])
    vmap = Batch("bench_vmap", ["round_id", "k", "village_id"])
    disc = Batch("disclosures", ["id", "commune_id", "item_id", "year",
                                 "period", "title", "title_fold", "channels",
                                 "posted_from", "posted_to", "note",
                                 "problems", "created_by", "created_at",
                                 "updated_at"])
    dvill = Batch("disclosure_villages", ["disclosure_id", "village_id"])
    ddays = Batch("disclosure_days", ["disclosure_id", "day"])
    dlinks = Batch("disclosure_links", ["disclosure_id", "dimension",
                                        "indicator"])
    insp = Batch("inspections", ["id", "commune_id", "kind", "title",
                                 "reference", "team", "scope", "from_on",
                                 "to_on", "unit_id", "search_fold",
                                 "created_by", "created_at", "updated_at"])
    ivill = Batch("inspection_villages", ["inspection_id", "unit_id"])
    ilinks = Batch("inspection_links", ["inspection_id", "dimension",
                                        "indicator"])
    finds = Batch("findings", ["id", "inspection_id", "ord", "text",
                               "text_fold", "created_by", "created_at"])
    flinks = Batch("finding_links", ["finding_id", "dimension", "indicator"])
    recs = Batch("recommendations", ["id", "finding_id", "inspection_id",
                                     "text", "text_fold", "unit_id", "due_on",
                                     "task_id", "verified_on",
                                     "verified_note", "verified_by",
                                     "created_by", "created_at",
                                     "updated_at"])
    revents = Batch("recommendation_events", ["id", "recommendation_id",
                                              "action", "on_date", "note",
                                              "user_id", "at"])
    obatches = outreach_gen.activity_batches()
    actid = outreach_gen.BASE + 500_000  # clear of outreach.sh's own rows

    for ci, cid in enumerate(sorted(communes)):
        c = communes[cid]
        vids, units, office = c["villages"], c["units"], c["office"]
        if not vids or not units:
            sys.exit("dashboard_gen: commune %d has no villages or units" % cid)
        by_unit = {}
        for t in c["tasks"]:
            by_unit.setdefault(t[1], []).append(t)
        for y in range(first_year, LAST.year + 1):
            # the survey round and where its villages go
            rid = ids["round"]
            ids["round"] += 1
            rounds.add(rid, y, "Khảo sát PAPI năm %d (bench)" % y, cid,
                       ci % 6, rng.randrange(1, 13), rng.randrange(13))
            for k in range(len(vids)):
                vmap.add(rid, k, vids[(k + y) % len(vids)])
            # disclosures, as bench/disclosure.sh makes them
            skip = 1 + (ci + y) % 8 if ci % 4 == 1 else 0
            skip_q = 1 + (ci // 3) % 3 if ci % 3 == 1 else 0
            for k in range(ndisc):
                no = 1 + k % 8
                if no == skip or no not in items:
                    continue
                item, freq = items[no]
                period = 1 + k * 4 // ndisc if freq == "quarterly" else 0
                if no == 2 and period == skip_q:
                    continue
                month = 1 + k * 11 // ndisc
                frm = "%04d-%02d-%02d" % (y, month, 1 + k % 28)
                to = "%04d-%02d-%02d" % (y, month + 1, 1 + k % 28)
                did = ids["disc"]
                ids["disc"] += 1
                title = "Công khai số %d năm %d" % (k, y)
                disc.add(did, cid, item, y, period, title,
                         "cong khai so %d nam %d" % (k, y),
                         "notice_board,website,loudspeaker,village_meeting",
                         frm, to, "", "short" if k % 7 == 0 else "", office,
                         NOW, NOW)
                dvill.add(did, vids[k % len(vids)])
                ddays.add(did, frm)
                dlinks.add(did, "D2", "2.2")
            # inspections with findings and recommendations
            for k in range(ninsp):
                iid = ids["insp"]
                ids["insp"] += 1
                title, fold, dim = INSPECTIONS[k % len(INSPECTIONS)]
                start = datetime.date(y, 1 + (k * 12 // max(ninsp, 1)) % 12,
                                      5 + k % 20)
                if start > LAST:
                    start = LAST - datetime.timedelta(days=20)
                unit = units[(ci + k) % len(units)]
                insp.add(iid, cid, KINDS[k % 4], "%s năm %d" % (title, y),
                         "Kế hoạch số %d/KH-UBND ngày %s" % (k + 1,
                                                              start.strftime("%d/%m/%Y")),
                         "Trưởng đoàn\nThành viên", "", start.isoformat(),
                         days(start, 4), unit, "%s nam %d" % (fold, y), office,
                         NOW, NOW)
                ivill.add(iid, vids[k % len(vids)])
                ilinks.add(iid, dim, "")
                for f in range(2):
                    fid = ids["find"]
                    ids["find"] += 1
                    ft, ff = FINDINGS[(k + f) % len(FINDINGS)]
                    finds.add(fid, iid, f + 1, ft, ff, office, NOW)
                    flinks.add(fid, dim, "")
                    for r in range(1 + (k + f) % 2):
                        tasks = by_unit.get(unit) or c["tasks"]
                        if not tasks:
                            continue
                        tid, tunit, status = rng.choice(tasks)
                        rec = ids["rec"]
                        ids["rec"] += 1
                        due = days(start, 60)
                        verified = y < LAST.year and status == "done"
                        rt, rf = RECS[r]
                        recs.add(rec, fid, iid, rt, rf, tunit, due, tid,
                                 due if verified else None,
                                 "Đã khắc phục" if verified else None,
                                 office if verified else None, office, NOW,
                                 NOW)
                        if verified:
                            revents.add(rec, rec, "verify", due,
                                        "Đã khắc phục", office,
                                        due + "T03:00:00Z")
        actid = outreach_gen.commune_activities(obatches, rng, actid, cid,
                                                vids, office, years, nout,
                                                LAST)

    out.write("BEGIN;\n")
    # the rounds and the village map first, as temporary tables: the
    # rounds copy the demo round's settings, the interviews its rows
    out.write("CREATE TEMP TABLE bench_rounds (id BIGINT, year INTEGER, "
              "name TEXT, commune_id BIGINT, drop_k INTEGER, a INTEGER, "
              "b INTEGER);\n"
              "CREATE TEMP TABLE bench_vmap (round_id BIGINT, k INTEGER, "
              "village_id BIGINT);\n")
    for b in (rounds, vmap):
        b.flush()
        out.writelines(b.chunks)
    out.write("""CREATE TEMP TABLE bench_demo AS SELECT r.* FROM survey_rounds r
 JOIN units c ON c.id = r.scope_unit_id WHERE c.code = '12424' AND
 c.kind = 'commune' AND EXISTS (SELECT 1 FROM interviews i WHERE
 i.round_id = r.id AND i.status = 'submitted') ORDER BY r.id LIMIT 1;
CREATE TEMP TABLE bench_rank AS SELECT u.unit_id, (ROW_NUMBER() OVER
 (ORDER BY u.unit_id) - 1) AS k FROM (SELECT DISTINCT i.unit_id FROM
 interviews i JOIN bench_demo d ON d.id = i.round_id) u;
INSERT INTO survey_rounds (id, year, name, scope_unit_id,
 catalogue_version_id, tie_rule, bounds_rule, min_answers, lonely_psu,
 status, note, created_at, updated_at, sample_units, sample_people,
 sample_reserve, sample_quota, age_min, age_max)
SELECT n.id, n.year, n.name, n.commune_id, d.catalogue_version_id,
 d.tie_rule, d.bounds_rule, d.min_answers, d.lonely_psu, 'closed',
 'Bản sao đợt khảo sát mẫu (bench)', d.created_at, d.updated_at,
 d.sample_units, d.sample_people, d.sample_reserve, d.sample_quota,
 d.age_min, d.age_max FROM bench_rounds n CROSS JOIN bench_demo d;
INSERT INTO interviews (round_id, unit_id, source, external_id, status,
 gender, age_group, weight, screen, answers, created_at, updated_at,
 submitted_at)
SELECT n.id, m.village_id, 'import', i.external_id, 'submitted', i.gender,
 i.age_group, COALESCE(i.weight, sp.weight, 1), i.screen, i.answers,
 CAST(n.year AS TEXT) || '-06-15T02:00:00Z',
 CAST(n.year AS TEXT) || '-06-15T02:00:00Z',
 CAST(n.year AS TEXT) || '-06-15T02:00:00Z'
FROM bench_rounds n
 JOIN bench_demo d ON 1 = 1
 JOIN interviews i ON i.round_id = d.id AND i.status = 'submitted'
 JOIN bench_rank k ON k.unit_id = i.unit_id
 JOIN bench_vmap m ON m.round_id = n.id AND m.k = k.k % (SELECT COUNT(*)
  FROM bench_vmap x WHERE x.round_id = n.id)
 LEFT JOIN sample_people sp ON sp.id = i.sampled_person_id
WHERE k.k <> n.drop_k AND (i.id * n.a + n.b) % 13 >= 3;
""")
    for b in (disc, dvill, ddays, dlinks, insp, ivill, ilinks, finds, flinks,
              recs, revents) + obatches:
        b.flush()
        out.writelines(b.chunks)
    out.write("COMMIT;\n")


if __name__ == "__main__":
    main()
