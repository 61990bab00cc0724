/* The demo's plans: the real 2024 plan of UBND xã Minh Tiến for raising
 * its PAPI score (../shared/seed/000_be1917e52ba03516.txt: bases, parts
 * I-III and the recipients as written, signed by the chair Ngô Văn Quyên),
 * with ~15 tasks drawn from parts II and III across the commune's units,
 * some done on time, some late, some still open; and a 2026 draft of xã
 * Tiên Tiến (Minh Tiến's successor since 01/07/2025) with current tasks,
 * so the urging views have something due soon and overdue.
 *
 * The seed's text shows neither the plan's number nor its date: the demo
 * issues it with the commune's next 2024 number and a date after the
 * district's plan 04/KH-UBND of 04/01/2024 that it implements; both are
 * illustrative. Task names, dates and progress are made up, following
 * the plan's parts. Minh Tiến had no professional units in the demo
 * database before the merger, so the 2024 tasks go to the units of its
 * successor (plan_unit_choices follows the lineage).
 *
 * Everything runs in one transaction, and a plan already there (same
 * commune, year and title) is left alone, so running it again changes
 * nothing. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "plan.h"
#include "../base/banned.h"

#define MINH_TIEN_CODE "12424" /* the old commune, until 30/06/2025 */
#define NEW_START "2025-07-01" /* xã Tiên Tiến, same code, from then */
#define TITLE_2024                                                                          \
	"Nâng cao Chỉ số Hiệu quả quản trị và hành chính công (PAPI) xã " \
	"Minh Tiến năm 2024"
#define TITLE_2026                                                                          \
	"Nâng cao Chỉ số Hiệu quả quản trị và hành chính công (PAPI) xã " \
	"Tiên Tiến năm 2026"

/* Parts I-III of the seed, its lines joined back into paragraphs (the
 * PDF's line breaks removed), one paragraph per line. */
static const char section_i[] =
	"1. Mục đích\na) Cụ thể hóa mục tiêu, nhiệm vụ tại "
	"Chỉ thị số 06/CT-CTUBND ngày 17/5/2019 của Chủ tịch "
	"UBND tỉnh về nâng cao Chỉ số hiệu quả quản trị và "
	"hành chính công tỉnh Hưng Yên, phấn đấu Chỉ số PAPI "
	"của xã Minh Tiến năm 2024 giữ vững bậc so với năm "
	"2023.\nb) Phát huy sự tham gia của mọi tầng lớp Nhân "
	"dân vào quá trình xây dựng, thực thi và giám sát việc "
	"thực thi chính sách; nâng cao chất lượng điều hành, "
	"quản trị và hành chính công của bộ máy chính quyền "
	"các cấp từ tỉnh đến cơ sở, xây dựng nền hành "
	"chính minh bạch, liêm chính, hiệu lực, hiệu quả, "
	"chuyên nghiệp, thống nhất, nâng cao chất lượng phục "
	"vụ và uy tín của chính quyền các cấp đối với Nhân "
	"dân.\nc) Xác định cụ thể trách nhiệm của từng bộ "
	"phận chuyên môn, các ngành đoàn thể trong việc thực "
	"hiện các nhiệm vụ, giải pháp để nâng cao Chỉ số "
	"PAPI của huyện; nâng cao trách nhiệm của người đứng "
	"đầu cơ quan Nhà nước, của mỗi cán bộ, công chức, "
	"viên chức và Nhân dân trong nỗ lực cải thiện Chỉ "
	"số PAPI.\n2. Yêu cầu\na) Kế hoạch được triển khai "
	"đồng bộ ở các bộ phận chuyên môn, các cơ quan đơn "
	"vị, ban ngành đoàn thể. Quá trình thực hiện cần "
	"kết hợp chặt chẽ với việc thực hiện nhiệm vụ "
	"chuyên môn của các bộ phận và nhiệm vụ phát triển "
	"kinh tế - xã hội của xã; xác định cải thiện và "
	"nâng cao Chỉ số PAPI là nhiệm vụ thường xuyên, lâu "
	"dài, kiên trì, liên tục của các bộ phận, đơn "
	"vị.\nb) Tổ chức các hoạt động thực chất, hiệu "
	"quả; kết hợp với các nội dung liên quan đến công "
	"tác cải cách hành chính, Dân vận chính quyền, xây "
	"dựng và thực hiện dân chủ ở sơ sở; linh hoạt trong "
	"quá trình thực hiện phù hợp với các điều kiện "
	"thực tế của mỗi đơn vị, mỗi lĩnh vực.\nc) UBND xã "
	"đẩy mạnh công tác tuyên truyền rộng rãi đến cả "
	"hệ thống chính trị, toàn xã hội, thực hiện tốt "
	"yêu cầu; thấu hiểu, chia sẻ và kịp thời giải "
	"quyết các vướng mắc, bức xúc của Nhân dân, của "
	"tổ chức và cá nhân; đánh giá đúng thực trạng, xây "
	"dựng Kế hoạch thực hiện các nội dung liên quan đến "
	"việc xác định Chỉ số PAPI của ngành, bộ phận mình.";

static const char section_ii[] =
	"1. Tổ chức thực hiện tốt nhiệm vụ chuyên môn và "
	"nhiệm vụ chính trị của địa phương gắn với nội "
	"dung của Chỉ số PAPI\na) Căn cứ chức năng, nhiệm "
	"vụ, trách nhiệm, quyền hạn được giao chủ động "
	"tổ chức thực hiện nhằm phát huy được sự đồng "
	"thuận, tham gia, ủng hộ; cải thiện đánh giá của "
	"người dân; góp phần cải thiện Chỉ số PAPI trên 8 "
	"lĩnh vực chỉ số PAPI đề cập như sau:\n- Tổ chức "
	"các hoạt động, thực hiện các phương thức phù hợp "
	"để người dân được tham gia tích cực và chủ động "
	"vào đời sống chính trị, kinh tế, xã hội; phát huy "
	"quyền làm chủ của nhân dân, góp phần cải thiện "
	"hiệu quả thực thi chính sách pháp luật ở địa "
	"phương.\n- Thực hiện đúng, đủ việc công khai, minh "
	"bạch trong việc ra quyết định theo quy định tại Pháp "
	"lệnh thực hiện dân chủ ở xã; tiếp thu ý kiến "
	"đóng góp, kiến nghị, phát giác, thắc mắc của "
	"người dân; thực hiện giải đáp, xử lý, điều "
	"chỉnh kịp thời, đúng quy định những ý kiến của "
	"người dân.\n- Nâng cao trách nhiệm giải trình với "
	"người dân; tăng cường hiệu quả các phương thức "
	"tương tác giữa chính quyền và người dân; thực hiện "
	"tốt công tác tiếp công dân; tập trung giải quyết có "
	"hiệu quả những kiến nghị, khiếu nại, tố cáo của "
	"công dân.\n- Tích cực kiểm soát tham nhũng, cải thiện "
	"cơ sở hạ tầng căn bản đáp ứng yêu cầu nâng cao "
	"chất lượng cuộc sống của người dân: điện lưới, "
	"nước sạch, giao thông, quản lý rác thải, an ninh trật "
	"tự, …\n- Nghiêm túc trong công tác quản trị môi "
	"trường; triển khai đồng bộ các giải pháp nhằm cải "
	"thiện chất lượng môi trường sống của người dân "
	"hướng tới phát triển bền vững.\n- Nỗ lực hơn nữa "
	"trong công tác quản trị điện tử; hỗ trợ người "
	"dân tiếp cận và thực hiện tốt trách nhiệm phản "
	"hồi đối với ý kiến, phản ánh, kiến nghị của "
	"người dân thông qua Cổng thông tin điện tử.\nb) Các "
	"ngành, đoàn thể, cán bộ công chức và các đơn vị "
	"có liên quan được phân công nhiệm vụ (kèm theo Kế "
	"hoạch này) chủ động triển khai thực hiện.\n2. Công "
	"tác thông tin, tuyên truyền\na) Tăng cường các kênh "
	"truyền thông, hình thức truyền thông, thời lượng "
	"truyền thông, tần suất truyền thông tới cộng đồng, "
	"tới các khu dân cư, tới tận người dân. Khuyến khích "
	"các phương thức truyền thông mới, phù hợp với "
	"điều kiện kinh tế, trình độ, xu hướng của từng "
	"đối tượng và khu vực dân cư. Chủ động về thời "
	"điểm thông tin, nội dung thông tin, tạo điều kiện "
	"thuận lợi để người dân kịp thời, dễ dàng tiếp "
	"cận thông tin chính thống; chỉ dẫn cách thức, địa "
	"điểm, thời gian tiếp cận thông tin; hướng dẫn "
	"người dân xử lý thông tin.\nb) Nội dung tuyên truyền "
	"cần tập trung: Hiểu biết về chính sách pháp luật "
	"trong những lĩnh vực gần gũi, sát với đời sống "
	"người dân; quyền lợi, nghĩa vụ của người dân trong "
	"quá trình sinh sống, học tập và làm việc tại địa "
	"phương; trách nhiệm tham gia các hoạt động và đóng "
	"góp ý kiến xây dựng chính quyền. Pháp lệnh về thực "
	"hiện dân chủ ở xã, phường, thị trấn; các nội "
	"dung, vấn đề mà người dân có quyền được biết, "
	"được bàn, được tham gia thực hiện hoặc kiểm tra, "
	"giám sát việc thực hiện; trách nhiệm của chính "
	"quyền, cán bộ, công chức xã, của cơ quan, tổ chức, "
	"cá nhân có liên quan và của Nhân dân trong thực hiện "
	"dân chủ ở xã, phường, thị trấn; phổ biến những "
	"nỗ lực của các cấp, các ngành, các đơn vị trong "
	"vận hành chính quyền, thực hiện nhiệm vụ chính "
	"trị, nhiệm vụ chuyên môn; những thành quả trong phát "
	"triển kinh tế - xã hội của địa phương; quan điểm, "
	"thái độ, quyết tâm và kết quả xã đã đạt được "
	"trong thực hiện an sinh xã hội, dịch vụ công, bảo "
	"vệ môi trường, phòng chống tham nhũng, trách nhiệm "
	"giải trình của chính quyền…\nc) Tuyên truyền tới "
	"đội ngũ cán bộ, công chức, người lao động về "
	"mục đích, ý nghĩa và kết quả chỉ số PAPI những "
	"năm qua; chỉ ra những tồn tại, hạn chế, nguyên nhân, "
	"trách nhiệm đối với các nội dung tại Chỉ số PAPI; "
	"từ đó xác định trách nhiệm của các ban, ngành, "
	"đoàn thể, các tổ chức và cá nhân trong việc cải "
	"thiện, nâng cao Chỉ số PAPI trong năm 2024 và những năm "
	"tiếp theo.\n3. Kiểm tra, giám sát việc thực hiện kế "
	"hoạch\nThực hiện việc kiểm tra theo Kế hoạch kiểm "
	"tra của UBND huyện, kịp thời khắc phục các tồn "
	"tại, hạn chế đã được kiểm tra. Công tác giám sát, "
	"việc thực thi chính sách, thực thi công vụ thực sự "
	"đi sâu, đi sát vào các nội dung cụ thể, công việc "
	"cụ thể.\nCác ban ngành, đoàn thể, cán bộ, công chức "
	"chịu trách nhiệm về lĩnh vực phụ trách, quản lý "
	"trong quá trình kiểm tra.";

static const char section_iii[] =
	"1. Công chức Văn phòng - Thống kê\na) Thường trực "
	"giúp UBND xã triển khai thực hiện các nội dung nâng cao "
	"hiệu quả quản trị và hành chính công của xã. "
	"Thường xuyên hướng dẫn, đôn đốc tình hình thực "
	"hiện của các đơn vị, cá nhân có liên quan, báo cáo "
	"UBND xã, UBND huyện theo quy định.\nb) Đưa kết quả "
	"thực hiện Kế hoạch này thành một nội dung đánh giá "
	"trong tiêu chí thành phần để xác định Chỉ số PAPI "
	"năm 2024 của xã.\n2. Các ngành, đoàn thể, cán bộ, "
	"công chức xã\na) Trên cơ sở các nội dung của Kế "
	"hoạch này, căn cứ chức năng, nhiệm vụ chủ động "
	"triển khai thực hiện theo nhiệm vụ và thẩm "
	"quyền.\nb) Giải trình và chịu trách nhiệm trước UBND "
	"huyện, UBND xã về kết quả khảo sát PAPI tại các "
	"thôn trên địa bàn xã quản lý.\n3. Công chức Văn hóa "
	"- xã hội, Đài truyền thanh xã\nĐẩy mạnh công tác "
	"thông tin, tuyên truyền, phổ biến Kế hoạch này; đưa "
	"tin bài, bài phản ánh về kết quả triển khai thực "
	"hiện để Nhân dân biết, giám sát.\n4. Đề nghị Ủy "
	"ban Mặt trận Tổ quốc Việt Nam xã\nPhối hợp chặt "
	"chẽ với UBND xã trong việc nâng cao Chỉ số PAPI của "
	"xã, tuyên truyền về nội dung, mục đích, ý nghĩa của "
	"Chỉ số PAPI và tổ chức thực hiện có hiệu quả các "
	"nhiệm vụ tại Kế hoạch này nhằm nâng cao Chỉ số "
	"PAPI.\nTrên đây là Kế hoạch nâng cao hiệu quả quản "
	"trị và hành chính công xã Minh Tiến năm 2024, yêu cầu "
	"các đơn vị, cá nhân có liên quan nghiêm túc triển khai "
	"thực hiện./.";

static const char bases[] =
	"Thực hiện Kế hoạch số 04/KH-UBND ngày 04/01/2024 của "
	"Ủy ban nhân dân huyện Phù Cừ về Nâng cao Chỉ số "
	"Hiệu quả quản trị và hành chính công PAPI huyện Phù "
	"Cừ năm 2024;\nĐể cải thiện và nâng cao Chỉ số "
	"Hiệu quả quản trị và hành chính công của xã năm "
	"2024, Ủy ban nhân dân xã Minh Tiến ban hành Kế hoạch "
	"thực hiện như sau:";

static const char recipients[] = "- UBND huyện;\n"
				 "- Phòng Nội vụ huyện;\n"
				 "- Chủ tịch, Phó CT UBND xã;\n"
				 "- Ủy ban MTTQ xã;\n"
				 "- Trưởng ban, ngành, đoàn thể;\n"
				 "- Cán bộ, công chức xã.\n"
				 "- Lưu: VP.";

/* What the demo needs to find: units by name, users by login. */
struct demo_ctx {
	struct db *db;
	struct arena *a;
	json_t *units;     /* plan_unit_choices of the commune */
	long long commune; /* the plan's: "commune" in a task's lead */
	long long plan_id;
	struct error *e;
};

static long long unit(struct demo_ctx *c, const char *name)
{
	size_t i;
	json_t *u;
	json_array_foreach(c->units, i, u)
	{
		const char *n = json_string_value(json_object_get(u, "name"));
		if (n && !strcmp(n, name))
			return json_integer_value(json_object_get(u, "id"));
	}
	return !strcmp(name, "commune") ? c->commune : 0;
}

static long long user(struct demo_ctx *c, const char *username)
{
	long long id = 0;
	struct error ignored = {0};
	if (!username ||
	    users_by_username(c->db, c->a, username, &id, &ignored))
		return 0;
	return id;
}

struct demo_task {
	const char *title, *description;
	const char *lead, *responsible; /* unit name, username */
	const char *co[3];              /* unit names */
	const char *links[4];
	const char *start_on, *due_on, *recurrence;
	int parent; /* index + 1 of the parent in the same list, 0: none */
	/* progress reports: status, progress, day (YYYY-MM-DD), note */
	struct {
		const char *status;
		int progress;
		const char *day, *note;
	} reports[3];
	/* a recurring task: occurrences whose period ends up to done_until
	 * are reported done, each `late` days after its due day when the
	 * period's month is late_month, else on its due day */
	const char *done_until;
	int late_month, late;
};

static enum err report(struct demo_ctx *c, long long task, const char *status,
		       int progress, const char *day, const char *note)
{
	long long uid;
	struct field_problems fp = {0};
	/* 09:00 in Vietnam */
	const char *at = arena_printf(c->a, "%sT02:00:00Z", day);
	return task_report(c->db, c->a, &actor_cli, task, status, progress,
			   note, at, NULL, 0, &uid, &fp, c->e);
}

static enum err occurrences_done(struct demo_ctx *c, long long parent,
				 const struct demo_task *d)
{
	json_t *tasks;
	enum err err = plan_tasks(c->db, c->a, c->plan_id, &tasks, c->e);
	if (err)
		return err;
	size_t i;
	json_t *t;
	json_array_foreach(tasks, i, t)
	{
		if (json_integer_value(json_object_get(t, "parent_id")) !=
		    parent)
			continue;
		const char *due =
			json_string_value(json_object_get(t, "due_on"));
		if (strcmp(due, d->done_until) > 0)
			continue;
		struct date dd;
		date_parse_iso(due, &dd);
		int late = dd.m == d->late_month ? d->late : 0;
		char day[11];
		date_format_iso(date_from_days(date_to_days(dd) + late), day);
		err = report(c, json_integer_value(json_object_get(t, "id")),
			     "done", 100, day,
			     late ? "Gửi chậm do chờ số liệu của các bộ phận."
				  : "Đã gửi báo cáo đúng hạn.");
		if (err)
			break;
	}
	json_decref(tasks);
	return err;
}

static enum err add_tasks(struct demo_ctx *c, const struct demo_task *list,
			  int n)
{
	long long *ids = arena_alloc(c->a, sizeof *ids * (size_t)(n + 1));
	if (!ids)
		return error_set(c->e, ERR_NOMEM, "demo plan: out of memory");
	for (int i = 0; i < n; i++) {
		const struct demo_task *d = &list[i];
		struct task t = {
			.plan_id = c->plan_id,
			.parent_id = d->parent ? ids[d->parent - 1] : 0,
			.title = d->title,
			.description = d->description ? d->description : "",
			.lead_unit_id = unit(c, d->lead),
			.responsible_user_id = user(c, d->responsible),
			.start_on = d->start_on,
			.due_on = d->due_on,
			.recurrence = d->recurrence ? d->recurrence : "none",
			.weight = 1,
		};
		for (int k = 0; k < 3 && d->co[k]; k++)
			t.co_unit_ids[t.nco_units++] = unit(c, d->co[k]);
		for (int k = 0; k < 4 && d->links[k]; k++)
			t.links[t.nlinks++] = d->links[k];
		if (!t.lead_unit_id)
			return error_set(c->e, ERR_INTERNAL,
					 "demo plan: no unit %s", d->lead);
		struct field_problems fp = {0};
		enum err err =
			task_save(c->db, c->a, &actor_cli, &t, &fp, c->e);
		for (int k = 0; !err && k < 3 && d->reports[k].status; k++)
			err = report(c, t.id, d->reports[k].status,
				     d->reports[k].progress, d->reports[k].day,
				     d->reports[k].note);
		if (!err && d->done_until)
			err = occurrences_done(c, t.id, d);
		if (err)
			return err;
		ids[i] = t.id;
	}
	return ERR_OK;
}

/* Tasks of the 2024 plan, from its parts II and III. */
static const struct demo_task tasks_2024[] = {
	{.title = "Thường trực giúp UBND xã triển khai Kế hoạch nâng cao "
		  "Chỉ số PAPI năm 2024",
	 .description = "Phần III.1 của Kế hoạch: hướng dẫn, đôn đốc các "
			"đơn vị, cá nhân; báo cáo UBND xã, UBND huyện.",
	 .lead = "Văn phòng – Thống kê",
	 .responsible = "vanphong",
	 .start_on = "2024-01-15",
	 .due_on = "2024-12-31"},
	{.title = "Hướng dẫn, đôn đốc các bộ phận, đơn vị thực hiện Kế hoạch",
	 .lead = "Văn phòng – Thống kê",
	 .responsible = "vanphong",
	 .start_on = "2024-01-15",
	 .due_on = "2024-12-31",
	 .parent = 1,
	 .reports = {{"doing", 50, "2024-06-28",
		      "Đã đôn đốc 6 tháng đầu năm; 2 bộ phận nộp chậm."},
		     {"done", 100, "2024-12-27",
		      "Hoàn thành đôn đốc cả năm, tổng hợp kết quả."}}},
	{.title = "Báo cáo tháng kết quả thực hiện Kế hoạch gửi UBND huyện",
	 .lead = "Văn phòng – Thống kê",
	 .responsible = "vanphong",
	 .start_on = "2024-01-15",
	 .due_on = "2024-12-31",
	 .recurrence = "monthly",
	 .parent = 1,
	 .done_until = "2024-11-30",
	 .late_month = 3,
	 .late = 4},
	{.title = "Đưa kết quả thực hiện Kế hoạch vào tiêu chí thành phần "
		  "đánh giá Chỉ số PAPI của xã",
	 .lead = "Văn phòng – Thống kê",
	 .responsible = "vanphong",
	 .start_on = "2024-10-01",
	 .due_on = "2024-12-31",
	 .parent = 1,
	 .reports = {{"doing", 60, "2024-12-20",
		      "Đã dự thảo tiêu chí, chờ ý kiến Chủ tịch."}}},
	{.title = "Lấy ý kiến người dân về công trình giao thông, thủy lợi "
		  "ở thôn trước khi khởi công",
	 .lead = "Địa chính – Xây dựng – Môi trường",
	 .responsible = "canbo",
	 .co = {"Thôn 1", "Thôn 2"},
	 .links = {"D1:1.4.2", "D1:1.4.3"},
	 .start_on = "2024-03-01",
	 .due_on = "2024-06-30",
	 .reports = {{"done", 100, "2024-06-25",
		      "Đã họp dân ở Thôn 1, Thôn 2; biên bản kèm theo."}}},
	{.title = "Công khai danh sách hộ nghèo, cận nghèo và thu, chi ngân "
		  "sách xã",
	 .lead = "Tài chính – Kế toán",
	 .links = {"D2:2.2.1", "D2:2.3.1"},
	 .start_on = "2024-01-15",
	 .due_on = "2024-04-30",
	 .reports = {{"doing", 50, "2024-04-10",
		      "Đã niêm yết danh sách hộ nghèo tại nhà văn hóa."},
		     {"done", 100, "2024-05-14",
		      "Đã công khai dự toán ngân sách xã (chậm 2 tuần)."}}},
	{.title = "Tiếp công dân định kỳ, giải quyết kiến nghị, khiếu nại, "
		  "tố cáo đúng thời hạn",
	 .lead = "Tư pháp – Hộ tịch",
	 .responsible = "truongbp",
	 .links = {"D3:3.2.2", "D3:3.2.4"},
	 .start_on = "2024-01-02",
	 .due_on = "2024-12-31",
	 .reports = {{"doing", 75, "2024-09-30",
		      "Tiếp công dân đủ các ngày thứ Năm; 1 kiến nghị quá "
		      "hạn trả lời."}}},
	{.title = "Niêm yết công khai thủ tục, phí, lệ phí tại Bộ phận một "
		  "cửa",
	 .lead = "Văn phòng – Thống kê",
	 .responsible = "vanphong",
	 .links = {"D4:4.1.2", "D5:5.4.2"},
	 .start_on = "2024-02-01",
	 .due_on = "2024-03-31",
	 .reports = {{"done", 100, "2024-03-28",
		      "Đã niêm yết, có ảnh chụp bảng niêm yết."}}},
	{.title = "Trả kết quả thủ tục hành chính đúng hẹn",
	 .lead = "Tư pháp – Hộ tịch",
	 .responsible = "truongbp",
	 .links = {"D5:5.4.3", "D5:5.1.2"},
	 .start_on = "2024-01-02",
	 .due_on = "2024-12-31",
	 .reports = {{"done", 100, "2024-12-30",
		      "98% hồ sơ trả đúng hẹn trong năm."}}},
	{.title = "Cải thiện đường giao thông nông thôn và điểm thu gom rác "
		  "thải",
	 .lead = "Địa chính – Xây dựng – Môi trường",
	 .responsible = "canbo",
	 .co = {"Thôn 3", "Thôn 4"},
	 .links = {"D6:6.3.2", "D6:6.3.3"},
	 .start_on = "2024-04-01",
	 .due_on = "2024-10-31",
	 .reports = {{"doing", 40, "2024-07-15",
		      "Đã đổ bê tông 600 m đường trục Thôn 3."},
		     {"doing", 70, "2024-10-25",
		      "Còn điểm tập kết rác Thôn 4 chưa xong."}}},
	{.title = "Bảo đảm an ninh, trật tự ở các khu dân cư",
	 .lead = "Công an xã",
	 .links = {"D6:6.4.2", "D6:6.4.4"},
	 .start_on = "2024-01-02",
	 .due_on = "2024-12-31",
	 .reports = {{"done", 100, "2024-12-26", "Không có điểm nóng."}}},
	{.title = "Kiểm tra, xử lý cơ sở gây ô nhiễm môi trường",
	 .lead = "Địa chính – Xây dựng – Môi trường",
	 .responsible = "canbo",
	 .links = {"D7:7.1.2", "D7:7.2.3"},
	 .start_on = "2024-05-01",
	 .due_on = "2024-09-30",
	 .reports = {{"doing", 30, "2024-08-01",
		      "Đã kiểm tra 3/8 cơ sở chăn nuôi."}}},
	{.title = "Hỗ trợ người dân dùng Cổng Dịch vụ công, trả lời phản ánh "
		  "qua Cổng thông tin điện tử",
	 .lead = "Văn phòng – Thống kê",
	 .responsible = "vanphong",
	 .links = {"D8:8.1.1", "D8:8.3.2"},
	 .start_on = "2024-03-01",
	 .due_on = "2024-08-31",
	 .reports = {{"done", 100, "2024-09-12",
		      "Đã bố trí người hướng dẫn tại Bộ phận một cửa."}}},
	{.title = "Tuyên truyền Kế hoạch và kết quả thực hiện trên Đài "
		  "truyền thanh xã",
	 .lead = "Văn hóa – Xã hội",
	 .co = {"Thôn 1", "Thôn 5", "Thôn 6"},
	 .links = {"D1:1.1.1", "D2:2.1.4"},
	 .start_on = "2024-01-15",
	 .due_on = "2024-12-31",
	 .recurrence = "quarterly",
	 .done_until = "2024-09-30",
	 .late_month = 6,
	 .late = 10},
	{.title = "Tuyên truyền đến cán bộ, công chức về kết quả Chỉ số PAPI "
		  "những năm qua",
	 .lead = "Văn hóa – Xã hội",
	 .start_on = "2024-02-01",
	 .due_on = "2024-03-31",
	 .reports = {{"done", 100, "2024-03-20",
		      "Hội nghị quán triệt ngày 20/3/2024."}}},
	{.title = "Khắc phục tồn tại sau kiểm tra theo Kế hoạch kiểm tra của "
		  "UBND huyện",
	 .lead = "commune",
	 .responsible = "chutich",
	 .co = {"Ban Thanh tra nhân dân"},
	 .start_on = "2024-06-01",
	 .due_on = "2024-11-30",
	 .reports = {{"doing", 50, "2024-11-15", "Đã khắc phục 2/4 tồn tại."}}},
	{.title = "Phối hợp tuyên truyền nội dung, mục đích, ý nghĩa của Chỉ "
		  "số PAPI",
	 .lead = "Ủy ban MTTQ Việt Nam xã",
	 .responsible = "mttq",
	 .co = {"Văn hóa – Xã hội"},
	 .links = {"D1", "D3"},
	 .start_on = "2024-02-01",
	 .due_on = "2024-06-30",
	 .reports = {{"done", 100, "2024-06-20",
		      "Lồng ghép trong các buổi sinh hoạt chi hội."}}},
	{.title = "Giải trình kết quả khảo sát PAPI tại Thôn 1",
	 .lead = "Thôn 1",
	 .responsible = "truongthon",
	 .links = {"D3"},
	 .start_on = "2024-11-01",
	 .due_on = "2024-12-15"},
};

/* Current tasks of the 2026 draft: some due soon, one overdue on
 * 27/11/2026 (the day the tests set the clock to). */
static const struct demo_task tasks_2026[] = {
	{.title = "Báo cáo tháng kết quả thực hiện Kế hoạch gửi UBND tỉnh",
	 .lead = "Văn phòng – Thống kê",
	 .responsible = "vanphong",
	 .start_on = "2026-01-05",
	 .due_on = "2026-12-31",
	 .recurrence = "monthly",
	 .done_until = "2026-10-31",
	 .late_month = 7,
	 .late = 6},
	{.title = "Rà soát, niêm yết công khai thủ tục hành chính tại Bộ phận "
		  "một cửa xã mới",
	 .lead = "Tư pháp – Hộ tịch",
	 .responsible = "truongbp",
	 .links = {"D5:5.4.2", "D4:4.1.2"},
	 .start_on = "2026-09-01",
	 .due_on = "2026-11-20",
	 .reports = {{"doing", 60, "2026-11-10",
		      "Đã niêm yết 40/65 thủ tục."}}},
	{.title = "Hướng dẫn người dân nộp hồ sơ trực tuyến trên Cổng Dịch "
		  "vụ công",
	 .lead = "Văn phòng – Thống kê",
	 .responsible = "vanphong",
	 .links = {"D8:8.1.1", "D8:8.3.4"},
	 .start_on = "2026-10-01",
	 .due_on = "2026-12-01",
	 .reports = {{"doing", 40, "2026-11-16",
		      "Đã hướng dẫn tại 3/6 thôn."}}},
	{.title = "Xử lý các điểm tập kết rác tự phát ở các thôn",
	 .lead = "Địa chính – Xây dựng – Môi trường",
	 .responsible = "canbo",
	 .co = {"Thôn 2", "Thôn 5"},
	 .links = {"D6:6.3.3", "D7:7.1.3"},
	 .start_on = "2026-10-15",
	 .due_on = "2026-11-30",
	 .reports = {{"doing", 50, "2026-11-20", "Đã xử lý 3/6 điểm."}}},
	{.title = "Tuyên truyền kết quả Chỉ số PAPI năm 2025 trên Đài truyền "
		  "thanh xã",
	 .lead = "Văn hóa – Xã hội",
	 .links = {"D1:1.1.1"},
	 .start_on = "2026-11-15",
	 .due_on = "2026-12-15"},
	{.title = "Tiếp công dân định kỳ và trả lời kiến nghị đúng hạn",
	 .lead = "Tư pháp – Hộ tịch",
	 .responsible = "truongbp",
	 .links = {"D3:3.2.2"},
	 .start_on = "2026-01-05",
	 .due_on = "2026-12-31",
	 .recurrence = "quarterly",
	 .done_until = "2026-09-30"},
	{.title = "Phối hợp giám sát việc công khai ngân sách xã",
	 .lead = "Ủy ban MTTQ Việt Nam xã",
	 .responsible = "mttq",
	 .co = {"Ban Thanh tra nhân dân"},
	 .links = {"D2:2.3.1"},
	 .start_on = "2026-07-01",
	 .due_on = "2026-10-31",
	 .reports = {{"done", 100, "2026-10-28",
		      "Biên bản giám sát ngày 28/10/2026."}}},
};

/* Is there a plan of this commune and year with this title? */
static enum err plan_there(struct db *db, struct arena *a, long long commune,
			   int year, const char *title, bool *there,
			   struct error *e)
{
	json_t *plans;
	enum err err = plan_list(db, a, &commune, 1, &plans, e);
	*there = false;
	if (err)
		return err;
	size_t i;
	json_t *p;
	json_array_foreach(plans, i, p) *there |=
		json_integer_value(json_object_get(p, "year")) == year &&
		!strcmp(json_string_value(json_object_get(p, "title")), title);
	json_decref(plans);
	return ERR_OK;
}

static enum err seed_plan(struct db *db, struct arena *a, struct plan *p,
			  const struct demo_task *tasks, int ntasks,
			  const char *issue_on, struct error *e)
{
	bool there;
	enum err err =
		plan_there(db, a, p->unit_id, p->year, p->title, &there, e);
	if (err || there)
		return err;
	struct field_problems fp = {0};
	err = plan_save(db, a, &actor_cli, p, &fp, e);
	if (!err && issue_on)
		err = plan_issue(db, a, &actor_cli, p->id, issue_on, e);
	struct demo_ctx c = {db, a, NULL, p->unit_id, p->id, e};
	if (!err)
		err = plan_unit_choices(db, a, p->unit_id, &c.units, e);
	if (!err)
		err = add_tasks(&c, tasks, ntasks);
	json_decref(c.units);
	return err;
}

enum err plan_demo_seed(struct db *db, struct arena *a, struct error *e)
{
	struct unit minh_tien, tien_tien;
	enum err err = units_by_code(db, a, MINH_TIEN_CODE, "commune", NULL,
				     &minh_tien, e);
	if (!err)
		err = units_by_code(db, a, MINH_TIEN_CODE, "commune", NEW_START,
				    &tien_tien, e);
	if (err)
		return err;
	struct plan_section s2024[] = {
		{"I. MỤC ĐÍCH, YÊU CẦU", section_i},
		{"II. NỘI DUNG", section_ii},
		{"III. TỔ CHỨC THỰC HIỆN", section_iii},
	};
	struct plan_target t2024[] = {
		{"total", "tier", "keep", NAN,
		 "Mục I.1.a: phấn đấu Chỉ số PAPI của xã năm 2024 giữ vững "
		 "bậc so với năm 2023."},
	};
	struct plan p2024 = {
		.unit_id = minh_tien.id,
		.year = 2024,
		.symbol = "KH-UBND",
		.place = "Minh Tiến",
		.title = TITLE_2024,
		.bases = bases,
		.recipients = recipients,
		.sign_mode = "TM.",
		.signer_title = "Chủ tịch",
		.signer_name = "Ngô Văn Quyên",
		.baseline_year = 2023,
		.criterion_min_tasks = 5,
		.sections = s2024,
		.nsections = 3,
		.targets = t2024,
		.ntargets = 1,
	};
	struct plan_section s2026[] = {
		{"I. MỤC ĐÍCH, YÊU CẦU",
		 "1. Mục đích\na) Phấn đấu Chỉ số PAPI của xã Tiên Tiến năm "
		 "2026 đạt tổng điểm từ 40 trở lên, cải thiện lĩnh vực Trách "
		 "nhiệm giải trình với người dân và Quản trị điện tử.\n2. Yêu "
		 "cầu\na) Mỗi bộ phận, thôn xác định rõ nhiệm vụ, thời hạn và "
		 "người phụ trách."},
		{"II. NỘI DUNG",
		 "1. Các bộ phận thực hiện nhiệm vụ được giao theo 8 lĩnh vực "
		 "của Chỉ số PAPI.\n2. Tăng cường thông tin, tuyên truyền đến "
		 "các thôn sau sáp nhập."},
		{"III. TỔ CHỨC THỰC HIỆN",
		 "1. Văn phòng – Thống kê thường trực, đôn đốc, báo cáo UBND "
		 "tỉnh hằng tháng.\n2. Các bộ phận, thôn chịu trách nhiệm về "
		 "kết quả khảo sát ở địa bàn mình phụ trách."},
	};
	struct plan_target t2026[] = {
		{"total", "score", "reach", 40, ""},
		{"d3", "score", "reach", 5.5, ""},
		{"d8", "score", "keep", NAN, ""},
		{"total", "tier", "keep", NAN, ""},
	};
	struct plan p2026 = {
		.unit_id = tien_tien.id,
		.year = 2026,
		.symbol = "KH-UBND",
		.place = "Tiên Tiến",
		.title = TITLE_2026,
		.bases = "Căn cứ Luật Tổ chức chính quyền địa phương năm "
			 "2025;\nThực hiện chỉ đạo của UBND tỉnh Hưng Yên về "
			 "nâng cao Chỉ số PAPI năm 2026;",
		.recipients = "- UBND tỉnh;\n- Sở Nội vụ;\n- Chủ tịch, Phó "
			      "Chủ tịch UBND xã;\n- Ủy ban MTTQ xã;\n- Các bộ "
			      "phận, thôn;\n- Lưu: VP.",
		.sign_mode = "TM.",
		.signer_title = "Chủ tịch",
		.signer_name = "Trần Văn Thắng",
		.baseline_year = 2025,
		.criterion_min_tasks = 3,
		.sections = s2026,
		.nsections = 3,
		.targets = t2026,
		.ntargets = 4,
	};
	err = db_begin(db, e);
	if (err)
		return err;
	err = seed_plan(db, a, &p2024, tasks_2024,
			(int)(sizeof tasks_2024 / sizeof *tasks_2024),
			"2024-01-15", e);
	if (!err)
		err = seed_plan(db, a, &p2026, tasks_2026,
				(int)(sizeof tasks_2026 / sizeof *tasks_2026),
				NULL, e);
	if (!err)
		err = db_commit(db, e);
	if (err)
		db_rollback(db);
	return err;
}
