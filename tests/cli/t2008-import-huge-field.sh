#!/bin/sh
# A field over 1 MiB is refused while it is read (exit 6 naming the file
# and the row's line; vault unchanged): a 15 MB cell used to cost 1.1 GB of
# memory and grow the vault by 54 MB.  A field just under the cap imports.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
mk() { # file, size of the product cell, quoted (0|1)
	python3 - "$@" <<'PY'
import sys
path, size, quoted = sys.argv[1], int(sys.argv[2]), sys.argv[3] == '1'
head = '订单号,商品名称,数量,订单金额,支付方式,下单时间,订单状态,卡密,店铺\n'
big = 'X' * size
if quoted:
    big = '"' + ('line\n' * (size // 5)) + '"'
rows = [
    'KM20240315000101,游戏点卡 50元,1,48.50,支付宝,2024-03-15 20:10:41,已完成,,示例卡盟\n',
    'KM20240320000202,%s,1,25.00,微信支付,2024-03-20 19:44:52,已完成,,示例卡盟\n' % big,
]
open(path, 'w', encoding='utf-8').write(head + ''.join(rows))
PY
}
vault_snapshot
mk "$T/huge.csv" $((15 << 20)) 0
expect_exit 6 kmv import --platform 示例卡盟 "$T/huge.csv"
expect_in "$T/err" "huge.csv:3"
expect_in "$T/err" "larger than 1 MiB"
vault_unchanged
mk "$T/lines.csv" $((3 << 20)) 1
expect_exit 6 kmv import --platform 示例卡盟 "$T/lines.csv"
expect_in "$T/err" "lines.csv:3"
expect_in "$T/err" "larger than 1 MiB"
vault_unchanged
mk "$T/fits.csv" $((1000 << 10)) 0
expect_exit 0 kmv import --platform 示例卡盟 "$T/fits.csv"
echo "ok"
