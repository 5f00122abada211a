#!/bin/sh
# E-mail receipts: the dujiaoka sample (multipart, base64, RFC 2047), UTF-8
# base64, GB2312-labelled quoted-printable read as GB18030, an HTML-only
# body, user rules; masking in show; re-imports idempotent by Message-ID.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
python3 "$KMV_TESTS/gen_order_fixtures.py" "$T/fx"

expect_exit 0 kmv --json import "$SAMPLES/receipt_dujiaoka.eml"
expect_in "$T/out" '"kind":"email","rows":1,"added":1,"duplicates":0'
expect_not_in "$T/out" 'DEMO-AAAA-BBBB-0001'
expect_exit 0 kmv --json show Q7M2K9X4T1B8C5D3
expect_in "$T/out" '"kind":"receipt","platform":"示例小铺"'
# The card e-mail leaves created_at empty: the time is the Date: header.
expect_in "$T/out" '"time":"2024-03-26T09:12:41+08:00","amount":"9.90"'
expect_in "$T/out" '"product":"示例会员月卡","quantity":1'
expect_in "$T/out" '"card_secret":"DEMO…0001"'
expect_in "$T/out" '"rule":"dujiaoka-card"'
expect_in "$T/out" '"file":"receipt_dujiaoka.eml"'
expect_not_in "$T/out" 'DEMO-AAAA-BBBB-0001'

expect_exit 0 kmv --json import "$T/fx/mail_utf8_b64.eml" "$T/fx/mail_gb18030_qp.eml" "$T/fx/mail_html_only.eml"
expect_in "$T/out" '"added":1'
expect_not_in "$T/out" '"added":0'
expect_exit 0 kmv --json show UTF8B64ORDER0001
expect_in "$T/out" '"platform":"测试商店"'
expect_in "$T/out" '"amount":"19.90"'
expect_in "$T/out" '"card_secret":"UTF8…0001, UTF8…0002"'
expect_exit 0 kmv --json show GBQP20240402
expect_in "$T/out" '"product":"国标充值卡"'
expect_in "$T/out" '"amount":"66.60"'
expect_in "$T/out" '"memo":"国标商城订单通知"'
expect_exit 0 kmv --json show HTMLONLY7788
expect_in "$T/out" '"amount":"35.00"'
expect_in "$T/out" '"product":"游戏月卡"'
expect_in "$T/out" '"memo":"Your order at 网页小店"'
expect_in "$T/out" '"time":"2024-04-03T12:00:00+00:00"'
expect_in "$T/out" '"card_secret":"HTML…1111, HTML…2222"'

# Re-import: idempotent by Message-ID.
expect_exit 0 kmv --json import "$SAMPLES/receipt_dujiaoka.eml" "$T/fx/mail_utf8_b64.eml"
expect_in "$T/out" '"rows":1,"added":0,"duplicates":1'
expect_not_in "$T/out" '"added":1'

# Unknown layout: kept as a source, reported, not an error; user rules
# understand it.
expect_exit 0 kmv --json import "$T/fx/mail_weird.eml"
expect_in "$T/out" '"added":0,"duplicates":0,"updated":0,"unrecognized":1'
expect_in "$T/err" 'no rule understood it'
expect_exit 0 kmv --json import --rules "$T/fx/my.rules" "$T/fx/mail_weird.eml"
expect_in "$T/out" '"added":1'
expect_exit 0 kmv --json show W777
expect_in "$T/out" '"platform":"WeirdShop"'
expect_in "$T/out" '"amount":"12.34"'
expect_in "$T/out" '"card_secret":"WEIR…ZZZZ, WEIR…YYYY"'

# Not mail at all, forced: exit 6; a broken rules file: exit 6; unchanged.
vault_snapshot
expect_exit 6 kmv import --kind email "$T/fx/not_mail.txt"
expect_in "$T/err" 'not_mail.txt:1: not an e-mail message'
expect_exit 6 kmv import --rules "$T/fx/bad.rules" "$T/fx/mail_weird.eml"
expect_in "$T/err" 'bad.rules:2: bad pattern'
vault_unchanged
