-- Reports (Báo cáo) to the upper level and plans' own reports, stored with
-- the figures and the document they were built from, so a report opens
-- again unchanged whatever changed since (src/report/). Dates
-- 'YYYY-MM-DD', times UTC text.

-- kind: 'monthly', 'quarterly', 'six_month', 'yearly', 'plan'; period_no: the
-- month, quarter or half of `year` (1 for yearly and plan reports).
-- number: 12 in 12/BC-UBND, numbered per commune, symbol and number_year
-- (the year of issued_on: a yearly report issued in January takes the new
-- year's numbers); both NULL: a draft. figures, doc: JSON text (report.h).
CREATE TABLE reports (
	id INTEGER PRIMARY KEY,
	unit_id INTEGER NOT NULL REFERENCES units(id),
	kind TEXT NOT NULL CHECK (kind IN ('monthly','quarterly','six_month','yearly','plan')),
	year INTEGER NOT NULL,
	period_no INTEGER NOT NULL DEFAULT 1,
	plan_id INTEGER REFERENCES plans(id),
	period_from TEXT NOT NULL,
	period_to TEXT NOT NULL,
	number INTEGER,
	number_year INTEGER,
	symbol TEXT NOT NULL DEFAULT 'BC-UBND',
	issued_on TEXT NOT NULL,
	title TEXT NOT NULL,
	figures TEXT NOT NULL,
	doc TEXT NOT NULL,
	created_by INTEGER REFERENCES users(id),
	created_at TEXT NOT NULL,
	CHECK (period_from <= period_to),
	CHECK (kind <> 'plan' OR plan_id IS NOT NULL),
	CHECK ((number IS NULL) = (number_year IS NULL)),
	UNIQUE (unit_id, number_year, symbol, number)
);
CREATE INDEX reports_unit ON reports(unit_id, year, kind, period_no);

-- Per commune: the day of the month on which report data is cut off (14:
-- Nghị định 09/2019/NĐ-CP Điều 12; 0: calendar periods), and what a new
-- report starts with.
CREATE TABLE report_settings (
	unit_id INTEGER PRIMARY KEY REFERENCES units(id),
	cutoff_day INTEGER NOT NULL DEFAULT 14 CHECK (cutoff_day BETWEEN 0 AND 28),
	recipients TEXT NOT NULL DEFAULT '',
	sign_mode TEXT NOT NULL DEFAULT 'TM.' CHECK (sign_mode IN ('TM.','KT.')),
	signer_title TEXT NOT NULL DEFAULT 'CHỦ TỊCH',
	signer_name TEXT NOT NULL DEFAULT ''
);
