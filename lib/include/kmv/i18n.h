/* SPDX-License-Identifier: MIT */
#ifndef KMV_I18N_H
#define KMV_I18N_H

/**
 * @file kmv/i18n.h
 * Messages a person reads go through GNU gettext (text domain "kmvault",
 * catalogs in po/, built by CMake and installed under LOCALEDIR).  Usable
 * by lib/ and cmd/ alike:
 *
 *     cli_error(_("cannot read '%s'"), path);     translated where used
 *     static const char *const words[] = { N_("paid"), ... };
 *     puts(_(words[i]));                          marked, translated later
 *     printf(P_("%d record", "%d records", n), n);
 *
 * The English msgid is what the C locale shows.  lib/ uses dgettext with
 * the domain spelled out so it does not depend on the front-end having
 * called textdomain().  After adding or changing a message run
 * scripts/update-po.sh and translate the new entries in po/zh_CN.po
 * (the test unit/test_i18n... and cli/t0020-i18n check the catalog is
 * complete).
 */
#include <libintl.h>

#define KMV_TEXTDOMAIN "kmvault"

#define _(msgid) dgettext(KMV_TEXTDOMAIN, msgid)
#define N_(msgid) msgid
#define P_(singular, plural, n) \
	dngettext(KMV_TEXTDOMAIN, singular, plural, (unsigned long)(n))

/**
 * Set up message translation for the process: LC_MESSAGES from the
 * environment (LANGUAGE / LC_ALL / LC_MESSAGES / LANG), the catalog
 * directory ($KMVAULT_LOCALEDIR, else the installed LOCALEDIR), UTF-8
 * output whatever LC_CTYPE says.  Only LC_MESSAGES changes: number
 * formats, character classes and collation stay "C", which the parsers
 * and the CSV/PDF writers rely on.  Call once from main().
 */
void kmv_i18n_init(void);

/** True when messages currently come out in Chinese (zh_* catalog in use). */
int kmv_i18n_is_chinese(void);

#endif
