-- A revision number per plan, moved by every change to its tasks or to
-- their reminders and explanation requests, whoever writes them (the
-- pages, imports, the CLI, a later migration): triggers, so no writer can
-- forget it. The views keep each plan's counts under (plan, rev) and count
-- again only the plans that changed (src/plan/plan_views_db.c).
ALTER TABLE plans ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER tasks_rev_insert AFTER INSERT ON tasks BEGIN
	UPDATE plans SET rev = rev + 1 WHERE id = NEW.plan_id;
END;
CREATE TRIGGER tasks_rev_update AFTER UPDATE ON tasks BEGIN
	UPDATE plans SET rev = rev + 1 WHERE id IN (OLD.plan_id, NEW.plan_id);
END;
CREATE TRIGGER tasks_rev_delete AFTER DELETE ON tasks BEGIN
	UPDATE plans SET rev = rev + 1 WHERE id = OLD.plan_id;
END;

CREATE TRIGGER task_requests_rev_insert AFTER INSERT ON task_requests BEGIN
	UPDATE plans SET rev = rev + 1
	WHERE id = (SELECT plan_id FROM tasks WHERE id = NEW.task_id);
END;
CREATE TRIGGER task_requests_rev_update AFTER UPDATE ON task_requests BEGIN
	UPDATE plans SET rev = rev + 1 WHERE id IN
		(SELECT plan_id FROM tasks WHERE id IN (OLD.task_id, NEW.task_id));
END;
CREATE TRIGGER task_requests_rev_delete AFTER DELETE ON task_requests BEGIN
	UPDATE plans SET rev = rev + 1
	WHERE id = (SELECT plan_id FROM tasks WHERE id = OLD.task_id);
END;
