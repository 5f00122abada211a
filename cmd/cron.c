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

/* The absolute paths the lines name; each free()d by the caller. */
struct cron_paths {
	char *vault;
	char *dir; /* the backup target: a folder or a remote */
	char *pass;
};

/* Work out the vault, the backup target (--to, else backups/ beside the
 * vault) and the passphrase file the reminder reads. */
static int find_paths(struct cron_paths *p, cli_state *cli, const char *to)
{
	const char *vpath, *env;

	if (!(vpath = cli_vault_path(cli)))
		return KMV_EXIT_ERROR;
	p->vault = absolute(vpath);
	if (to) {
		/* A remote target is not a path: it is passed on as given. */
		p->dir = kmv_backup_is_remote(to) ? strdup(to) : absolute(to);
	} else if (p->vault) {
		kmv_buf d = KMV_BUF_INIT;
		size_t len = (size_t)(strrchr(p->vault, '/') - p->vault);

		if (kmv_buf_put(&d, p->vault, len) == 0 &&
		    kmv_buf_puts(&d, "/backups") == 0)
			p->dir = kmv_buf_detach(&d);
		kmv_buf_dispose(&d);
	}
	env = getenv("KMVAULT_PASSPHRASE_FILE");
	if (cli->passphrase_file)
		p->pass = absolute(cli->passphrase_file);
	else if (env && *env)
		p->pass = absolute(env);
	else
		p->pass = cli_config_path("passphrase");
	if (!p->vault || !p->dir || !p->pass)
		return cli_error("cannot work out absolute paths (set HOME)");
	return KMV_EXIT_OK;
}

/* The binary's path, quoted for sh and cron. */
static int quote_exe(kmv_buf *exe_q, const char *exe)
{
	if (put_quoted(exe_q, exe) < 0 || put_quoted(exe_q, "") < 0)
		return cli_error("path contains a newline");
	kmv_buf_truncate(exe_q, exe_q->size - 2);
	return KMV_EXIT_OK;
}

/* The comment and the two crontab lines. */
static int put_lines(kmv_buf *out, const char *exe_q,
		     const struct cron_paths *p)
{
	int error;

	/* The comment is read by the person who pastes the lines: their
	 * language (crontab files are UTF-8 text like any other). */
	kmv_buf_puts(
		out,
		_("# kmvault: nightly encrypted backup (no passphrase needed; keeps 7 daily,\n"
		  "# 4 weekly, 12 monthly) and a morning reminder (reads the passphrase file,\n"
		  "# which must exist with mode 0600).  cron mails any output; --quiet keeps\n"
		  "# both silent unless something fails or is due.  Add with 'crontab -e'.\n"));
	kmv_buf_printf(out, "30 2 * * * %s --vault ", exe_q);
	error = put_quoted(out, p->vault);
	kmv_buf_puts(out, " --quiet backup create --to ");
	error |= put_quoted(out, p->dir);
	kmv_buf_puts(out,
		     " --keep-daily 7 --keep-weekly 4 --keep-monthly 12\n");
	kmv_buf_puts(out, "30 8 * * * KMVAULT_PASSPHRASE_FILE=");
	error |= put_quoted(out, p->pass);
	kmv_buf_printf(out, " %s --vault ", exe_q);
	error |= put_quoted(out, p->vault);
	kmv_buf_puts(out, " --quiet remind --days 7\n");
	if (error != 0)
		return cli_error(
			"a path contains a newline; cron cannot run it");
	return KMV_EXIT_OK;
}

/* What the lines need that is not there yet: notes on stderr. */
static void check_setup(cli_state *cli, const char *pass)
{
	struct stat st;

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
}

int cmd_cron(int argc, char **argv, cli_state *cli)
{
	kmv_buf out = KMV_BUF_INIT, exe_q = KMV_BUF_INIT;
	struct cron_paths paths = { NULL, NULL, NULL };
	char exe[PATH_MAX];
	const char *to = NULL;
	int c, ret;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 't': to = optarg; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind < argc)
		return cli_error_extra_arg(argv[optind]);
	if ((ret = cli_self_path(exe, sizeof(exe))) != 0)
		return ret;
	ret = find_paths(&paths, cli, to);
	if (ret != KMV_EXIT_OK)
		goto done;
	ret = quote_exe(&exe_q, exe);
	if (ret != KMV_EXIT_OK)
		goto done;
	ret = put_lines(&out, exe_q.ptr, &paths);
	if (ret != KMV_EXIT_OK)
		goto done;
	cli_write(&out);
	check_setup(cli, paths.pass);
done:
	kmv_buf_dispose(&out);
	kmv_buf_dispose(&exe_q);
	free(paths.vault);
	free(paths.dir);
	free(paths.pass);
	return ret;
}
