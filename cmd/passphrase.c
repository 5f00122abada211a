/* SPDX-License-Identifier: MIT */
/* Secrets from the user: passphrase files, $KMVAULT_PASSPHRASE, a command,
 * the terminal; new passphrases checked for strength (zxcvbn); yes/no and
 * line prompts on /dev/tty. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <zxcvbn.h>

#define MAX_SECRET 4096

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

int cli_unlock_secret(cli_state *cli, kmv_secret **out, kmv_unlock_kind *kind)
{
	*kind = KMV_UNLOCK_PASSPHRASE;
	if (cli->recovery_key_file) {
		*kind = KMV_UNLOCK_RECOVERY;
		return cli_secret_from_file(out, cli->recovery_key_file,
					    N_("recovery key"));
	}
	return cli_passphrase(cli, out, false);
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
