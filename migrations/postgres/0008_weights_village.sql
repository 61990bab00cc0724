-- Census margins by village as well (src/index/weights.c): round_margins
-- may now hold rows ('village', <units(id) of a village of the round's
-- scope, as text>, population).
ALTER TABLE round_margins DROP CONSTRAINT round_margins_variable_check;
ALTER TABLE round_margins ADD CONSTRAINT round_margins_variable_check
	CHECK (variable IN ('gender','age_group','village'));
