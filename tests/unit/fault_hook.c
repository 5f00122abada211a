/* SPDX-License-Identifier: MIT */
/*
 * The KMVAULT_FAULT hook (lib/store/io.c) in both builds: compiled with
 * KMV_FAULT_INJECTION (test builds) it arms a fault from the environment;
 * compiled as a Release build compiles it (tests/CMakeLists.txt builds
 * io.c once more with -UKMV_FAULT_INJECTION) the variable is ignored, so
 * no environment can make a real save fail.  t0003 checks that a Release
 * configuration turns KMV_FAULT_INJECTION off.
 */
#include "testutil.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/io.h"

static void test_fault_hook__env(void **state)
{
	int fds[2];
	ssize_t n;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	setenv("KMVAULT_FAULT", "write:ENOSPC:after=0", 1);
	kmv_io__reset();
	kmv_io__arm_from_env();
	errno = 0;
	n = kmv_io__hooks.write(fds[1], "x", 1);
#ifdef KMV_FAULT_INJECTION
	assert_int_equal(n, -1);
	assert_int_equal(errno, ENOSPC);
#else
	assert_int_equal(n, 1);
#endif
	setenv("KMVAULT_FAULT", "rename:EIO", 1);
	kmv_io__arm_from_env();
	errno = 0;
#ifdef KMV_FAULT_INJECTION
	assert_int_equal(kmv_io__hooks.rename("/nonexistent/a",
					      "/nonexistent/b"),
			 -1);
	assert_int_equal(errno, EIO);
#else
	assert_int_equal(kmv_io__hooks.rename("/nonexistent/a",
					      "/nonexistent/b"),
			 -1);
	assert_int_equal(errno, ENOENT); /* the real rename's answer */
#endif
	unsetenv("KMVAULT_FAULT");
	kmv_io__reset();
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fault_hook__env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
