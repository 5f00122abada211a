/* SPDX-License-Identifier: MIT */
/*
 * gettext set-up.  The catalog directory is fixed at build time
 * (KMV_LOCALEDIR, the install prefix's share/locale); $KMVAULT_LOCALEDIR
 * overrides it so the tests and an uninstalled build find the .mo files
 * that CMake writes into BUILD/locale.
 */
#include "common.h"

#include <locale.h>

#include "kmv/i18n.h"

#ifndef KMV_LOCALEDIR
#define KMV_LOCALEDIR "/usr/local/share/locale"
#endif

void kmv_i18n_init(void)
{
	const char *dir = getenv("KMVAULT_LOCALEDIR");

	setlocale(LC_MESSAGES, "");
	bindtextdomain(KMV_TEXTDOMAIN, dir && *dir ? dir : KMV_LOCALEDIR);
	bind_textdomain_codeset(KMV_TEXTDOMAIN, "UTF-8");
	textdomain(KMV_TEXTDOMAIN);
}

int kmv_i18n_is_chinese(void)
{
	/*
	 * The catalog's own header answers: "Language: zh_CN" appears in
	 * the translation of the empty msgid only when a zh catalog is used.
	 */
	static const char header_msgid[] = "";
	const char *header = dgettext(KMV_TEXTDOMAIN, header_msgid);

	return header && strstr(header, "Language: zh") != NULL;
}
