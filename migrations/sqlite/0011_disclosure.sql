-- Public disclosure (src/disclosure/): the catalogue of items the commune
-- must make public (Luật Thực hiện dân chủ ở cơ sở 10/2022/QH15, Điều 11),
-- each disclosure with its channels, dates, villages, loudspeaker days
-- and PAPI links; files are attachments (owners "disclosure" for the
-- document, "disclosure_evidence" for photos and broadcast logs). Days
-- YYYY-MM-DD (Vietnam), times UTC text like the other tables.

-- Required items (Luật 10/2022/QH15, Điều 11) as editable data: the chair
-- and the office keep the wording, channels and durations. channels is a
-- comma list of channel keys (notice_board, website, loudspeaker,
-- village_meeting, written_notice, text_message, social_network) and
-- via_village (any one of the four channels through the village heads,
-- Điều 13 k4). links: "D2:2.2;D5" (PAPI dimension, optionally one of its
-- sub-dimensions or indicators). frequency: how often it is due in a year.
CREATE TABLE disclosure_items (
	id INTEGER PRIMARY KEY,
	no INTEGER NOT NULL UNIQUE CHECK (no > 0),
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	wording_done INTEGER NOT NULL DEFAULT 1 CHECK (wording_done IN (0,1)), -- 0: to be completed by the commune
	channels TEXT NOT NULL DEFAULT 'notice_board',
	min_days INTEGER NOT NULL DEFAULT 30 CHECK (min_days BETWEEN 1 AND 3660),
	loudspeaker_days INTEGER NOT NULL DEFAULT 0 CHECK (loudspeaker_days BETWEEN 0 AND 60),
	frequency TEXT NOT NULL DEFAULT 'yearly' CHECK (frequency IN ('on_event','yearly','half_yearly','quarterly','monthly')),
	links TEXT NOT NULL DEFAULT '',
	legal_basis TEXT NOT NULL DEFAULT '',
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1))
);

-- A disclosure: one item made public by a commune over posted_from..
-- posted_to, for one period of the item's year (0: the whole year or an
-- event; 1..4 a quarter, 1..2 a half, 1..12 a month). problems is kept
-- on every write of the record or its item ("short", "loudspeaker",
-- "channel:website", comma-separated) so lists need no arithmetic.
CREATE TABLE disclosures (
	id INTEGER PRIMARY KEY,
	commune_id INTEGER NOT NULL REFERENCES units(id),
	item_id INTEGER NOT NULL REFERENCES disclosure_items(id),
	year INTEGER NOT NULL,
	period INTEGER NOT NULL DEFAULT 0 CHECK (period BETWEEN 0 AND 12),
	title TEXT NOT NULL,
	title_fold TEXT NOT NULL,            -- title and note folded: search
	channels TEXT NOT NULL,
	posted_from TEXT NOT NULL,
	posted_to TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	problems TEXT NOT NULL DEFAULT '',
	-- approved for the public page by the chair or a vice-chair; NULL:
	-- awaiting approval (an edit by anyone else sets it back)
	approved_by INTEGER REFERENCES users(id),
	approved_at TEXT,
	created_by INTEGER REFERENCES users(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	CHECK (posted_to >= posted_from)
);
CREATE INDEX disclosures_register ON disclosures(commune_id, year, item_id, period);
CREATE INDEX disclosures_posted ON disclosures(commune_id, posted_to, posted_from);
CREATE INDEX disclosures_item ON disclosures(item_id);
CREATE INDEX disclosures_public ON disclosures(posted_to, posted_from); -- the public page, every commune

-- The villages a disclosure went to through their heads.
CREATE TABLE disclosure_villages (
	disclosure_id INTEGER NOT NULL REFERENCES disclosures(id) ON DELETE CASCADE,
	village_id INTEGER NOT NULL REFERENCES units(id),
	PRIMARY KEY (disclosure_id, village_id)
);
CREATE INDEX disclosure_villages_village ON disclosure_villages(village_id, disclosure_id);

-- The days the loudspeaker broadcast it (Điều 13 k3: items 7–12 at least
-- 3 consecutive days).
CREATE TABLE disclosure_days (
	disclosure_id INTEGER NOT NULL REFERENCES disclosures(id) ON DELETE CASCADE,
	day TEXT NOT NULL,
	PRIMARY KEY (disclosure_id, day)
);

-- The PAPI dimensions and indicators a disclosure serves.
CREATE TABLE disclosure_links (
	disclosure_id INTEGER NOT NULL REFERENCES disclosures(id) ON DELETE CASCADE,
	dimension TEXT NOT NULL CHECK (dimension IN ('D1','D2','D3','D4','D5','D6','D7','D8')),
	indicator TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (disclosure_id, dimension, indicator)
);
CREATE INDEX disclosure_links_dim ON disclosure_links(dimension, disclosure_id);

-- Reminders sent to the office, one per problem ("missing:5:2026:0",
-- "short:17"), so the daily job never repeats one.
CREATE TABLE disclosure_reminders (
	commune_id INTEGER NOT NULL REFERENCES units(id),
	problem TEXT NOT NULL,
	sent_at TEXT NOT NULL,
	PRIMARY KEY (commune_id, problem)
);

-- The catalogue as shipped. Items 1–3 are worded from the law; 4–14 hold
-- the subjects the law lists among them, to be worded (and their numbers
-- checked against the text) by the commune: wording_done = 0.
INSERT INTO disclosure_items (no, title, description, wording_done, channels, min_days, loudspeaker_days, frequency, links, legal_basis) VALUES
(1, 'Kế hoạch phát triển kinh tế – xã hội hằng năm và kết quả thực hiện', 'Kế hoạch phát triển kinh tế – xã hội của xã và báo cáo kết quả thực hiện.', 1, 'notice_board,website', 30, 0, 'yearly', 'D2:2.1', 'Luật 10/2022/QH15, Điều 11 khoản 1'),
(2, 'Dự toán, tình hình thực hiện và quyết toán ngân sách xã', 'Dự toán ngân sách; tình hình thực hiện theo quý, 6 tháng, năm; quyết toán; việc thực hiện kết luận kiểm toán.', 1, 'notice_board,website', 30, 0, 'quarterly', 'D2:2.3', 'Luật 10/2022/QH15, Điều 11 khoản 2'),
(3, 'Dự án, công trình đầu tư; thu hồi đất, bồi thường; quy hoạch, kế hoạch sử dụng đất', 'Dự án, công trình đầu tư và tiến độ; thu hồi đất, bồi thường, hỗ trợ, tái định cư; quy hoạch, kế hoạch sử dụng đất, cho thuê đất; quy hoạch xây dựng.', 1, 'notice_board,website', 30, 0, 'yearly', 'D2:2.4', 'Luật 10/2022/QH15, Điều 11 khoản 3'),
(4, 'Thủ tục hành chính giải quyết tại xã', 'Nội dung do xã hoàn thiện theo văn bản Luật.', 0, 'notice_board,website', 30, 0, 'yearly', 'D5:5.4', 'Luật 10/2022/QH15, Điều 11'),
(5, 'Các khoản huy động Nhân dân đóng góp', 'Nội dung do xã hoàn thiện theo văn bản Luật.', 0, 'notice_board,via_village', 30, 0, 'yearly', 'D1:1.4', 'Luật 10/2022/QH15, Điều 11'),
(6, 'Danh sách hộ nghèo, hộ cận nghèo và đối tượng hưởng chính sách an sinh xã hội', 'Nội dung do xã hoàn thiện theo văn bản Luật.', 0, 'notice_board,via_village', 30, 0, 'yearly', 'D2:2.2', 'Luật 10/2022/QH15, Điều 11'),
(7, 'Đề án thành lập, nhập, chia, điều chỉnh địa giới đơn vị hành chính', 'Nội dung do xã hoàn thiện theo văn bản Luật.', 0, 'notice_board,loudspeaker', 30, 3, 'on_event', 'D2', 'Luật 10/2022/QH15, Điều 11; Điều 13 khoản 3'),
(8, 'Kết quả thanh tra, kiểm tra; việc xử lý cán bộ vi phạm', 'Nội dung do xã hoàn thiện theo văn bản Luật.', 0, 'notice_board,loudspeaker', 30, 3, 'on_event', 'D4', 'Luật 10/2022/QH15, Điều 11; Điều 13 khoản 3'),
(9, 'Nội dung do xã hoàn thiện', 'Nội dung do xã hoàn thiện theo văn bản Luật.', 0, 'notice_board,loudspeaker', 30, 3, 'on_event', 'D2', 'Luật 10/2022/QH15, Điều 11; Điều 13 khoản 3'),
(10, 'Nội dung do xã hoàn thiện', 'Nội dung do xã hoàn thiện theo văn bản Luật.', 0, 'notice_board,loudspeaker', 30, 3, 'on_event', 'D2', 'Luật 10/2022/QH15, Điều 11; Điều 13 khoản 3'),
(11, 'Nội dung do xã hoàn thiện', 'Nội dung do xã hoàn thiện theo văn bản Luật.', 0, 'notice_board,loudspeaker', 30, 3, 'on_event', 'D2', 'Luật 10/2022/QH15, Điều 11; Điều 13 khoản 3'),
(12, 'Nội dung do xã hoàn thiện', 'Nội dung do xã hoàn thiện theo văn bản Luật.', 0, 'notice_board,loudspeaker', 30, 3, 'on_event', 'D2', 'Luật 10/2022/QH15, Điều 11; Điều 13 khoản 3'),
(13, 'Nội dung do xã hoàn thiện', 'Nội dung do xã hoàn thiện theo văn bản Luật.', 0, 'notice_board', 30, 0, 'on_event', 'D2', 'Luật 10/2022/QH15, Điều 11'),
(14, 'Nội dung do xã hoàn thiện', 'Nội dung do xã hoàn thiện theo văn bản Luật.', 0, 'notice_board', 30, 0, 'on_event', 'D2', 'Luật 10/2022/QH15, Điều 11');
