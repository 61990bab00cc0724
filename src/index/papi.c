/* Imports and copies of the catalogue and the official results: checked
 * in full first, then written in one transaction with its audit row. */
#include "papi.h"
#include <stdio.h>
#include <string.h>
#include "index_db.h"
#include "people/people.h"
#include "../base/embedded.h"
#include "../base/banned.h"

static const struct papi_actor actor_init = {0, "init", ""};

enum err papi_catalogue_import(struct db *db, struct arena *a,
			       const struct papi_actor *who, const char *data,
			       size_t len, const char *name,
			       struct catalogue *out, struct problems *p,
			       struct error *e)
{
	enum err err = catalogue_parse(a, data, len, out, p, e);
	if (err)
		return err;
	if (!name || !*name)
		name = arena_printf(a, "PAPI %d", out->year);
	out->name = name;
	long long id = 0, rounds = 0;
	if ((err = db_begin(db, e)))
		return err;
	err = idb_catalogue_version_id(db, a, out->year, &id, e);
	if (!err && id)
		err = idb_catalogue_rounds(db, a, id, &rounds, e);
	if (!err && rounds)
		err = error_set(e, ERR_CONFLICT,
				"catalogue %d is used by %lld survey round%s: "
				"copy it to a new year and import there",
				out->year, rounds, rounds > 1 ? "s" : "");
	bool replaced = id != 0;
	if (!err)
		err = idb_catalogue_store(db, a, out, name, 0, &id, e);
	if (!err) {
		json_t *after = json_pack(
			"{s:i, s:s, s:i, s:i, s:i, s:b}", "year", out->year,
			"name", name, "subdimensions", out->nsubdimensions,
			"indicators", out->nindicators, "questions",
			out->nquestions, "replaced", replaced);
		err = audit_record(
			db, a, who->user_id, who->username, who->remote_addr,
			"catalogue.import", "catalogue",
			arena_printf(a, "%d", out->year), NULL, after, e);
		json_decref(after);
	}
	if (!err)
		err = db_commit(db, e);
	if (err)
		db_rollback(db);
	return err;
}

enum err papi_catalogue_copy(struct db *db, struct arena *a,
			     const struct papi_actor *who, int from_year,
			     int to_year, const char *name, struct error *e)
{
	if (to_year < 2000 || to_year > 2100)
		return error_set(e, ERR_INVALID, "%d is not a catalogue year",
				 to_year);
	struct catalogue c;
	long long from_id = 0, to_id = 0, id = 0;
	enum err err = db_begin(db, e);
	if (err)
		return err;
	err = idb_catalogue_version_id(db, a, from_year, &from_id, e);
	if (!err && !from_id)
		err = error_set(e, ERR_NOTFOUND, "no catalogue for %d",
				from_year);
	if (!err)
		err = idb_catalogue_version_id(db, a, to_year, &to_id, e);
	if (!err && to_id)
		err = error_set(e, ERR_CONFLICT,
				"a catalogue for %d exists already", to_year);
	if (!err)
		err = idb_catalogue_load(db, a, from_year, &c, e);
	if (!err) {
		c.year = to_year;
		if (!name || !*name)
			name = arena_printf(a, "PAPI %d", to_year);
		err = idb_catalogue_store(db, a, &c, name, from_id, &id, e);
	}
	if (!err) {
		json_t *after =
			json_pack("{s:i, s:i, s:s}", "year", to_year,
				  "copied_from", from_year, "name", name);
		err = audit_record(db, a, who->user_id, who->username,
				   who->remote_addr, "catalogue.copy",
				   "catalogue", arena_printf(a, "%d", to_year),
				   NULL, after, e);
		json_decref(after);
	}
	if (!err)
		err = db_commit(db, e);
	if (err)
		db_rollback(db);
	return err;
}

enum err papi_official_import(struct db *db, struct arena *a,
			      const struct papi_actor *who, const char *data,
			      size_t len, const char *source,
			      struct official_set *out, struct problems *p,
			      struct error *e)
{
	enum err err = official_parse(a, data, len, out, p, e);
	if (err)
		return err;
	if ((err = db_begin(db, e)))
		return err;
	err = idb_official_replace(db, a, out, source ? source : "", e);
	if (!err) {
		json_t *years = json_array();
		for (int i = 0; i < out->n; i++) {
			bool seen = false;
			for (int k = 0; k < i; k++)
				seen |= out->rows[k].year == out->rows[i].year;
			if (!seen)
				json_array_append_new(
					years, json_integer(out->rows[i].year));
		}
		json_t *after = json_pack("{s:s, s:i, s:o}", "source",
					  source ? source : "", "rows", out->n,
					  "years", years);
		err = audit_record(db, a, who->user_id, who->username,
				   who->remote_addr, "official.import",
				   "official_results", "", NULL, after, e);
		json_decref(after);
	}
	if (!err)
		err = db_commit(db, e);
	if (err)
		db_rollback(db);
	return err;
}

static enum err seed_file(const char *path, const struct embedded_file **f,
			  struct error *e)
{
	*f = embedded_find(path);
	return *f ? ERR_OK
		  : error_set(e, ERR_INTERNAL, "%s is not embedded", path);
}

/* A shipped file that does not import is a bug of the release: say which
 * line. */
static enum err seed_failed(const char *path, const struct problems *p,
			    struct error *e)
{
	if (p->kept)
		return error_set(e, ERR_INTERNAL, "%s:%d: %s%s%s", path,
				 p->list[0].line, p->list[0].column,
				 *p->list[0].column ? ": " : "",
				 p->list[0].msg_en);
	return e->code ? e->code : ERR_INTERNAL;
}

enum err papi_seed(struct db *db, struct arena *a, bool demo,
		   int *catalogue_added, int *official_added, struct error *e)
{
	*catalogue_added = *official_added = 0;
	json_t *versions = NULL;
	const struct embedded_file *f;
	struct problems p;
	enum err err = idb_catalogue_versions(db, a, &versions, e);
	if (err)
		return err;
	size_t nversions = json_array_size(versions);
	json_decref(versions);
	if (!nversions) {
		struct catalogue c;
		if ((err = seed_file(PAPI_SHIPPED_CATALOGUE, &f, e)))
			return err;
		err = papi_catalogue_import(db, a, &actor_init,
					    (const char *)f->data, f->len, NULL,
					    &c, &p, e);
		if (err)
			return err == ERR_INVALID ? seed_failed(f->path, &p, e)
						  : err;
		*catalogue_added = 1;
	}
	if (!demo)
		return ERR_OK;
	json_t *years = NULL;
	if ((err = idb_official_years(db, a, &years, e)))
		return err;
	size_t nyears = json_array_size(years);
	json_decref(years);
	if (nyears)
		return ERR_OK;
	struct official_set s;
	if ((err = seed_file(PAPI_SHIPPED_OFFICIAL, &f, e)))
		return err;
	err = papi_official_import(
		db, a, &actor_init, (const char *)f->data, f->len,
		"official_provincial_scores_2020_2022.csv", &s, &p, e);
	if (err)
		return err == ERR_INVALID ? seed_failed(f->path, &p, e) : err;
	*official_added = 1;
	return ERR_OK;
}
