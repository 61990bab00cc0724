/* Settings: built-in defaults, then the configuration file, then the
 * environment (QUANTRI_<KEY> upper-case), then command-line flags. The file
 * is `key = value` lines, '#' comments; keys are the lower-case names below.
 * deploy/quantri.conf.example documents every key. */
#ifndef CONFIG_H
#define CONFIG_H
#include <stdbool.h>
#include "error.h"

struct config {
	char db[1024]; /* db: SQLite path or postgres:// URL; var/quantri.db */
	char listen[64]; /* listen: address; 127.0.0.1 */
	int port;        /* port: 8080 */
	int threads;     /* threads: worker threads; 0 = one per core */
	int session_idle_minutes; /* session_idle_minutes: 30 */
	long max_body_bytes;   /* max_body_bytes: request body limit; 1048576 */
	long max_upload_bytes; /* max_upload_bytes: one uploaded file; 10485760 */
	char log_level[16];    /* log_level: debug, info, warn, error; info */
	char secret_file
		[1024]; /* secret_file: server key (reserved: not read yet); var/secret.key */
	int login_max_per_user; /* login_max_per_user: failures in 15 min; 5 */
	int login_max_per_addr; /* login_max_per_addr: failures in 15 min; 20 */
	bool cookie_secure; /* cookie_secure: Secure cookies (behind TLS); false */
	bool trust_proxy; /* trust_proxy: client address from X-Real-IP on loopback; false */
	bool views_cache; /* views_cache: keep the plan views' results until the next change; true */
	/* notify/: e-mail. With smtp_url empty, `quantri serve` makes no
	 * digest and sends nothing: notifications stay in the app. */
	char smtp_url[512];  /* smtp_url: smtp://host:port or smtps://...; "" */
	char smtp_from[256]; /* smtp_from: "Name <a@b>"; quantri@localhost */
	char smtp_user[256]; /* smtp_user: SMTP login; "" (none) */
	char smtp_password[256]; /* smtp_password: never logged; "" */
	int digest_hour; /* digest_hour: daily digest from this hour, Vietnam time; 7 */
	char public_url[512]; /* public_url: https://host, for mail links; "" */
	/* voice/: online submissions (citizen form, Open311) per client
	 * address; the bench raises them. */
	int voice_submit_per_10min; /* voice_submit_per_10min: 5 */
	int voice_submit_per_day;   /* voice_submit_per_day: 30 */
};

void config_defaults(struct config *c);
/* Reads file (NULL: $QUANTRI_CONFIG, else /etc/quantri/quantri.conf if it
 * exists), then the environment. An unknown key or bad value is an error
 * that names the file, line and key. */
enum err config_load(struct config *c, const char *file, struct error *e);
/* Sets one key by its file name ("port", "db"...), as the file would. */
enum err config_set(struct config *c, const char *key, const char *value,
		    struct error *e);

#endif
