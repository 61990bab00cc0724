-- Sampling the PAPI way: a round's sample frame (units with population,
-- people per unit), the draw (units with their inclusion probabilities,
-- people with their design weights and replacement order) and the contacts
-- of the fieldwork. Everything hangs off survey_rounds(id).

-- The draw's settings, per round (defaults as PAPI: 20 people plus 10
-- replacements per village, quota 16, aged 18-70).
ALTER TABLE survey_rounds ADD COLUMN sample_units INTEGER NOT NULL DEFAULT 1 CHECK (sample_units >= 0);
ALTER TABLE survey_rounds ADD COLUMN sample_people INTEGER NOT NULL DEFAULT 20 CHECK (sample_people >= 1);
ALTER TABLE survey_rounds ADD COLUMN sample_reserve INTEGER NOT NULL DEFAULT 10 CHECK (sample_reserve >= 0);
ALTER TABLE survey_rounds ADD COLUMN sample_quota INTEGER NOT NULL DEFAULT 16 CHECK (sample_quota >= 1);
ALTER TABLE survey_rounds ADD COLUMN age_min INTEGER NOT NULL DEFAULT 18 CHECK (age_min >= 0);
ALTER TABLE survey_rounds ADD COLUMN age_max INTEGER NOT NULL DEFAULT 70 CHECK (age_max >= 0);
ALTER TABLE survey_rounds ADD COLUMN sample_seed TEXT;      -- the draw's seed, NULL before it
ALTER TABLE survey_rounds ADD COLUMN drawn_at TEXT;

-- The units of the frame (villages of a commune, communes of a province).
CREATE TABLE sample_frame_units (
	id INTEGER PRIMARY KEY,
	round_id INTEGER NOT NULL REFERENCES survey_rounds(id) ON DELETE CASCADE,
	unit_id INTEGER NOT NULL REFERENCES units(id),
	ord INTEGER NOT NULL,            -- order in the file: the systematic draw's order
	population INTEGER NOT NULL CHECK (population > 0),
	is_seat INTEGER NOT NULL DEFAULT 0,
	UNIQUE (round_id, unit_id)
);

-- The people (or households) of a frame unit.
CREATE TABLE sample_frame_people (
	id INTEGER PRIMARY KEY,
	round_id INTEGER NOT NULL REFERENCES survey_rounds(id) ON DELETE CASCADE,
	frame_unit_id INTEGER NOT NULL REFERENCES sample_frame_units(id) ON DELETE CASCADE,
	person_ref TEXT NOT NULL,        -- the file's person or household id
	full_name TEXT NOT NULL,
	gender TEXT NOT NULL CHECK (gender IN ('male','female')),
	birth_year INTEGER NOT NULL,
	address TEXT NOT NULL DEFAULT '',
	UNIQUE (frame_unit_id, person_ref)
);
CREATE INDEX sample_frame_people_round ON sample_frame_people(round_id);

-- The units drawn: the seat (certainty) and the PPS draws.
CREATE TABLE sample_units (
	id INTEGER PRIMARY KEY,
	round_id INTEGER NOT NULL REFERENCES survey_rounds(id) ON DELETE CASCADE,
	frame_unit_id INTEGER NOT NULL REFERENCES sample_frame_units(id) ON DELETE CASCADE,
	prob REAL NOT NULL CHECK (prob > 0 AND prob <= 1), -- inclusion probability
	certainty INTEGER NOT NULL DEFAULT 0, -- seat, or too big to be left out
	eligible INTEGER NOT NULL,       -- people of the frame aged age_min..age_max
	UNIQUE (round_id, frame_unit_id)
);

-- The people drawn: ord 1..sample_people the main list, then the
-- replacements in the order they are brought in.
CREATE TABLE sample_people (
	id INTEGER PRIMARY KEY,
	round_id INTEGER NOT NULL REFERENCES survey_rounds(id) ON DELETE CASCADE,
	sample_unit_id INTEGER NOT NULL REFERENCES sample_units(id) ON DELETE CASCADE,
	frame_person_id INTEGER NOT NULL REFERENCES sample_frame_people(id) ON DELETE CASCADE,
	ord INTEGER NOT NULL,
	is_reserve INTEGER NOT NULL DEFAULT 0,
	released INTEGER NOT NULL DEFAULT 0, -- on the list to contact
	prob REAL NOT NULL,              -- P(person | unit)
	weight REAL NOT NULL,            -- 1 / (P(unit) x P(person | unit))
	outcome TEXT NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending','interviewed','refused','not_home','moved','ineligible')),
	note TEXT NOT NULL DEFAULT '',
	updated_at TEXT,
	updated_by TEXT,
	UNIQUE (sample_unit_id, ord)
);
CREATE INDEX sample_people_round ON sample_people(round_id);
