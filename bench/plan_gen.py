#!/usr/bin/env python3
"""Generates the plan benchmark's data as portable SQL (SQLite and
PostgreSQL): COMMUNES communes of one province, each with 8 professional
units, 6 villages, an office user and a head per unit, one plan of TASKS
tasks (a fifth of them parents of four sub-tasks) and UPDATES progress
updates per task, with links to PAPI dimensions and a few explanation
requests. Seeded: the same arguments give the same file.

    bench/plan_gen.py COMMUNES TASKS UPDATES PASSWORD_HASH > plan.sql

Ids are explicit and start at 1,000,000 so they never meet the rows that
`quantri init` made (the province row of the demo is reused by code)."""
import random
import sys

communes, ntasks, nupdates = (int(x) for x in sys.argv[1:4])
pwhash = sys.argv[4]
rng = random.Random(2026)
NOW = "2026-11-27T08:00:00Z"
BASE = 1_000_000
out = sys.stdout
DIMS = ["D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8"]
UNITS = ["Văn phòng – Thống kê", "Tư pháp – Hộ tịch", "Địa chính – Xây dựng",
         "Văn hóa – Xã hội", "Tài chính – Kế toán", "Công an xã",
         "Ủy ban MTTQ", "Ban Thanh tra nhân dân"]


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
        self.chunks = []  # written at the end, tables in dependency order

    def add(self, *vals):
        self.rows.append("(" + ",".join(v(x) for x in vals) + ")")
        if len(self.rows) >= self.size:
            self.flush()

    def flush(self):
        if self.rows:
            self.chunks.append("INSERT INTO %s (%s) VALUES\n%s;\n" % (
                self.table, ",".join(self.cols), ",\n".join(self.rows)))
            self.rows = []


def day(doy):  # day of 2026 -> date
    import datetime
    return (datetime.date(2026, 1, 1) + datetime.timedelta(days=doy)).isoformat()


units = Batch("units", ["id", "code", "kind", "type_vi", "name", "full_name",
                        "name_fold", "sort_key", "parent_id", "valid_from",
                        "population", "note", "created_at", "updated_at"])
users = Batch("users", ["id", "username", "full_name", "name_fold", "sort_key",
                        "email", "password_hash", "active", "created_at",
                        "updated_at"])
roles = Batch("user_roles", ["id", "user_id", "role", "unit_id"])
plans = Batch("plans", ["id", "unit_id", "year", "number", "symbol", "issued_on",
                        "place", "title", "title_fold", "status", "created_at",
                        "updated_at", "criterion_min_tasks"])
tasks = Batch("tasks", ["id", "plan_id", "parent_id", "ord", "title", "title_fold",
                        "description", "lead_unit_id", "responsible_user_id",
                        "start_on", "due_on", "weight", "status", "progress",
                        "done_on", "created_at", "updated_at", "is_leaf"])
links = Batch("task_links", ["task_id", "dimension", "indicator"])
updates = Batch("task_updates", ["id", "task_id", "user_id", "at", "progress",
                                 "status", "note"])
requests = Batch("task_requests", ["id", "task_id", "unit_id", "kind", "message",
                                   "answer_due", "sent_by", "sent_at", "answer",
                                   "answered_by", "answered_at"])

out.write("BEGIN;\n")
# the province: one row of our own, so the bench does not depend on the demo
prov = BASE
units.add(prov, "99", "province", "Tỉnh", "Bench", "Tỉnh Bench", "bench",
          "62656e6368", None, None, None, "", NOW, NOW)
uid = BASE + 1
userid = BASE
roleid = BASE
taskid = BASE
updid = BASE
reqid = BASE
upper = userid
users.add(upper, "bench_tinh", "Người Tỉnh", "nguoi tinh", "74696e68", "",
          pwhash, 1, NOW, NOW)
roles.add(roleid, upper, "upper", prov)
roleid += 1
userid += 1
for c in range(communes):
    commune = uid
    uid += 1
    name = "Bench %03d" % (c + 1)
    units.add(commune, "9%04d" % c, "commune", "Xã", name, "Xã " + name,
              name.lower(), name.encode().hex(), prov, None, 5000, "", NOW, NOW)
    unit_ids = []
    for i, un in enumerate(UNITS):
        units.add(uid, None, "unit", "Bộ phận", un, un, "unit %d" % i,
                  ("%02d" % i).encode().hex(), commune, None, None, "", NOW, NOW)
        unit_ids.append(uid)
        uid += 1
    for i in range(6):
        units.add(uid, None, "village", "Thôn", "Thôn %d" % (i + 1),
                  "Thôn %d" % (i + 1), "thon %d" % (i + 1),
                  ("t%d" % i).encode().hex(), commune, None, 800, "", NOW, NOW)
        unit_ids.append(uid)
        uid += 1
    office = userid
    users.add(office, "bench_vp_%03d" % (c + 1), "Văn Phòng %03d" % (c + 1),
              "van phong %03d" % (c + 1), ("vp%03d" % c).encode().hex(), "",
              pwhash, 1, NOW, NOW)
    roles.add(roleid, office, "office", unit_ids[0])
    roleid += 1
    userid += 1
    heads = []
    for i in range(8):
        users.add(userid, "bench_bp_%03d_%d" % (c + 1, i), "Trưởng Bộ Phận %d" % i,
                  "truong bo phan %d" % i, ("bp%03d%d" % (c, i)).encode().hex(), "",
                  pwhash, 1, NOW, NOW)
        roles.add(roleid, userid, "unit_head", unit_ids[i])
        heads.append(userid)
        roleid += 1
        userid += 1
    plan = BASE + c
    plans.add(plan, commune, 2026, 1, "KH-UBND", "2026-01-05", name,
              "Nâng cao Chỉ số PAPI xã %s năm 2026" % name,
              "nang cao chi so papi xa %s nam 2026" % name.lower(), "issued",
              NOW, NOW, 5)
    nparents = ntasks // 5
    ord_ = 0
    parent = None
    for t in range(ntasks):
        is_parent = t % 5 == 0 and t // 5 < nparents
        if is_parent:
            parent = None
        lead = rng.randrange(8)
        start = rng.randrange(0, 300)
        due = min(start + rng.randrange(10, 120), 364)
        dueday, startday = day(due), day(start)
        r = rng.random()
        if due < 330:  # past: mostly done, some late, some overdue
            if r < 0.6:
                status, prog, done = "done", 100, day(max(start, due - rng.randrange(0, 10)))
            elif r < 0.8:
                status, prog, done = "done", 100, day(min(due + rng.randrange(1, 30), 330))
            else:
                status, prog, done = "doing", rng.randrange(10, 90), None
        else:
            status, prog, done = ("doing", rng.randrange(0, 90), None) if r < 0.7 else ("todo", 0, None)
        title = "Nhiệm vụ %d: nâng cao chỉ số lĩnh vực %s" % (t + 1, DIMS[t % 8])
        # is_leaf as task_save keeps it (migration 0009): a parent has
        # the next four as sub-tasks
        tasks.add(taskid, plan, parent, ord_, title,
                  "nhiem vu %d: nang cao chi so linh vuc %s" % (t + 1, DIMS[t % 8].lower()),
                  "", unit_ids[lead], heads[lead], startday, dueday, 1, status,
                  prog, done, NOW, NOW, 0 if is_parent and t + 1 < ntasks else 1)
        links.add(taskid, DIMS[t % 8], "")
        if t % 3 == 0:
            links.add(taskid, DIMS[(t + 3) % 8], "%d.1.1" % ((t + 3) % 8 + 1))
        for k in range(nupdates):
            p = min(100, prog * (k + 1) // nupdates)
            at = day(min(start + k * max(1, (due - start)) // nupdates, 330)) + "T02:00:00Z"
            updates.add(updid, taskid, heads[lead], at, p,
                        "done" if (k == nupdates - 1 and status == "done") else "doing",
                        "Báo cáo tiến độ lần %d" % (k + 1))
            updid += 1
        if status == "doing" and due < 330 and rng.random() < 0.3:
            answered = rng.random() < 0.5
            requests.add(reqid, taskid, unit_ids[lead], "explanation",
                         "Đề nghị giải trình việc chậm tiến độ", day(min(due + 10, 364)),
                         office, day(min(due + 5, 364)) + "T01:00:00Z",
                         "Đang khắc phục" if answered else None,
                         heads[lead] if answered else None,
                         day(min(due + 8, 364)) + "T03:00:00Z" if answered else None)
            reqid += 1
        if is_parent:
            parent = taskid
        taskid += 1
        ord_ += 1
for b in (units, users, roles, plans, tasks, links, updates, requests):
    b.flush()
    out.writelines(b.chunks)
out.write("COMMIT;\n")
