-- Census margins by village as well (src/index/weights.c): round_margins
-- may now hold rows ('village', <units(id) of a village of the round's
-- scope, as text>, population). SQLite cannot change a CHECK constraint in
-- place, so the table is rebuilt with its rows (nothing refers to it).
CREATE TABLE round_margins_v8 (
	round_id INTEGER NOT NULL REFERENCES survey_rounds(id),
	variable TEXT NOT NULL CHECK (variable IN ('gender','age_group','village')),
	category TEXT NOT NULL,
	population REAL NOT NULL CHECK (population > 0),
	PRIMARY KEY (round_id, variable, category)
);
INSERT INTO round_margins_v8 (round_id, variable, category, population)
	SELECT round_id, variable, category, population FROM round_margins;
DROP TABLE round_margins;
ALTER TABLE round_margins_v8 RENAME TO round_margins;
