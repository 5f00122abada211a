/* SPDX-License-Identifier: MIT */
/*
 * gettext set-up.  The catalog directory is fixed at build time
 * (KMV_LOCALEDIR, the install prefix's share/locale); $KMVAULT_LOCALEDIR
 * overrides it.  An uninstalled build (README's `sh scripts/demo.sh` runs
 * BUILD/kmvault) finds the .mo files CMake writes into BUILD/locale beside
 * the binary, so it speaks the user's language before `cmake --install`.
 */
#include "common.h"

#include <limits.h>
#include <locale.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmv/i18n.h"

#ifndef KMV_LOCALEDIR
#define KMV_LOCALEDIR "/usr/local/share/locale"
#endif

/* "DIR/locale" when the running binary's folder DIR has one (a build tree). */
static const char *beside_binary(char *buf, size_t size)
{
	struct stat st;
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char *slash;

	if (n <= 0 || (size_t)n >= size - 8)
		return NULL;
	buf[n] = '\0';
	if (!(slash = strrchr(buf, '/')))
		return NULL;
	/* room checked above: "locale" fits where the binary's name was */
	memcpy(slash + 1, "locale", sizeof("locale"));
	return stat(buf, &st) == 0 && S_ISDIR(st.st_mode) ? buf : NULL;
}

void kmv_i18n_init(void)
{
	char path[PATH_MAX];
	const char *dir = getenv("KMVAULT_LOCALEDIR");

	if (!dir || !*dir)
		dir = beside_binary(path, sizeof(path));
	setlocale(LC_MESSAGES, "");
	bindtextdomain(KMV_TEXTDOMAIN, dir ? dir : KMV_LOCALEDIR);
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
