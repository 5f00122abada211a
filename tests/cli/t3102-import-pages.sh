#!/bin/sh
# New sources through real libraries: a saved order page (.html, GBK,
# libxml2), the same page saved as one .mhtml file (GMime + libxml2), a
# PDF receipt (poppler-glib) and text pasted on standard input each give a
# receipt with order number, amount and time, kept as an original with its
# SHA-256 and linked to its payment by `match`.  Bad input: clear message,
# exit 6, vault unchanged.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-01T12:00:00+08:00
python3 "$KMV_TESTS/gen_page_fixtures.py" "$T/fx"

expect_exit 0 kmv --json import "$T/fx/order-page.html" "$T/fx/order-page.mhtml" "$T/fx/receipt.pdf"
expect_in "$T/out" '"kind":"page","rows":1,"added":1'
expect_in "$T/out" '"kind":"pdf","rows":1,"added":1'
expect_exit 0 kmv --json show PAGEORD20240326A1
expect_in "$T/out" '"kind":"receipt"'
expect_in "$T/out" '"time":"2024-03-26T10:00:05+08:00","amount":"19.90"'
expect_in "$T/out" '"card_secret":"PAGE…ABCD"'
# the <script>'s text is no order number
expect_not_in "$T/out" 'FAKE0000'
expect_in "$T/out" '"origin":{"order_no":"page text, rule web-page"'
expect_exit 0 kmv --json show MHTORD20240327B2
expect_in "$T/out" '"time":"2024-03-27T11:00:00+08:00","amount":"29.90"'
expect_exit 0 kmv --json show PDFRCPT2024032701
expect_in "$T/out" '"time":"2024-03-27T15:30:00+08:00","amount":"48.50"'
expect_in "$T/out" '"product":"Game card 50"'

# pasted text: a source named stdin-<time>
set +e
"$KMVAULT_BIN" --json import - < "$T/fx/pasted.txt" > "$T/out" 2> "$T/err"
rc=$?
set -e
[ $rc -eq 0 ] || { cat "$T/err"; fail "import - exit $rc"; }
expect_in "$T/out" '"file":"stdin-20240401T120000","kind":"text"'
expect_exit 0 kmv --json show PASTE20240328C3
expect_in "$T/out" '"amount":"9.90"'
expect_in "$T/out" '"time":"2024-03-28T09:00:00+08:00"'
expect_exit 0 kmv sources
expect_in "$T/out" 'stdin-20240401T120000'
sha=$(sha256sum "$T/fx/receipt.pdf" | cut -d' ' -f1)
expect_in "$T/out" "$sha"

# the payments: the page and the PDF link by merchant order number, the
# pasted order by amount and time
cat > "$T/pay.py" <<'PY'
import sys
TAB = "\t"
rows = [("2024-03-26 10:00:00", "示例小铺", "19.90", "B1", "PAGEORD20240326A1"),
        ("2024-03-27 15:29:00", "Example Shop", "48.50", "B2", "PDFRCPT2024032701"),
        ("2024-03-28 08:59:00", "示例小铺", "9.90", "B3", "")]
header = ["交易时间", "交易分类", "交易对方", "对方账号", "商品说明", "收/支", "金额",
          "收/付款方式", "交易状态", "交易订单号", "商家订单号", "备注"]
out = ["-" * 84, "导出信息：", "姓名：*示例", "支付宝账户：demo***@example.com",
       "起始时间：[2024-03-01 00:00:00]    终止时间：[2024-03-31 23:59:59]",
       "导出交易类型：[全部]", "导出时间：[2024-04-01 10:00:00]", "共3笔记录",
       "收入：0笔 0.00元", "支出：3笔 0.00元", "不计收支：0笔 0.00元", "", "特别提示："]
out += ["%d.本明细仅供个人对账使用。" % i for i in range(1, 10)]
out += ["", "-" * 24 + "支付宝（中国）网络技术有限公司  电子客户回单" + "-" * 24,
        ",".join(h + "  " for h in header) + ","]
for t, mer, amt, pno, mno in rows:
    out.append(",".join([t + " ", "充值缴费 ", mer + " ", "/ ", "商品 ", "支出 ", amt + " ",
                         "余额 ", "交易成功 ", pno + TAB, (mno or "       ") + TAB, "   "]) + ",")
sys.stdout.buffer.write(("\n".join(out) + "\n").encode("gbk"))
PY
python3 "$T/pay.py" > "$T/fx/alipay.csv"
expect_exit 0 kmv import "$T/fx/alipay.csv"
expect_exit 0 kmv --json match
expect_exit 0 kmv show PAGEORD20240326A1
expect_in "$T/out" 'merchant order no PAGEORD20240326A1 equals the order number'
expect_exit 0 kmv show PDFRCPT2024032701
expect_in "$T/out" 'merchant order no PDFRCPT2024032701 equals the order number'
expect_exit 0 kmv show PASTE20240328C3
expect_in "$T/out" 'same amount 9.90, paid 1 min before the receipt'

# bad input: a corrupt PDF, a page with no order, unreadable text
vault_snapshot
expect_exit 6 kmv import "$T/fx/broken.pdf"
expect_in "$T/err" 'broken.pdf: not a readable PDF'
expect_exit 6 kmv import "$T/fx/no-order.html"
expect_in "$T/err" "no-order.html: no order found in this page"
expect_in "$T/err" "kmvault attach ORDER FILE"
expect_exit 6 kmv import "$T/fx/garbage.html"
expect_in "$T/err" 'garbage.html'
printf 'just some words\n' > "$T/fx/notes.txt"
expect_exit 6 kmv import "$T/fx/notes.txt"
expect_in "$T/err" "notes.txt: not a supported source"
expect_not_in "$T/err" 'not an order export'
vault_unchanged

# a screenshot: the receipt rendered to PNG, read by Tesseract; each field
# keeps the OCR's confidence; the image is the source
pdftoppm -png -r 150 -singlefile "$T/fx/receipt.pdf" "$T/fx/shot"
expect_exit 0 kmv --json import "$T/fx/shot.png"
expect_in "$T/out" '"kind":"image","rows":1'
expect_exit 0 kmv --json show PDFRCPT2024032701
expect_in "$T/out" '"file":"shot.png"'
expect_in "$T/out" '"ocr_confidence":{"order_no":'
expect_exit 0 kmv sources
sha=$(sha256sum "$T/fx/shot.png" | cut -d' ' -f1)
expect_in "$T/out" "$sha"

# bad images: corrupt, 200 megapixels (refused from the header alone)
vault_snapshot
expect_exit 6 kmv import "$T/fx/broken.png"
expect_in "$T/err" 'broken.png: not a readable image'
expect_exit 6 kmv import "$T/fx/huge.png"
expect_in "$T/err" 'huge.png: image of 20000 x 10000 pixels (200 megapixels)'
vault_unchanged
echo ok
