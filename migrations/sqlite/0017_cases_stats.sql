-- The case statistics (voice_stats: the statistics page, the dashboards,
-- the reports) read a commune's cases of a period from this index alone:
-- it holds every column they count, so reading one commune's period never
-- visits the table, and reading every case is no slower than reading the
-- table.
DROP INDEX cases_received;
CREATE INDEX cases_received ON cases(commune_id, received_on, status,
	case_type, topic_id, village_id, unit_id, answered_on, answer_due_on,
	due_on);
