/* The SQL of files/: attachments stored as base64 text beside their
 * owner's row (migrations/<backend>/0006_files_notify.sql says why). */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "attachment.h"
#include "../base/clock.h"
#include "../base/text.h"
#include "../base/banned.h"

static const char *num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

static char *sha256_hex(struct arena *a, const unsigned char *d, size_t n)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, d, n);
	char *hex = arena_alloc(a, sizeof h * 2 + 1);
	if (hex)
		sodium_bin2hex(hex, sizeof h * 2 + 1, h, sizeof h);
	return hex;
}

enum err attachment_save(struct db *db, struct arena *a, const char *owner,
			 long long owner_id, const struct upload *u,
			 const char *mime, long long user_id, long long *id,
			 struct error *e)
{
	if (!u->data || u->len == 0)
		return error_set(e, ERR_INVALID, "%s %lld: empty file", owner,
				 owner_id);
	if (!mime || !*mime)
		return error_set(e, ERR_INVALID,
				 "%s %lld: file not checked (no mime type)",
				 owner, owner_id);
	if (sodium_init() < 0)
		return error_set(e, ERR_INTERNAL,
				 "libsodium failed to initialise");
	const char *name = attachment_clean_filename(a, u->filename);
	const char *sha = sha256_hex(a, u->data, u->len);
	const char *now = clock_now_iso(a);
	if (!name || !sha || !now)
		return error_set(e, ERR_NOMEM, "%s %lld: out of memory", owner,
				 owner_id);
	/* the base64 text of a 10 MB photo is 13.4 MB: on the heap, freed
	 * here, not kept in the request's arena for the rest of it */
	size_t b64len = sodium_base64_ENCODED_LEN(
		u->len, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = malloc(b64len);
	if (!b64)
		return error_set(e, ERR_NOMEM,
				 "%s %lld: out of memory for %zu bytes", owner,
				 owner_id, u->len);
	sodium_bin2base64(b64, b64len, u->data, u->len,
			  sodium_base64_VARIANT_ORIGINAL);
	struct db_result *r = NULL;
	enum err err = db_exec(
		db, a,
		"INSERT INTO attachments (owner, owner_id, filename, mime, "
		"size, sha256, data, user_id, created_at) VALUES ($1, $2, $3, "
		"$4, $5, $6, $7, $8, $9) RETURNING id",
		DB_PARAMS(owner, num(a, owner_id), name, mime,
			  num(a, (long long)u->len), sha, b64,
			  user_id > 0 ? num(a, user_id) : NULL, now),
		&r, e);
	free(b64);
	if (err)
		return err;
	if (r->nrows != 1)
		return error_set(e, ERR_DB, "attachment insert returned no id");
	if (id)
		*id = db_get_int(r, 0, "id", 0);
	return ERR_OK;
}

/* "350 KB", "1,2 MB": a size as people read it. */
static char *size_text(struct arena *a, long long n)
{
	if (n < 1024)
		return arena_printf(a, "%lld byte", n);
	if (n < 1048576) {
		const char *k = text_format_number(a, (double)n / 1024.0, 0);
		return k ? arena_printf(a, "%s KB", k) : NULL;
	}
	const char *m = text_format_number(a, (double)n / 1048576.0, 1);
	return m ? arena_printf(a, "%s MB", m) : NULL;
}

enum err attachment_list(struct db *db, struct arena *a, const char *owner,
			 long long owner_id, json_t **out, struct error *e)
{
	struct db_result *r;
	*out = NULL;
	enum err err = db_exec(
		db, a,
		"SELECT id, filename, mime, size, created_at FROM attachments "
		"WHERE owner = $1 AND owner_id = $2 ORDER BY id",
		DB_PARAMS(owner, num(a, owner_id)), &r, e);
	if (err)
		return err;
	json_t *list = db_result_json(r);
	if (!list)
		return error_set(e, ERR_NOMEM, "attachments: out of memory");
	size_t i;
	json_t *row;
	json_array_foreach(list, i, row)
	{
		long long fid = db_get_int(r, (int)i, "id", 0);
		const char *mime = db_get(r, (int)i, "mime");
		const char *created = db_get(r, (int)i, "created_at");
		const char *url = arena_printf(a, "/files/%lld", fid);
		const char *sz = size_text(a, db_get_int(r, (int)i, "size", 0));
		const char *when =
			created ? text_format_datetime(a, created) : NULL;
		if (!url || !sz) {
			json_decref(list);
			return error_set(e, ERR_NOMEM,
					 "attachments: out of memory");
		}
		json_object_set_new(row, "url", json_string(url));
		json_object_set_new(
			row, "is_image",
			json_boolean(mime && !strncmp(mime, "image/", 6)));
		json_object_set_new(row, "size_text", json_string(sz));
		json_object_set_new(row, "created_vi",
				    json_string(when ? when : ""));
	}
	*out = list;
	return ERR_OK;
}

enum err attachment_get(struct db *db, struct arena *a, long long id,
			struct attachment *meta, const unsigned char **data,
			size_t *len, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"SELECT id, owner, owner_id, filename, mime, size, sha256, "
		"data, user_id, created_at FROM attachments WHERE id = $1",
		DB_PARAMS(num(a, id)), &r, e);
	if (err)
		return err;
	if (r->nrows == 0)
		return error_set(e, ERR_NOTFOUND, "attachment %lld: not found",
				 id);
	const char *b64 = db_get(r, 0, "data");
	long long size = db_get_int(r, 0, "size", -1);
	if (!b64 || size <= 0)
		return error_set(e, ERR_DB, "attachment %lld: no data", id);
	size_t b64len = strlen(b64);
	/* base64 never decodes to more than 3/4 of its length */
	size_t cap = b64len / 4 * 3 + 3;
	if ((unsigned long long)size > cap)
		return error_set(e, ERR_DB,
				 "attachment %lld: %lld bytes recorded, at "
				 "most %zu stored",
				 id, size, cap);
	unsigned char *bin = arena_alloc(a, cap);
	if (!bin)
		return error_set(e, ERR_NOMEM,
				 "attachment %lld: out of memory for %lld "
				 "bytes",
				 id, size);
	size_t got = 0;
	if (sodium_base642bin(bin, cap, b64, b64len, "\r\n", &got, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    got != (size_t)size)
		return error_set(e, ERR_DB,
				 "attachment %lld: stored data does not decode "
				 "to its %lld bytes",
				 id, size);
	if (meta) {
		meta->id = db_get_int(r, 0, "id", 0);
		meta->owner = db_get(r, 0, "owner");
		meta->owner_id = db_get_int(r, 0, "owner_id", 0);
		meta->filename = db_get(r, 0, "filename");
		meta->mime = db_get(r, 0, "mime");
		meta->sha256 = db_get(r, 0, "sha256");
		meta->created_at = db_get(r, 0, "created_at");
		meta->size = size;
		meta->user_id = db_get_int(r, 0, "user_id", 0);
	}
	if (data)
		*data = bin;
	if (len)
		*len = got;
	return ERR_OK;
}
