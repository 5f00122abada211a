/* SPDX-License-Identifier: MIT */
/*
 * What a terminal gets and a pipe does not: the screen width, a pager
 * (as git does: $KMVAULT_PAGER, $PAGER, else `less -FRX`, which quits at
 * once when the output fits one screen) and colour (--color, NO_COLOR).
 * Nothing here changes output that does not go to a terminal.
 */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

static int saved_stdout = -1;
static pid_t pager_pid = -1;

size_t cli_term_width(void)
{
	const char *cols = getenv("COLUMNS");
	struct winsize ws;

	if (cols && *cols) {
		char *end;
		long v = strtol(cols, &end, 10);

		if (*end == '\0' && v >= 20 && v <= 10000)
			return (size_t)v;
	}
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

bool cli_color_on(const cli_state *cli)
{
	const char *no = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (cli->color == CLI_COLOR_ALWAYS)
		return true;
	if (cli->color == CLI_COLOR_NEVER)
		return false;
	if (no && *no)
		return false;
	if (term && strcmp(term, "dumb") == 0)
		return false;
	return cli->tty_out;
}

const char *cli_color(const cli_state *cli, const char *sgr)
{
	return cli_color_on(cli) ? sgr : "";
}

void cli_pager_start(cli_state *cli)
{
	const char *pager = getenv("KMVAULT_PAGER");
	int fds[2];
	pid_t pid;

	if (!cli->tty_out || cli->no_pager || pager_pid > 0)
		return;
	if (!pager)
		pager = getenv("PAGER");
	if (!pager)
		pager = "less -FRX";
	if (!*pager || strcmp(pager, "cat") == 0)
		return;
	fflush(stdout);
	if (pipe(fds) < 0)
		return;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		dup2(fds[0], STDIN_FILENO);
		close(fds[0]);
		close(fds[1]);
		/* git's habit: less quits on one screen, keeps colour and screen */
		setenv("LESS", "FRX", 0);
		execl("/bin/sh", "sh", "-c", pager, (char *)NULL);
		_exit(127);
	}
	saved_stdout = dup(STDOUT_FILENO);
	dup2(fds[1], STDOUT_FILENO);
	close(fds[0]);
	close(fds[1]);
	/* The user may quit the pager early: stop writing, do not die. */
	signal(SIGPIPE, SIG_IGN);
	pager_pid = pid;
}

void cli_pager_end(void)
{
	int status;

	if (pager_pid <= 0)
		return;
	fflush(stdout);
	dup2(saved_stdout, STDOUT_FILENO);
	close(saved_stdout);
	saved_stdout = -1;
	clearerr(stdout);
	while (waitpid(pager_pid, &status, 0) < 0 && errno == EINTR)
		;
	pager_pid = -1;
}
