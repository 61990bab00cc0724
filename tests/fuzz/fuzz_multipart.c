/* libFuzzer: multipart/form-data bodies (form_parse_multipart), and each
 * file part through attachment_check (magic bytes, zip directories, OLE2
 * names, file names). The first line of the input is the boundary, the
 * rest the body. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "files/attachment.h"
#include "http/form.h"
#include "base/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct params p = {0};
	struct uploads ups = {0};
	struct error e = {0};
	char ct[300];
	const uint8_t *nl = memchr(data, '\n', size);
	size_t bl = nl ? (size_t)(nl - data) : 0;
	if (!nl || bl > 200 || memchr(data, '\0', bl))
		return 0;
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%.*s", (int)bl,
		 (const char *)data);
	arena_init(&a, 64 << 20);
	const char *body = (const char *)nl + 1;
	size_t n = size - bl - 1;
	if (form_parse_multipart(&a, body, n, ct, &p, &ups, &e) == ERR_OK) {
		for (int i = 0; i < p.n; i++)
			if (strlen(p.kv[i].value) > n)
				__builtin_trap();
		for (int i = 0; i < ups.n; i++) {
			const struct upload *u = &ups.v[i];
			/* the bytes lie inside the body */
			if ((const char *)u->data < body ||
			    (const char *)u->data + u->len > body + n)
				__builtin_trap();
			const char *mime = NULL;
			struct attachment_problem pr;
			bool ok = attachment_check(u, ATTACH_EVIDENCE, 0, &mime,
						   &pr);
			if (ok != (mime != NULL) || (!ok && !pr.msg_vi[0]) ||
			    strlen(pr.msg_en) >= sizeof pr.msg_en)
				__builtin_trap();
			char *clean =
				attachment_clean_filename(&a, u->filename);
			if (clean && strlen(clean) > 200)
				__builtin_trap();
		}
	}
	arena_release(&a);
	return 0;
}
