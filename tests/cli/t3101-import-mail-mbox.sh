#!/bin/sh
# An mbox of three messages (one unrecognized) and a Maildir: each message
# is its own source under the mbox; re-imports add nothing.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
python3 "$KMV_TESTS/gen_order_fixtures.py" "$T/fx"

expect_exit 0 kmv --json import "$T/fx/receipts.mbox"
expect_in "$T/out" '"kind":"email","rows":3,"added":2,"duplicates":0,"updated":0,"unrecognized":1'
expect_in "$T/err" 'receipts.mbox:'
expect_exit 0 kmv --json sources
expect_in "$T/out" '"kind":"mbox","name":"receipts.mbox"'
expect_in "$T/out" '"name":"receipts.mbox#1"'
expect_in "$T/out" '"name":"receipts.mbox#3"'
expect_exit 0 kmv --json show GBQP20240402
expect_in "$T/out" '"file":"receipts.mbox#2"'
expect_in "$T/out" '"parent_file":"receipts.mbox"'

expect_exit 0 kmv --json import "$T/fx/receipts.mbox"
expect_in "$T/out" '"added":0,"duplicates":2'

# Maildir: the folder imports cur/ and new/; the GB18030 message is known.
expect_exit 0 kmv --json import "$T/fx/Maildir"
expect_in "$T/out" '"added":1'
expect_in "$T/out" '"duplicates":1'
expect_exit 0 kmv --json show HTMLONLY7788
expect_in "$T/out" '"kind":"receipt"'
