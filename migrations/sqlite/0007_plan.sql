-- Plans (Kế hoạch), their targets, tasks, progress updates and the urging
-- of lagging units (src/plan/). Dates 'YYYY-MM-DD', times UTC text.

-- A plan the way the commune writes one: 05/KH-UBND, numbered per year and
-- issuing unit when issued (number NULL while a draft).
CREATE TABLE plans (
	id INTEGER PRIMARY KEY,
	unit_id INTEGER NOT NULL REFERENCES units(id), -- the issuing commune
	year INTEGER NOT NULL,
	number INTEGER,                  -- 5 in 05/KH-UBND; NULL: draft
	symbol TEXT NOT NULL DEFAULT 'KH-UBND',
	issued_on TEXT,                  -- the date on the document
	place TEXT NOT NULL DEFAULT '',  -- 'Minh Tiến' in 'Minh Tiến, ngày ...'
	title TEXT NOT NULL,             -- 'Nâng cao Chỉ số PAPI xã Minh Tiến năm 2024'
	title_fold TEXT NOT NULL,
	bases TEXT NOT NULL DEFAULT '',  -- căn cứ, one per line
	recipients TEXT NOT NULL DEFAULT '', -- nơi nhận, one per line, 'Lưu: VP.' last
	sign_mode TEXT NOT NULL DEFAULT 'TM.' CHECK (sign_mode IN ('TM.','KT.','')),
	signer_title TEXT NOT NULL DEFAULT '', -- 'CHỦ TỊCH'
	signer_name TEXT NOT NULL DEFAULT '',
	baseline_year INTEGER,           -- the result targets compare with (2023)
	criterion_min_tasks INTEGER NOT NULL DEFAULT 5 CHECK (criterion_min_tasks >= 1),
	status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','issued','closed')),
	created_by INTEGER REFERENCES users(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (unit_id, year, symbol, number)
);

-- The body of a plan: 'I. MỤC ĐÍCH, YÊU CẦU', 'II. NỘI DUNG', 'III. TỔ
-- CHỨC THỰC HIỆN' ... in order; body is plain text with its own numbering.
CREATE TABLE plan_sections (
	id INTEGER PRIMARY KEY,
	plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
	ord INTEGER NOT NULL,
	heading TEXT NOT NULL,
	body TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_sections_plan ON plan_sections(plan_id, ord);

-- What the plan aims at, per dimension or for the total: keep (giữ vững)
-- or reach a tier (1 = Cao .. 4), a rank, or a score, against the baseline
-- year's result.
CREATE TABLE plan_targets (
	id INTEGER PRIMARY KEY,
	plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
	measure TEXT NOT NULL CHECK (measure IN ('d1','d2','d3','d4','d5','d6','d7','d8','total')),
	kind TEXT NOT NULL CHECK (kind IN ('tier','rank','score')),
	goal TEXT NOT NULL CHECK (goal IN ('keep','reach')),
	value REAL,                      -- for 'reach'; NULL for 'keep'
	note TEXT NOT NULL DEFAULT '',
	UNIQUE (plan_id, measure, kind)
);

-- A task of a plan; parent_id makes it a sub-task. A recurring task
-- (recurrence != 'none') is a parent whose sub-tasks are its occurrences,
-- one per period, made when it is created. progress of a parent is the
-- weighted mean of its children's (weight), kept up to date on write.
CREATE TABLE tasks (
	id INTEGER PRIMARY KEY,
	plan_id INTEGER NOT NULL REFERENCES plans(id),
	parent_id INTEGER REFERENCES tasks(id),
	ord INTEGER NOT NULL DEFAULT 0,
	title TEXT NOT NULL,
	title_fold TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	lead_unit_id INTEGER NOT NULL REFERENCES units(id),
	responsible_user_id INTEGER REFERENCES users(id),
	start_on TEXT NOT NULL,
	due_on TEXT NOT NULL,
	recurrence TEXT NOT NULL DEFAULT 'none' CHECK (recurrence IN ('none','weekly','monthly','quarterly','yearly')),
	weight REAL NOT NULL DEFAULT 1 CHECK (weight > 0),
	status TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo','doing','done','cancelled')),
	progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
	done_on TEXT,                    -- the day it was reported done
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	CHECK (start_on <= due_on)
);
CREATE INDEX tasks_plan ON tasks(plan_id, parent_id, ord);
CREATE INDEX tasks_lead_due ON tasks(lead_unit_id, due_on);
CREATE INDEX tasks_responsible_due ON tasks(responsible_user_id, due_on);
CREATE INDEX tasks_due ON tasks(due_on, status);
-- The views' lists and scorecards (plan_views_db.c): a plan's tasks by due
-- date with what the counts read, so they are answered from the index.
CREATE INDEX tasks_plan_due ON tasks(plan_id, due_on, status, done_on, lead_unit_id, responsible_user_id);

-- Co-operating units (đơn vị phối hợp).
CREATE TABLE task_units (
	task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
	unit_id INTEGER NOT NULL REFERENCES units(id),
	PRIMARY KEY (task_id, unit_id)
);
CREATE INDEX task_units_unit ON task_units(unit_id);

-- The PAPI dimensions ('D1'..'D8') and indicators ('5.2.1', catalogue
-- code, any version) a task serves. indicator '' = the whole dimension.
CREATE TABLE task_links (
	task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
	dimension TEXT NOT NULL CHECK (dimension IN ('D1','D2','D3','D4','D5','D6','D7','D8')),
	indicator TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (task_id, dimension, indicator)
);
CREATE INDEX task_links_dim ON task_links(dimension, indicator);

-- Progress reports, kept forever (history); evidence files are
-- attachments with owner 'task_update'.
CREATE TABLE task_updates (
	id INTEGER PRIMARY KEY,
	task_id INTEGER NOT NULL REFERENCES tasks(id),
	user_id INTEGER REFERENCES users(id),  -- NULL: imported or CLI
	at TEXT NOT NULL,
	progress INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
	status TEXT NOT NULL CHECK (status IN ('todo','doing','done','cancelled')),
	note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX task_updates_task ON task_updates(task_id, at);

-- Urging (đôn đốc): a reminder, or an explanation request (yêu cầu giải
-- trình) that the unit must answer by answer_due.
CREATE TABLE task_requests (
	id INTEGER PRIMARY KEY,
	task_id INTEGER NOT NULL REFERENCES tasks(id),
	unit_id INTEGER NOT NULL REFERENCES units(id), -- the unit urged
	kind TEXT NOT NULL CHECK (kind IN ('reminder','explanation')),
	message TEXT NOT NULL,
	answer_due TEXT,                 -- explanation: answer by this day
	sent_by INTEGER REFERENCES users(id),
	sent_at TEXT NOT NULL,
	answer TEXT,
	answered_by INTEGER REFERENCES users(id),
	answered_at TEXT
);
CREATE INDEX task_requests_task ON task_requests(task_id);
CREATE INDEX task_requests_unit ON task_requests(unit_id, sent_at);

-- Every view reads a unit's predecessors (units_lineage: successor_id) and
-- the officials of a commune's units for its filter form (user_roles by
-- unit): without these each is a scan of units or users per page.
CREATE INDEX units_successor ON units(successor_id);
-- The overdue list (and the other active states) over many communes: only
-- the plans' active tasks, in due order, instead of every task due before
-- today.
CREATE INDEX tasks_plan_status_due ON tasks(plan_id, status, due_on);
CREATE INDEX user_roles_unit ON user_roles(unit_id);
