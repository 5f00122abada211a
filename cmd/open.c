/* SPDX-License-Identifier: MIT */
/* Opening and saving the vault for a command: the unlock agent's key,
 * the rollback mark, the writer lock, conflict copies. */
#include "cli.h"

#include <inttypes.h>
#include <string.h>

#include "kmv/agent.h"

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
	if (error == KMV_ENOTFOUND)
		return cli_error_no_vault(path);
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
	if ((ret = cli_unlock_secret(cli, &secret, &kind)) != 0)
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
