/* SPDX-License-Identifier: MIT */
/*
 * Retention with restic's `forget` semantics.  Backups are walked newest
 * first; each rule remembers the bucket of the last backup it kept and
 * how many buckets it may still keep.  A backup whose bucket differs from
 * a rule's last one is kept by that rule (and uses up one of its
 * buckets), so each rule keeps the newest backup of its N most recent
 * buckets that have backups.  A backup kept by any rule is kept (rules
 * are ORed).  Buckets are calendar ones in UTC: days, ISO weeks (Monday
 * 00:00 to Sunday 23:59:59) and months.
 */
#include "common.h"
#include "kmv/backup.h"
#include "kmvutil/datetime.h"

enum { RULE_DAILY, RULE_WEEKLY, RULE_MONTHLY, RULE_COUNT };

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int64_t bucket_of(int rule, int64_t epoch)
{
	int64_t days = floor_div(epoch, 86400);
	int64_t y;
	unsigned m, d;

	switch (rule) {
	case RULE_DAILY: return days;
	case RULE_WEEKLY:
		/* 1970-01-01 was a Thursday: day -3 is the Monday of its week. */
		return floor_div(days + 3, 7);
	default:
		kmv_civil_from_days(days, &y, &m, &d);
		return y * 12 + (int64_t)m - 1;
	}
}

bool kmv_retention_active(const kmv_retention *r)
{
	return r && (r->keep_daily >= 0 || r->keep_weekly >= 0 ||
		     r->keep_monthly >= 0);
}

int kmv_retention_apply(bool *keep, const int64_t *created, size_t count,
			const kmv_retention *rules)
{
	return kmv_retention_apply_generations(keep, created, NULL, count,
					       rules);
}

/* Is backup a newer than backup b? */
static bool newer(const int64_t *created, const uint64_t *generation, size_t a,
		  size_t b)
{
	if (created[a] != created[b])
		return created[a] > created[b];
	return generation && generation[a] > generation[b];
}

int kmv_retention_apply_generations(bool *keep, const int64_t *created,
				    const uint64_t *generation, size_t count,
				    const kmv_retention *rules)
{
	size_t *order = NULL;
	int left[RULE_COUNT];
	int64_t last[RULE_COUNT];
	bool has_last[RULE_COUNT] = { false, false, false };
	int error = 0;

	KMV_ASSERT_ARG(keep && (created || count == 0) && rules);
	for (size_t i = 0; i < count; i++)
		keep[i] = !kmv_retention_active(rules);
	if (count == 0 || !kmv_retention_active(rules))
		return 0;
	order = malloc(count * sizeof(*order));
	if (!order)
		return kmv_error_nomem();
	/* Newest first (insertion sort: backup directories are small). */
	for (size_t i = 0; i < count; i++) {
		size_t j = i;

		while (j > 0 && newer(created, generation, i, order[j - 1])) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	left[RULE_DAILY] = rules->keep_daily;
	left[RULE_WEEKLY] = rules->keep_weekly;
	left[RULE_MONTHLY] = rules->keep_monthly;
	keep[order[0]] = true; /* the newest backup is never pruned */
	for (size_t n = 0; n < count; n++) {
		size_t i = order[n];

		for (int r = 0; r < RULE_COUNT; r++) {
			int64_t b;

			if (left[r] <= 0)
				continue;
			b = bucket_of(r, created[i]);
			if (has_last[r] && b == last[r])
				continue;
			keep[i] = true;
			last[r] = b;
			has_last[r] = true;
			left[r]--;
		}
	}
	free(order);
	return error;
}
