-- Inspections and supervisions (kiểm tra, giám sát), their findings and
-- recommendations; each recommendation is followed as a remedial task of
-- the plan until the recording side verifies it fixed (src/oversight/).
-- Dates 'YYYY-MM-DD', times UTC text.

-- kind: 'inspection' (kiểm tra of the commune), 'people_board' (Ban Thanh
-- tra nhân dân), 'investment_board' (Ban Giám sát đầu tư của cộng đồng),
-- 'front' (giám sát của MTTQ). unit_id: the unit inspected, NULL for the
-- commune as a whole.
CREATE TABLE inspections (
	id INTEGER PRIMARY KEY,
	commune_id INTEGER NOT NULL REFERENCES units(id),
	kind TEXT NOT NULL CHECK (kind IN ('inspection','people_board','investment_board','front')),
	title TEXT NOT NULL,
	reference TEXT NOT NULL DEFAULT '', -- plan or decision: 'Quyết định số 12/QĐ-UBND ngày 03/3/2026'
	team TEXT NOT NULL DEFAULT '',      -- members, one per line
	scope TEXT NOT NULL DEFAULT '',
	from_on TEXT NOT NULL,
	to_on TEXT NOT NULL,
	unit_id INTEGER REFERENCES units(id),
	search_fold TEXT NOT NULL,          -- title, reference, team, scope folded
	created_by INTEGER REFERENCES users(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	CHECK (from_on <= to_on)
);
CREATE INDEX inspections_commune ON inspections(commune_id, from_on);
CREATE INDEX inspections_unit ON inspections(unit_id);

CREATE TABLE inspection_villages (
	inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
	unit_id INTEGER NOT NULL REFERENCES units(id),
	PRIMARY KEY (inspection_id, unit_id)
);
CREATE INDEX inspection_villages_unit ON inspection_villages(unit_id);

-- PAPI dimensions ('D1'..'D8') and indicators (catalogue code); '' = the
-- whole dimension, as task_links.
CREATE TABLE inspection_links (
	inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
	dimension TEXT NOT NULL CHECK (dimension IN ('D1','D2','D3','D4','D5','D6','D7','D8')),
	indicator TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (inspection_id, dimension, indicator)
);
CREATE INDEX inspection_links_dim ON inspection_links(dimension);

-- Kết luận, phát hiện.
CREATE TABLE findings (
	id INTEGER PRIMARY KEY,
	inspection_id INTEGER NOT NULL REFERENCES inspections(id),
	ord INTEGER NOT NULL,
	text TEXT NOT NULL,
	text_fold TEXT NOT NULL,
	created_by INTEGER REFERENCES users(id),
	created_at TEXT NOT NULL
);
CREATE INDEX findings_inspection ON findings(inspection_id, ord);

CREATE TABLE finding_links (
	finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
	dimension TEXT NOT NULL CHECK (dimension IN ('D1','D2','D3','D4','D5','D6','D7','D8')),
	indicator TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (finding_id, dimension, indicator)
);
CREATE INDEX finding_links_dim ON finding_links(dimension);

-- Kiến nghị: the unit that must fix it and by when, followed as task_id.
-- Its state: open while the task is not done, fixed (awaiting
-- verification) once done, verified when verified_on is set.
CREATE TABLE recommendations (
	id INTEGER PRIMARY KEY,
	finding_id INTEGER NOT NULL REFERENCES findings(id),
	inspection_id INTEGER NOT NULL REFERENCES inspections(id),
	text TEXT NOT NULL,
	text_fold TEXT NOT NULL,
	unit_id INTEGER NOT NULL REFERENCES units(id),
	due_on TEXT NOT NULL,
	task_id INTEGER NOT NULL REFERENCES tasks(id),
	verified_on TEXT,
	verified_note TEXT,
	verified_by INTEGER REFERENCES users(id),
	created_by INTEGER REFERENCES users(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX recommendations_inspection ON recommendations(inspection_id);
CREATE INDEX recommendations_finding ON recommendations(finding_id);
CREATE INDEX recommendations_task ON recommendations(task_id);
CREATE INDEX recommendations_unit ON recommendations(unit_id, due_on);

-- Verifications and reopenings, kept forever.
CREATE TABLE recommendation_events (
	id INTEGER PRIMARY KEY,
	recommendation_id INTEGER NOT NULL REFERENCES recommendations(id),
	action TEXT NOT NULL CHECK (action IN ('verify','reopen')),
	on_date TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	user_id INTEGER REFERENCES users(id),
	at TEXT NOT NULL
);
CREATE INDEX recommendation_events_rec ON recommendation_events(recommendation_id, at);
