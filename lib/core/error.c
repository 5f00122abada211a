/* SPDX-License-Identifier: MIT */
#include "common.h"

#include <errno.h>
#include <stdarg.h>

#include "kmv/i18n.h"

static _Thread_local char last_message[1024];
static _Thread_local kmv_error_class last_class;

__attribute__((format(printf, 2, 0))) static void set_message(
	kmv_error_class klass, const char *fmt, va_list ap, const char *suffix)
{
	/* The format is the English message: translated here, so every
	 * kmv_error_set() literal is a catalog entry (update-po.sh passes
	 * kmv_error_set:2 and kmv_error_set_os:1 to xgettext). */
	int n = vsnprintf(last_message, sizeof(last_message), _(fmt), ap);

	if (n < 0)
		last_message[0] = '\0';
	if (suffix && n >= 0 && (size_t)n < sizeof(last_message))
		snprintf(last_message + n, sizeof(last_message) - (size_t)n,
			 ": %s", suffix);
	last_class = klass;
}

void kmv_error_set(kmv_error_class klass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(klass, fmt, ap, NULL);
	va_end(ap);
}

void kmv_error_set_os(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	set_message(KMV_ERROR_OS, fmt, ap, strerror(saved));
	va_end(ap);
	errno = saved;
}

int kmv_error_nomem(void)
{
	kmv_error_set(KMV_ERROR_NOMEM, "out of memory");
	return KMV_ERROR;
}

const char *kmv_error_last(void)
{
	return last_message;
}

kmv_error_class kmv_error_last_class(void)
{
	return last_class;
}

void kmv_error_save(kmv_error_saved *out)
{
	out->klass = last_class;
	snprintf(out->message, sizeof(out->message), "%s", last_message);
}

void kmv_error_restore(const kmv_error_saved *saved)
{
	snprintf(last_message, sizeof(last_message), "%s", saved->message);
	last_class = saved->klass;
}

void kmv_error_clear(void)
{
	last_message[0] = '\0';
	last_class = KMV_ERROR_NONE;
}

const char *kmv_strerror(int code)
{
	switch (code) {
	case KMV_OK: return _("success");
	case KMV_ENOTFOUND: return _("not found");
	case KMV_EEXISTS: return _("already exists");
	case KMV_EAUTH: return _("authentication failed");
	case KMV_ECORRUPT: return _("corrupt or tampered");
	case KMV_ELOCKED: return _("locked by another writer");
	case KMV_EINPUT: return _("input rejected");
	case KMV_EUSAGE: return _("invalid usage");
	case KMV_EAMBIGUOUS: return _("ambiguous");
	default: return _("error");
	}
}
