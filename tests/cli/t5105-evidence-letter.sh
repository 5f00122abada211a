#!/bin/sh
# The dispute letter (issue 14 point 2) on the planted scenario: a
# duplicate charge (KM007), an undelivered order (KM011) and a refund
# missing (KM013).  Each 申诉书 is wholly Chinese (no English words, no
# raw codes, no advice for the user), its brackets balance, it names the
# real shop, states the problem, lists the files with their hashes and
# asks for something; the PDF's CJK text is searchable.  A claim against
# the charge also gets a letter to the payment channel.  --claim, --basis,
# --lang en and a case's note and deadline.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-01T12:00:00+08:00
kmv_scenario matched

# check_chinese FILE: no English word, no raw code, balanced brackets
check_chinese() {
	# numbers (KM007, A007B), file names and SHA-256 are not words
	sed -E 's#[A-Za-z0-9_./-]+\.(json|csv|txt|pub|minisig|pdf)##g;
		s/[A-Za-z0-9_-]*[0-9][A-Za-z0-9_-]*//g; s/SHA-//g' "$1" > "$T/words"
	if grep -nE '[A-Za-z]{2,}' "$T/words" >&2; then
		fail "English words in $1"
	fi
	if grep -nE '[a-z]_[a-z]|\[[a-z]' "$1" >&2; then
		fail "raw codes in $1"
	fi
	grep -n '建议\|请核对\|草稿' "$1" >&2 && fail "advice for the user in $1"
	# mainland usage: 3月7日, not 03月07日; “” quotes, not 「」
	grep -nE '年0[0-9]月|月0[0-9]日' "$1" >&2 && fail "zero-padded dates in $1"
	grep -n '「' "$1" >&2 && fail "「」 quotes in $1"
	python3 - "$1" <<'PY' || fail "unbalanced brackets in $1"
import sys
pairs = {'）': '（', '」': '「', '”': '“', ')': '(', ']': '[', '》': '《', '】': '【'}
stack = []
for ch in open(sys.argv[1], encoding='utf-8').read():
    if ch in pairs.values():
        stack.append(ch)
    elif ch in pairs:
        if not stack or stack.pop() != pairs[ch]:
            sys.exit(1)
sys.exit(1 if stack else 0)
PY
}

for o in KM007 KM011 KM013; do
	expect_exit 0 kmv evidence create "$o" -o "$T/$o.zip"
	expect_in "$T/err" "fill in your name"
	bag_unpack "$T/$o.zip" "$T/$o"
	l="$T/$o/data/申诉书.txt"
	[ -f "$l" ] && [ -f "$T/$o/data/申诉书.pdf" ] || fail "$o: no letter"
	check_chinese "$l"
	expect_in "$l" "被申诉方：示例卡盟"
	expect_in "$l" "此致
示例卡盟"
	expect_in "$l" "申诉人：________"
	expect_in "$l" "一、事情经过"
	expect_in "$l" "二、存在的问题"
	expect_in "$l" "三、证据清单"
	expect_in "$l" "四、诉求"
	expect_in "$l" "五、依据"
	# a law quoted is quoted whole or with its rest marked ……
	grep '^[0-9]\. 《' "$l" | grep '“' | grep -v '。”\|……”' >&2 &&
		fail "$o: a quoted article stops short unmarked"
	# the hashes listed are the files' own
	sum=$(sha256sum "$T/$o/data/records.csv" | cut -d' ' -f1)
	expect_in "$l" "data/records.csv：全部相关记录明细表"
	expect_in "$l" "SHA-256 $sum"
	pdftotext -enc UTF-8 "$T/$o/data/申诉书.pdf" "$T/$o.pdf.txt"
	expect_in "$T/$o.pdf.txt" "被申诉方：示例卡盟"
	expect_in "$T/$o.pdf.txt" "存在的问题"
	expect_in "$T/$o.pdf.txt" "申诉书 · 第 1 页，共"
	# the timeline: Chinese quotes, brackets closed, no source codes
	# (the source files' names aside: alipay_scn.csv is no code)
	sed -E 's/[A-Za-z0-9_.-]+\.csv//g' "$T/$o/data/timeline.txt" > "$T/$o.timeline"
	check_chinese "$T/$o.timeline"
done

# duplicate charge: times, amounts, numbers; the claim; the channel letter
l="$T/KM007/data/申诉书.txt"
expect_in "$l" "申诉事项：订单 KM007 重复扣款"
expect_in "$l" "2024年3月7日 10:01，本人通过支付宝向“示例卡盟网络科技”付款 10.00 元，交易单号 A007A，商户单号 KM007。"
expect_in "$l" "被扣款 2 次，合计 20.00 元，其中 10.00 元为重复扣款。"
expect_in "$l" "请退还重复扣除的 10.00 元。"
# money taken twice: unjust enrichment, not the consumer law's prepayment
expect_in "$l" "《中华人民共和国民法典》第九百八十五条：“得利人没有法律根据取得不当利益的"
expect_not_in "$l" "消费者权益保护法"
c="$T/KM007/data/争议处理申请-支付宝.txt"
[ -f "$c" ] || fail "no letter to Alipay for a duplicate charge"
check_chinese "$c"
expect_in "$c" "受理方：支付宝 争议处理"
expect_in "$c" "涉及商户：示例卡盟"
expect_in "$c" "请对交易单号 A007B 的付款启动争议处理"
expect_in "$c" "《非银行支付机构网络支付业务管理办法》"

# undelivered: the shop's letter only, with the e-commerce law
l="$T/KM011/data/申诉书.txt"
expect_in "$l" "申诉事项：订单 KM011 付款后未发货"
expect_in "$l" "贵方至今未交付商品"
expect_in "$l" "《中华人民共和国电子商务法》第二十条"
expect_in "$l" "第五十一条：“合同标的为采用在线传输方式交付的"
expect_in "$l" "《中华人民共和国消费者权益保护法》第五十三条：“经营者以预收款方式提供商品或者服务的"
expect_in "$l" "请立即交付所购商品；如无法交付，请全额退还货款 12.00 元。"
[ ! -e "$T/KM011/data/争议处理申请-支付宝.txt" ] || fail "undelivered: a channel letter"

# refund missing
l="$T/KM013/data/申诉书.txt"
expect_in "$l" "申诉事项：订单 KM013 退款未到账"
expect_in "$l" "仍未退回本人账户"
expect_in "$l" "请退还货款 20.00 元，并告知退款的交易单号。"
expect_in "$l" "《中华人民共和国民法典》第五百七十七条：“当事人一方不履行合同义务或者履行合同义务不符合约定的，应当承担继续履行、采取补救措施或者赔偿损失等违约责任。”"
[ -f "$T/KM013/data/争议处理申请-支付宝.txt" ] || fail "refund missing: no channel letter"

# --claim and --basis (keys or a text); rules without a rules page is exit 2
expect_exit 0 kmv evidence create KM011 -o "$T/c.zip" --claim "请于三日内发货" \
	--basis ecommerce
bag_unpack "$T/c.zip" "$T/c"
expect_in "$T/c/data/申诉书.txt" "请于三日内发货"
expect_not_in "$T/c/data/申诉书.txt" "消费者权益保护法"
expect_exit 0 kmv evidence create KM011 -o "$T/c2.zip" --basis contract,enrichment
bag_unpack "$T/c2.zip" "$T/c2"
expect_in "$T/c2/data/申诉书.txt" "1. 《中华人民共和国民法典》第五百七十七条"
expect_in "$T/c2/data/申诉书.txt" "2. 《中华人民共和国民法典》第九百八十五条"
expect_exit 0 kmv evidence create KM011 -o "$T/d.zip" --basis "《某平台交易规则》第三条"
bag_unpack "$T/d.zip" "$T/d"
expect_in "$T/d/data/申诉书.txt" "《某平台交易规则》第三条"
expect_exit 2 kmv evidence create KM011 -o "$T/e.zip" --basis rules
expect_in "$T/err" "no rules page is attached"
[ ! -e "$T/e.zip" ] || fail "a bundle after a usage error"
expect_exit 2 kmv evidence create KM011 -o "$T/e.zip" --lang fr

# a case: its note and reply deadline
expect_exit 0 kmv case open KM011 --reason undelivered --note "客服三天未回复"
case_id=$(kmv --json case list | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
expect_exit 0 kmv evidence create "$case_id" -o "$T/case.zip"
bag_unpack "$T/case.zip" "$T/case"
l="$T/case/data/申诉书.txt"
check_chinese "$l"
expect_in "$l" "补充说明：客服三天未回复"
expect_in "$l" "请于 2024年4月10日 前书面答复。"

# --lang en: an English letter, whatever the locale
LANG=zh_CN.UTF-8 "$KMVAULT_BIN" evidence create KM007 -o "$T/en.zip" --lang en \
	</dev/null >/dev/null 2>&1 || fail "--lang en"
bag_unpack "$T/en.zip" "$T/en"
expect_in "$T/en/data/complaint.txt" "Respondent: 示例卡盟"
expect_in "$T/en/data/complaint.txt" "Subject: order KM007, duplicate charge"
expect_in "$T/en/data/complaint.txt" "The Civil Code of the PRC, Article 985"
pdftotext -enc UTF-8 "$T/en/data/complaint.pdf" "$T/en.pdf.txt"
expect_in "$T/en.pdf.txt" "Complaint · Page 1 of 1"
expect_not_in "$T/en.pdf.txt" "页"
[ -f "$T/en/data/payment-dispute-alipay.txt" ] || fail "no English channel letter"

# records.json: each link's explanation in the bundle's language, with
# the stored code and facts beside it (issue 14), under any locale.
links_say() { # BUNDLE_DIR LANG-CHECK
	python3 - "$1/data/records.json" "$2" <<'PY' || fail "links in $1: $2"
import json, re, sys
links = json.load(open(sys.argv[1], encoding="utf-8"))["links"]
assert links, "no links"
for l in links:
    assert l["reason"]["why"], l
    words = re.sub(r"[A-Za-z0-9_-]*[0-9][A-Za-z0-9_-]*", "", l["explanation"])
    english = re.search(r"[A-Za-z]{3,}", words)
    if (sys.argv[2] == "zh") == bool(english):
        sys.exit("%s: %s" % (sys.argv[2], l["explanation"]))
PY
}
links_say "$T/KM007" zh
links_say "$T/en" en
echo "ok"
