-- Interviews of a survey round: a surveyor's phone form (draft, then
-- submitted) or a row of an imported file (submitted at once).
--
-- Layout: ONE ROW PER INTERVIEW, its answers packed in one text column,
-- `answers`: one field per question of the round's catalogue version, in
-- questionnaire order (catalogue_questions.ord), joined by ';'; an empty
-- field is no answer (not asked, skipped, or not yet answered); a missing
-- code (98, 99) is kept as written. Example: '1;0;;3;98'. Why:
-- - estimation scans every answer of a round (2,000,000 interviews x 130
--   questions): one row per answer would be 260,000,000 rows, each with a
--   key and a row header many times the size of its one-digit answer; one
--   packed cell per interview is read in one pass with strtod, ~3 bytes
--   per answer;
-- - the store passes parameters and cells as text anyway (store/db.h), so
--   a packed text column costs no conversion;
-- - the order is stable: a catalogue version that a round uses cannot be
--   replaced (papi_catalogue_import refuses), and local indicators go into
--   a new version.
-- Nobody queries one answer by SQL; pages and exports unpack in C
-- (src/index/interview.c).
CREATE TABLE interviews (
	id INTEGER PRIMARY KEY,
	round_id INTEGER NOT NULL REFERENCES survey_rounds(id),
	unit_id INTEGER NOT NULL REFERENCES units(id),  -- the village
	-- the drawn person (sampling, migration 0003) when the interview comes
	-- from the draw; no foreign key, so that this table does not depend on
	-- the sampling tables' layout
	sampled_person_id INTEGER,
	surveyor_id INTEGER REFERENCES users(id),        -- NULL: imported
	source TEXT NOT NULL DEFAULT 'form' CHECK (source IN ('form','import')),
	external_id TEXT NOT NULL DEFAULT '',  -- the file's id (KoboToolbox _uuid...)
	status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','submitted')),
	gender TEXT NOT NULL CHECK (gender IN ('male','female')),
	age_group TEXT NOT NULL CHECK (age_group IN ('18-29','30-39','40-49','50-59','60-70')),
	weight REAL CHECK (weight IS NULL OR weight > 0), -- imported weight
	screen INTEGER NOT NULL DEFAULT 0,     -- the form's last screen (resume)
	answers TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	submitted_at TEXT
);
CREATE INDEX interviews_round ON interviews(round_id, status, unit_id);
CREATE INDEX interviews_surveyor ON interviews(surveyor_id, status);
