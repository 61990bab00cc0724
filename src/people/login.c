/* Login: the password check with throttling. Every failure looks and takes
 * the same, whether the user exists or not, so the page does not tell
 * which usernames are real. */
#include <ctype.h>
#include <string.h>
#include "people_db.h"
#include "../base/clock.h"
#include "../base/banned.h"

enum err login_verify(struct db *db, struct arena *a,
		      const struct login_limits *lim, const char *username,
		      const char *password, const char *remote_addr,
		      long long *user_id, struct error *e)
{
	const char *addr = remote_addr ? remote_addr : "";
	char name[65];
	size_t n = 0;
	/* Usernames are lower-case; "ChuTich" logs in as chutich. Longer
	 * input is cut, it cannot match anyway. */
	for (const char *p = username ? username : "";
	     *p && n < sizeof name - 1; p++)
		if (!isspace((unsigned char)*p))
			name[n++] = (char)tolower((unsigned char)*p);
	name[n] = 0;

	char since[21];
	clock_format_iso(clock_now() - LOGIN_WINDOW_SECONDS, since);
	long long fu = 0, fa = 0;
	enum err err = pdb_login_failures_user(db, a, name, since, &fu, e);
	if (!err)
		err = pdb_login_failures_addr(db, a, addr, since, &fa, e);
	if (err)
		return err;
	if ((lim->max_per_user > 0 && fu >= lim->max_per_user) ||
	    (lim->max_per_addr > 0 && fa >= lim->max_per_addr))
		return error_set(e, ERR_THROTTLED,
				 "login %s from %s: %lld failures for the "
				 "user, %lld for the address in 15 minutes",
				 name, addr, fu, fa);

	struct db_result *r;
	struct error ue = {0};
	err = pdb_user_by_username(db, a, name, &r, &ue);
	bool ok;
	if (err == ERR_NOTFOUND) {
		password_dummy_verify(password);
		ok = false;
	} else if (err) {
		return error_set(e, err, "%s", ue.msg);
	} else {
		ok = password_verify(db_get(r, 0, "password_hash"),
				     password ? password : "") &&
		     db_get_int(r, 0, "active", 0) == 1;
	}
	const char *now = clock_now_iso(a);
	err = pdb_login_record(db, a, name, addr, ok, now, e);
	if (err)
		return err;
	if (!ok)
		return error_set(e, ERR_AUTH,
				 "login %s from %s: wrong username or password",
				 name, addr);
	*user_id = db_get_int(r, 0, "id", 0);
	return pdb_user_touch_login(db, a, *user_id, now, e);
}
