/* A denouncer's identity, sealed with libsodium's secretbox (voice.h). The
 * key is 32 random bytes in a file outside the database, mode 0600, made on
 * first use and read once per process; a lost key file cannot be replaced,
 * so opening with another key says so plainly. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "voice.h"
#include "../base/config.h"
#include "../base/banned.h"

enum { IDENTITY_MAX = 16384 }; /* bytes of plaintext JSON */

static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;
/* Set by identity_use_key_file (the CLI); otherwise, in `quantri serve`,
 * the server's configuration (secret_file), read at first use. */
static char key_path[1024];
static unsigned char key[crypto_secretbox_KEYBYTES];
static bool key_loaded;

static enum err read_key(const char *path, struct error *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_set(e, ERR_IO, "key file %s: %s", path,
				 strerror(errno));
	unsigned char buf[crypto_secretbox_KEYBYTES + 1];
	ssize_t n = read(fd, buf, sizeof buf);
	close(fd);
	if (n != (ssize_t)crypto_secretbox_KEYBYTES)
		return error_set(e, ERR_IO,
				 "key file %s: expected %d bytes, found %s",
				 path, (int)crypto_secretbox_KEYBYTES,
				 n < 0 ? strerror(errno) : "another size");
	memcpy(key, buf, sizeof key);
	sodium_memzero(buf, sizeof buf);
	return ERR_OK;
}

/* A new key file, created exclusively: two processes starting at once
 * cannot both write one (the loser reads the winner's). */
static enum err make_key(const char *path, struct error *e)
{
	char dir[1024];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = 0;
		if (mkdir(dir, 0700) && errno != EEXIST)
			return error_set(e, ERR_IO, "key directory %s: %s", dir,
					 strerror(errno));
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return read_key(path, e);
		return error_set(e, ERR_IO, "key file %s: %s", path,
				 strerror(errno));
	}
	randombytes_buf(key, sizeof key);
	ssize_t n = write(fd, key, sizeof key);
	if (n != (ssize_t)sizeof key || fsync(fd)) {
		int err = errno;
		close(fd);
		unlink(path);
		return error_set(e, ERR_IO, "key file %s: %s", path,
				 strerror(err));
	}
	close(fd);
	return ERR_OK;
}

/* Under key_lock. */
static enum err load_key(struct error *e)
{
	if (key_loaded)
		return ERR_OK;
	if (sodium_init() < 0)
		return error_set(e, ERR_INTERNAL, "libsodium failed to start");
	if (!key_path[0])
		snprintf(key_path, sizeof key_path, "%s",
			 http_config()->secret_file);
	if (!key_path[0])
		return error_set(e, ERR_INVALID, "secret_file: not set");
	enum err err = access(key_path, F_OK) == 0 ? read_key(key_path, e)
						   : make_key(key_path, e);
	if (!err)
		key_loaded = true;
	return err;
}

enum err identity_use_key_file(const char *path, struct error *e)
{
	if (!path || !*path || strlen(path) >= sizeof key_path)
		return error_set(e, ERR_INVALID, "secret_file: no usable path");
	/* read (or made) at the first seal or open, so commands that never
	 * touch an identity leave no key file behind */
	pthread_mutex_lock(&key_lock);
	if (strcmp(path, key_path)) {
		snprintf(key_path, sizeof key_path, "%s", path);
		key_loaded = false;
		sodium_memzero(key, sizeof key);
	}
	pthread_mutex_unlock(&key_lock);
	return ERR_OK;
}

static enum err with_key(unsigned char out[crypto_secretbox_KEYBYTES],
			 struct error *e)
{
	pthread_mutex_lock(&key_lock);
	enum err err = load_key(e);
	if (!err)
		memcpy(out, key, crypto_secretbox_KEYBYTES);
	pthread_mutex_unlock(&key_lock);
	return err;
}

enum err identity_seal(struct arena *a, const char *plaintext_json,
		       char **box_b64, struct error *e)
{
	size_t n = plaintext_json ? strlen(plaintext_json) : 0;
	if (!plaintext_json || n > IDENTITY_MAX)
		return error_set(e, ERR_INVALID,
				 "identity: %zu bytes, at most %d", n,
				 IDENTITY_MAX);
	unsigned char k[crypto_secretbox_KEYBYTES];
	enum err err = with_key(k, e);
	if (err)
		return err;
	size_t blen =
		crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
	unsigned char *buf = arena_alloc(a, blen);
	size_t b64len =
		sodium_base64_encoded_len(blen, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = arena_alloc(a, b64len);
	if (!buf || !b64) {
		sodium_memzero(k, sizeof k);
		return error_set(e, ERR_NOMEM, "identity: out of memory");
	}
	randombytes_buf(buf, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(buf + crypto_secretbox_NONCEBYTES,
			      (const unsigned char *)plaintext_json, n, buf, k);
	sodium_memzero(k, sizeof k);
	sodium_bin2base64(b64, b64len, buf, blen,
			  sodium_base64_VARIANT_ORIGINAL);
	*box_b64 = b64;
	return ERR_OK;
}

enum err identity_open(struct arena *a, const char *box_b64,
		       char **plaintext_json, struct error *e)
{
	size_t inlen = box_b64 ? strlen(box_b64) : 0;
	if (!inlen || inlen > 4 * IDENTITY_MAX)
		return error_set(e, ERR_INVALID,
				 "identity: no sealed identity");
	unsigned char *buf = arena_alloc(a, inlen);
	size_t blen;
	if (!buf)
		return error_set(e, ERR_NOMEM, "identity: out of memory");
	if (sodium_base642bin(buf, inlen, box_b64, inlen, NULL, &blen, NULL,
			      sodium_base64_VARIANT_ORIGINAL) ||
	    blen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		return error_set(e, ERR_INVALID,
				 "identity: the sealed text is damaged");
	size_t n =
		blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	char *plain = arena_alloc(a, n + 1);
	if (!plain)
		return error_set(e, ERR_NOMEM, "identity: out of memory");
	unsigned char k[crypto_secretbox_KEYBYTES];
	enum err err = with_key(k, e);
	if (err)
		return err;
	int bad = crypto_secretbox_open_easy(
		(unsigned char *)plain, buf + crypto_secretbox_NONCEBYTES,
		blen - crypto_secretbox_NONCEBYTES, buf, k);
	sodium_memzero(k, sizeof k);
	if (bad)
		return error_set(e, ERR_CONFLICT,
				 "identity: cannot open the sealed identity "
				 "with the key in %s: it was sealed with "
				 "another key (was the key file replaced or "
				 "lost? restore it from the backup)",
				 key_path);
	plain[n] = 0;
	*plaintext_json = plain;
	return ERR_OK;
}
