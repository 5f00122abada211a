/* SPDX-License-Identifier: MIT */
/* What kmvault says: messages on stderr (translated, C0/C1 controls
 * defused), exit codes from library errors, raw output on stdout. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

int cli_error_extra_arg(const char *arg)
{
	return cli_error_usage("unexpected argument '%s'", arg);
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

int cli_error_lib(int code)
{
	const char *msg = kmv_error_last();

	fputs("kmvault: ", stderr);
	cli_put_clean(stderr, *msg ? msg : kmv_strerror(code));
	fputc('\n', stderr);
	return cli_exit_code(code);
}

int cli_error_no_vault(const char *path)
{
	cli_error(_("no vault at '%s' (create one with 'kmvault init', or "
		    "pass --vault)"),
		  path);
	return KMV_EXIT_NOTFOUND;
}

int cli_error_os(const char *path)
{
	return cli_error(_("cannot access '%s': %s"), path, strerror(errno));
}

void cli_write(const kmv_buf *buf)
{
	fwrite(buf->ptr, 1, buf->size, stdout);
}
