/* SPDX-License-Identifier: MIT */
/*
 * kmv_no_keyring CMD [ARG...]: run CMD as on a kernel built without
 * keyrings (CONFIG_KEYS=n) or in a container whose seccomp profile blocks
 * them: add_key, request_key and keyctl fail with ENOSYS.  The unlock
 * tests use it for "keyring unavailable: fall back to the passphrase".
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static const char *const calls[] = { "add_key", "request_key",
					     "keyctl" };
	scmp_filter_ctx ctx;
	int rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: kmv_no_keyring CMD [ARG...]\n");
		return 2;
	}
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return 1;
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]) && rc == 0; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
				      seccomp_syscall_resolve_name(calls[i]),
				      0);
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc != 0) {
		fprintf(stderr, "kmv_no_keyring: seccomp: %s\n", strerror(-rc));
		return 1;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "kmv_no_keyring: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
