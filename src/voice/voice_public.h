/* Shared by the citizen pages and Open311 (voice_public_http.c). */
#ifndef VOICE_PUBLIC_H
#define VOICE_PUBLIC_H
#include "voice.h"

/* The commune a public request is about: the 5-digit statistics code in
 * parameter `param` ("xa"; Open311's "jurisdiction_id"), else the setting
 * public_commune, else the demo commune 12424. ERR_NOTFOUND when the code
 * is malformed or names no commune. */
enum err voice_public_commune(struct request *req, const char *param,
			      struct unit *u, struct error *e);

#endif
