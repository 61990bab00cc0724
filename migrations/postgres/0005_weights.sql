-- Census margins of a survey round, for post-stratification by raking
-- (src/index/weights.c): one row per variable and category (gender:
-- male/female; age_group: 18-29..60-70, as interviews store them) with the
-- population of that category. Every variable of a round adds up to the
-- same total. Raked weights are not stored: they are computed from the
-- design weights whenever results are (a few passes over the interviews),
-- so an interview added after the margins is weighted at once and nothing
-- can go stale.
CREATE TABLE round_margins (
	round_id INTEGER NOT NULL REFERENCES survey_rounds(id),
	variable TEXT NOT NULL CHECK (variable IN ('gender','age_group')),
	category TEXT NOT NULL,
	population DOUBLE PRECISION NOT NULL CHECK (population > 0),
	PRIMARY KEY (round_id, variable, category)
);
