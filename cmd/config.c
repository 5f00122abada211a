/* SPDX-License-Identifier: MIT */
/*
 * The configuration file $XDG_CONFIG_HOME/kmvault/config (else
 * ~/.config/kmvault/config): INI, read with libinih.  It only supplies
 * defaults: a command-line option, then an environment variable, win
 * over it.  `kmvault config get|set|list` reads and edits it.
 * docs/kmvault-config.md lists the keys.
 */
#include "cli.h"
#include "opt.h"

#include <errno.h>
#include <getopt.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmv/agent.h"
#include "kmv/i18n.h"
#include "kmvutil/json.h"
#include "kmv/report.h"
#include "kmvutil/file.h"
#include "kmvutil/ini.h"

enum key_type {
	KEY_TEXT,
	KEY_COUNT,
	KEY_HOURS,
	KEY_KDF,
	KEY_DURATION,
	KEY_ACCOUNT,
	KEY_ACCOUNTS
};

static const struct config_key {
	const char *key; /* section.name */
	enum key_type type;
} known_keys[] = {
	{ "vault.path", KEY_TEXT },
	{ "vault.kdf", KEY_KDF },
	{ "backup.dir", KEY_TEXT },
	{ "backup.keep_daily", KEY_COUNT },
	{ "backup.keep_weekly", KEY_COUNT },
	{ "backup.keep_monthly", KEY_COUNT },
	{ "anomalies.deadline_hours", KEY_HOURS },
	{ "match.window_hours", KEY_HOURS },
	{ "unlock.timeout", KEY_DURATION },
	{ "ui.language", KEY_TEXT },
	{ "letter.name", KEY_TEXT },
	{ "letter.phone", KEY_TEXT },
	{ "letter.email", KEY_TEXT },
	{ "letter.address", KEY_TEXT },
	{ "letter.id_number", KEY_TEXT },
	{ "ledger.alipay", KEY_ACCOUNT },
	{ "ledger.wechat", KEY_ACCOUNT },
	{ "ledger.jd", KEY_ACCOUNT },
	{ "ledger.unknown", KEY_ACCOUNT },
	{ "ledger.income", KEY_ACCOUNT },
	{ "ledger.shop_orders", KEY_ACCOUNT },
	{ "ledger.other", KEY_ACCOUNT },
	{ "ledger.categories", KEY_ACCOUNTS },
};

#define NKEYS (sizeof(known_keys) / sizeof(known_keys[0]))

/* Values by known_keys index; NULL when unset.  One file per process. */
static char *values[NKEYS];
static char *config_file;
static bool loaded;

static int key_index(const char *key)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(known_keys[i].key, key) == 0)
			return (int)i;
	return -1;
}

/* A value the key accepts; else a message and false. */
static bool valid_value(const struct config_key *k, const char *value,
			const char *where)
{
	unsigned int seconds;
	char *end;
	double d;

	switch (k->type) {
	case KEY_TEXT: return true;
	case KEY_DURATION:
		/* the same durations as unlock --timeout */
		if (kmv_agent_parse_timeout(&seconds, value) == 0)
			return true;
		cli_error_usage(_("%s: %s wants a duration: %s"), where, k->key,
				kmv_error_last());
		return false;
	case KEY_KDF:
		if (!strcmp(value, "interactive") ||
		    !strcmp(value, "moderate") || !strcmp(value, "sensitive"))
			return true;
		cli_error_usage(_("%s: %s must be interactive, moderate or "
				  "sensitive, not '%s'"),
				where, k->key, value);
		return false;
	case KEY_ACCOUNT:
		if (kmv_ledger_account_valid(value))
			return true;
		cli_error_usage(_("%s: %s must be a ledger account such as "
				  "Assets:Alipay or Expenses:Food, not '%s'"),
				where, k->key, value);
		return false;
	case KEY_ACCOUNTS:
		if (kmv_ledger_categories_check(value) == 0)
			return true;
		cli_error_usage(_("%s: %s: %s"), where, k->key,
				kmv_error_last());
		return false;
	case KEY_COUNT:
	case KEY_HOURS:
		errno = 0;
		d = strtod(value, &end);
		if (!errno && end != value && !*end && d >= 0 &&
		    d <= (k->type == KEY_COUNT ? 100000 : 24.0 * 3650) &&
		    (k->type == KEY_HOURS || d == (double)(long)d))
			return true;
		cli_error_usage(_("%s: %s wants a number, not '%s'"), where,
				k->key, value);
		return false;
	}
	return false;
}

struct parse_state {
	const char *path;
	int ret;
};

static int on_entry(void *payload, const char *section, const char *name,
		    const char *value)
{
	struct parse_state *st = payload;
	char key[128], where[4200];
	int i;

	snprintf(key, sizeof(key), "%s.%s", section, name);
	snprintf(where, sizeof(where), "%s", st->path);
	i = key_index(key);
	if (i < 0) {
		cli_warn(_("%s: unknown key '%s' ignored (see 'kmvault config "
			   "list --help')"),
			 st->path, key);
		return 1;
	}
	if (!valid_value(&known_keys[i], value, where)) {
		st->ret = KMV_EXIT_USAGE;
		return 1;
	}
	free(values[i]);
	values[i] = strdup(value);
	return 1;
}

int cli_config_load(void)
{
	struct parse_state st = { NULL, KMV_EXIT_OK };
	int line;

	if (loaded)
		return KMV_EXIT_OK;
	loaded = true;
	config_file = cli_config_path("config");
	if (!config_file || access(config_file, F_OK) != 0)
		return KMV_EXIT_OK;
	st.path = config_file;
	line = ini_parse(config_file, on_entry, &st);
	if (line < 0)
		return cli_error(_("cannot read the config file '%s'"),
				 config_file);
	if (line > 0)
		return cli_error_usage(_("%s:%d: not an INI line (section "
					 "[name] or key = value)"),
				       config_file, line);
	return st.ret;
}

const char *cli_config_get(const char *key)
{
	int i = key_index(key);

	return i >= 0 ? values[i] : NULL;
}

void cli_config_language(void)
{
	const char *lang = cli_config_get("ui.language");
	char locale[64];

	if (!lang || getenv("LC_ALL") || getenv("LC_MESSAGES") ||
	    getenv("LANG") || getenv("LANGUAGE"))
		return;
	/* "zh_CN" names a catalog; gettext wants a locale that exists */
	snprintf(locale, sizeof(locale), "%s%s", lang,
		 strchr(lang, '.') ? "" : ".UTF-8");
	setenv("LC_MESSAGES", locale, 1);
}

void cli_config_free(void)
{
	for (size_t i = 0; i < NKEYS; i++) {
		free(values[i]);
		values[i] = NULL;
	}
	free(config_file);
	config_file = NULL;
	loaded = false;
}

/*
 * Set `key` in the file: only its line changes (or is added); comments,
 * blank lines, the order and keys kmvault does not know stay (kmv_ini_set).
 */
static int save(const char *key, const char *value)
{
	kmv_buf out = KMV_BUF_INIT, dir = KMV_BUF_INIT, old = KMV_BUF_INIT;
	const char *slash, *dot = strchr(key, '.');
	char section[64];
	int error, ret = KMV_EXIT_OK;

	if (!config_file)
		return cli_error(
			_("cannot find the config directory: set HOME or "
			  "XDG_CONFIG_HOME"));
	error = kmv_file_read(&old, config_file, 1024 * 1024);
	if (error == KMV_ENOTFOUND)
		kmv_buf_puts(&old,
			     "# kmvault configuration (kmvault config set; "
			     "see docs/kmvault-config.md)\n");
	else if (error < 0) {
		ret = cli_error_lib(error);
		goto done;
	}
	snprintf(section, sizeof(section), "%.*s", (int)(dot - key), key);
	error = kmv_ini_set(&out, old.ptr ? old.ptr : "", old.size, section,
			    dot + 1, value);
	if (error < 0) {
		ret = cli_error_lib(error);
		goto done;
	}
	slash = strrchr(config_file, '/');
	kmv_buf_put(&dir, config_file, (size_t)(slash - config_file));
	/* ~/.config may not exist yet either: make each missing level 0700 */
	for (char *p = dir.ptr + 1;; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(dir.ptr, 0700) < 0 && errno != EEXIST) {
			ret = cli_error_os(dir.ptr);
			goto done;
		}
		*p = c;
		if (!c)
			break;
	}
	error = kmv_file_write(config_file, out.ptr, out.size, true);
	if (error < 0)
		ret = cli_error_lib(error);
done:
	kmv_buf_dispose(&out);
	kmv_buf_dispose(&dir);
	kmv_buf_dispose(&old);
	return ret;
}

static int config_get(int argc, char **argv, cli_state *cli)
{
	const char *v;
	int c;

	while ((c = cli_getopt(argc, argv, cli)) != -1)
		return cli_opt_done(c, cli);
	if (argc - optind != 1)
		return cli_error_usage(
			_("config get needs one KEY (see 'kmvault "
			  "help config')"));
	if (key_index(argv[optind]) < 0)
		return cli_error_usage(_("unknown key '%s' (see 'kmvault help "
					 "config')"),
				       argv[optind]);
	v = cli_config_get(argv[optind]);
	if (!v)
		return KMV_EXIT_NOTFOUND; /* unset: nothing printed, as git */
	printf("%s\n", v);
	return KMV_EXIT_OK;
}

static int config_set(int argc, char **argv, cli_state *cli)
{
	int c, i;

	while ((c = cli_getopt(argc, argv, cli)) != -1)
		return cli_opt_done(c, cli);
	if (argc - optind != 2)
		return cli_error_usage(_("config set needs KEY and VALUE (see "
					 "'kmvault help config')"));
	i = key_index(argv[optind]);
	if (i < 0)
		return cli_error_usage(_("unknown key '%s' (see 'kmvault help "
					 "config')"),
				       argv[optind]);
	if (strchr(argv[optind + 1], '\n'))
		return cli_error_usage(_("a value is one line"));
	if (!valid_value(&known_keys[i], argv[optind + 1], "config set"))
		return KMV_EXIT_USAGE;
	free(values[i]);
	values[i] = strdup(argv[optind + 1]);
	if (!values[i])
		return cli_error_lib(KMV_ERROR);
	c = save(argv[optind], values[i]);
	if (c == KMV_EXIT_OK)
		cli_note(cli, _("%s = %s in '%s'"), argv[optind], values[i],
			 config_file);
	return c;
}

static int config_list(int argc, char **argv, cli_state *cli)
{
	cli_result r;
	kmv_json *j;
	int c;

	while ((c = cli_getopt(argc, argv, cli)) != -1)
		return cli_opt_done(c, cli);
	if (optind < argc)
		return cli_error_extra_arg(argv[optind]);
	if (!cli->json) {
		for (size_t i = 0; i < NKEYS; i++)
			if (values[i])
				printf("%s = %s\n", known_keys[i].key,
				       values[i]);
		return KMV_EXIT_OK;
	}
	j = cli_result_begin(&r);
	for (size_t i = 0; i < NKEYS; i++)
		if (values[i])
			kmv_json_kv_string(j, known_keys[i].key, values[i]);
	return cli_result_print(&r);
}

int cmd_config(int argc, char **argv, cli_state *cli)
{
	static const cli_verb verbs[] = {
		{ "get", config_get },
		{ "set", config_set },
		{ "list", config_list },
	};

	return cli_dispatch_verbs(argc, argv, cli, verbs,
				  sizeof(verbs) / sizeof(verbs[0]));
}
