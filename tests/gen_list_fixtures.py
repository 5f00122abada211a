#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the order-list fixtures of tests/data/pages (see its README).

acg-faka's member order list (用户中心 → 购买记录,
app/View/User/Theme/Cartoon/User/PurchaseRecord.html with
assets/user/controller/user/purchase.record.js): a bootstrap-table of one
row per order, columns 订单号, 商品, 类别/SKU, 数量, 金额, 支付方式, 付款状态,
发货状态, 操作, no labels in the rows.  Written as the browser saves the
rendered page (.html: bootstrap-table's <th><div class="th-inner">, the
product as format.item's picture and name, the amount as format.money's
"¥" + the number without trailing zeros) and as Chrome prints it to PDF
(the cells drawn at their columns, the print header and footer: date,
title, address, page).  The PDF is written by hand: a Type0 font with
Identity-H codes (the code of a character is its Unicode value) and a
ToUnicode map, so poppler reads the Chinese text; the font is not
embedded (text extraction does not need it).  An empty list (the
"没有找到匹配的记录" row) for the no-order check.  All data is invented.
stdlib only.

usage: gen_list_fixtures.py OUTDIR
"""
import os
import sys
import zlib

from gen_page_fixtures import pdf_file  # the same file layout as the other page fixtures

SHOP = "异次元小店"
# trade_no, commodity, sku, card_num, amount, pay, status, delivery_status
ORDERS = [
    ("512240326101200733", "爱奇艺黄金会员月卡", "-", 1, "9.9", "支付宝", "已支付", "已发货"),
    ("287240327193000115", "腾讯视频VIP季卡（手动充值）", "-", 1, "30", "支付宝", "已支付", "未发货"),
    ("903240328110000402", "网易云音乐黑胶VIP月卡", "-", 1, "12", "支付宝", "未支付", "未发货"),
]
HEAD = ["订单号", "商品", "类别/SKU", "数量", "金额", "支付方式", "付款状态", "发货状态", "操作"]
FIELDS = ["trade_no", "commodity", "sku", "card_num", "amount", "pay", "status",
          "delivery_status", "secret"]


def html(orders):
    th = "".join('<th data-field="%s"><div class="th-inner ">%s</div>'
                 '<div class="fht-cell"></div></th>' % (f, h) for f, h in zip(FIELDS, HEAD))
    rows = []
    for i, (no, name, sku, num, amt, pay, st, dst) in enumerate(orders):
        button = ('<a class="text-primary" href="javascript:void(0);" title="查看卡密">'
                  '<i class="fa-duotone fa-regular fa-eye"></i></a>') if st == "已支付" and dst == "已发货" else ""
        rows.append(
            '<tr data-index="%d">' % i +
            "<td>%s</td>" % no +
            '<td><span class="table-item"><img src="/assets/static/images/commodity/%d.png" '
            'class="table-item-icon"><span class="table-item-name">%s</span></span></td>' % (i + 1, name) +
            "<td>%s</td>" % sku +
            "<td>%d</td>" % num +
            '<td><span style="color: green;font-weight: bolder;">¥%s</span></td>' % amt +
            '<td><span class="pay-item"><img src="/assets/static/images/pay/alipay.png" '
            'class="item-icon"><span class="item-name">%s</span></span></td>' % pay +
            "<td>%s</td><td>%s</td>" % (st, dst) +
            "<td>%s</td></tr>" % button)
    if not orders:
        rows.append('<tr class="no-records-found"><td colspan="9">没有找到匹配的记录</td></tr>')
        pag = ""
    else:
        pag = ('<div class="fixed-table-pagination"><div class="float-left pagination-detail">'
               '<span class="pagination-info">显示第 1 到第 %d 条记录，总共 %d 条记录</span></div>'
               '<div class="float-right pagination"><ul class="pagination">'
               '<li class="page-item active"><a class="page-link" href="#">1</a></li></ul></div></div>'
               % (len(orders), len(orders)))
    return ("""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>购买记录 - %s</title>
<link rel="stylesheet" href="/assets/user/css/index.css">
<script>var CONFIG = {"tradeNo": "000000000000000000"};</script></head>
<body><div class="uc-main">
    <div class="uc-card">
        <div class="uc-card__head">
            <span class="material-icons-outlined">shopping_bag</span>
            <span class="uc-card__title">购买记录</span>
        </div>
        <div class="uc-card__body">
<div class="bootstrap-table bootstrap5"><div class="fixed-table-container"><div class="fixed-table-body">
<table id="bill-table" class="table table-bordered table-hover"><thead><tr>%s</tr></thead>
<tbody>%s</tbody></table></div>%s</div></div>
        </div>
    </div>
</div>
</body></html>
""" % (SHOP, th, "".join(rows), pag)).encode("utf-8")


def text_obj(x, y, s, size):
    hexs = "".join("%04X" % ord(c) for c in s)
    return "BT /F1 %d Tf %.1f %.1f Td <%s> Tj ET\n" % (size, x, y, hexs)


def pdf(orders):
    cols = [40, 200, 380, 440, 480, 530, 600, 670]  # the 操作 column prints an icon only
    content = ""
    used = set()

    def put(x, y, s, size=10):
        nonlocal content
        content += text_obj(x, y, s, size)
        used.update(s)

    # Chrome's print header and footer
    put(20, 575, "2024/3/29 12:00", 8)
    put(380, 575, "购买记录 - " + SHOP, 8)
    put(20, 15, "https://shop.example.com/user/purchaseRecord", 8)
    put(800, 15, "1/1", 8)
    put(40, 530, "购买记录", 14)
    y = 500
    for x, h in zip(cols, HEAD):
        put(x, y, h)
    for no, name, sku, num, amt, pay, st, dst in orders:
        y -= 24
        for x, v in zip(cols, [no, name, sku, str(num), "¥" + amt, pay, st, dst]):
            put(x, y, v)
    put(40, y - 30, "显示第 1 到第 %d 条记录，总共 %d 条记录" % (len(orders), len(orders)))
    stream = zlib.compress(content.encode("ascii"))
    codes = sorted(ord(c) for c in used)
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n")
    for i in range(0, len(codes), 100):
        chunk = codes[i:i + 100]
        cmap += "%d beginbfchar\n" % len(chunk)
        cmap += "".join("<%04X> <%04X>\n" % (c, c) for c in chunk)
        cmap += "endbfchar\n"
    cmap += "endcmap CMapName currentdict /CMap defineresource pop end end\n"
    narrow = " ".join("%d [500]" % c for c in codes if c < 0x100)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /NotoSansCJKsc-Regular "
        b"/Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        ("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NotoSansCJKsc-Regular "
         "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
         "/FontDescriptor 8 0 R /CIDToGIDMap /Identity /DW 1000 /W [%s] >>" % narrow).encode("ascii"),
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap.encode("ascii") + b"\nendstream",
        b"<< /Type /FontDescriptor /FontName /NotoSansCJKsc-Regular /Flags 4 "
        b"/FontBBox [-1000 -300 2000 1100] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 700 /StemV 80 >>",
        b"<< /Title <FEFF" + "".join("%04X" % ord(c) for c in "购买记录 - " + SHOP).encode("ascii") +
        b"> /Producer (Skia/PDF m120) /Creator (Mozilla/5.0) >>",
    ]
    return pdf_file(objs)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen_list_fixtures.py OUTDIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in (("acg-faka_purchase_record.html", html(ORDERS)),
                       ("acg-faka_purchase_record.pdf", pdf(ORDERS)),
                       ("acg-faka_purchase_record_empty.html", html([]))):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
