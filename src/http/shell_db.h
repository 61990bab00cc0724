/* SQL of the shell (shell_db.c). */
#ifndef HTTP_SHELL_DB_H
#define HTTP_SHELL_DB_H
#include "http.h"

/* The user's roles with their units: [{role, unit_id, unit_name}]. */
enum err shelldb_user_roles(struct db *db, struct arena *a, long long user_id,
			    json_t **out, struct error *e);
/* A trivial statement: is the database there? */
enum err shelldb_ping(struct db *db, struct arena *a, struct error *e);

#endif
