/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "kmv/error.h"

#include "kmv/case.h"

struct seen {
	int n;
	int64_t id, nrecords, amount;
	char deadline[16], status[32], order_no[32], note[64];
	bool closed;
};

static int collect(const kmv_case *c, void *payload)
{
	struct seen *s = payload;

	s->n++;
	s->id = c->id;
	s->nrecords = c->nrecords;
	s->amount = c->amount;
	s->closed = c->closed_at != NULL;
	snprintf(s->deadline, sizeof(s->deadline), "%s", c->deadline);
	snprintf(s->status, sizeof(s->status), "%s", c->status);
	snprintf(s->order_no, sizeof(s->order_no), "%s",
		 c->order_no ? c->order_no : "");
	snprintf(s->note, sizeof(s->note), "%s",
		 c->last_note ? c->last_note : "");
	return 0;
}

static int64_t open_case(kmv_test_vault *f, const char *order_no, int days)
{
	kmv_case_open_options co = KMV_CASE_OPEN_OPTIONS_INIT;
	int64_t id = 0;

	co.order_no = order_no;
	co.reason = "undelivered";
	co.reply_days = days;
	co.note = "paid, no card";
	assert_int_equal(kmv_case_open(&id, f->vault, &co), 0);
	return id;
}

static void add_order(kmv_test_vault *f)
{
	int64_t o, r;

	o = kmv_fix_at(f->vault, "order", "KM100", NULL, 1768528800, 4850,
		       "paid");
	kmv_fix_at(f->vault, "payment", NULL, "KM100", 1768528810, 4850, NULL);
	r = kmv_fix_at(f->vault, "receipt", NULL, NULL, 1768528900, 4850, NULL);
	kmv_fix_at(f->vault, "order", "KM200", NULL, 1768528800, 100,
		   "completed");
	/* the receipt names no order: only its link brings it to the case */
	kmv_fix_link(f->vault, o, r, "test");
}

static void test_case__open_gathers_records_and_deadline(void **state)
{
	kmv_test_vault *f = *state;
	struct seen s;
	int64_t id;

	add_order(f);
	/* Friday 2026-01-16: 7 working days -> Tuesday 2026-01-27. */
	setenv("KMVAULT_NOW", "2026-01-16T10:00:00+08:00", 1);
	id = open_case(f, "KM100", 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(kmv_case_foreach(f->vault, false, collect, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.id, id);
	assert_string_equal(s.deadline, "2026-01-27");
	assert_string_equal(s.status, "open");
	assert_string_equal(s.order_no, "KM100");
	assert_string_equal(s.note, "paid, no card");
	assert_int_equal(s.amount, 4850);
	/* order + payment carrying it + the linked receipt */
	assert_int_equal(s.nrecords, 3);
	assert_int_equal(kmv_test_int(f,
				      "SELECT count(*) FROM events WHERE "
				      "action = 'case_open'",
				      0),
			 1);
}

static void test_case__deadlines_around_weekends(void **state)
{
	kmv_test_vault *f = *state;
	struct seen s;

	add_order(f);
	/* Friday + 1 working day = Monday. */
	setenv("KMVAULT_NOW", "2026-01-16T23:30:00+08:00", 1);
	open_case(f, "KM100", 1);
	memset(&s, 0, sizeof(s));
	kmv_case_foreach(f->vault, false, collect, &s);
	assert_string_equal(s.deadline, "2026-01-19");
	/* Saturday + 3 = Wednesday; 2026-01-17T17:00Z is Sunday in CST. */
	setenv("KMVAULT_NOW", "2026-01-17T17:00:00Z", 1);
	open_case(f, "KM200", 3);
	assert_int_equal(
		kmv_test_int(f,
			     "SELECT deadline = '2026-01-21' FROM cases "
			     "WHERE id = 2",
			     0),
		1);
}

static void test_case__update_and_close(void **state)
{
	kmv_test_vault *f = *state;
	struct seen s;
	int64_t id;

	add_order(f);
	setenv("KMVAULT_NOW", "2026-01-16T10:00:00+08:00", 1);
	id = open_case(f, "KM100", 0);
	assert_int_equal(kmv_case_update(f->vault, id, "waiting_reply",
					 "sent the letter", 0),
			 0);
	/* A new window from Monday: 3 working days -> Thursday. */
	setenv("KMVAULT_NOW", "2026-01-19T09:00:00+08:00", 1);
	assert_int_equal(kmv_case_update(f->vault, id, NULL, NULL, 3), 0);
	memset(&s, 0, sizeof(s));
	kmv_case_foreach(f->vault, false, collect, &s);
	assert_string_equal(s.status, "waiting_reply");
	assert_string_equal(s.deadline, "2026-01-22");
	assert_string_equal(s.note, "sent the letter");
	assert_int_equal(kmv_case_close(f->vault, id, "open", NULL),
			 KMV_EUSAGE);
	assert_int_equal(kmv_case_close(f->vault, id, "rejected",
					"platform said no"),
			 0);
	memset(&s, 0, sizeof(s));
	kmv_case_foreach(f->vault, false, collect, &s);
	assert_int_equal(s.n, 0);
	kmv_case_foreach(f->vault, true, collect, &s);
	assert_int_equal(s.n, 1);
	assert_true(s.closed);
	assert_string_equal(s.status, "rejected");
	/* Reopening clears closed_at. */
	assert_int_equal(kmv_case_update(f->vault, id, "escalated", NULL, 0),
			 0);
	assert_int_equal(kmv_test_int(f, "SELECT closed_at IS NULL FROM cases",
				      0),
			 1);
	assert_int_equal(kmv_test_int(f, "SELECT count(*) FROM case_notes", 0),
			 5);
}

static void test_case__bad_input_changes_nothing(void **state)
{
	kmv_test_vault *f = *state;
	kmv_case_open_options co = KMV_CASE_OPEN_OPTIONS_INIT;
	int64_t id = 0, events;

	add_order(f);
	events = kmv_test_int(f, "SELECT count(*) FROM events", 0);
	co.order_no = "NOPE";
	co.reason = "undelivered";
	assert_int_equal(kmv_case_open(&id, f->vault, &co), KMV_ENOTFOUND);
	co.order_no = "KM100";
	co.reason = "angry";
	assert_int_equal(kmv_case_open(&id, f->vault, &co), KMV_EUSAGE);
	assert_int_equal(kmv_test_int(f, "SELECT count(*) FROM cases", 0), 0);
	assert_int_equal(kmv_case_update(f->vault, 9, "open", NULL, 0),
			 KMV_ENOTFOUND);
	co.reason = "other";
	assert_int_equal(kmv_case_open(&id, f->vault, &co), 0);
	assert_int_equal(kmv_case_update(f->vault, id, "lost", NULL, 0),
			 KMV_EUSAGE);
	assert_int_equal(kmv_case_update(f->vault, id, NULL, NULL, 0),
			 KMV_EUSAGE);
	/* only the one good open was audited */
	assert_int_equal(kmv_test_int(f, "SELECT count(*) FROM events", 0),
			 events + 1);
}

/* One open case per order: a second is refused and names the first. */
static void test_case__second_open_case_is_refused(void **state)
{
	kmv_test_vault *f = *state;
	kmv_case_open_options co = KMV_CASE_OPEN_OPTIONS_INIT;
	int64_t first, id = 0;

	add_order(f);
	first = open_case(f, "KM100", 3);
	co.order_no = "KM100";
	co.reason = "other";
	assert_int_equal(kmv_case_open(&id, f->vault, &co), KMV_EEXISTS);
	assert_non_null(
		strstr(kmv_error_last(), "already has an open case: case 1"));
	assert_int_equal(kmv_test_int(f, "SELECT count(*) FROM cases", 0), 1);
	/* another order is not affected; after closing, a new case is fine */
	co.order_no = "KM200";
	assert_int_equal(kmv_case_open(&id, f->vault, &co), 0);
	assert_int_equal(kmv_case_close(f->vault, first, "rejected", NULL), 0);
	co.order_no = "KM100";
	assert_int_equal(kmv_case_open(&id, f->vault, &co), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_case__open_gathers_records_and_deadline,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_case__deadlines_around_weekends,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(test_case__update_and_close,
						kmv_test_vault_setup,
						kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_case__bad_input_changes_nothing,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_case__second_open_case_is_refused,
			kmv_test_vault_setup, kmv_test_vault_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
