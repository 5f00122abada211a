/* SPDX-License-Identifier: MIT */
#ifndef KMV_MATCH_ANOMALIES_H
#define KMV_MATCH_ANOMALIES_H

#include "kmv/anomaly.h"

/*
 * kmv_anomalies_foreach() always loading the whole vault, even for one
 * order number (which it otherwise loads scoped, scope.c): the unit
 * tests compare the two.
 */
int kmv_anomalies__foreach_whole(kmv_vault *vault,
				 const kmv_anomaly_options *opts,
				 kmv_anomaly_cb cb, void *payload);

#endif
