/* Passwords: argon2id through libsodium's crypto_pwhash_str, at the
 * "interactive" cost (about 0.1 s and 64 MiB per hash). */
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include "people.h"
#include "../base/banned.h"

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_ok;
static char dummy_hash[crypto_pwhash_STRBYTES];

static void sodium_start(void)
{
	if (sodium_init() < 0)
		return;
	/* A real hash to verify against when the user does not exist, so the
	 * answer takes as long as for a wrong password. */
	if (crypto_pwhash_str(dummy_hash, "not a password of anyone", 24,
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return;
	sodium_ok = 1;
}

static bool ready(void)
{
	pthread_once(&sodium_once, sodium_start);
	return sodium_ok;
}

_Static_assert(crypto_pwhash_STRBYTES <= PASSWORD_HASH_MAX, "hash buffer");

enum err password_hash(const char *password, char *out, struct error *e)
{
	if (!ready())
		return error_set(e, ERR_INTERNAL, "libsodium failed to start");
	size_t n = strlen(password);
	if (n > PASSWORD_MAX_BYTES)
		return error_set(e, ERR_INVALID,
				 "password longer than %d bytes",
				 PASSWORD_MAX_BYTES);
	if (crypto_pwhash_str(out, password, n,
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return error_set(e, ERR_NOMEM, "password hash: out of memory");
	return ERR_OK;
}

bool password_verify(const char *hash, const char *password)
{
	if (!ready() || !hash || !password)
		return false;
	size_t n = strlen(password);
	if (n > PASSWORD_MAX_BYTES)
		return false;
	return crypto_pwhash_str_verify(hash, password, n) == 0;
}

void password_dummy_verify(const char *password)
{
	if (!ready() || !password)
		return;
	size_t n = strlen(password);
	if (n > PASSWORD_MAX_BYTES)
		n = PASSWORD_MAX_BYTES;
	/* The answer is thrown away: only the time spent matters. */
	volatile int ignored =
		crypto_pwhash_str_verify(dummy_hash, password, n);
	(void)ignored;
}

const char *password_policy_vi(const char *password)
{
	if (!password || !*password)
		return "Vui lòng nhập mật khẩu.";
	if (strlen(password) > PASSWORD_MAX_BYTES)
		return "Mật khẩu quá dài (tối đa 256 byte).";
	/* Count characters, not bytes: "mật khẩu" is 8 characters. */
	int chars = 0;
	for (const unsigned char *p = (const unsigned char *)password; *p; p++)
		if ((*p & 0xC0) != 0x80)
			chars++;
	if (chars < PASSWORD_MIN_CHARS)
		return "Mật khẩu phải có ít nhất 8 ký tự.";
	return NULL;
}

enum err password_generate(char out[13], struct error *e)
{
	/* No 0/O, 1/l/I: it is read aloud or copied from a screen. */
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
	if (!ready())
		return error_set(e, ERR_INTERNAL, "libsodium failed to start");
	for (int i = 0; i < 12; i++)
		out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	out[12] = 0;
	return ERR_OK;
}
