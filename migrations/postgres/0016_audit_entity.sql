-- The last audited change to an entity (survey rounds, interviews, units,
-- catalogues) is one index step: the round scores kept by
-- src/index/results_scores.c are marked with it (idb_round_marks).
CREATE INDEX audit_log_entity_id ON audit_log(entity, id);
