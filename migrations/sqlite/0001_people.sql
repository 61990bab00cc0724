-- Units, users, roles, sessions, tokens, login throttling, audit, calendar,
-- settings. Times are UTC text 'YYYY-MM-DDTHH:MM:SSZ' written by the
-- program; dates are 'YYYY-MM-DD'. *_fold columns hold the search form
-- (lower case, no diacritics, đ -> d); sort_key the ICU Vietnamese
-- collation key in hex, compared bytewise.

CREATE TABLE units (
	id INTEGER PRIMARY KEY,
	code TEXT,                 -- statistics office code; villages have none
	kind TEXT NOT NULL CHECK (kind IN ('province','district','commune','village','unit')),
	type_vi TEXT NOT NULL,     -- 'Tỉnh', 'Huyện', 'Xã', 'Phường', 'Thôn', 'Bộ phận'...
	name TEXT NOT NULL,        -- 'Minh Tiến'
	full_name TEXT NOT NULL,   -- 'Xã Minh Tiến'
	name_fold TEXT NOT NULL,
	sort_key TEXT NOT NULL,
	parent_id INTEGER REFERENCES units(id),
	valid_from TEXT,           -- NULL: since before records
	valid_to TEXT,             -- NULL: still in force; else last day
	successor_id INTEGER REFERENCES units(id),
	population INTEGER,
	note TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX units_code_from ON units(code, valid_from) WHERE code IS NOT NULL;
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_fold ON units(name_fold);

-- What happened to units: created, edited, merged into another.
CREATE TABLE unit_events (
	id INTEGER PRIMARY KEY,
	unit_id INTEGER NOT NULL REFERENCES units(id),
	event TEXT NOT NULL CHECK (event IN ('create','edit','merge')),
	into_unit_id INTEGER REFERENCES units(id),
	effective_date TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	user_id INTEGER,
	at TEXT NOT NULL
);
CREATE INDEX unit_events_unit ON unit_events(unit_id);

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	full_name TEXT NOT NULL,
	name_fold TEXT NOT NULL,
	sort_key TEXT NOT NULL,     -- given name, middle, family (Vietnamese order)
	email TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL, -- argon2id, libsodium crypto_pwhash_str
	active INTEGER NOT NULL DEFAULT 1,
	must_change_password INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	last_login_at TEXT
);

CREATE TABLE user_roles (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id),
	role TEXT NOT NULL,         -- role_key(): chair, vice_chair, office, ...
	unit_id INTEGER NOT NULL REFERENCES units(id),
	UNIQUE (user_id, role, unit_id)
);

CREATE TABLE sessions (
	id TEXT PRIMARY KEY,        -- SHA-256 hex of the cookie value
	user_id INTEGER NOT NULL REFERENCES users(id),
	csrf_token TEXT NOT NULL,
	created_at TEXT NOT NULL,
	last_seen_at TEXT NOT NULL,
	remote_addr TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id),
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE, -- SHA-256 hex of the token
	created_at TEXT NOT NULL,
	last_used_at TEXT,
	revoked_at TEXT
);

CREATE TABLE login_attempts (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL,
	remote_addr TEXT NOT NULL,
	at TEXT NOT NULL,
	ok INTEGER NOT NULL
);
CREATE INDEX login_attempts_user ON login_attempts(username, at);
CREATE INDEX login_attempts_addr ON login_attempts(remote_addr, at);

-- Append-only: the program never updates or deletes these rows.
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	user_id INTEGER,
	username TEXT NOT NULL DEFAULT '', -- 'cli' for the command line
	action TEXT NOT NULL,              -- 'user.create', 'unit.merge', ...
	entity TEXT NOT NULL,              -- 'user', 'unit', ...
	entity_id TEXT NOT NULL DEFAULT '',
	before_json TEXT,
	after_json TEXT,
	remote_addr TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Days that differ from the Monday-Friday week: 'off' (holiday, swapped
-- day) or 'work' (make-up Saturday).
CREATE TABLE calendar_days (
	day TEXT PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('off','work')),
	name TEXT NOT NULL,
	source TEXT NOT NULL DEFAULT '',
	updated_at TEXT NOT NULL
);

CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
