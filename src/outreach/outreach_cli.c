/* `quantri outreach ...`: the commune's outreach activities from the
 * command line (list with the page's filters, one activity, export as CSV
 * or XLSX, the coverage matrix with its gaps, the topics, the news), and
 * `quantri init`, which after the disclosures seeds the demo activities
 * with --demo. Errors in English on stderr; exit 0 ok, 1 failure, 2
 * usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "outreach.h"
#include "../cli.h"
#include "../base/clock.h"
#include "../base/file.h"
#include "../base/text.h"
#include "../base/xlsx.h"
#include "../plan/plan_bulk.h"
#include "../base/banned.h"

enum { OUTREACH_CLI_ARENA_MAX = 512 << 20 };

static const char outreach_usage[] =
	"usage: quantri outreach list [--commune CODE] [--year Y] [--from D] "
	"[--to D]\n"
	"                             [--channel C] [--topic ID] "
	"[--dimension Dn]\n"
	"                             [--village ID] [--q TEXT] [--limit N]\n"
	"       quantri outreach show ID\n"
	"       quantri outreach export [--xlsx] [-o FILE] [the list's "
	"filters]\n"
	"       quantri outreach coverage [--commune CODE] [--year Y | --from "
	"D "
	"--to D]\n"
	"                                 [--channel C] [--topic ID] "
	"[--dimension Dn]\n"
	"       quantri outreach topics\n"
	"       quantri outreach news [--commune CODE]\n\n"
	"list      activities, newest first: id, day, channel, topic, "
	"villages,\n"
	"          audience, title (tab-separated); then the total\n"
	"show      one activity with its villages, PAPI links and files\n"
	"export    the list as CSV (default, to stdout) or XLSX (-o needed)\n"
	"coverage  villages x topics for the period (default this year): "
	"the\n"
	"          number of activities, '!' where a campaign missed the "
	"village,\n"
	"          then the gaps by topic\n"
	"topics    the topic list with the PAPI dimension of each\n"
	"news      the news posts (drafts and published)\n"
	"C: radio, village_meeting, mass_org_meeting, leaflet, zalo_group,\n"
	"website_post. D: YYYY-MM-DD or dd/mm/yyyy. CODE: the commune's "
	"5-digit\n"
	"statistics code (default 12424).\n";

static bool is_help(const char *s)
{
	return !strcmp(s, "--help") || !strcmp(s, "-h");
}

static int usage(const char *msg, const char *arg)
{
	if (msg) {
		fputs("quantri outreach: ", stderr);
		fprintf(stderr, msg, arg);
		fputc('\n', stderr);
	}
	fputs(outreach_usage, stderr);
	return 2;
}

static int fail(const char *what, const struct error *e)
{
	fprintf(stderr, "quantri outreach %s: %s\n", what, e->msg);
	return 1;
}

struct opts {
	const char *commune, *from, *to, *channel, *dimension, *q, *out;
	char from_buf[11], to_buf[11];
	long long topic, village, limit;
	int year;
	bool xlsx;
};

static int number(const char *s, long long lo, long long hi, long long *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Parses the options after argv[2]; 0 ok, else the usage's exit code. */
static int parse(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof *o);
	o->limit = 200;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		long long n;
		if (!strcmp(a, "--xlsx")) {
			o->xlsx = true;
			continue;
		}
		if (!v)
			return usage("%s: needs a value or is unknown", a);
		i++;
		if (!strcmp(a, "--commune"))
			o->commune = v;
		else if (!strcmp(a, "--from") || !strcmp(a, "--to")) {
			struct date d;
			if (!text_parse_date(v, &d))
				return usage("%s: not a date", v);
			bool from = a[2] == 'f';
			char *buf = from ? o->from_buf : o->to_buf;
			date_format_iso(d, buf);
			*(from ? &o->from : &o->to) = buf;
		} else if (!strcmp(a, "--year")) {
			if (number(v, 2000, 9998, &n))
				return usage("--year %s: not a year", v);
			o->year = (int)n;
		} else if (!strcmp(a, "--channel")) {
			if (!outreach_channel_label_vi(v))
				return usage("--channel %s: unknown channel",
					     v);
			o->channel = v;
		} else if (!strcmp(a, "--dimension")) {
			if (!(v[0] == 'D' && v[1] >= '1' && v[1] <= '8' &&
			      !v[2]))
				return usage("--dimension %s: not D1..D8", v);
			o->dimension = v;
		} else if (!strcmp(a, "--topic")) {
			if (number(v, 1, 1LL << 60, &o->topic))
				return usage("--topic %s: not an id", v);
		} else if (!strcmp(a, "--village")) {
			if (number(v, 1, 1LL << 60, &o->village))
				return usage("--village %s: not an id", v);
		} else if (!strcmp(a, "--limit")) {
			if (number(v, 1, 1000000, &o->limit))
				return usage("--limit %s: not a number from 1 "
					     "to 1000000",
					     v);
		} else if (!strcmp(a, "--q"))
			o->q = v;
		else if (!strcmp(a, "-o"))
			o->out = v;
		else
			return usage("%s: unknown option", a);
	}
	return 0;
}

/* The commune (by code) and every commune of its lineage. */
static enum err communes_of(struct db *db, struct arena *a, const char *code,
			    long long *commune, long long **ids, int *n,
			    struct error *e)
{
	struct unit u;
	enum err err = units_find(db, a, code ? code : "12424", &u, e);
	if (err)
		return err;
	if (strcmp(u.kind, "commune"))
		return error_set(e, ERR_INVALID, "unit %s: not a commune",
				 code ? code : "12424");
	*commune = u.id;
	return units_lineage(db, a, u.id, ids, n, e);
}

static enum err make_filter(struct db *db, struct arena *a,
			    const struct opts *o, struct outreach_filter *f,
			    long long *commune, struct error *e)
{
	memset(f, 0, sizeof *f);
	long long *ids;
	int n;
	enum err err = communes_of(db, a, o->commune, commune, &ids, &n, e);
	if (err)
		return err;
	f->communes = ids;
	f->ncommunes = n;
	f->topic_id = o->topic;
	f->village_id = o->village;
	f->channel = o->channel;
	f->dimension = o->dimension;
	f->q = o->q;
	if (o->year) {
		f->from = arena_printf(a, "%d-01-01", o->year);
		f->to = arena_printf(a, "%d-12-31", o->year);
	} else {
		f->from = o->from;
		f->to = o->to;
	}
	return ERR_OK;
}

static const char *js(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static long long ji(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static int cmd_list(struct db *db, struct arena *a, const struct opts *o)
{
	struct outreach_filter f;
	struct error e = {0};
	long long commune;
	json_t *list;
	enum err err = make_filter(db, a, o, &f, &commune, &e);
	f.per_page = o->limit > 200 ? 0 : (int)o->limit;
	f.page = 1;
	if (!err)
		err = outreach_list(db, a, &f, &list, &e);
	if (err)
		return fail("list", &e);
	json_t *rows = json_object_get(list, "activities");
	size_t i;
	json_t *r;
	long long shown = 0;
	json_array_foreach(rows, i, r)
	{
		if (shown >= o->limit)
			break;
		printf("%lld\t%s\t%s\t%s\t%s\t%lld\t%s\n", ji(r, "id"),
		       js(r, "held_on"), js(r, "channel"), js(r, "topic_vi"),
		       js(r, "villages"), ji(r, "audience"), js(r, "title"));
		shown++;
	}
	long long total = ji(list, "total");
	printf("%lld activities, %lld people reached", total,
	       ji(list, "audience"));
	if (total > shown)
		printf(" (%lld more not shown)", total - shown);
	putchar('\n');
	json_decref(list);
	return 0;
}

static int cmd_show(struct db *db, struct arena *a, int argc, char **argv)
{
	long long id;
	if (argc < 3 || number(argv[2], 1, 1LL << 60, &id))
		return usage("show: give an activity id", NULL);
	struct outreach_activity x;
	struct error e = {0};
	json_t *j;
	if (outreach_get(db, a, id, &x, &e) || outreach_json(db, a, &x, &j, &e))
		return fail("show", &e);
	printf("activity %lld\ncommune: %s\nday: %s\nchannel: %s\ntopic: "
	       "%s\ntitle: %s\naudience: %lld\n",
	       id, js(j, "commune_name"), js(j, "held_on"), js(j, "channel"),
	       js(j, "topic_vi"), js(j, "title"), ji(j, "audience"));
	size_t i;
	json_t *v;
	fputs("villages:", stdout);
	json_array_foreach(json_object_get(j, "villages"), i, v)
		printf("%s %s", i ? "," : "", js(v, "name"));
	fputs("\nPAPI:", stdout);
	json_array_foreach(json_object_get(j, "links"), i, v)
		printf("%s %s", i ? "," : "", js(v, "code"));
	putchar('\n');
	if (*js(j, "note"))
		printf("note: %s\n", js(j, "note"));
	json_array_foreach(json_object_get(j, "files"), i, v) printf(
		"file: %s (%lld bytes)\n", js(v, "filename"), ji(v, "size"));
	printf("recorded by: %s\n",
	       *js(j, "created_by_name") ? js(j, "created_by_name") : "cli");
	json_decref(j);
	return 0;
}

static int cmd_export(struct db *db, struct arena *a, const struct opts *o)
{
	static const char *const headers[] = {
		"Mã",       "Ngày", "Hình thức",   "Chủ đề",
		"Nội dung", "Thôn", "Số người dự", "Lĩnh vực, chỉ số PAPI",
		"Xã",
	};
	static const char *const keys[] = {
		"id",       "held_on",  "channel_vi", "topic_vi",     "title",
		"villages", "audience", "links",      "commune_name",
	};
	enum { NC = sizeof headers / sizeof *headers };
	if (o->xlsx && !o->out)
		return usage("export --xlsx: give -o FILE.xlsx", NULL);
	struct outreach_filter f;
	struct error e = {0};
	long long commune;
	json_t *list;
	enum err err = make_filter(db, a, o, &f, &commune, &e);
	f.per_page = 0;
	if (!err)
		err = outreach_list(db, a, &f, &list, &e);
	if (err)
		return fail("export", &e);
	json_t *rows = json_object_get(list, "activities");
	size_t nr = json_array_size(rows);
	const char **cells = arena_alloc(a, sizeof(char *) * (nr + 1) * NC);
	if (!cells)
		return fail("export",
			    &(struct error){ERR_NOMEM, "out of memory"});
	for (int c = 0; c < NC; c++)
		cells[c] = headers[c];
	for (size_t i = 0; i < nr; i++) {
		json_t *r = json_array_get(rows, i);
		for (int c = 0; c < NC; c++) {
			json_t *v = json_object_get(r, keys[c]);
			cells[(i + 1) * NC + c] =
				json_is_integer(v)
					? arena_printf(
						  a, "%lld",
						  (long long)json_integer_value(
							  v))
					: js(r, keys[c]);
		}
	}
	struct sheet s = {(int)nr + 1, NC, cells};
	unsigned char *bytes;
	size_t len;
	if (o->xlsx) {
		static const char *const names[] = {"Tuyên truyền"};
		if (xlsx_write(a, names, &s, 1, &bytes, &len, &e))
			return fail("export", &e);
	} else {
		bytes = (unsigned char *)bulk_sheet_csv(a, &s, &len);
		if (!bytes)
			return fail("export", &(struct error){ERR_NOMEM,
							      "out of memory"});
	}
	json_decref(list);
	FILE *out = o->out ? fopen(o->out, "wb") : stdout;
	if (!out) {
		perror(o->out);
		return 1;
	}
	bool ok = fwrite(bytes, 1, len, out) == len;
	if (o->out)
		ok = fclose(out) == 0 && ok;
	if (!ok) {
		fprintf(stderr, "quantri outreach export: %s: write failed\n",
			o->out ? o->out : "stdout");
		return 1;
	}
	if (o->out)
		fprintf(stderr, "%zu activities written to %s\n", nr, o->out);
	return 0;
}

static int cmd_coverage(struct db *db, struct arena *a, const struct opts *o)
{
	struct outreach_filter f;
	struct error e = {0};
	long long commune;
	if (make_filter(db, a, o, &f, &commune, &e))
		return fail("coverage", &e);
	struct outreach_period p;
	const char *en, *vi;
	if (!outreach_period_make(o->year, o->from, o->to, clock_today_vn(), &p,
				  &en, &vi)) {
		fprintf(stderr, "quantri outreach coverage: %s\n", en);
		return 1;
	}
	json_t *c;
	if (outreach_coverage(db, a, commune, &f, &p, &c, &e))
		return fail("coverage", &e);
	printf("coverage %s to %s: %lld activity-villages\n", js(c, "from"),
	       js(c, "to"), ji(c, "total"));
	json_t *topics = json_object_get(c, "topics");
	size_t i, k;
	json_t *t, *v;
	fputs("village", stdout);
	json_array_foreach(topics, i, t) printf("\tT%lld", ji(t, "id"));
	putchar('\n');
	json_array_foreach(json_object_get(c, "villages"), i, v)
	{
		fputs(js(v, "name"), stdout);
		json_array_foreach(json_object_get(v, "topics"), k, t) printf(
			"\t%lld%s", ji(t, "n"),
			json_is_true(json_object_get(t, "missed")) ? "!" : "");
		putchar('\n');
	}
	json_array_foreach(topics, i, t)
		printf("T%lld\t%s\n", ji(t, "id"), js(t, "name_vi"));
	json_array_foreach(json_object_get(c, "gaps"), i, t)
	{
		printf("missed by \"%s\":", js(t, "topic"));
		json_array_foreach(json_object_get(t, "villages"), k, v)
			printf("%s %s", k ? "," : "", json_string_value(v));
		putchar('\n');
	}
	json_decref(c);
	return 0;
}

static int cmd_topics(struct db *db, struct arena *a)
{
	json_t *t;
	struct error e = {0};
	if (outreach_topics(db, a, true, &t, &e))
		return fail("topics", &e);
	size_t i;
	json_t *x;
	json_array_foreach(t, i, x) printf(
		"%lld\t%s\t%s\t%s\t%lld activities\t%s\n", ji(x, "id"),
		js(x, "code"), *js(x, "dimension") ? js(x, "dimension") : "-",
		ji(x, "active") ? "active" : "retired", ji(x, "activities"),
		js(x, "name_vi"));
	json_decref(t);
	return 0;
}

static int cmd_news(struct db *db, struct arena *a, const struct opts *o)
{
	long long commune, *ids;
	int n;
	struct error e = {0};
	json_t *list;
	if (communes_of(db, a, o->commune, &commune, &ids, &n, &e) ||
	    news_list(db, a, ids, n, false, 1, 100, &list, &e))
		return fail("news", &e);
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(list, "posts"), i, p)
		printf("%lld\t%s\t%s\t%s\n", ji(p, "id"), js(p, "status"),
		       *js(p, "published_on") ? js(p, "published_on") : "-",
		       js(p, "title"));
	json_decref(list);
	return 0;
}

int outreach_cli(struct config *cfg, int argc, char **argv)
{
	if (argc < 2)
		return usage(NULL, NULL);
	if (is_help(argv[1])) {
		fputs(outreach_usage, stdout);
		return 0;
	}
	for (int i = 2; i < argc; i++)
		if (is_help(argv[i])) {
			fputs(outreach_usage, stdout);
			return 0;
		}
	const char *cmd = argv[1];
	bool known = !strcmp(cmd, "list") || !strcmp(cmd, "show") ||
		     !strcmp(cmd, "export") || !strcmp(cmd, "coverage") ||
		     !strcmp(cmd, "topics") || !strcmp(cmd, "news");
	if (!known)
		return usage("%s: unknown command", cmd);
	struct opts o;
	if (strcmp(cmd, "show")) {
		int rc = parse(argc, argv, &o);
		if (rc)
			return rc;
	}
	struct db *db;
	struct error e = {0};
	if (db_open(&db, cfg->db, &e))
		return fail(cmd, &e);
	struct arena a;
	arena_init(&a, OUTREACH_CLI_ARENA_MAX);
	int rc;
	if (!strcmp(cmd, "list"))
		rc = cmd_list(db, &a, &o);
	else if (!strcmp(cmd, "show"))
		rc = cmd_show(db, &a, argc, argv);
	else if (!strcmp(cmd, "export"))
		rc = cmd_export(db, &a, &o);
	else if (!strcmp(cmd, "coverage"))
		rc = cmd_coverage(db, &a, &o);
	else if (!strcmp(cmd, "topics"))
		rc = cmd_topics(db, &a);
	else
		rc = cmd_news(db, &a, &o);
	arena_release(&a);
	db_close(db);
	return rc;
}

int outreach_cli_init(struct config *cfg, int argc, char **argv)
{
	return store_cli_init_step(cfg, argc, argv, disclosure_cli_init,
				   outreach_demo_seed, "demo activities");
}
