/* SPDX-License-Identifier: MIT */
#include "cli.h"
#include "opt.h"

#include <errno.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <pwd.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <zxcvbn.h>

#include "kmv/agent.h"
#include "kmv/i18n.h"
#include "kmv/match.h"
#include "kmv/resolve.h"
#include "kmvutil/text.h"

#define MAX_SECRET 4096

/*
 * The one definition of what input may not put on a terminal: the length
 * of the C0 control, DEL or C1 control (U+0080..U+009F in UTF-8) at `p`,
 * 0 for anything else.  Newline and tab count only when `one_line`.
 */
static size_t control_at(const unsigned char *p, bool one_line)
{
	if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
		return 2;
	if (*p == '\n' || *p == '\t')
		return one_line ? 1 : 0;
	return *p < 0x20 || *p == 0x7F ? 1 : 0;
}

void cli_put_clean(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = control_at(p, false);

		fputc(n ? '?' : *p, out);
		p += n ? n : 1;
	}
}

char *cli_clean_cell(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	char *out = malloc(strlen((const char *)p) + 1), *o = out;

	if (!out)
		return NULL;
	while (*p) {
		size_t n = control_at(p, true);

		/* A line break or tab in a cell would break the table. */
		*o++ = !n                                       ? (char)*p
		       : *p == '\n' || *p == '\t' || *p == '\r' ? ' '
								: '?';
		p += n ? n : 1;
	}
	*o = '\0';
	return out;
}

void cli_printf(const char *fmt, ...)
{
	char *text = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0 || !text)
		return;
	cli_put_clean(stdout, text);
	free(text);
}

/*
 * Messages quote file names, CSV headers, ZIP member names: anything in
 * them could be a terminal escape sequence, so C0 and C1 controls (other
 * than newline and tab) are shown as '?'.
 */
__attribute__((format(printf, 1, 0))) static void vclean(const char *fmt,
							 va_list ap)
{
	char *text = NULL;

	if (vasprintf(&text, fmt, ap) < 0 || !text) {
		fputs(fmt, stderr);
		return;
	}
	cli_put_clean(stderr, text);
	free(text);
}

__attribute__((format(printf, 1, 0))) static void vmessage(const char *fmt,
							   va_list ap)
{
	fputs("kmvault: ", stderr);
	vclean(_(fmt), ap);
	fputc('\n', stderr);
}

int cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	return KMV_EXIT_ERROR;
}

int cli_error_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	return KMV_EXIT_USAGE;
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("kmvault: ", stderr);
	fputs(_("warning: "), stderr);
	vclean(_(fmt), ap);
	fputc('\n', stderr);
	va_end(ap);
}

void cli_note(cli_state *cli, const char *fmt, ...)
{
	va_list ap;

	if (cli && cli->quiet)
		return;
	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

int cli_exit_code(int code)
{
	switch (code) {
	case KMV_OK: return KMV_EXIT_OK;
	case KMV_EAUTH: return KMV_EXIT_AUTH;
	case KMV_ECORRUPT: return KMV_EXIT_CORRUPT;
	case KMV_ELOCKED: return KMV_EXIT_LOCKED;
	case KMV_EINPUT: return KMV_EXIT_INPUT;
	case KMV_ENOTFOUND: return KMV_EXIT_NOTFOUND;
	case KMV_EUSAGE: return KMV_EXIT_USAGE;
	default: return KMV_EXIT_ERROR;
	}
}

char *cli_config_path(const char *name)
{
	kmv_buf b = KMV_BUF_INIT;
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int error;

	if (xdg && *xdg == '/')
		error = kmv_buf_printf(&b, "%s/kmvault/%s", xdg, name);
	else if (home && *home)
		error = kmv_buf_printf(&b, "%s/.config/kmvault/%s", home, name);
	else
		return NULL;
	if (error < 0) {
		kmv_buf_dispose(&b);
		return NULL;
	}
	return kmv_buf_detach(&b);
}

int cli_resolve_record_flags(int64_t *id, kmv_vault *vault, const char *text,
			     unsigned flags)
{
	int error = kmv_record_resolve(vault, text, flags, id);

	if (error == KMV_EAMBIGUOUS) {
		cli_error("%s", kmv_error_last());
		return KMV_EXIT_USAGE;
	}
	return error < 0 ? cli_error_lib(error) : KMV_EXIT_OK;
}

int cli_resolve_record(int64_t *id, kmv_vault *vault, const char *text)
{
	return cli_resolve_record_flags(id, vault, text, 0);
}

const char *cli_user(void)
{
	const struct passwd *pw = getpwuid(geteuid());

	return pw && pw->pw_name ? pw->pw_name : "unknown";
}

int cli_error_lib(int code)
{
	const char *msg = kmv_error_last();

	fputs("kmvault: ", stderr);
	cli_put_clean(stderr, *msg ? msg : kmv_strerror(code));
	fputc('\n', stderr);
	return cli_exit_code(code);
}

int cli_error_os(const char *path)
{
	return cli_error(_("cannot access '%s': %s"), path, strerror(errno));
}

const char *cli_vault_path(cli_state *cli)
{
	if (cli->vault_path)
		return cli->vault_path;
	const char *env = getenv("KMVAULT_VAULT");
	const char *conf = cli_config_get("vault.path");
	const char *home = getenv("HOME");

	/* --vault, then $KMVAULT_VAULT, then the config file, then XDG */
	if (cli->vault_opt)
		cli->vault_path = strdup(cli->vault_opt);
	else if ((!env || !*env) && conf && strncmp(conf, "~/", 2) == 0 &&
		 home) {
		kmv_buf p = KMV_BUF_INIT;

		if (kmv_buf_printf(&p, "%s/%s", home, conf + 2) == 0)
			cli->vault_path = kmv_buf_detach(&p);
		kmv_buf_dispose(&p);
	} else if ((!env || !*env) && conf)
		cli->vault_path = strdup(conf);
	else
		cli->vault_path = kmv_vault_default_path();
	if (!cli->vault_path)
		cli_error_lib(KMV_ERROR);
	return cli->vault_path;
}

/* ---- secrets --------------------------------------------------------- */

/* Read up to the first newline from fd into guarded memory. */
static int read_line_fd(kmv_secret **out, int fd, const char *what)
{
	unsigned char *buf = sodium_malloc(MAX_SECRET);
	size_t n = 0;
	int ret = KMV_EXIT_OK;

	if (!buf)
		return cli_error("out of memory");
	while (n < MAX_SECRET) {
		ssize_t r = read(fd, buf + n, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = cli_error("cannot read %s: %s", _(what),
					strerror(errno));
			goto done;
		}
		if (r == 0 || buf[n] == '\n')
			break;
		n++;
	}
	while (n > 0 && (buf[n - 1] == '\r' || buf[n - 1] == '\n'))
		n--;
	if (kmv_secret_new(out, buf, n) < 0)
		ret = cli_error_lib(KMV_ERROR);
done:
	sodium_free(buf);
	return ret;
}

int cli_secret_from_file(kmv_secret **out, const char *path, const char *what)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;
	struct stat st;

	if (fd < 0)
		return cli_error("cannot read %s file '%s': %s", _(what), path,
				 strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077))
		cli_warn("%s file '%s' can be read by other users (mode %04o): "
			 "chmod 600 it",
			 _(what), path, (unsigned)(st.st_mode & 07777));
	ret = read_line_fd(out, fd, what);
	close(fd);
	if (ret == 0 && kmv_secret_len(*out) == 0) {
		kmv_secret_free(*out);
		*out = NULL;
		return cli_error_usage("%s file '%s' is empty", _(what), path);
	}
	return ret;
}

static int secret_from_command(kmv_secret **out, const char *command)
{
	int pipefd[2], status, ret;
	pid_t pid;

	if (pipe(pipefd) < 0)
		return cli_error("cannot run passphrase command: %s",
				 strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return cli_error("cannot run passphrase command: %s",
				 strerror(errno));
	}
	if (pid == 0) {
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		close(pipefd[1]);
		/* The command and its children never see a passphrase. */
		unsetenv("KMVAULT_PASSPHRASE");
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	ret = read_line_fd(out, pipefd[0], N_("passphrase command output"));
	/* Drain the rest so the child does not die of SIGPIPE mid-write. */
	{
		char sink[512];

		while (read(pipefd[0], sink, sizeof(sink)) > 0)
			;
	}
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (ret == 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
		kmv_secret_free(*out);
		*out = NULL;
		return cli_error("KMVAULT_PASSPHRASE_COMMAND failed (exit %d)",
				 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	if (ret == 0 && kmv_secret_len(*out) == 0) {
		kmv_secret_free(*out);
		*out = NULL;
		return cli_error("KMVAULT_PASSPHRASE_COMMAND printed nothing");
	}
	return ret;
}

int cli_prompt_secret(kmv_secret **out, const char *prompt)
{
	struct termios old, quiet;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC), ret;

	if (fd < 0 || !isatty(fd)) {
		if (fd >= 0)
			close(fd);
		return cli_error_usage(
			"no passphrase source and no terminal to ask on: use "
			"--passphrase-file F, KMVAULT_PASSPHRASE_FILE, "
			"KMVAULT_PASSPHRASE_COMMAND or KMVAULT_PASSPHRASE");
	}
	/* Echo off (typeahead dropped) before the prompt: what is typed
	 * once the prompt shows is kept. */
	tcgetattr(fd, &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	tcsetattr(fd, TCSAFLUSH, &quiet);
	if (write(fd, prompt, strlen(prompt)) < 0) {
		/* the prompt is cosmetic */
	}
	ret = read_line_fd(out, fd, N_("passphrase"));
	tcsetattr(fd, TCSAFLUSH, &old);
	close(fd);
	return ret;
}

/*
 * A new passphrase must be worth at least 10^10 guesses to zxcvbn (its
 * top score): the vault file can be attacked offline, Argon2id only slows
 * each guess down.  --weak-passphrase keeps a weaker one.
 */
#define MIN_PASSPHRASE_BITS 33.2
#define NEW_SECRET_TRIES 3

static bool too_weak(cli_state *cli, const kmv_secret *s, double *bits)
{
	*bits = ZxcvbnMatch((const char *)kmv_secret_data(s), NULL, NULL);
	return !cli->weak_passphrase && *bits < MIN_PASSPHRASE_BITS;
}

/* A new passphrase from a file or the environment: no one to ask again. */
static int check_new_secret(cli_state *cli, kmv_secret **out, int ret)
{
	double bits;

	if (ret != 0 || kmv_secret_len(*out) == 0 ||
	    !too_weak(cli, *out, &bits))
		return ret;
	kmv_secret_free(*out);
	*out = NULL;
	return cli_error_usage(
		_("the new passphrase is too easy to guess (about "
		  "%.0f bits, %.0f wanted): use four or more "
		  "unrelated words, or --weak-passphrase to keep it"),
		bits, MIN_PASSPHRASE_BITS);
}

/*
 * Ask for a new passphrase on the terminal: too weak or mistyped, explain
 * and ask again, NEW_SECRET_TRIES times.
 */
static int prompt_new_secret(cli_state *cli, kmv_secret **out,
			     const char *first, const char *repeat)
{
	for (int attempt = 1; attempt <= NEW_SECRET_TRIES; attempt++) {
		kmv_secret *again = NULL;
		double bits;
		int ret = cli_prompt_secret(out, first);

		if (ret != 0)
			return ret;
		if (kmv_secret_len(*out) == 0) {
			cli_warn(_("the passphrase must not be empty"));
		} else if (too_weak(cli, *out, &bits)) {
			cli_warn(
				_("this passphrase is too easy to guess (about %.0f "
				  "bits, %.0f wanted): use four or more unrelated "
				  "words (or --weak-passphrase to keep a weak one)"),
				bits, MIN_PASSPHRASE_BITS);
		} else {
			ret = cli_prompt_secret(&again, repeat);
			if (ret == 0 && kmv_secret_equal(*out, again)) {
				kmv_secret_free(again);
				return KMV_EXIT_OK;
			}
			kmv_secret_free(again);
			if (ret != 0) {
				kmv_secret_free(*out);
				*out = NULL;
				return ret;
			}
			cli_warn(_("the passphrases do not match"));
		}
		kmv_secret_free(*out);
		*out = NULL;
		if (attempt < NEW_SECRET_TRIES)
			fputs(_("Try again.\n"), stderr);
	}
	return cli_error_usage(_("no new passphrase after %d tries"),
			       NEW_SECRET_TRIES);
}

int cli_passphrase(cli_state *cli, kmv_secret **out, bool confirm)
{
	const char *file = cli->passphrase_file;
	const char *env;

	*out = NULL;
	if (!file) {
		env = getenv("KMVAULT_PASSPHRASE_FILE");
		if (env && *env)
			file = env;
	}
	if (file)
		return confirm ? check_new_secret(
					 cli, out,
					 cli_secret_from_file(out, file,
							      N_("passphrase")))
			       : cli_secret_from_file(out, file,
						      N_("passphrase"));
	env = getenv("KMVAULT_PASSPHRASE_COMMAND");
	if (env && *env)
		return confirm ? check_new_secret(cli, out,
						  secret_from_command(out, env))
			       : secret_from_command(out, env);
	env = getenv("KMVAULT_PASSPHRASE");
	if (env && *env) {
		if (strlen(env) >= MAX_SECRET)
			return cli_error_usage(
				"KMVAULT_PASSPHRASE is longer than %d "
				"bytes (the limit for every passphrase "
				"source)",
				MAX_SECRET - 1);
		if (kmv_secret_new(out, env, strlen(env)) < 0)
			return cli_error_lib(KMV_ERROR);
		return confirm ? check_new_secret(cli, out, KMV_EXIT_OK)
			       : KMV_EXIT_OK;
	}
	if (confirm)
		return prompt_new_secret(cli, out, "New vault passphrase: ",
					 "Repeat passphrase: ");
	return cli_prompt_secret(out, "Vault passphrase: ");
}

int cli_new_passphrase(cli_state *cli, kmv_secret **out)
{
	const char *file = cli->new_passphrase_file;

	*out = NULL;
	if (!file) {
		const char *env = getenv("KMVAULT_NEW_PASSPHRASE_FILE");

		if (env && *env)
			file = env;
	}
	if (file)
		return check_new_secret(
			cli, out,
			cli_secret_from_file(out, file, N_("new passphrase")));
	return prompt_new_secret(cli, out,
				 "New passphrase: ", "Repeat new passphrase: ");
}

int cli_prompt_line(char *buf, size_t size, const char *prompt)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	size_t n = 0;

	if (fd < 0)
		return cli_error_usage("no terminal to ask on");
	if (write(fd, prompt, strlen(prompt)) < 0) {
		/* the prompt is cosmetic */
	}
	while (n + 1 < size) {
		char c;
		ssize_t r = read(fd, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || c == '\n')
			break;
		if (c != '\r')
			buf[n++] = c;
	}
	buf[n] = '\0';
	close(fd);
	return KMV_EXIT_OK;
}

bool cli_confirm(const char *question)
{
	char answer[16];

	if (cli_prompt_line(answer, sizeof(answer), question) != 0)
		return false;
	return strcmp(answer, "y") == 0 || strcmp(answer, "Y") == 0 ||
	       strcmp(answer, "yes") == 0;
}

/* ---- vault ----------------------------------------------------------- */

/*
 * Open with the key kept by 'kmvault unlock' when there is a valid one.
 * Returns an exit code, or -1: derive from the passphrase as usual (with
 * a note when an unlock was expected to help but cannot).
 */
static int vault_from_agent(cli_state *cli, const char *path,
			    const kmv_vault_open_options *opts)
{
	kmv_secret *key = NULL;
	kmv_agent_status status;
	int error = kmv_agent_fetch(&key, &status, path);

	if (error < 0)
		return cli_error_lib(error);
	switch (status) {
	case KMV_AGENT_FOUND: break;
	case KMV_AGENT_ABSENT: return -1;
	case KMV_AGENT_EXPIRED:
		cli_note(cli,
			 _("the unlock of this vault has expired; using the "
			   "passphrase"));
		return -1;
	case KMV_AGENT_INVALID:
		cli_note(cli,
			 _("the key kept in the keyring does not belong to "
			   "this vault (it was dropped); using the passphrase"));
		return -1;
	case KMV_AGENT_UNAVAILABLE:
		cli_note(cli, _("%s; using the passphrase"), kmv_error_last());
		return -1;
	}
	error = kmv_vault_open(&cli->vault, path, KMV_UNLOCK_AGENT, key, opts);
	kmv_secret_free(key);
	if (error == KMV_EAUTH) {
		/* The keyslots changed between the lookup and the open. */
		cli_note(cli, _("%s; using the passphrase"), kmv_error_last());
		return -1;
	}
	if (error < 0)
		return cli_error_lib(error);
	return 0;
}

bool cli_mark_problem(const cli_state *cli, bool as_error)
{
	const kmv_mark_report *m = &cli->mark;
	const char *path = cli->vault ? kmv_vault_path(cli->vault) : "";
	kmv_buf text = KMV_BUF_INIT;

	if (m->status == KMV_MARK_UNTRUSTED)
		kmv_buf_printf(
			&text,
			_("the rollback mark '%s' fails "
			  "authentication (it was changed outside kmvault) "
			  "and is not used: a rollback of vault '%s' cannot "
			  "be ruled out; 'kmvault check --accept-rollback' "
			  "writes a new mark"),
			m->path, path);
	else if (m->status == KMV_MARK_ROLLBACK && m->replaced)
		kmv_buf_printf(
			&text,
			_("vault '%s' is generation %" PRIu64
			  ", but generation %" PRIu64 " seen before (%s) "
			  "was another save: an older copy was put in its "
			  "place and saved again, so changes may be missing; "
			  "if that was on purpose, run 'kmvault check "
			  "--accept-rollback'"),
			path, m->generation, m->seen, m->path);
	else if (m->status == KMV_MARK_ROLLBACK)
		kmv_buf_printf(
			&text,
			_("vault '%s' is generation %" PRIu64
			  ", older than generation %" PRIu64 " seen before "
			  "(%s): an older copy was put in its place, so later "
			  "changes may be missing; if you restored it on "
			  "purpose, run 'kmvault check --accept-rollback'"),
			path, m->generation, m->seen, m->path);
	else
		return false;
	if (as_error)
		cli_error("%s", text.size ? text.ptr : "rollback");
	else
		cli_warn("%s", text.size ? text.ptr : "rollback");
	kmv_buf_dispose(&text);
	return true;
}

/*
 * The rollback mark (docs/security.md), after every open: accepted with
 * --accept-rollback, else compared.  `check` reports a problem itself
 * (exit 4); every other command goes on after a warning.  Never a reason
 * to fail: a mark that cannot be written is a warning.
 */
static void vault_mark(cli_state *cli)
{
	if (cli->accept_rollback) {
		if (kmv_vault_mark_accept(cli->vault) < 0)
			cli_warn(_("cannot keep the rollback mark: %s"),
				 kmv_error_last());
		else
			cli_note(cli,
				 _("generation %" PRIu64 " of vault '%s' is "
				   "accepted as its newest (--accept-rollback)"),
				 kmv_vault_generation(cli->vault),
				 kmv_vault_path(cli->vault));
	}
	kmv_mark_report_dispose(&cli->mark);
	if (kmv_vault_mark_check(cli->vault, &cli->mark) < 0)
		cli_warn(_("cannot keep the rollback mark: %s"),
			 kmv_error_last());
	if (strcmp(cli->command, "check") != 0)
		cli_mark_problem(cli, false);
}

int cli_vault(cli_state *cli, kmv_vault **out)
{
	kmv_vault_open_options opts = KMV_VAULT_OPEN_OPTIONS_INIT;
	kmv_secret *secret = NULL;
	kmv_unlock_kind kind = KMV_UNLOCK_PASSPHRASE;
	const char *path;
	int ret, error;

	*out = NULL;
	if (cli->vault) {
		*out = cli->vault;
		return KMV_EXIT_OK;
	}
	if (!(path = cli_vault_path(cli)))
		return KMV_EXIT_ERROR;
	/* Fail fast on a missing or damaged file before asking for a secret. */
	error = kmv_vault_peek(path, NULL);
	if (error == KMV_ENOTFOUND) {
		cli_error("no vault at '%s' (create one with 'kmvault init', "
			  "or pass --vault)",
			  path);
		return KMV_EXIT_NOTFOUND;
	}
	if (error < 0)
		return cli_error_lib(error);
	opts.write = cli->mode == CLI_CMD_VAULT_RW;
	opts.wait_seconds = cli->wait_seconds;
	opts.command = cli->command;
	if (!cli->no_agent && !cli->recovery_key_file) {
		ret = vault_from_agent(cli, path, &opts);
		if (ret > 0)
			return ret;
		if (ret == 0) {
			vault_mark(cli);
			*out = cli->vault;
			return KMV_EXIT_OK;
		}
	}
	if (cli->recovery_key_file) {
		kind = KMV_UNLOCK_RECOVERY;
		ret = cli_secret_from_file(&secret, cli->recovery_key_file,
					   N_("recovery key"));
	} else {
		ret = cli_passphrase(cli, &secret, false);
	}
	if (ret != 0)
		return ret;
	error = kmv_vault_open(&cli->vault, path, kind, secret, &opts);
	kmv_secret_free(secret);
	if (error < 0)
		return cli_error_lib(error);
	cli_conflict_notice(path);
	vault_mark(cli);
	*out = cli->vault;
	return KMV_EXIT_OK;
}

void cli_conflict_notice(const char *vault_path)
{
	char **copies = NULL;
	size_t n = 0;

	if (kmv_vault_conflict_copies(&copies, &n, vault_path) < 0)
		return; /* a notice, never a reason to fail */
	for (size_t i = 0; i < n; i++)
		cli_warn(_("'%s' beside the vault is a sync conflict copy: "
			   "another device saved changes there; bring them in "
			   "with 'kmvault merge \"%s\"' (docs/sync.md)"),
			 copies[i], copies[i]);
	kmv_vault_conflict_copies_free(copies, n);
}

int cli_save(cli_state *cli)
{
	int error = kmv_vault_save(cli->vault);

	if (error < 0) {
		cli_error_lib(error);
		cli_error("the vault on disk was left unchanged");
		return KMV_EXIT_ERROR;
	}
	return KMV_EXIT_OK;
}

/* ---- output ---------------------------------------------------------- */

void cli_write(const kmv_buf *buf)
{
	fwrite(buf->ptr, 1, buf->size, stdout);
}

bool cli_show_progress(cli_state *cli)
{
	return !cli->quiet && !cli->no_progress && isatty(2);
}

int cli_parse_int(int64_t *out, const char *opt, const char *value)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(value, &end, 10);
	if (errno || end == value || *end || v < 0)
		return cli_error_usage(_("option '%s' expects a non-negative "
					 "number, not '%s'"),
				       opt, value);
	*out = v;
	return KMV_EXIT_OK;
}

int cli_dispatch_verbs(int argc, char **argv, cli_state *cli,
		       const cli_verb *verbs, size_t nverbs)
{
	kmv_buf names = KMV_BUF_INIT;
	int ret;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		cli_help_print(argc < 2 ? stderr : stdout, cli->command, NULL);
		return argc < 2 ? KMV_EXIT_USAGE : KMV_EXIT_OK;
	}
	for (size_t i = 0; i < nverbs; i++) {
		if (strcmp(argv[1], verbs[i].name) == 0) {
			optind = 0;
			cli->verb = verbs[i].name;
			return verbs[i].fn(argc - 1, argv + 1, cli);
		}
	}
	for (size_t i = 0; i < nverbs; i++)
		kmv_buf_printf(&names, "%s%s", i ? ", " : "", verbs[i].name);
	ret = cli_error_usage(_("unknown command 'kmvault %s %s' (%s)"),
			      cli->command, argv[1], names.ptr);
	kmv_buf_dispose(&names);
	return ret;
}

bool cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0)
			return true;
	}
	return false;
}

void cli_table_init(cli_table *t, size_t ncols, const char *const *headers)
{
	const char *words[32];

	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	/* Headers are N_() msgids: the table shows them in the user's language. */
	for (size_t i = 0; i < ncols && i < 32; i++)
		words[i] = headers[i] ? _(headers[i]) : "";
	cli_table_add(t, words);
}

void cli_table_add(cli_table *t, const char *const *cells)
{
	cli_table_add_sgr(t, cells, NULL);
}

void cli_table_add_sgr(cli_table *t, const char *const *cells, const char *sgr)
{
	if ((t->nrows + 1) * t->ncols > t->alloc) {
		size_t n = t->alloc ? t->alloc * 2 : t->ncols * 16;
		char **c = realloc(t->cells, n * sizeof(*c));
		const char **s = realloc(t->sgr,
					 (n / t->ncols + 1) * sizeof(*s));

		if (!c)
			return;
		t->cells = c;
		if (!s)
			return;
		t->sgr = s;
		t->alloc = n;
	}
	/* Cells hold merchants, products, file names from input: no
	 * terminal control gets through a table (nor breaks its lines). */
	for (size_t i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = cli_clean_cell(cells[i]);
	t->sgr[t->nrows] = sgr;
	t->nrows++;
}

/* Print with per-column limits (0 = never cut); colour rows when asked. */
static void table_print(const cli_table *t, FILE *out, const size_t *limit,
			bool color)
{
	size_t widths[32] = { 0 };

	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols && c < 32; c++) {
			const char *s = t->cells[r * t->ncols + c];
			size_t w = s ? kmv_utf8_width(s) : 0;

			if (limit[c] && w > limit[c])
				w = limit[c];
			if (w > widths[c])
				widths[c] = w;
		}
	for (size_t r = 0; r < t->nrows; r++) {
		const char *sgr = color && t->sgr ? t->sgr[r] : NULL;

		if (sgr)
			fputs(sgr, out);
		for (size_t c = 0; c < t->ncols && c < 32; c++) {
			const char *s = t->cells[r * t->ncols + c];
			size_t w = 0, bytes;
			bool cut = false;

			if (!s)
				s = "";
			bytes = strlen(s);
			if (limit[c] && kmv_utf8_width(s) > limit[c]) {
				bytes = kmv_utf8_prefix_for_width(s,
								  limit[c] - 1,
								  &w);
				cut = true;
			} else {
				w = kmv_utf8_width(s);
			}
			if (c < 16 && t->right[c])
				for (size_t p = w + cut; p < widths[c]; p++)
					fputc(' ', out);
			fwrite(s, 1, bytes, out);
			if (cut)
				fputs("\xE2\x80\xA6", out), w++;
			if (c + 1 < t->ncols) {
				if (!(c < 16 && t->right[c]))
					for (size_t p = w; p < widths[c]; p++)
						fputc(' ', out);
				fputs("  ", out);
			}
		}
		if (sgr)
			fputs(CLI_SGR_RESET, out);
		fputc('\n', out);
	}
}

void cli_table_print(const cli_table *t, FILE *out, size_t max_col_width)
{
	size_t limit[32];

	for (size_t c = 0; c < 32; c++)
		limit[c] = max_col_width;
	table_print(t, out, limit, false);
}

/* Widths that fit `width`: shrink, then drop columns (limit SIZE_MAX). */
static size_t fit_columns(const cli_table *t, size_t *limit, size_t width)
{
	size_t total = 0, shown = 0;

	for (size_t c = 0; c < t->ncols && c < 32; c++) {
		if (limit[c] == SIZE_MAX)
			continue;
		total += limit[c] + (shown ? 2 : 0);
		shown++;
	}
	/* Take a column at a time from the widest shrinkable one. */
	while (total > width) {
		size_t best = 32;

		for (size_t c = 0; c < t->ncols && c < 16; c++)
			if (t->shrink[c] && limit[c] != SIZE_MAX &&
			    limit[c] > 6 &&
			    (best == 32 || limit[c] > limit[best]))
				best = c;
		if (best == 32)
			break;
		limit[best]--;
		total--;
	}
	return total;
}

void cli_table_print_tty(const cli_table *t, FILE *out, size_t max_col_width,
			 const cli_state *cli)
{
	size_t natural[32] = { 0 }, limit[32], width;
	cli_table shown;
	char **cells = NULL;
	size_t keep[32], nkeep = 0;

	if (!cli->tty_out) {
		for (size_t c = 0; c < 32; c++)
			limit[c] = max_col_width;
		table_print(t, out, limit, cli_color_on(cli));
		return;
	}
	width = cli_term_width();
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols && c < 32; c++) {
			size_t w = kmv_utf8_width(t->cells[r * t->ncols + c]);

			if (w > natural[c])
				natural[c] = w;
		}
	memcpy(limit, natural, sizeof(limit));
	for (unsigned int rank = 1;
	     fit_columns(t, limit, width) > width && rank < 256; rank++) {
		bool dropped = false;

		for (size_t c = 0; c < t->ncols && c < 16; c++)
			if (t->drop[c] == rank) {
				natural[c] = SIZE_MAX;
				dropped = true;
			}
		memcpy(limit, natural, sizeof(limit));
		if (!dropped && rank > 16)
			break;
	}
	/* A view of the kept columns (cells are borrowed, not copied). */
	memset(&shown, 0, sizeof(shown));
	for (size_t c = 0; c < t->ncols && c < 32; c++)
		if (limit[c] != SIZE_MAX)
			keep[nkeep++] = c;
	cells = malloc((t->nrows * nkeep + 1) * sizeof(*cells));
	if (!cells) {
		cli_table_print(t, out, max_col_width);
		return;
	}
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t k = 0; k < nkeep; k++)
			cells[r * nkeep + k] = t->cells[r * t->ncols + keep[k]];
	shown.ncols = nkeep;
	shown.nrows = t->nrows;
	shown.cells = cells;
	shown.sgr = t->sgr;
	for (size_t k = 0; k < nkeep; k++) {
		size_t c = keep[k];

		if (k < 16 && c < 16) {
			shown.right[k] = t->right[c];
			shown.shrink[k] = t->shrink[c];
		}
		limit[k] = c < 16 && t->shrink[c] ? limit[c] : 0;
	}
	table_print(&shown, out, limit, cli_color_on(cli));
	free(cells);
}

void cli_table_dispose(cli_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->sgr);
	memset(t, 0, sizeof(*t));
}
