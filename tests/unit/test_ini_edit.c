/* SPDX-License-Identifier: MIT */
/* kmv_ini_set (kmvutil/ini.h): one key changed, every other line kept. */
#include "testutil.h"

#include <string.h>

#include "kmvutil/ini.h"

static void expect_set(const char *text, const char *section, const char *name,
		       const char *value, const char *want)
{
	kmv_buf out = KMV_BUF_INIT;

	assert_int_equal(kmv_ini_set(&out, text, strlen(text), section, name,
				     value),
			 0);
	assert_string_equal(out.ptr ? out.ptr : "", want);
	kmv_buf_dispose(&out);
}

static void test_ini__replace_keeps_comments_and_order(void **state)
{
	(void)state;
	expect_set("# my kmvault settings\n"
		   "[vault]\n"
		   "; where it lives\n"
		   "path = /old/vault.kmv\n"
		   "kdf=moderate\n"
		   "\n"
		   "[backup]\n"
		   "dir = /mnt/usb ; the stick\n",
		   "vault", "path", "/new/vault.kmv",
		   "# my kmvault settings\n"
		   "[vault]\n"
		   "; where it lives\n"
		   "path = /new/vault.kmv\n"
		   "kdf=moderate\n"
		   "\n"
		   "[backup]\n"
		   "dir = /mnt/usb ; the stick\n");
	/* the inline comment stays, ':' works as libinih reads it */
	expect_set("[backup]\ndir: /mnt/usb ; the stick\r\n", "backup", "dir",
		   "/mnt/disk", "[backup]\ndir = /mnt/disk ; the stick\r\n");
	/* a key of the same name in another section is not touched */
	expect_set("[a]\nx = 1\n[b]\nx = 2\n", "b", "x", "3",
		   "[a]\nx = 1\n[b]\nx = 3\n");
	/* continuation lines of the old value go; others stay */
	expect_set("[a]\nx = 1\n  more\ny = 2\n", "a", "x", "9",
		   "[a]\nx = 9\ny = 2\n");
	/* the last line without a newline */
	expect_set("[a]\nx = 1", "a", "x", "2", "[a]\nx = 2\n");
}

static void test_ini__add_key_and_section(void **state)
{
	(void)state;
	/* after the section's last key, before the blank line and the next */
	expect_set("[vault]\npath = /v\n\n# backups\n[backup]\ndir = /b\n",
		   "vault", "kdf", "sensitive",
		   "[vault]\npath = /v\nkdf = sensitive\n\n# backups\n[backup]\n"
		   "dir = /b\n");
	expect_set("[vault]", "vault", "kdf", "sensitive",
		   "[vault]\nkdf = sensitive\n");
	/* a new section at the end */
	expect_set(
		"# mine\n[vault]\npath = /v", "ledger", "alipay",
		"Assets:Alipay",
		"# mine\n[vault]\npath = /v\n\n[ledger]\nalipay = Assets:Alipay\n");
	expect_set("", "vault", "path", "/v", "[vault]\npath = /v\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ini__replace_keeps_comments_and_order),
		cmocka_unit_test(test_ini__add_key_and_section),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
