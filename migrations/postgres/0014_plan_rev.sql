-- A revision number per plan, moved by every change to its tasks or to
-- their reminders and explanation requests, whoever writes them (the
-- pages, imports, the CLI, a later migration): triggers, so no writer can
-- forget it. The views keep each plan's counts under (plan, rev) and count
-- again only the plans that changed (src/plan/plan_views_db.c).
-- Statement triggers with transition tables: an import that writes
-- thousands of rows moves each plan's rev once per statement, not once
-- per row. (PostgreSQL allows one event per trigger with transition
-- tables, hence three of each.)
ALTER TABLE plans ADD COLUMN rev BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION plans_rev_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		UPDATE plans SET rev = rev + 1
		WHERE id IN (SELECT plan_id FROM new_rows);
	ELSIF TG_OP = 'UPDATE' THEN
		UPDATE plans SET rev = rev + 1 WHERE id IN
			(SELECT plan_id FROM new_rows UNION SELECT plan_id FROM old_rows);
	ELSE
		UPDATE plans SET rev = rev + 1
		WHERE id IN (SELECT plan_id FROM old_rows);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER tasks_rev_insert AFTER INSERT ON tasks
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION plans_rev_tasks();
CREATE TRIGGER tasks_rev_update AFTER UPDATE ON tasks
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION plans_rev_tasks();
CREATE TRIGGER tasks_rev_delete AFTER DELETE ON tasks
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION plans_rev_tasks();

CREATE FUNCTION plans_rev_task_requests() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		UPDATE plans SET rev = rev + 1 WHERE id IN
			(SELECT t.plan_id FROM tasks t JOIN new_rows r ON r.task_id = t.id);
	ELSIF TG_OP = 'UPDATE' THEN
		UPDATE plans SET rev = rev + 1 WHERE id IN
			(SELECT t.plan_id FROM tasks t WHERE t.id IN
				(SELECT task_id FROM new_rows UNION SELECT task_id FROM old_rows));
	ELSE
		UPDATE plans SET rev = rev + 1 WHERE id IN
			(SELECT t.plan_id FROM tasks t JOIN old_rows r ON r.task_id = t.id);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER task_requests_rev_insert AFTER INSERT ON task_requests
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION plans_rev_task_requests();
CREATE TRIGGER task_requests_rev_update AFTER UPDATE ON task_requests
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION plans_rev_task_requests();
CREATE TRIGGER task_requests_rev_delete AFTER DELETE ON task_requests
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION plans_rev_task_requests();
