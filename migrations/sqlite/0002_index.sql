-- The PAPI index: the indicator catalogue (versioned by year), official
-- provincial results, survey rounds. Sampling frames, draws, interviews and
-- estimates come later and hang off survey_rounds(id) as round_id.

-- A catalogue version: the dimensions, sub-dimensions, indicators and
-- questions of one survey year. A new year starts as a copy of the last.
CREATE TABLE catalogue_versions (
	id INTEGER PRIMARY KEY,
	year INTEGER NOT NULL UNIQUE,
	name TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	copied_from INTEGER REFERENCES catalogue_versions(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE catalogue_dimensions (
	id INTEGER PRIMARY KEY,
	version_id INTEGER NOT NULL REFERENCES catalogue_versions(id) ON DELETE CASCADE,
	code TEXT NOT NULL,          -- 'D1'..'D8'
	ord INTEGER NOT NULL,
	name_vi TEXT NOT NULL,
	name_en TEXT NOT NULL,
	UNIQUE (version_id, code)
);

CREATE TABLE catalogue_subdimensions (
	id INTEGER PRIMARY KEY,
	version_id INTEGER NOT NULL REFERENCES catalogue_versions(id) ON DELETE CASCADE,
	dimension_id INTEGER NOT NULL REFERENCES catalogue_dimensions(id) ON DELETE CASCADE,
	code TEXT NOT NULL,          -- '1.1', '5.3'
	ord INTEGER NOT NULL,
	name_vi TEXT NOT NULL,
	name_en TEXT NOT NULL,
	UNIQUE (version_id, code)
);

CREATE TABLE catalogue_indicators (
	id INTEGER PRIMARY KEY,
	version_id INTEGER NOT NULL REFERENCES catalogue_versions(id) ON DELETE CASCADE,
	subdimension_id INTEGER NOT NULL REFERENCES catalogue_subdimensions(id) ON DELETE CASCADE,
	code TEXT NOT NULL,          -- '1.1.1'
	ord INTEGER NOT NULL,
	name_vi TEXT NOT NULL,
	name_en TEXT NOT NULL,
	weight REAL NOT NULL DEFAULT 1 CHECK (weight > 0),
	source TEXT NOT NULL DEFAULT '', -- [R] [P] [I] PROPOSED LOCAL
	is_local INTEGER NOT NULL DEFAULT 0, -- 1: added by the commune
	UNIQUE (version_id, code)
);

CREATE TABLE catalogue_questions (
	id INTEGER PRIMARY KEY,
	version_id INTEGER NOT NULL REFERENCES catalogue_versions(id) ON DELETE CASCADE,
	indicator_id INTEGER NOT NULL REFERENCES catalogue_indicators(id) ON DELETE CASCADE,
	code TEXT NOT NULL,          -- 'q1_1_1', 'q2_4_4a': the answer column
	ord INTEGER NOT NULL,   -- order in the questionnaire
	text_vi TEXT NOT NULL,
	text_en TEXT NOT NULL,
	answer_type TEXT NOT NULL CHECK (answer_type IN ('yes_no','scale','count','amount','choice')),
	choices TEXT NOT NULL DEFAULT '', -- '1=Có;0=Không'
	lower_bound REAL NOT NULL, -- theoretical bounds of a valid answer
	upper_bound REAL NOT NULL,
	direction TEXT NOT NULL CHECK (direction IN ('higher_better','lower_better','descriptive')),
	missing_codes TEXT NOT NULL DEFAULT '', -- '98;99'
	skip_if TEXT NOT NULL DEFAULT '',       -- 'q1_4_1=0': not asked when it holds
	CHECK (lower_bound < upper_bound),
	UNIQUE (version_id, code)
);
CREATE INDEX catalogue_questions_indicator ON catalogue_questions(indicator_id);

-- Published provincial results (or any unit's official figures), as
-- imported: a blank cell is NULL. A unit missing a dimension has no total
-- and no rank.
CREATE TABLE official_results (
	id INTEGER PRIMARY KEY,
	year INTEGER NOT NULL,
	unit_code TEXT NOT NULL,     -- the file's code, else its ASCII name
	unit_name TEXT NOT NULL,     -- 'Hưng Yên'
	name_fold TEXT NOT NULL,
	sort_key TEXT NOT NULL,
	d1 REAL, d2 REAL, d3 REAL, d4 REAL, d5 REAL, d6 REAL, d7 REAL, d8 REAL,
	total REAL,
	published_rank INTEGER,
	n_ranked INTEGER,
	status TEXT NOT NULL DEFAULT '',
	source_file TEXT NOT NULL DEFAULT '',
	imported_at TEXT NOT NULL,
	UNIQUE (year, unit_code)
);
CREATE INDEX official_results_year ON official_results(year, sort_key);

-- A survey round: a year, the unit whose villages (or communes) are
-- surveyed, the catalogue it asks, and the estimation settings.
CREATE TABLE survey_rounds (
	id INTEGER PRIMARY KEY,
	year INTEGER NOT NULL,
	name TEXT NOT NULL,
	scope_unit_id INTEGER NOT NULL REFERENCES units(id),
	catalogue_version_id INTEGER NOT NULL REFERENCES catalogue_versions(id),
	tie_rule TEXT NOT NULL DEFAULT 'upper' CHECK (tie_rule IN ('upper','lower')),
	bounds_rule TEXT NOT NULL DEFAULT 'theoretical' CHECK (bounds_rule IN ('theoretical','observed')),
	min_answers INTEGER NOT NULL DEFAULT 10 CHECK (min_answers >= 1),
	lonely_psu TEXT NOT NULL DEFAULT 'fail' CHECK (lonely_psu IN ('fail','remove','certainty','adjust','average')),
	status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','sampling','fieldwork','closed')),
	note TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX survey_rounds_scope ON survey_rounds(scope_unit_id, year);
