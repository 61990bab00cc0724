-- Shared services of the capabilities: uploaded files (evidence of a task,
-- a citizen's photo, a disclosed document) and notifications (in the app,
-- and by e-mail through an outbox that a sender drains).
--
-- Files live IN the database, base64 in a text column (the store passes
-- values as text, store/db.h), so a file is saved in the same transaction
-- as the record it belongs to, survives a crash like it, and `quantri
-- backup` copies it. A file is at most max_upload_bytes (10 MB by
-- default); a commune's evidence for a year is a few GB at most.
CREATE TABLE attachments (
	id INTEGER PRIMARY KEY,
	owner TEXT NOT NULL,          -- 'task_update', 'task_request', 'case', ...
	owner_id INTEGER NOT NULL,    -- the owner's row id (no foreign key: many owners)
	filename TEXT NOT NULL,       -- as uploaded, cleaned (no path, no control chars)
	mime TEXT NOT NULL,           -- detected from the content, not the name
	size INTEGER NOT NULL CHECK (size > 0),
	sha256 TEXT NOT NULL,         -- hex of the content
	data TEXT NOT NULL,           -- base64 of the content
	user_id INTEGER REFERENCES users(id),
	created_at TEXT NOT NULL
);
CREATE INDEX attachments_owner ON attachments(owner, owner_id);

-- In-app notifications, one row per recipient. link: the page to open.
-- mailed_at: when the notification went into a daily digest (or NULL).
CREATE TABLE notifications (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id),
	kind TEXT NOT NULL,           -- 'task.assigned', 'task.reminder', ...
	title TEXT NOT NULL,
	body TEXT NOT NULL DEFAULT '',
	link TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	read_at TEXT,
	mailed_at TEXT
);
CREATE INDEX notifications_user ON notifications(user_id, read_at);
CREATE INDEX notifications_unmailed ON notifications(mailed_at, user_id);

-- E-mails waiting for or done with the SMTP server: one digest per user
-- and day (digest_date), never a flood.
CREATE TABLE mail_outbox (
	id INTEGER PRIMARY KEY,
	user_id INTEGER REFERENCES users(id),
	to_addr TEXT NOT NULL,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	digest_date TEXT,             -- 'YYYY-MM-DD' for a daily digest
	created_at TEXT NOT NULL,
	sent_at TEXT,
	attempts INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT '',
	next_attempt_at TEXT,          -- not before (retry back-off, or a sender's claim)
	UNIQUE (user_id, digest_date)
);
CREATE INDEX mail_outbox_pending ON mail_outbox(sent_at, attempts);
