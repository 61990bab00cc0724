-- Citizens' voice (src/voice/): feedback and petitions (phản ánh, kiến
-- nghị), complaints (khiếu nại), denunciations (tố cáo), the statutory
-- clocks they run on, answers approved before anyone sees them, and the
-- citizen reception days (tiếp công dân). Days 'YYYY-MM-DD' (Vietnam),
-- times UTC text like the other tables.

-- What a case is about, each topic tied to the PAPI dimension it touches,
-- so the index and the plan can show what citizens raised per dimension.
CREATE TABLE case_topics (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,          -- 'dat_dai'; Open311 service_code
	name_vi TEXT NOT NULL,              -- 'Đất đai, xây dựng'
	name_en TEXT NOT NULL,
	dimension TEXT NOT NULL CHECK (dimension IN ('D1','D2','D3','D4','D5','D6','D7','D8')),
	ord INTEGER NOT NULL DEFAULT 0,
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1))
);

-- The law's clocks as data (rules.md): for a case type, a step lasts
-- `days` counted from an event, in working or calendar days; longer when
-- the case is complex or the place remote; extensions in writing; each
-- rule in force from effective_from until the day before effective_to.
-- The rule that applies is the one in force on the day the clock starts.
CREATE TABLE case_rules (
	id INTEGER PRIMARY KEY,
	case_type TEXT NOT NULL CHECK (case_type IN ('feedback','petition','complaint','denunciation')),
	step TEXT NOT NULL CHECK (step IN ('classify','accept','resolve')),
	start_event TEXT NOT NULL CHECK (start_event IN ('received','accepted')),
	days INTEGER NOT NULL CHECK (days > 0),
	day_unit TEXT NOT NULL CHECK (day_unit IN ('working','calendar')),
	days_complex INTEGER CHECK (days_complex IS NULL OR days_complex > 0),
	days_remote INTEGER CHECK (days_remote IS NULL OR days_remote > 0),
	days_remote_complex INTEGER CHECK (days_remote_complex IS NULL OR days_remote_complex > 0),
	extension_days INTEGER NOT NULL DEFAULT 0 CHECK (extension_days >= 0),
	max_extensions INTEGER NOT NULL DEFAULT 0 CHECK (max_extensions >= 0),
	effective_from TEXT NOT NULL,
	effective_to TEXT,
	legal_basis TEXT NOT NULL DEFAULT '',
	verified INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0,1)), -- 0: a default to check
	UNIQUE (case_type, step, effective_from)
);

-- A case. The citizen gets `code` (printed, typed on the tracking page)
-- and a secret shown once; only its hash is kept. A denunciation keeps
-- its denouncer's name, phone and address only in identity_box (sealed
-- with libsodium, key outside the database): citizen_* stay empty.
-- due_on is the current step's due day, kept on every write so lists and
-- statistics need no clock arithmetic.
CREATE TABLE cases (
	id INTEGER PRIMARY KEY,
	commune_id INTEGER NOT NULL REFERENCES units(id),
	code TEXT NOT NULL UNIQUE,
	secret_hash TEXT NOT NULL,
	case_type TEXT NOT NULL CHECK (case_type IN ('feedback','petition','complaint','denunciation')),
	topic_id INTEGER REFERENCES case_topics(id),
	village_id INTEGER REFERENCES units(id),
	channel TEXT NOT NULL CHECK (channel IN ('online','paper','phone','reception','meeting','portal','open311')),
	portal_id TEXT NOT NULL DEFAULT '',   -- the national portal's id
	title TEXT NOT NULL DEFAULT '',
	body TEXT NOT NULL,
	text_fold TEXT NOT NULL,              -- title and body folded: search, duplicates
	citizen_name TEXT NOT NULL DEFAULT '',
	citizen_phone TEXT NOT NULL DEFAULT '',
	citizen_address TEXT NOT NULL DEFAULT '',
	identity_box TEXT,                    -- denunciations only
	lat REAL, lon REAL,                   -- where, when given (Open311)
	status TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received','accepted','forwarded','refused','assigned','verifying','dialogue','answered','closed','merged')),
	complexity INTEGER NOT NULL DEFAULT 0 CHECK (complexity IN (0,1,2)), -- 1 complex, 2 especially
	remote INTEGER NOT NULL DEFAULT 0 CHECK (remote IN (0,1)),
	unit_id INTEGER REFERENCES units(id),      -- the unit assigned
	handler_id INTEGER REFERENCES users(id),   -- the official handling it
	received_on TEXT NOT NULL,
	accepted_on TEXT,
	due_on TEXT,                          -- NULL once answered, closed, forwarded...
	answer_due_on TEXT,                   -- the answer's due day when it was approved: on-time statistics
	answered_on TEXT,
	closed_on TEXT,
	forwarded_to TEXT NOT NULL DEFAULT '',
	refusal_reason TEXT NOT NULL DEFAULT '',
	merged_into INTEGER REFERENCES cases(id),
	published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0,1)), -- answer on the public page
	rating TEXT CHECK (rating IS NULL OR rating IN ('satisfied','unsatisfied')),
	rating_reason TEXT NOT NULL DEFAULT '',
	rated_at TEXT,
	submitter_addr TEXT NOT NULL DEFAULT '', -- online: the address (rate limits); never shown
	created_by INTEGER REFERENCES users(id), -- NULL: the citizen, online
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX cases_commune_status ON cases(commune_id, status, due_on);
CREATE INDEX cases_similar ON cases(commune_id, village_id, topic_id, status);
CREATE INDEX cases_received ON cases(commune_id, received_on);
CREATE INDEX cases_unit ON cases(unit_id, status, due_on);
CREATE INDEX cases_merged ON cases(merged_into);
CREATE INDEX cases_published ON cases(published, answered_on);

-- Everything that happened to a case, in order (the history the case page
-- and the citizen's page show; the citizen sees only public kinds).
CREATE TABLE case_events (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id),
	at TEXT NOT NULL,
	user_id INTEGER REFERENCES users(id),   -- NULL: the citizen or the system
	kind TEXT NOT NULL,                      -- receive accept forward refuse assign verify dialogue extend draft submit approve return publish close merge rate
	note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_case ON case_events(case_id, at);

-- An extension of a step's clock, decided in writing with its reason.
CREATE TABLE case_extensions (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id),
	step TEXT NOT NULL CHECK (step IN ('classify','accept','resolve')),
	days INTEGER NOT NULL CHECK (days > 0),
	reason TEXT NOT NULL,
	document TEXT NOT NULL DEFAULT '',       -- the written decision: 'Số 12/TB-UBND'
	decided_on TEXT NOT NULL,
	user_id INTEGER REFERENCES users(id),
	created_at TEXT NOT NULL
);
CREATE INDEX case_extensions_case ON case_extensions(case_id);

-- The answer, drafted by the unit, approved (or sent back) by the chair or
-- a vice chair before the citizen or the public sees it. Files are
-- attachments with owner 'case_answer'.
CREATE TABLE case_answers (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id),
	body TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','submitted','approved','returned')),
	drafted_by INTEGER REFERENCES users(id),
	drafted_at TEXT NOT NULL,
	reviewed_by INTEGER REFERENCES users(id),
	reviewed_at TEXT,
	review_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_answers_case ON case_answers(case_id, status);

-- Response templates per topic (topic_id NULL: any topic).
CREATE TABLE answer_templates (
	id INTEGER PRIMARY KEY,
	commune_id INTEGER REFERENCES units(id),  -- NULL: shipped for all
	topic_id INTEGER REFERENCES case_topics(id),
	title TEXT NOT NULL,
	body TEXT NOT NULL
);

-- Citizen reception (tiếp công dân): the published schedule, and per
-- session the register of who came, what they raised, the case it opened.
CREATE TABLE reception_sessions (
	id INTEGER PRIMARY KEY,
	commune_id INTEGER NOT NULL REFERENCES units(id),
	held_on TEXT NOT NULL,
	starts TEXT NOT NULL DEFAULT '07:30',
	ends TEXT NOT NULL DEFAULT '11:00',
	place TEXT NOT NULL,
	host_id INTEGER REFERENCES users(id),
	host_name TEXT NOT NULL DEFAULT '',     -- 'Chủ tịch UBND xã Trần Văn Thắng'
	kind TEXT NOT NULL DEFAULT 'regular' CHECK (kind IN ('regular','adhoc')),
	note TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);
CREATE INDEX reception_sessions_commune ON reception_sessions(commune_id, held_on);

CREATE TABLE reception_visits (
	id INTEGER PRIMARY KEY,
	session_id INTEGER NOT NULL REFERENCES reception_sessions(id),
	visitor_name TEXT NOT NULL,
	visitor_phone TEXT NOT NULL DEFAULT '',
	visitor_address TEXT NOT NULL DEFAULT '',
	village_id INTEGER REFERENCES units(id),
	summary TEXT NOT NULL,
	case_id INTEGER REFERENCES cases(id),
	created_by INTEGER REFERENCES users(id),
	created_at TEXT NOT NULL
);
CREATE INDEX reception_visits_session ON reception_visits(session_id);

-- Shipped topics (editable). Dimensions: D1 participation, D2
-- transparency, D3 vertical accountability, D4 control of corruption, D5
-- public administrative procedures, D6 public service delivery, D7
-- environmental governance, D8 e-governance.
INSERT INTO case_topics (code, name_vi, name_en, dimension, ord) VALUES
 ('dat_dai', 'Đất đai, quy hoạch, xây dựng', 'Land, planning, construction', 'D2', 1),
 ('thu_tuc', 'Thủ tục hành chính, một cửa', 'Administrative procedures, one-stop shop', 'D5', 2),
 ('ha_tang', 'Đường sá, điện, nước sạch', 'Roads, electricity, clean water', 'D6', 3),
 ('moi_truong', 'Môi trường, rác thải, ô nhiễm', 'Environment, waste, pollution', 'D7', 4),
 ('an_sinh', 'Chính sách xã hội, hộ nghèo, trợ cấp', 'Social policy, poor households, benefits', 'D2', 5),
 ('y_te_giao_duc', 'Y tế, giáo dục', 'Health, education', 'D6', 6),
 ('an_ninh', 'An ninh, trật tự', 'Security, public order', 'D6', 7),
 ('can_bo', 'Thái độ, đạo đức cán bộ', 'Officials'' conduct', 'D4', 8),
 ('dong_gop', 'Đóng góp của người dân, thu chi ngân sách', 'Residents'' contributions, budget', 'D1', 9),
 ('dich_vu_cong', 'Dịch vụ công trực tuyến, cổng thông tin', 'Online public services, web portal', 'D8', 10),
 ('khac', 'Khác', 'Other', 'D3', 11);

-- Shipped clocks (rules.md). verified = 0 where the source could not be
-- read in full or the unit of "ngày" is unsettled: the legal officer
-- checks them (`quantri voice rules`).
INSERT INTO case_rules (case_type, step, start_event, days, day_unit, days_complex, days_remote, days_remote_complex, extension_days, max_extensions, effective_from, legal_basis, verified) VALUES
 ('feedback', 'classify', 'received', 5, 'working', NULL, NULL, NULL, 0, 0, '2021-01-01', 'QĐ 31/2021/QĐ-TTg (chuyển nội dung ngoài thẩm quyền)', 1),
 ('feedback', 'resolve', 'received', 10, 'working', NULL, NULL, NULL, 0, 0, '2021-01-01', 'Quy định của UBND xã', 0),
 ('petition', 'classify', 'received', 5, 'working', NULL, NULL, NULL, 0, 0, '2021-01-01', 'QĐ 31/2021/QĐ-TTg (chuyển nội dung ngoài thẩm quyền)', 1),
 ('petition', 'resolve', 'received', 10, 'working', NULL, NULL, NULL, 0, 0, '2021-01-01', 'Quy định của UBND xã', 0),
 ('complaint', 'accept', 'received', 10, 'working', NULL, NULL, NULL, 0, 0, '2012-07-01', 'Luật Khiếu nại 2011, Điều 27', 0),
 ('complaint', 'resolve', 'accepted', 30, 'calendar', 45, 45, 60, 0, 0, '2012-07-01', 'Luật Khiếu nại 2011, Điều 28', 0),
 ('denunciation', 'accept', 'received', 7, 'working', 10, NULL, NULL, 0, 0, '2019-01-01', 'Luật Tố cáo 2018, Điều 24, 29', 0),
 ('denunciation', 'resolve', 'accepted', 30, 'calendar', NULL, NULL, NULL, 30, 2, '2019-01-01', 'Luật Tố cáo 2018, Điều 30', 1);

INSERT INTO answer_templates (topic_id, title, body) VALUES
 (NULL, 'Trả lời chung', 'UBND xã đã nhận được phản ánh, kiến nghị của ông/bà về việc {noi_dung}. Sau khi kiểm tra, UBND xã trả lời như sau: ...'),
 ((SELECT id FROM case_topics WHERE code = 'ha_tang'), 'Đã khắc phục hạ tầng', 'UBND xã đã giao {don_vi} kiểm tra thực tế. Đến ngày {ngay}, việc khắc phục đã hoàn thành. UBND xã cảm ơn ông/bà đã phản ánh.'),
 ((SELECT id FROM case_topics WHERE code = 'thu_tuc'), 'Hướng dẫn thủ tục', 'Thủ tục ông/bà hỏi được thực hiện tại Bộ phận Một cửa của UBND xã, hồ sơ gồm: ... Thời hạn giải quyết: ... ngày làm việc.');
