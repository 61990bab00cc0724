-- The plan's views without their page cache (src/plan/plan_views_db.c,
-- bench/plan.sh): the lists and scorecards read leaf tasks only (no
-- sub-task: a recurring task through its occurrences, a parent through its
-- parts). "Leaf" was a NOT EXISTS probe per task; it is now kept on the
-- task, by every writer of tasks (tasks_refresh_leaf in plan_db.c), and
-- the views' indexes start with it after the plan.
ALTER TABLE tasks ADD COLUMN is_leaf INTEGER NOT NULL DEFAULT 1;
UPDATE tasks SET is_leaf = 0 WHERE EXISTS
	(SELECT 1 FROM tasks c WHERE c.plan_id = tasks.plan_id AND c.parent_id = tasks.id);
-- the lists by due date (by unit, by dimension, my tasks): a plan's leaf
-- tasks by due date with every column they read (answered from the index)
CREATE INDEX tasks_leaf_due ON tasks(plan_id, is_leaf, due_on, status, done_on, lead_unit_id, responsible_user_id);
-- the overdue list and its count (and the other states), and the
-- scorecard's counts per status (its rows come grouped by plan and status)
CREATE INDEX tasks_leaf_status_due ON tasks(plan_id, is_leaf, status, due_on, done_on, lead_unit_id, responsible_user_id);
-- the scorecard's requests reach their task's plan, lead unit and
-- official from this index instead of the task's row
CREATE INDEX tasks_id_plan ON tasks(id, plan_id, lead_unit_id, responsible_user_id);
