/* identity.c: a denouncer's identity sealed with the key file: round trip,
 * another key refused plainly (ERR_CONFLICT), the file made 0600 with 32
 * bytes, the plaintext nowhere in the sealed text, a damaged box refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <sodium.h>
#include "voice/voice.h"
#include "base/banned.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/quantri-identity-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	static const char *const files[] = {"a/secret.key", "b.key"};
	char path[128];
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/a", dir);
	rmdir(path);
	rmdir(dir);
	return 0;
}

static const char plain[] =
	"{\"address\":\"Thôn 3, xã Tiên Tiến\",\"name\":\"Nguyễn Văn Tố\","
	"\"phone\":\"0912345678\"}";

static void test_round_trip_and_wrong_key(void **state)
{
	(void)state;
	struct arena a;
	struct error e = {0};
	arena_init(&a, 1 << 20);
	char ka[128], kb[128];
	snprintf(ka, sizeof ka, "%s/a/secret.key", dir);
	snprintf(kb, sizeof kb, "%s/b.key", dir);

	/* made on first use, in a directory made for it, mode 0600 */
	assert_int_equal(identity_use_key_file(ka, &e), ERR_OK);
	struct stat st;
	assert_int_not_equal(stat(ka, &st), 0); /* not yet used */
	char *box, *back;
	assert_int_equal(identity_seal(&a, plain, &box, &e), ERR_OK);
	assert_int_equal(stat(ka, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 32);
	assert_null(strstr(box, "Nguyễn"));
	assert_null(strstr(box, "0912345678"));
	assert_null(strstr(box, "Tiên Tiến"));
	assert_int_equal(identity_open(&a, box, &back, &e), ERR_OK);
	assert_string_equal(back, plain);
	/* nor the key, in base64 or hex */
	unsigned char key[32];
	FILE *kf = fopen(ka, "rb");
	assert_non_null(kf);
	assert_int_equal(fread(key, 1, sizeof key, kf), sizeof key);
	fclose(kf);
	char k64[64], khex[65];
	sodium_bin2base64(k64, sizeof k64, key, sizeof key,
			  sodium_base64_VARIANT_ORIGINAL);
	sodium_bin2hex(khex, sizeof khex, key, sizeof key);
	k64[16] = khex[16] = 0; /* any 12 bytes of it */
	assert_null(strstr(box, k64));
	assert_null(strstr(box, khex));

	/* two seals of the same text differ (a fresh nonce each) */
	char *box2;
	assert_int_equal(identity_seal(&a, plain, &box2, &e), ERR_OK);
	assert_string_not_equal(box, box2);

	/* another key: refused, said plainly */
	assert_int_equal(identity_use_key_file(kb, &e), ERR_OK);
	assert_int_equal(identity_open(&a, box, &back, &e), ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "another key"));
	assert_non_null(strstr(e.msg, kb));

	/* back to the first key: opens again (read, not remade) */
	assert_int_equal(identity_use_key_file(ka, &e), ERR_OK);
	assert_int_equal(identity_open(&a, box2, &back, &e), ERR_OK);
	assert_string_equal(back, plain);

	/* damaged */
	box[10] = box[10] == 'A' ? 'B' : 'A';
	assert_int_equal(identity_open(&a, box, &back, &e), ERR_CONFLICT);
	assert_int_equal(identity_open(&a, "not base64!", &back, &e),
			 ERR_INVALID);
	assert_int_equal(identity_open(&a, "", &back, &e), ERR_INVALID);
	arena_release(&a);
}

static void test_bad_key_file(void **state)
{
	(void)state;
	struct error e = {0};
	char path[128];
	snprintf(path, sizeof path, "%s/b.key", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("short", f);
	fclose(f);
	/* a key file of the wrong size is an error, never replaced */
	char other[128];
	snprintf(other, sizeof other, "%s/./b.key", dir);
	struct arena a;
	arena_init(&a, 1 << 20);
	char *box;
	assert_int_equal(identity_use_key_file(other, &e), ERR_OK);
	assert_int_equal(identity_seal(&a, plain, &box, &e), ERR_IO);
	assert_non_null(strstr(e.msg, "expected 32 bytes"));
	arena_release(&a);
	assert_int_equal(identity_use_key_file("", &e), ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_and_wrong_key),
		cmocka_unit_test(test_bad_key_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
