/* SPDX-License-Identifier: MIT */
/*
 * kmvault cron: print crontab lines for a nightly backup and a morning
 * reminder.  Nothing is installed: the user reviews the lines and adds
 * them with 'crontab -e'.  Paths are absolute (cron runs in $HOME with a
 * minimal PATH) and shell-quoted; '%' is escaped because cron turns it
 * into a newline.
 */
#include "cli.h"
#include "opt.h"

#include "kmv/backup.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Append `s` single-quoted for sh, with '%' escaped for cron. */
static int put_quoted(kmv_buf *b, const char *s)
{
	int error = kmv_buf_putc(b, '\'');

	for (; *s && error == 0; s++) {
		if (*s == '\'')
			error = kmv_buf_puts(b, "'\\''");
		else if (*s == '%')
			error = kmv_buf_puts(b, "'\\%'");
		else if (*s == '\n')
			error = KMV_EINPUT;
		else
			error = kmv_buf_putc(b, *s);
	}
	if (error == 0)
		error = kmv_buf_putc(b, '\'');
	return error;
}

/* An absolute version of `path` (made relative to the cwd if needed). */
static char *absolute(const char *path)
{
	kmv_buf b = KMV_BUF_INIT;
	char cwd[PATH_MAX];

	if (path[0] == '/')
		return strdup(path);
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	if (kmv_buf_printf(&b, "%s/%s", cwd, path) < 0) {
		kmv_buf_dispose(&b);
		return NULL;
	}
	return kmv_buf_detach(&b);
}

static bool have_crontab(void)
{
	const char *path = getenv("PATH");
	kmv_buf b = KMV_BUF_INIT;
	bool found = false;

	while (path && *path && !found) {
		const char *end = strchr(path, ':');
		size_t n = end ? (size_t)(end - path) : strlen(path);

		kmv_buf_clear(&b);
		if (n && kmv_buf_put(&b, path, n) == 0 &&
		    kmv_buf_puts(&b, "/crontab") == 0)
			found = access(b.ptr, X_OK) == 0;
		path = end ? end + 1 : NULL;
	}
	kmv_buf_dispose(&b);
	return found;
}

int cmd_cron(int argc, char **argv, cli_state *cli)
{
	kmv_buf out = KMV_BUF_INIT, exe_q = KMV_BUF_INIT;
	char exe[PATH_MAX];
	char *vault = NULL, *dir = NULL, *pass = NULL;
	const char *to = NULL, *vpath, *env;
	struct stat st;
	ssize_t n;
	int c, ret = KMV_EXIT_OK;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 't': to = optarg; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind < argc)
		return cli_error_extra_arg(argv[optind]);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return cli_error("cannot find the kmvault binary: %s",
				 strerror(errno));
	exe[n] = '\0';
	if (!(vpath = cli_vault_path(cli)))
		return KMV_EXIT_ERROR;
	vault = absolute(vpath);
	if (to) {
		/* A remote target is not a path: it is passed on as given. */
		dir = kmv_backup_is_remote(to) ? strdup(to) : absolute(to);
	} else if (vault) {
		kmv_buf d = KMV_BUF_INIT;
		const char *slash = strrchr(vault, '/');

		if (kmv_buf_put(&d, vault, (size_t)(slash - vault)) == 0 &&
		    kmv_buf_puts(&d, "/backups") == 0)
			dir = kmv_buf_detach(&d);
		kmv_buf_dispose(&d);
	}
	env = getenv("KMVAULT_PASSPHRASE_FILE");
	if (cli->passphrase_file)
		pass = absolute(cli->passphrase_file);
	else if (env && *env)
		pass = absolute(env);
	else
		pass = cli_config_path("passphrase");
	if (!vault || !dir || !pass) {
		ret = cli_error("cannot work out absolute paths (set HOME)");
		goto done;
	}
	if (put_quoted(&exe_q, exe) < 0 || put_quoted(&exe_q, "") < 0) {
		ret = cli_error("path contains a newline");
		goto done;
	}
	kmv_buf_truncate(&exe_q, exe_q.size - 2);

	/* The comment is read by the person who pastes the lines: their
	 * language (crontab files are UTF-8 text like any other). */
	kmv_buf_puts(
		&out,
		_("# kmvault: nightly encrypted backup (no passphrase needed; keeps 7 daily,\n"
		  "# 4 weekly, 12 monthly) and a morning reminder (reads the passphrase file,\n"
		  "# which must exist with mode 0600).  cron mails any output; --quiet keeps\n"
		  "# both silent unless something fails or is due.  Add with 'crontab -e'.\n"));
	kmv_buf_printf(&out, "30 2 * * * %s --vault ", exe_q.ptr);
	ret = put_quoted(&out, vault);
	kmv_buf_puts(&out, " --quiet backup create --to ");
	ret |= put_quoted(&out, dir);
	kmv_buf_puts(&out,
		     " --keep-daily 7 --keep-weekly 4 --keep-monthly 12\n");
	kmv_buf_puts(&out, "30 8 * * * KMVAULT_PASSPHRASE_FILE=");
	ret |= put_quoted(&out, pass);
	kmv_buf_printf(&out, " %s --vault ", exe_q.ptr);
	ret |= put_quoted(&out, vault);
	kmv_buf_puts(&out, " --quiet remind --days 7\n");
	if (ret != 0) {
		ret = cli_error(
			"a path contains a newline; cron cannot run it");
		goto done;
	}
	cli_write(&out);
	if (stat(pass, &st) < 0)
		cli_note(cli,
			 "note: create the passphrase file '%s' (mode 0600) "
			 "for the reminder job",
			 pass);
	else if (st.st_mode & 077)
		cli_warn("passphrase file '%s' is readable by others: chmod 600 "
			 "it",
			 pass);
	if (!have_crontab())
		cli_note(cli,
			 "note: no 'crontab' command found; install a cron "
			 "daemon to use these lines");
done:
	kmv_buf_dispose(&out);
	kmv_buf_dispose(&exe_q);
	free(vault);
	free(dir);
	free(pass);
	return ret;
}
