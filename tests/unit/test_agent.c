/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the unlock agent (lib/store/agent.c): the key in the
 * kernel keyring, its timeout, revocation, binding to one vault and its
 * keyslots, and an unavailable keyring.  The whole test runs in its own
 * anonymous session keyring, so nothing reaches the user's; without a
 * usable keyring every test is skipped (and says so).
 */
#include "testutil.h"

#include <errno.h>
#include <keyutils.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef KMV_HAVE_SECCOMP
#include <seccomp.h>
#endif

#include "kmv/agent.h"
#include "kmv/init.h"
#include "kmv/vault.h"
#include "store/vault.h"

static bool keyring_usable;

struct fixture {
	char *dir;
	char a[4200], b[4200];
	kmv_secret *pass;
};

static int make_vault(const char *path, const kmv_secret *pass)
{
	kmv_vault_create_options o = KMV_VAULT_CREATE_OPTIONS_INIT;
	char recovery[KMV_RECOVERY_KEY_BUFSZ];

	o.kdf = KMV_KDF_INTERACTIVE;
	return kmv_vault_create(recovery, path, pass, &o);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->dir = kmv_test_tmpdir();
	snprintf(f->a, sizeof(f->a), "%s/a.kmv", f->dir);
	snprintf(f->b, sizeof(f->b), "%s/b.kmv", f->dir);
	kmv_secret_new(&f->pass, "pw", 2);
	if (make_vault(f->a, f->pass) != 0 || make_vault(f->b, f->pass) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	kmv_agent_forget(NULL, NULL);
	kmv_secret_free(f->pass);
	kmv_test_rmdir(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void need_keyring(void)
{
	if (!keyring_usable) {
		fprintf(stderr, "no usable kernel keyring here: skipped\n");
		skip();
	}
}

/* Unlock `path` with the passphrase; the key id comes back. */
static int32_t unlock(const char *path, const kmv_secret *pass, unsigned secs)
{
	kmv_vault *v = NULL;
	kmv_agent_info info;

	assert_int_equal(kmv_vault_open(&v, path, KMV_UNLOCK_PASSPHRASE, pass,
					NULL),
			 0);
	assert_int_equal(kmv_agent_store(v, secs, &info), 0);
	assert_int_equal(info.timeout_seconds, secs);
	kmv_vault_free(v);
	return info.key_id;
}

static kmv_agent_status fetch(const char *path, kmv_secret **key)
{
	kmv_agent_status status = KMV_AGENT_FOUND;
	kmv_secret *dummy = NULL;

	assert_int_equal(kmv_agent_fetch(key ? key : &dummy, &status, path), 0);
	kmv_secret_free(dummy);
	return status;
}

static void test_agent__unlocked_key_opens_without_passphrase(void **state)
{
	struct fixture *f = *state;
	kmv_vault_open_options o = KMV_VAULT_OPEN_OPTIONS_INIT;
	kmv_secret *key = NULL;
	kmv_vault *v = NULL;
	int32_t id;

	need_keyring();
	assert_int_equal(fetch(f->a, NULL), KMV_AGENT_ABSENT);
	id = unlock(f->a, f->pass, 600);
	/* Possessor-only: no user, group or other permission bits. */
	{
		char *desc = NULL;
		unsigned long perm;

		assert_true(keyctl_describe_alloc(id, &desc) > 0);
		perm = strtoul(strchr(strchr(strchr(desc, ';') + 1, ';') + 1,
				      ';') +
				       1,
			       NULL, 16);
		assert_int_equal(perm & 0x00ffffffUL, 0);
		assert_true(strstr(desc, "kmvault:") != NULL);
		free(desc);
	}
	assert_int_equal(fetch(f->a, &key), KMV_AGENT_FOUND);
	o.write = true;
	assert_int_equal(kmv_vault_open(&v, f->a, KMV_UNLOCK_AGENT, key, &o),
			 0);
	/* A save changes the generation, not the binding: still unlocked. */
	assert_int_equal(kmv_audit_append(v, "test", NULL), 0);
	assert_int_equal(kmv_vault_save(v), 0);
	kmv_vault_free(v);
	kmv_secret_free(key);
	assert_int_equal(fetch(f->a, NULL), KMV_AGENT_FOUND);
	/* The other vault was never unlocked. */
	assert_int_equal(fetch(f->b, NULL), KMV_AGENT_ABSENT);
}

static void test_agent__lock_forgets(void **state)
{
	struct fixture *f = *state;
	unsigned int n = 0;

	need_keyring();
	unlock(f->a, f->pass, 600);
	unlock(f->b, f->pass, 600);
	assert_int_equal(kmv_agent_forget(f->a, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(fetch(f->a, NULL), KMV_AGENT_ABSENT);
	assert_int_equal(fetch(f->b, NULL), KMV_AGENT_FOUND);
	assert_int_equal(kmv_agent_forget(NULL, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(fetch(f->b, NULL), KMV_AGENT_ABSENT);
	/* Nothing left to forget is not an error. */
	assert_int_equal(kmv_agent_forget(f->a, &n), 0);
	assert_int_equal(n, 0);
}

static void test_agent__expires(void **state)
{
	struct fixture *f = *state;
	kmv_agent_status st;

	need_keyring();
	unlock(f->a, f->pass, 1);
	sleep(2);
	st = fetch(f->a, NULL);
	/* The kernel reports it expired until its garbage collector runs. */
	assert_true(st == KMV_AGENT_EXPIRED || st == KMV_AGENT_ABSENT);
}

static void test_agent__passwd_unbinds_the_key(void **state)
{
	struct fixture *f = *state;
	kmv_vault_open_options o = KMV_VAULT_OPEN_OPTIONS_INIT;
	kmv_secret *key = NULL, *fresh = NULL;
	kmv_vault *v = NULL;

	need_keyring();
	unlock(f->a, f->pass, 600);
	assert_int_equal(fetch(f->a, &key), KMV_AGENT_FOUND);
	o.write = true;
	assert_int_equal(kmv_vault_open(&v, f->a, KMV_UNLOCK_PASSPHRASE,
					f->pass, &o),
			 0);
	kmv_secret_new(&fresh, "new", 3);
	assert_int_equal(kmv_vault_passwd(v, fresh), 0);
	kmv_vault_free(v);
	kmv_secret_free(fresh);
	/* Without any revocation the old unlock no longer names this vault... */
	assert_int_equal(fetch(f->a, NULL), KMV_AGENT_ABSENT);
	/* ...and a key fetched before the change is refused by the open. */
	assert_int_equal(kmv_vault_open(&v, f->a, KMV_UNLOCK_AGENT, key, NULL),
			 KMV_EAUTH);
	assert_null(v);
	kmv_secret_free(key);
}

static void test_agent__another_vaults_key_is_refused(void **state)
{
	struct fixture *f = *state;
	char payload[128];
	long n;
	int32_t ida, idb;

	need_keyring();
	ida = unlock(f->a, f->pass, 600);
	idb = unlock(f->b, f->pass, 600);
	/* Put vault a's key under vault b's name (a confused or hostile writer). */
	n = keyctl_read(ida, payload, sizeof(payload));
	assert_true(n > 0);
	assert_int_equal(keyctl_update(idb, payload, (size_t)n), 0);
	assert_int_equal(fetch(f->b, NULL), KMV_AGENT_INVALID);
	/* The bad key is dropped, a's stays. */
	assert_int_equal(fetch(f->b, NULL), KMV_AGENT_ABSENT);
	assert_int_equal(fetch(f->a, NULL), KMV_AGENT_FOUND);
	/* Garbage of the wrong length is refused too. */
	idb = unlock(f->b, f->pass, 600);
	assert_int_equal(keyctl_update(idb, "short", 5), 0);
	assert_int_equal(fetch(f->b, NULL), KMV_AGENT_INVALID);
	sodium_memzero(payload, sizeof(payload));
}

static void test_agent__unavailable_keyring(void **state)
{
#ifdef KMV_HAVE_SECCOMP
	struct fixture *f = *state;
	pid_t pid;
	int status = -1;

	/* In a child: the filter cannot be undone. */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
		kmv_vault *v = NULL;
		kmv_agent_status st = KMV_AGENT_FOUND;
		kmv_secret *key = NULL;
		unsigned int n = 7;

		seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
				 seccomp_syscall_resolve_name("keyctl"), 0);
		seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
				 seccomp_syscall_resolve_name("add_key"), 0);
		if (seccomp_load(ctx) != 0)
			_exit(10);
		if (kmv_agent_fetch(&key, &st, f->a) != 0 ||
		    st != KMV_AGENT_UNAVAILABLE || key)
			_exit(11);
		if (!strstr(kmv_error_last(), "keyring is unavailable"))
			_exit(12);
		if (kmv_vault_open(&v, f->a, KMV_UNLOCK_PASSPHRASE, f->pass,
				   NULL) != 0)
			_exit(13);
		if (kmv_agent_store(v, 60, NULL) != KMV_ERROR)
			_exit(14);
		kmv_vault_free(v);
		if (kmv_agent_forget(f->a, &n) != 0 || n != 0)
			_exit(15);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
#else
	(void)state;
	fprintf(stderr, "built without libseccomp: skipped\n");
	skip();
#endif
}

static void test_agent__timeout_parse(void **state)
{
	unsigned int s = 0;

	(void)state;
	assert_int_equal(kmv_agent_parse_timeout(&s, "15m"), 0);
	assert_int_equal(s, 900);
	assert_int_equal(kmv_agent_parse_timeout(&s, "90"), 0);
	assert_int_equal(s, 90);
	assert_int_equal(kmv_agent_parse_timeout(&s, "1h30m"), 0);
	assert_int_equal(s, 5400);
	assert_int_equal(kmv_agent_parse_timeout(&s, "24h"), 0);
	assert_int_equal(s, 86400);
	assert_int_equal(kmv_agent_parse_timeout(&s, "25h"), KMV_EUSAGE);
	assert_int_equal(kmv_agent_parse_timeout(&s, "0"), KMV_EUSAGE);
	assert_int_equal(kmv_agent_parse_timeout(&s, ""), KMV_EUSAGE);
	assert_int_equal(kmv_agent_parse_timeout(&s, "m"), KMV_EUSAGE);
	assert_int_equal(kmv_agent_parse_timeout(&s, "5x"), KMV_EUSAGE);
	assert_int_equal(kmv_agent_parse_timeout(&s, "99999999999999999999"),
			 KMV_EUSAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_agent__unlocked_key_opens_without_passphrase,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_agent__lock_forgets, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_agent__expires, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_agent__passwd_unbinds_the_key, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_agent__another_vaults_key_is_refused, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_agent__unavailable_keyring,
						setup, teardown),
		cmocka_unit_test(test_agent__timeout_parse),
	};

	kmv_global_init();
	/* A private session keyring: the test never touches the user's. */
	keyring_usable = keyctl_join_session_keyring(NULL) >= 0;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
