-- Outreach (src/outreach/): the commune's communication activities
-- (tuyên truyền) by channel, topic and village, each tied to the PAPI
-- dimensions and indicators it aims at, and the news posts the
-- culture–society officer publishes on the public site (part III.3 of the
-- plan). Days 'YYYY-MM-DD' (Vietnam), times UTC text like the other tables.

-- What an activity is about: a small list the office edits, seeded from
-- the plan's themes. commune_id NULL: shipped for every commune.
CREATE TABLE outreach_topics (
	id INTEGER PRIMARY KEY,
	commune_id INTEGER REFERENCES units(id),
	code TEXT NOT NULL UNIQUE,            -- 'dan_chu_co_so'
	name_vi TEXT NOT NULL,
	dimension TEXT CHECK (dimension IS NULL OR dimension IN ('D1','D2','D3','D4','D5','D6','D7','D8')),
	ord INTEGER NOT NULL DEFAULT 0,
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1))
);

-- One activity: a broadcast, a meeting, leaflets handed out, a post.
-- audience: people reached as counted (listeners are not counted: 0).
CREATE TABLE outreach_activities (
	id INTEGER PRIMARY KEY,
	commune_id INTEGER NOT NULL REFERENCES units(id),
	channel TEXT NOT NULL CHECK (channel IN ('radio','village_meeting','mass_org_meeting','leaflet','zalo_group','website_post')),
	topic_id INTEGER NOT NULL REFERENCES outreach_topics(id),
	held_on TEXT NOT NULL,
	title TEXT NOT NULL,
	audience INTEGER NOT NULL DEFAULT 0 CHECK (audience >= 0),
	note TEXT NOT NULL DEFAULT '',
	text_fold TEXT NOT NULL,              -- title and note folded: search
	created_by INTEGER REFERENCES users(id),   -- NULL: the command line
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX outreach_activities_commune ON outreach_activities(commune_id, held_on);
CREATE INDEX outreach_activities_topic ON outreach_activities(commune_id, topic_id, held_on);

-- The villages an activity reached (a commune-wide broadcast: every one).
CREATE TABLE outreach_villages (
	activity_id INTEGER NOT NULL REFERENCES outreach_activities(id) ON DELETE CASCADE,
	village_id INTEGER NOT NULL REFERENCES units(id),
	PRIMARY KEY (activity_id, village_id)
);
CREATE INDEX outreach_villages_village ON outreach_villages(village_id, activity_id);

-- The PAPI dimensions and indicators an activity aims at (as task_links).
CREATE TABLE outreach_links (
	activity_id INTEGER NOT NULL REFERENCES outreach_activities(id) ON DELETE CASCADE,
	dimension TEXT NOT NULL CHECK (dimension IN ('D1','D2','D3','D4','D5','D6','D7','D8')),
	indicator TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (activity_id, dimension, indicator)
);
CREATE INDEX outreach_links_dim ON outreach_links(dimension, activity_id);

-- News about the plan's results for the public site. The body is plain
-- paragraphs (shown as text, never as HTML); the photo is an attachment
-- with owner 'news_post'. published_on set when published.
CREATE TABLE news_posts (
	id INTEGER PRIMARY KEY,
	commune_id INTEGER NOT NULL REFERENCES units(id),
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	text_fold TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published')),
	published_on TEXT,
	author_id INTEGER REFERENCES users(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX news_posts_public ON news_posts(status, published_on);
CREATE INDEX news_posts_commune ON news_posts(commune_id, created_at);

INSERT INTO outreach_topics (code, name_vi, dimension, ord) VALUES
 ('papi_ke_hoach', 'PAPI và kế hoạch nâng cao chỉ số của xã', NULL, 1),
 ('dan_chu_co_so', 'Thực hiện dân chủ ở cơ sở', 'D2', 2),
 ('thu_tuc_hanh_chinh', 'Thủ tục hành chính, dịch vụ công trực tuyến', 'D5', 3),
 ('khieu_nai_to_cao', 'Tiếp nhận phản ánh, khiếu nại, tố cáo', 'D3', 4),
 ('ngan_sach_dong_gop', 'Ngân sách xã, các khoản đóng góp của dân', 'D2', 5),
 ('dat_dai', 'Đất đai, quy hoạch, bồi thường', 'D2', 6),
 ('giam_ngheo', 'Hỗ trợ hộ nghèo, chính sách xã hội', 'D2', 7),
 ('moi_truong', 'Môi trường, vệ sinh', 'D7', 8),
 ('phong_chong_tham_nhung', 'Phòng, chống tham nhũng', 'D4', 9),
 ('chinh_quyen_dien_tu', 'Chính quyền điện tử, chuyển đổi số', 'D8', 10);
