/* SPDX-License-Identifier: MIT */
/* One listing, as a JSON array, a table or lines (cli.h, cli_list), and
 * one JSON object as a command's result (cli_result). */
#include "cli.h"

#include <string.h>

void cli_list_init(cli_list *l, const cli_state *cli, size_t ncols,
		   const char *const *headers)
{
	l->as_json = cli->json;
	l->streamed = ncols == 0;
	l->count = 0;
	kmv_buf_init(&l->buf, 0);
	if (l->streamed)
		memset(&l->table, 0, sizeof(l->table));
	else
		cli_table_init(&l->table, ncols, headers);
	kmv_json_init(&l->json, &l->buf, false);
	if (l->as_json)
		kmv_json_array_begin(&l->json);
}

void cli_list_add(cli_list *l, const char *const *cells)
{
	l->count++;
	cli_table_add(&l->table, cells);
}

int cli_list_print(cli_list *l, cli_state *cli, size_t max_col_width,
		   const char *empty)
{
	if (l->as_json) {
		kmv_json_array_end(&l->json);
		if (kmv_json_finish(&l->json) < 0 ||
		    kmv_buf_putc(&l->buf, '\n') < 0)
			return cli_error_lib(KMV_ERROR);
		cli_write(&l->buf);
	} else if (l->streamed) {
		if (!l->count && empty)
			cli_printf("%s\n", empty);
	} else if (l->table.nrows <= 1 && empty) {
		cli_note(cli, "%s", empty);
	} else {
		cli_pager_start(cli);
		cli_table_print_tty(&l->table, stdout, max_col_width, cli);
		cli_pager_end();
	}
	return KMV_EXIT_OK;
}

void cli_list_dispose(cli_list *l)
{
	cli_table_dispose(&l->table);
	kmv_buf_dispose(&l->buf);
}

kmv_json *cli_result_begin(cli_result *r)
{
	kmv_buf_init(&r->buf, 0);
	kmv_json_init(&r->json, &r->buf, false);
	kmv_json_object_begin(&r->json);
	return &r->json;
}

int cli_result_print(cli_result *r)
{
	int ret = KMV_EXIT_OK;

	kmv_json_object_end(&r->json);
	if (kmv_json_finish(&r->json) < 0 || kmv_buf_putc(&r->buf, '\n') < 0)
		ret = cli_error_lib(KMV_ERROR);
	else
		cli_write(&r->buf);
	/* a result may carry a secret (init's recovery key) */
	kmv_buf_dispose_secure(&r->buf);
	return ret;
}
