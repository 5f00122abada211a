/* SPDX-License-Identifier: MIT */
/*
 * kmvault evidence create|stamp|verify|pubkey: signed evidence bundles.
 *
 * The table row is CLI_CMD_NO_VAULT because the verbs differ: create
 * opens the vault for writing (it may make the signing key and it
 * appends an audit event), pubkey reads it, stamp and verify need no
 * vault and no passphrase at all.
 */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <string.h>

#include "kmv/evidence.h"
#include "kmvutil/json.h"

/* What the user must know about the bundle just made (stderr). */
static void created_warnings(cli_state *cli, const kmv_evidence_result *res,
			     bool unmasked)
{
	if (res->sources_included && unmasked)
		cli_warn(
			"the bundle holds %lld original source file(s) unmasked: "
			"every card secret in them, other orders' too, goes to "
			"whoever receives it",
			(long long)res->sources_included);
	else if (res->sources_included)
		cli_warn(
			"the %lld source file(s) in the bundle are copies with %lld "
			"card secret(s) masked: they differ from the originals "
			"(their SHA-256 is the copy's; the excerpts name the "
			"original's)",
			(long long)res->sources_included,
			(long long)res->secrets_masked);
	if (res->key_created)
		cli_note(cli,
			 "made the vault's signing key %s (see 'kmvault "
			 "evidence pubkey')",
			 res->key_id);
}

/* The bundle's path on stdout, then what to do with it (stderr). */
/* The bundle's target in the reader's words ("订单 KM…", "case 3"). */
static void target_words(kmv_buf *out, const kmv_evidence_result *res)
{
	if (res->target_case_id)
		kmv_buf_printf(out, _("case %lld"),
			       (long long)res->target_case_id);
	else
		kmv_buf_printf(out, _("order %s"),
			       res->target_order_no ? res->target_order_no
						    : "?");
}

static void created_next_steps(cli_state *cli, const kmv_evidence_result *res,
			       const kmv_evidence_options *eo)
{
	kmv_buf target = KMV_BUF_INIT;

	printf("%s\n", res->path);
	target_words(&target, res);
	cli_note(cli,
		 "bundle for %s: %lld records, %lld files, signed by "
		 "key %s",
		 target.ptr ? target.ptr : "", (long long)res->records,
		 (long long)res->files, res->key_id);
	kmv_buf_dispose(&target);
	/* what to do next belongs here, never in the letter */
	if (eo->sender_name && *eo->sender_name && eo->sender_phone &&
	    *eo->sender_phone)
		cli_note(cli, "%s",
			 _("the letter is data/申诉书.txt (and "
			   ".pdf) in the bundle, with your name and contact "
			   "from the config's [letter] section: sign it and "
			   "send it with the bundle; a 争议处理申请 file, when "
			   "present, goes to the payment channel if the shop "
			   "does not answer"));
	else
		cli_note(
			cli, "%s",
			_("the letter is data/申诉书.txt (and .pdf) in the "
			  "bundle: fill in your name and contact in the blanks "
			  "(________), sign it and send it with the bundle; a "
			  "争议处理申请 file, when present, goes to the payment "
			  "channel if the shop does not answer (or set them once "
			  "with 'kmvault config set letter.name NAME' and "
			  "letter.phone, letter.address, letter.email)"));
	cli_note(cli,
		 "timestamp query: %s (send it to a TSA, then "
		 "'kmvault evidence stamp %s REPLY.tsr')",
		 res->tsq_path, res->path);
}

static int created_json(const kmv_evidence_result *res)
{
	cli_result r;
	kmv_json *j = cli_result_begin(&r);

	kmv_json_kv_string(j, "file", res->path);
	kmv_json_kv_string(j, "target", res->target);
	kmv_json_kv_string(j, "sha256", res->sha256);
	kmv_json_kv_int(j, "records", res->records);
	kmv_json_kv_int(j, "files", res->files);
	kmv_json_kv_int(j, "payload_bytes", res->payload_bytes);
	kmv_json_kv_string(j, "key_id", res->key_id);
	kmv_json_kv_string(j, "tsq", res->tsq_path);
	return cli_result_print(&r);
}

static int create(int argc, char **argv, cli_state *cli)
{
	kmv_evidence_options eo = KMV_EVIDENCE_OPTIONS_INIT;
	kmv_evidence_result res = KMV_EVIDENCE_RESULT_INIT;
	kmv_vault *vault = NULL;
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'o': eo.output = optarg; break;
		case 'c': eo.claim = optarg; break;
		case 'b': eo.basis = optarg; break;
		case 'l': {
			kmv_lang lang;

			if (kmv_lang_parse(&lang, optarg) < 0)
				return cli_error_usage(
					_("--lang wants zh or en, not '%s'"),
					optarg);
			eo.lang = (int)lang;
			break;
		}
		case 'i': eo.include_sources = true; break;
		case 'U':
			eo.include_sources = eo.unmasked_sources = true;
			break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind + 1 != argc)
		return cli_error_usage(
			"evidence create needs one ORDER_NO or CASE_ID");
	/* the letter's sender, when the config has a [letter] section */
	eo.sender_name = cli_config_get("letter.name");
	eo.sender_phone = cli_config_get("letter.phone");
	eo.sender_email = cli_config_get("letter.email");
	eo.sender_address = cli_config_get("letter.address");
	eo.sender_id_number = cli_config_get("letter.id_number");
	cli->mode = CLI_CMD_VAULT_RW;
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	error = kmv_evidence_create(&res, vault, argv[optind], &eo);
	if (error < 0)
		return cli_error_lib(error);
	/* Saved first (key + event), then the bundle gets its name. */
	if ((ret = cli_save(cli)) != 0)
		goto done;
	if ((error = kmv_evidence_publish(&res)) < 0) {
		ret = cli_error_lib(error);
		goto done;
	}
	created_warnings(cli, &res, eo.unmasked_sources);
	if (cli->json)
		ret = created_json(&res);
	else
		created_next_steps(cli, &res, &eo);
done:
	kmv_evidence_result_dispose(&res);
	return ret;
}

static int stamp(int argc, char **argv, cli_state *cli)
{
	kmv_buf when = KMV_BUF_INIT;
	int c, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1)
		return cli_opt_done(c, cli);
	if (argc != 3)
		return cli_error_usage(
			"evidence stamp needs BUNDLE and REPLY.tsr");
	error = kmv_evidence_stamp(argv[1], argv[2], &when);
	if (error < 0) {
		kmv_buf_dispose(&when);
		return cli_error_lib(error);
	}
	if (cli->json) {
		cli_result r;
		kmv_json *j = cli_result_begin(&r);

		kmv_json_kv_string(j, "file", argv[1]);
		kmv_json_kv_string(j, "timestamp", when.ptr);
		(void)cli_result_print(&r);
	} else {
		cli_note(cli, "stamped %s: timestamp %s", argv[1], when.ptr);
	}
	kmv_buf_dispose(&when);
	return KMV_EXIT_OK;
}

static int verify(int argc, char **argv, cli_state *cli)
{
	kmv_evidence_verify_result res = KMV_EVIDENCE_VERIFY_RESULT_INIT;
	const char *pubkey = NULL, *ca = NULL;
	int c, ret = KMV_EXIT_OK, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'p': pubkey = optarg; break;
		case 'C': ca = optarg; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind + 1 != argc)
		return cli_error_usage("evidence verify needs one FILE");
	error = kmv_evidence_verify(&res, argv[optind], pubkey, ca);
	if (cli->json) {
		cli_result r;
		kmv_json *j = cli_result_begin(&r);

		kmv_json_kv_string(j, "file", argv[optind]);
		kmv_json_kv_bool(j, "valid", error == 0);
		if (error < 0) {
			kmv_json_kv_string(j, "bad_path", res.bad_path);
			kmv_json_kv_string(j, "error", kmv_error_last());
		} else {
			kmv_json_kv_int(j, "files", res.files);
			kmv_json_kv_int(j, "tag_files", res.tag_files);
			kmv_json_kv_string(j, "key_id", res.key_id);
			kmv_json_kv_bool(j, "external_key", res.external_key);
			kmv_json_kv_string(j, "trusted_comment",
					   res.trusted_comment);
			kmv_json_kv_bool(j, "timestamped", res.timestamped);
			if (res.timestamped) {
				kmv_json_kv_string(j, "timestamp",
						   res.timestamp);
				kmv_json_kv_bool(j, "tsa_chain_verified",
						 res.tsa_chain_verified);
			}
		}
		(void)cli_result_print(&r);
	}
	if (error < 0) {
		ret = cli_error_lib(error);
		goto done;
	}
	if (!cli->json) {
		cli_put_clean(stdout, argv[optind]);
		printf(_(": OK: %lld payload files and %lld tag files verified, "
			 "signed by key %s%s\n"),
		       (long long)res.files, (long long)res.tag_files,
		       res.key_id,
		       res.external_key ? ""
					: _(" (the bundle's own key: pass "
					    "--pubkey to check who signed)"));
		/* minisign's label (`minisign -V` prints "trusted
		 * comment: "), then the signed text as it is */
		fputs(_("trusted comment: "), stdout);
		cli_put_clean(stdout,
			      res.trusted_comment); /* the signer's text */
		fputc('\n', stdout);
		if (res.timestamped)
			printf(_("timestamp: %s%s\n"), res.timestamp,
			       res.tsa_chain_verified
				       ? _(" (TSA chain verified)")
				       : _(" (TSA signature checked; pass --tsa-ca to check its chain)"));
	}
done:
	kmv_evidence_verify_result_dispose(&res);
	return ret;
}

static int pubkey(int argc, char **argv, cli_state *cli)
{
	kmv_vault *vault = NULL;
	kmv_buf out = KMV_BUF_INIT;
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1)
		return cli_opt_done(c, cli);
	if (argc != 1)
		return cli_error_extra_arg(argv[1]);
	cli->mode = CLI_CMD_VAULT_RO;
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	error = kmv_evidence_pubkey(&out, vault, false, NULL);
	if (error < 0)
		ret = cli_error_lib(error);
	else
		cli_write(&out);
	kmv_buf_dispose(&out);
	return ret;
}

int cmd_evidence(int argc, char **argv, cli_state *cli)
{
	static const cli_verb verbs[] = {
		{ "create", create },
		{ "pubkey", pubkey },
		{ "stamp", stamp },
		{ "verify", verify },
	};

	return cli_dispatch_verbs(argc, argv, cli, verbs,
				  sizeof(verbs) / sizeof(verbs[0]));
}
