/* SPDX-License-Identifier: MIT */
/* One listing, as a JSON array or a table (cli.h, cli_list). */
#include "cli.h"

void cli_list_init(cli_list *l, const cli_state *cli, size_t ncols,
		   const char *const *headers)
{
	l->as_json = cli->json;
	kmv_buf_init(&l->buf, 0);
	cli_table_init(&l->table, ncols, headers);
	kmv_json_init(&l->json, &l->buf, false);
	if (l->as_json)
		kmv_json_array_begin(&l->json);
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
