#!/bin/sh
# export --format beancount|ledger (issue 15 point 8): one transaction per
# payment, refunds as reversals, order numbers as metadata and links;
# bean-check and hledger accept the files, and their Expenses + Income
# equal summary's net (the report's headline) for the same period.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-20T12:00:00+08:00
command -v bean-check >/dev/null || fail "bean-check missing (Debian beancount; scripts/install-deps.sh)"
command -v hledger >/dev/null || fail "hledger missing (scripts/install-deps.sh)"

# fen NUMBER: "-79.80" -> -7980 (bean-query's "(empty)" sum is 0)
fen() { python3 -c 'import sys; v = sys.argv[1].replace(",", ""); print(0 if v in ("", "(empty)") else round(float(v) * 100))' "$1"; }

# check MONTH: both ledgers valid, totals = summary's
check() {
	expect_exit 0 kmv --json summary --month "$1"
	net=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"]["net"])' "$T/out")
	back=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"]["back"])' "$T/out")
	count=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"]["count"])' "$T/out")
	expect_exit 0 kmv export --month "$1" --format beancount -o "$T/m.beancount"
	bean-check "$T/m.beancount" > "$T/bc.err" 2>&1 || { cat "$T/bc.err" >&2; fail "bean-check rejects the $1 export"; }
	expect_exit 0 kmv export --month "$1" --format ledger -o "$T/m.journal"
	hledger -f "$T/m.journal" check > "$T/hl.err" 2>&1 || { cat "$T/hl.err" >&2; fail "hledger rejects the $1 export"; }
	# one transaction per row that counts
	[ "$(grep -c '^[0-9-]* \*' "$T/m.journal")" = "$count" ] || fail "transactions != summary's $count rows ($1)"
	# hledger: Expenses + Income = net; Assets = -net
	got=$(hledger -f "$T/m.journal" bal Expenses Income -O csv | tail -n 1 | tr -d '"' | cut -d, -f2 | sed 's/ CNY//')
	[ "$(fen "$got")" = "$(fen "$net")" ] || fail "hledger Expenses+Income $got != summary net $net ($1)"
	got=$(hledger -f "$T/m.journal" bal Assets -O csv | tail -n 1 | tr -d '"' | cut -d, -f2 | sed 's/ CNY//')
	[ "$(fen "$got")" = "$(( - $(fen "$net") ))" ] || fail "hledger Assets $got != -net ($1)"
	# beancount: the same sums through bean-query
	got=$(bean-query -q -f csv "$T/m.beancount" \
		"SELECT sum(number) AS n WHERE account ~ '^(Expenses|Income)'" | tail -n 1)
	[ "$(fen "${got:-0}")" = "$(fen "$net")" ] || fail "beancount Expenses+Income $got != net $net ($1)"
	# refunds and income are the money coming back
	got=$(bean-query -q -f csv "$T/m.beancount" \
		"SELECT sum(number) AS n WHERE account ~ '^Assets' AND number > 0" | tail -n 1)
	[ "$(fen "${got:-0}")" = "$(fen "$back")" ] || fail "beancount money back $got != $back ($1)"
}

# 1. the samples: charges, an income, a closed purchase and its refund (not there)
kmv import "$SAMPLES/alipay_2024-03.csv" "$SAMPLES/wechat_2024-03.csv" \
	"$SAMPLES/orders_example-shop.csv" "$SAMPLES/dujiaoka_orders.csv" \
	"$SAMPLES/receipt_dujiaoka.eml" >/dev/null 2>&1
check 2024-03
expect_in "$T/m.beancount" 'Assets:Alipay'
expect_in "$T/m.beancount" 'Expenses:Games:Cards'
expect_in "$T/m.beancount" '^order-KM20240315000101'
expect_in "$T/m.beancount" 'trade-no: "2024031522001100009999000003"'
expect_not_in "$T/m.beancount" "洗衣液"        # closed: not a transaction
expect_not_in "$T/m.beancount" "CARD-5O-AAAA-0001"
expect_in "$T/m.journal" "; order-no: KM20240315000101"
# the dujiaoka order (paid, no payment record) carries its e-mail receipt
grep -B3 -A6 'order-no: "Q7M2K9X4T1B8C5D3"' "$T/m.beancount" | grep -q 'receipt-id: "' ||
	fail "the receipt is not the order's metadata"
expect_in "$T/m.journal" "; receipt-id: "
expect_exit 0 kmv export --month 2024-03 --format ledger -o -
expect_in "$T/out" "Income:Other"

# 1b. accounts from the config file's [ledger] section (defaults for the rest)
expect_exit 0 kmv config set ledger.alipay Assets:Bank:支付宝
expect_exit 0 kmv config set ledger.income Income:Reimbursements
expect_exit 0 kmv config set ledger.categories "餐饮=Expenses:Food:Lunch, 点卡=Expenses:Fun:游戏"
expect_exit 2 kmv config set ledger.wechat wechat
expect_in "$T/err" "ledger.wechat must be a ledger account"
expect_exit 2 kmv config set ledger.categories "餐饮"
expect_in "$T/err" "'餐饮' is not WORD=Account"
check 2024-03
expect_in "$T/m.beancount" '1970-01-01 open Assets:Bank:支付宝 CNY'
expect_in "$T/m.beancount" 'Income:Reimbursements'
expect_in "$T/m.beancount" 'Expenses:Food:Lunch'
expect_in "$T/m.beancount" 'Expenses:Fun:游戏'
expect_not_in "$T/m.beancount" 'Assets:Alipay'
expect_in "$T/m.beancount" 'Assets:WeChat'
expect_in "$T/m.journal" 'Assets:Bank:支付宝'
expect_in "$T/m.journal" 'Income:Reimbursements'
# a bad account written into the file by hand: named, exit 2, no export
printf '[ledger]\njd = jd-account\n' >> "$XDG_CONFIG_HOME/kmvault/config"
expect_exit 2 kmv export --month 2024-03 --format ledger -o "$T/bad.journal"
expect_in "$T/err" "ledger.jd must be a ledger account"
[ ! -e "$T/bad.journal" ] || fail "an export with a bad account was written"
rm -f "$XDG_CONFIG_HOME/kmvault/config"

# 2. a refund in March of a February charge: a reversal in March
export KMVAULT_VAULT="$T/v2.kmv"
kmv init --kdf interactive --recovery-key-out "$T/rec2" >/dev/null 2>&1
python3 - "$KMV_TESTS" "$T/cross.csv" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import gen_match_fixtures as g
g.ALIPAY = [
    ("2024-02-20 10:01:00", "充值缴费", g.CO, "游戏点卡 40元", "支出", "40.00", "交易成功", "B001", "KM101"),
    ("2024-03-02 10:00:00", "退款", g.CO, "退款-游戏点卡 \"40\"元", "不计收支", "40.00", "退款成功", "B001_1709344800", "KM101"),
    ("2024-03-05 12:00:00", "餐饮美食", "示例面馆", "午餐", "支出", "30.00", "交易成功", "B004", "T1"),
]
open(sys.argv[2], "wb").write(g.alipay())
PY
kmv import "$T/cross.csv" >/dev/null 2>&1
check 2024-02
check 2024-03
expect_in "$T/m.beancount" "#refund"
grep -A8 '#refund' "$T/m.beancount" | grep -q 'Assets:Alipay  *40.00 CNY' || fail "refund not a reversal into Alipay"

# 3. the match fixtures after match
kmv_new_vault "$T/v3.kmv" "$T/rec3"
kmv_scenario matched
check 2024-03

expect_exit 2 kmv export --month 2024-03 --format gnucash -o "$T/x"
expect_in "$T/err" "beancount or ledger"
