/* SPDX-License-Identifier: MIT */
/*
 * kmvault rules apply: the categorising rules file (kmv/catrules.h) on
 * the records already in the vault; `import` applies the same file to
 * the records it adds (cli_rules_load, cli_rules_report below).
 */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kmv/catrules.h"
#include "kmv/i18n.h"
#include "kmvutil/json.h"

int cli_rules_load(kmv_catrules **out, const char *path, bool required,
		   char **path_out)
{
	char *default_path = NULL;
	int error;

	*out = NULL;
	*path_out = NULL;
	if (!path) {
		default_path = cli_config_path("rules");
		if (!default_path) {
			if (!required)
				return KMV_EXIT_OK;
			return cli_error_usage(
				_("no rules file: set $XDG_CONFIG_HOME "
				  "or $HOME, or give --rules F"));
		}
		path = default_path;
	}
	error = kmv_catrules_load(out, path);
	if (error == KMV_ENOTFOUND && !required && default_path) {
		free(default_path);
		return KMV_EXIT_OK;
	}
	if (error == KMV_ENOTFOUND) {
		cli_error(_("no rules file '%s' (write one, see 'kmvault help "
			    "rules', or give --rules F)"),
			  path);
		free(default_path);
		return KMV_EXIT_NOTFOUND;
	}
	if (error < 0) {
		free(default_path);
		return cli_error_lib(error);
	}
	*path_out = default_path ? default_path : strdup(path);
	if (!*path_out) {
		kmv_catrules_free(*out);
		*out = NULL;
		return cli_error(_("out of memory"));
	}
	return KMV_EXIT_OK;
}

/* A field's name for people (JSON keeps category, platform, note, tag). */
static const char *field_label(const char *field)
{
	static const char *const words[] = { N_("category"), N_("platform"),
					     N_("note"), N_("tag") };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(field, words[i]) == 0)
			return _(words[i]);
	return field;
}

/* The changes, as a table or JSON, collected while the run goes. */
struct rules_out {
	kmv_json *json;
	cli_table *table;
};

static int on_change(const kmv_catrules_change *c, void *payload)
{
	struct rules_out *o = payload;

	if (o->json) {
		kmv_json_object_begin(o->json);
		kmv_json_kv_int(o->json, "record", c->record);
		kmv_json_kv_string(o->json, "field", c->field);
		kmv_json_kv_string(o->json, "old", c->old_value);
		kmv_json_kv_string(o->json, "new", c->new_value);
		kmv_json_kv_string(o->json, "rule", c->rule);
		kmv_json_object_end(o->json);
	} else if (o->table) {
		char id[24];
		const char *row[5];

		snprintf(id, sizeof(id), "#%" PRId64, c->record);
		row[0] = id;
		row[1] = field_label(c->field);
		row[2] = c->old_value ? c->old_value : "-";
		row[3] = c->new_value;
		row[4] = c->rule;
		cli_table_add(o->table, row);
	}
	return 0;
}

static int rules_apply(int argc, char **argv, cli_state *cli)
{
	static const char *const headers[] = { N_("RECORD"), N_("FIELD"),
					       N_("OLD"), N_("NEW"),
					       N_("RULE") };
	kmv_catrules_options opts = KMV_CATRULES_OPTIONS_INIT;
	kmv_catrules_stats stats;
	kmv_catrules *rules = NULL;
	kmv_buf out = KMV_BUF_INIT;
	struct rules_out o = { NULL, NULL };
	const char *file = NULL;
	char *path = NULL;
	kmv_vault *vault = NULL;
	cli_table table;
	kmv_json j;
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'n': opts.dry_run = true; break;
		case 'r': file = optarg; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind < argc)
		return cli_error_extra_arg(argv[optind]);
	/* A bad rules file is refused before the vault is even opened. */
	if ((ret = cli_rules_load(&rules, file, true, &path)) != 0)
		return ret;
	cli_table_init(&table, 5, headers);
	if (opts.dry_run)
		cli->mode = CLI_CMD_VAULT_RO;
	if ((ret = cli_vault(cli, &vault)) != 0)
		goto done;
	if (cli->json) {
		kmv_json_init(&j, &out, false);
		kmv_json_object_begin(&j);
		kmv_json_key(&j, "changes");
		kmv_json_array_begin(&j);
		o.json = &j;
	} else {
		o.table = &table;
	}
	opts.who = cli_user();
	opts.on_change = on_change;
	opts.payload = &o;
	error = kmv_catrules_apply(vault, rules, &opts, &stats);
	if (error < 0) {
		ret = cli_error_lib(error);
		cli_error(_("nothing was changed; the vault is unchanged"));
		goto done;
	}
	if (!opts.dry_run && stats.changes && (ret = cli_save(cli)) != 0)
		goto done;
	if (cli->json) {
		kmv_json_array_end(&j);
		kmv_json_kv_bool(&j, "dry_run", opts.dry_run);
		kmv_json_kv_string(&j, "file", path);
		kmv_json_kv_int(&j, "rules",
				(int64_t)kmv_catrules_count(rules));
		kmv_json_kv_int(&j, "records", (int64_t)stats.records);
		kmv_json_kv_int(&j, "changed", (int64_t)stats.changed);
		kmv_json_kv_int(&j, "kept", (int64_t)stats.kept);
		kmv_json_object_end(&j);
		kmv_buf_putc(&out, '\n');
		cli_write(&out);
	} else {
		/* The list is the result of a dry run, a report otherwise. */
		if (table.nrows > 1 && (opts.dry_run || !cli->quiet))
			cli_table_print(&table, stdout, 40);
		cli_rules_report(cli, path, &stats, opts.dry_run, false);
	}
	ret = KMV_EXIT_OK;
done:
	cli_table_dispose(&table);
	kmv_buf_dispose(&out);
	kmv_catrules_free(rules);
	free(path);
	return ret;
}

void cli_rules_report(cli_state *cli, const char *path,
		      const kmv_catrules_stats *stats, bool dry_run,
		      bool imported)
{
	kmv_buf b = KMV_BUF_INIT;

	if (imported && !stats->changes && !stats->kept)
		return;
	kmv_buf_printf(&b,
		       dry_run ? P_("rules %s: %zu change would be made to ",
				    "rules %s: %zu changes would be made to ",
				    stats->changes)
			       : P_("rules %s: %zu change made to ",
				    "rules %s: %zu changes made to ",
				    stats->changes),
		       path, stats->changes);
	kmv_buf_printf(&b,
		       imported ? P_("%zu of %zu new record",
				     "%zu of %zu new records", stats->records)
				: P_("%zu of %zu record", "%zu of %zu records",
				     stats->records),
		       stats->changed, stats->records);
	if (stats->kept)
		kmv_buf_printf(&b,
			       P_("; %zu match left alone (corrected by hand)",
				  "; %zu matches left alone (corrected by "
				  "hand)",
				  stats->kept),
			       stats->kept);
	if (dry_run && !imported)
		kmv_buf_puts(&b, _("; dry run: nothing was changed"));
	cli_note(cli, "%s", b.ptr ? b.ptr : "");
	kmv_buf_dispose(&b);
}

int cmd_rules(int argc, char **argv, cli_state *cli)
{
	static const cli_verb verbs[] = {
		{ "apply", rules_apply },
	};

	return cli_dispatch_verbs(argc, argv, cli, verbs,
				  sizeof(verbs) / sizeof(verbs[0]));
}
