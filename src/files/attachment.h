/* files/: what people upload (a task's evidence, a citizen's photo, a
 * disclosed document), checked by its content, limited in size, stored in
 * the database (table attachments) beside the record that owns it, and
 * served back only to those the owner's capability allows. */
#ifndef ATTACHMENT_H
#define ATTACHMENT_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "../base/arena.h"
#include "../base/error.h"
#include "../http/http.h"
#include "../store/db.h"

/* What an owner accepts, as bits. */
enum attachment_kind {
	ATTACH_IMAGE = 1 << 0,  /* JPEG, PNG, WebP */
	ATTACH_PDF = 1 << 1,    /* PDF */
	ATTACH_OFFICE = 1 << 2, /* DOCX, XLSX, PPTX, ODT, ODS, DOC, XLS */
	ATTACH_EVIDENCE = ATTACH_IMAGE | ATTACH_PDF | ATTACH_OFFICE,
};
enum { ATTACHMENTS_MAX_PER_RECORD = 5 };

struct attachment {
	long long id;
	const char *owner; /* "task_update", "case", ... */
	long long owner_id;
	const char *filename, *mime, *sha256, *created_at;
	long long size;
	long long user_id;
};

/* Why an upload was refused, for the CLI and for the page. The messages
 * name the file, so they are held here rather than pointed to. */
struct attachment_problem {
	char msg_en[512], msg_vi[512];
};

/* Checks one upload: not empty, at most max_bytes (<= 0: the configured
 * max_upload_bytes), its content one of kinds (magic bytes; for a zip, the
 * office document inside), and its file name's extension agreeing with
 * the content ("anh.jpg" that is a PDF is refused). Sets *mime. */
bool attachment_check(const struct upload *u, unsigned kinds, long max_bytes,
		      const char **mime, struct attachment_problem *p);

/* The file name as stored and shown: the last path segment, NFC, without
 * control or bidirectional-override characters, trimmed, at most 200
 * bytes (the extension kept); "tệp" when nothing is left. */
char *attachment_clean_filename(struct arena *a, const char *name);

/* Saves a checked upload for its owner row, in the caller's transaction.
 * The file name is cleaned (no directories, no control characters, at
 * most 200 bytes). */
enum err attachment_save(struct db *db, struct arena *a, const char *owner,
			 long long owner_id, const struct upload *u,
			 const char *mime, long long user_id, long long *id,
			 struct error *e);

/* The owner's files, oldest first: a JSON array of {id, filename, mime,
 * size, created_at, url, is_image}. */
enum err attachment_list(struct db *db, struct arena *a, const char *owner,
			 long long owner_id, json_t **out, struct error *e);

/* One file with its bytes (decoded into the arena). ERR_NOTFOUND if none. */
enum err attachment_get(struct db *db, struct arena *a, long long id,
			struct attachment *meta, const unsigned char **data,
			size_t *len, struct error *e);

/* GET /files/{id} (files_http.c) serves a file only when the owner's
 * capability says this request may read it. Capabilities register one
 * function per owner name at start-up. */
typedef bool (*attachment_can_read_fn)(struct request *req, const char *owner,
				       long long owner_id);
void attachment_register_owner(const char *owner, attachment_can_read_fn fn);

#endif
