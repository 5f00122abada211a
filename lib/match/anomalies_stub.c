/* SPDX-License-Identifier: MIT */
/* Placeholder until anomaly detection lands (issue 5): finds nothing. */
#include "common.h"
#include "kmv/anomaly.h"

int kmv_anomalies_foreach(kmv_vault *vault, const kmv_anomaly_options *opts,
			  kmv_anomaly_cb cb, void *payload)
{
	(void)vault;
	(void)opts;
	(void)cb;
	(void)payload;
	return 0;
}
