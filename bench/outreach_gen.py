#!/usr/bin/env python3
"""Generates the outreach benchmark's data as portable SQL (SQLite and
PostgreSQL): COMMUNES communes of one province, each with 10 villages and
an office user, and PER_YEAR outreach activities a year for YEARS years
ending in 2026 (each reaching one to all of its villages, with one or two
PAPI links), on the topics `quantri init` seeds (ids 1-10). Seeded: the
same arguments give the same file.

    bench/outreach_gen.py COMMUNES YEARS PER_YEAR PASSWORD_HASH > outreach.sql

Ids are explicit and start at 2,000,000: clear of what `quantri init`
made and of bench/plan_gen.py's (1,000,000 up), so that activities can go
into plan_gen's communes too. bench/dashboard_gen.py does that with
commune_activities() (import this file as a module): activities for
communes already in the database, by their ids."""
import datetime
import random
import sys

NOW = "2026-11-27T08:00:00Z"
BASE = 2_000_000
CHANNELS = ["radio", "village_meeting", "mass_org_meeting", "leaflet",
            "zalo_group", "website_post"]
TITLES = ["Phổ biến kế hoạch PAPI", "Hướng dẫn dịch vụ công trực tuyến",
          "Công khai dự toán ngân sách", "Lấy ý kiến kế hoạch sử dụng đất",
          "Bình xét hộ nghèo", "Thu gom rác thải", "Phòng, chống tham nhũng",
          "Cài đặt VNeID", "Tiếp nhận phản ánh, kiến nghị",
          "Luật Thực hiện dân chủ ở cơ sở"]
FOLDS = ["pho bien ke hoach papi", "huong dan dich vu cong truc tuyen",
         "cong khai du toan ngan sach", "lay y kien ke hoach su dung dat",
         "binh xet ho ngheo", "thu gom rac thai", "phong, chong tham nhung",
         "cai dat vneid", "tiep nhan phan anh, kien nghi",
         "luat thuc hien dan chu o co so"]
DIMS = ["D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8"]


def q(s):
    return "'" + s.replace("'", "''") + "'"


def v(x):
    if x is None:
        return "NULL"
    if isinstance(x, (int, float)):
        return str(x)
    return q(x)


class Batch:
    def __init__(self, table, cols, size=500):
        self.table, self.cols, self.size, self.rows = table, cols, size, []
        self.chunks = []

    def add(self, *vals):
        self.rows.append("(" + ",".join(v(x) for x in vals) + ")")
        if len(self.rows) >= self.size:
            self.flush()

    def flush(self):
        if self.rows:
            self.chunks.append("INSERT INTO %s (%s) VALUES\n%s;\n" % (
                self.table, ",".join(self.cols), ",\n".join(self.rows)))
            self.rows = []


def activity_batches():
    """The three tables of the activities, as Batches."""
    return (Batch("outreach_activities", ["id", "commune_id", "channel",
                                          "topic_id", "held_on", "title",
                                          "audience", "note", "text_fold",
                                          "created_by", "created_at",
                                          "updated_at"]),
            Batch("outreach_villages", ["activity_id", "village_id"]),
            Batch("outreach_links", ["activity_id", "dimension", "indicator"]))


def commune_activities(batches, rng, actid, commune, vids, office, years,
                       per_year, last=datetime.date(2026, 11, 27)):
    """per_year activities a year for `years` years up to `last` in one
    commune (vids: its villages, office: the user who records them) into
    batches (activity_batches()), ids from actid; returns the next id.
    Campaigns miss villages: a topic skips two villages of each commune."""
    acts, villages, links = batches
    first = datetime.date(last.year - years + 1, 1, 1)
    span = (last - first).days
    n = len(vids)
    for _ in range(years * per_year):
        day = first + datetime.timedelta(days=rng.randrange(span + 1))
        ch = rng.choice(CHANNELS)
        t = rng.randrange(10)
        if ch in ("radio", "zalo_group", "website_post"):
            reach = list(range(n))
        else:
            reach = [vids.index(x) for x in
                     rng.sample(vids, min(n, rng.randint(1, 4)))]
        reach = [k for k in reach if k not in (t % n, (t + 3) % n)]
        if not reach:
            reach = [(t + 5) % n]
        acts.add(actid, commune, ch, t + 1, day.isoformat(), TITLES[t],
                 0 if ch in ("radio", "website_post") else rng.randint(15, 200),
                 "", FOLDS[t], office, NOW, NOW)
        for k in reach:
            villages.add(actid, vids[k])
        for d in sorted(set(rng.sample(DIMS, rng.randint(1, 2)))):
            links.add(actid, d, "")
        actid += 1
    return actid


def main():
    communes, years, per_year = (int(x) for x in sys.argv[1:4])
    pwhash = sys.argv[4]
    rng = random.Random(2026)
    out = sys.stdout
    units = Batch("units", ["id", "code", "kind", "type_vi", "name", "full_name",
                            "name_fold", "sort_key", "parent_id", "valid_from",
                            "population", "note", "created_at", "updated_at"])
    users = Batch("users", ["id", "username", "full_name", "name_fold",
                            "sort_key", "email", "password_hash", "active",
                            "created_at", "updated_at"])
    roles = Batch("user_roles", ["id", "user_id", "role", "unit_id"])
    batches = activity_batches()
    out.write("BEGIN;\n")
    prov = BASE
    units.add(prov, "98", "province", "Tỉnh", "Bench", "Tỉnh Bench", "bench",
              "62656e6368", None, None, None, "", NOW, NOW)
    uid, userid, roleid, actid = BASE + 1, BASE, BASE, BASE
    users.add(userid, "bench_tinh", "Người Tỉnh", "nguoi tinh", "74696e68", "",
              pwhash, 1, NOW, NOW)
    roles.add(roleid, userid, "upper", prov)
    userid += 1
    roleid += 1
    for c in range(communes):
        commune = uid
        uid += 1
        name = "Bench %03d" % (c + 1)
        units.add(commune, "8%04d" % c, "commune", "Xã", name, "Xã " + name,
                  name.lower(), name.encode().hex(), prov, None, 5000, "", NOW, NOW)
        office_unit = uid
        units.add(uid, None, "unit", "Bộ phận", "Văn phòng – Thống kê",
                  "Văn phòng – Thống kê", "van phong - thong ke", "00", commune,
                  None, None, "", NOW, NOW)
        uid += 1
        vids = []
        for i in range(10):
            units.add(uid, None, "village", "Thôn", "Thôn %d" % (i + 1),
                      "Thôn %d" % (i + 1), "thon %d" % (i + 1),
                      ("t%02d" % i).encode().hex(), commune, None, 800, "", NOW, NOW)
            vids.append(uid)
            uid += 1
        office = userid
        users.add(office, "bench_vp_%03d" % (c + 1), "Văn Phòng %03d" % (c + 1),
                  "van phong %03d" % (c + 1), ("vp%03d" % c).encode().hex(), "",
                  pwhash, 1, NOW, NOW)
        roles.add(roleid, office, "office", office_unit)
        roleid += 1
        userid += 1
        actid = commune_activities(batches, rng, actid, commune, vids, office,
                                   years, per_year)
    for b in (units, users, roles) + batches:
        b.flush()
        out.writelines(b.chunks)
    out.write("COMMIT;\n")


if __name__ == "__main__":
    main()
