#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate order-export and e-mail fixtures for the orders/mail/show tests.

Usage: gen_order_fixtures.py OUTDIR

Everything is synthetic (invented shops, numbers and card secrets) and
written in the real formats: CSV in UTF-8 / GB18030, tab-separated with a
custom profile, dujiaoka rows as JSON and XLSX (zipfile + XML strings),
and e-mails as .eml, mbox and a Maildir.
"""
import base64
import os
import quopri
import sys
import zipfile
from xml.sax.saxutils import escape

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def write(name, data, mode="wb"):
    path = os.path.join(out, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(data)


# ---- order exports -------------------------------------------------------

# English headers, comma separated, no BOM.
write("orders_en.csv", (
    "Order No,Product,Qty,Amount,Created At,Status,Card,Shop,Payment Method\n"
    "EN-1001,Steam Card 100,1,¥98.00,2024-04-01 10:00:00,completed,STEAM-KEY-AAAA-1111,Demo Store,alipay\n"
    "EN-1002,Netflix 1M,2,\"1,200.50\",2024/4/2 9:05,paid,,Demo Store,wechat\n"
    "合计,,,1298.50,,,,,\n"
).encode("utf-8"))

# Chinese headers in GB18030 with a unit suffix and synonyms.
write("orders_cn_gbk.csv", (
    "订单编号,商品说明,购买数量,实付金额(元),创建时间,状态,卡密信息,商家\n"
    "CN-2001,爱奇艺月卡,1,15.00,2024-04-03 12:00:00,已发卡,IQY-CARD-0000-2001,国标小铺\n"
).encode("gb18030"))

# A custom layout: tab separated, header on row 3, day-first times, own words.
write("custom.profile", (
    "# my shop's export\n"
    "delimiter = tab\n"
    "header_row = 3\n"
    "order_no = 单据\n"
    "time = 日期\n"
    "time_format = %d/%m/%Y %H.%M\n"
    "timezone = +09:00\n"
    "amount = 付款\n"
    "status = 进度\n"
    "product = 物品\n"
    "card_secret = 兑换码\n"
    "platform = 自定义商城\n"
    "status.OK = completed\n"
    "status.WAIT = pending_payment\n"
    "status.BACK = refunded\n"
).encode("utf-8"))
write("custom_export.tsv", (
    "自定义商城 订单导出\n"
    "导出时间\t2024-04-10\n"
    "单据\t日期\t物品\t付款\t进度\t兑换码\n"
    "C-01\t05/04/2024 13.30\t点券 A\t10.00\tOK\tCODE-XYZW-0001-AAAA\n"
    "C-02\t06/04/2024 08.05\t点券 B\t20.00\tWAIT\t\n"
    "C-03\t07/04/2024 21.45\t点券 C\t30.00\tBACK\t\n"
).encode("utf-8"))
write("bad.profile", b"order_no = a\ntime = b\namount = c\nstatus.X = shipped_maybe\n")

# dujiaoka rows as JSON (an object wrapping the array, numbers as numbers).
write("dujiaoka_orders.json", (
    '{"data": [\n'
    ' {"id": 1, "order_sn": "J1A2B3C4D5E6F7G8", "title": "测试点卡 x 2", "type": 1,'
    ' "goods_price": 5.5, "buy_amount": 2, "total_price": 11, "actual_price": 10.5,'
    ' "email": "b@example.com", "info": "JSON-CARD-0001\\nJSON-CARD-0002", "status": 4,'
    ' "trade_no": "T2024040100001", "created_at": "2024-04-01 08:00:00",'
    ' "updated_at": "2024-04-01 08:01:00"},\n'
    ' {"id": 2, "order_sn": "J9Z8Y7X6W5V4U3T2", "title": "人工代充 x 1", "type": 2,'
    ' "goods_price": 50, "buy_amount": 1, "total_price": 50, "actual_price": 50,'
    ' "email": "b@example.com", "info": "账号 12345", "status": -1,'
    ' "trade_no": null, "created_at": 1711929600, "updated_at": null}\n'
    ']}\n').encode("utf-8"))
write("broken.json", b'[{"order_sn": "X", "created_at": ')


def xlsx(name, rows):
    """A minimal XLSX: inline strings, numbers as numeric cells."""
    def col(i):
        s = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            s = chr(65 + r) + s
        return s
    xml_rows = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, v in enumerate(row):
            ref = f"{col(c)}{r}"
            if isinstance(v, (int, float)):
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            elif v != "":
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>')
        xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<sheetData>{"".join(xml_rows)}</sheetData></worksheet>')
    files = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '</Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>',
        "xl/workbook.xml":
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '</Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    path = os.path.join(out, name)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in files.items():
            z.writestr(n, data)


# dujiaoka rows as XLSX: an Excel serial time and numeric amounts.
xlsx("dujiaoka_orders.xlsx", [
    ["id", "order_sn", "title", "type", "goods_price", "buy_amount",
     "actual_price", "info", "status", "trade_no", "created_at", "updated_at"],
    [1, "X1Y2Z3A4B5C6D7E8", "表格点卡 x 1", 1, 12.5, 1, 12.5,
     "XLSX-CARD-7777-0001", 4, "TX0001", 45383.5, "2024-04-03 12:01:00"],
])

# The same shop exported twice: pending, then delivered with the card.
snap1 = ("订单号,商品名称,数量,订单金额,下单时间,支付时间,订单状态,卡密,店铺\n"
         "S-5001,会员周卡,1,5.00,2024-05-01 10:00:00,,待支付,,快照小店\n"
         "S-5002,会员月卡,1,18.00,2024-05-01 11:00:00,2024-05-01 11:01:00,已支付,,快照小店\n")
snap2 = ("订单号,商品名称,数量,订单金额,下单时间,支付时间,发货时间,订单状态,卡密,店铺\n"
         "S-5001,会员周卡,1,5.00,2024-05-01 10:00:00,2024-05-02 09:00:00,2024-05-02 09:00:30,已完成,WEEK-CARD-5001-ABCD,快照小店\n"
         "S-5002,会员月卡,1,18.00,2024-05-01 11:00:00,2024-05-01 11:01:00,,已支付,,快照小店\n")
write("snap_day1.csv", snap1.encode("utf-8"))
write("snap_day2.csv", snap2.encode("utf-8"))

write("no_amount.csv", "订单号,商品名称,下单时间\nN-1,x,2024-01-01 00:00:00\n".encode("utf-8"))
write("bad_amount.csv", ("订单号,商品名称,订单金额,下单时间\n"
                         "B-1,x,1.00,2024-01-01 00:00:00\n"
                         "B-2,y,abc,2024-01-01 00:00:00\n").encode("utf-8"))
write("bad_time.csv", ("订单号,订单金额,下单时间\n"
                       "T-1,1.00,yesterday\n").encode("utf-8"))

# ---- e-mails -------------------------------------------------------------


def b64(s, enc="utf-8"):
    return base64.encodebytes(s.encode(enc)).decode("ascii")


def rfc2047_b(s, enc="utf-8"):
    return "=?%s?b?%s?=" % (enc, base64.b64encode(s.encode(enc)).decode("ascii"))


def rfc2047_q(s, enc):
    q = quopri.encodestring(s.encode(enc), header=True).decode("ascii")
    return "=?%s?q?%s?=" % (enc, q)


card_text = ("测试会员 x 1\n感谢您的购买。\n订单号: UTF8B64ORDER0001\n\n"
             "以下是您的卡密信息：\nUTF8-CARD-AAAA-0001\nUTF8-CARD-BBBB-0002\n"
             "测试会员    x 1\n总价    19.90 ¥\n测试商店\n")
utf8_b64 = (
    "From: " + rfc2047_b("独角发卡") + " <noreply@shop.example.net>\n"
    "To: buyer@example.com\n"
    "Subject: " + rfc2047_b("【测试商店】感谢您的购买，请查收您的收据") + "\n"
    "Date: Mon, 01 Apr 2024 10:20:30 +0800\n"
    "Message-ID: <utf8-b64-0001@shop.example.net>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=\"utf-8\"\n"
    "Content-Transfer-Encoding: base64\n\n" + b64(card_text))
write("mail_utf8_b64.eml", utf8_b64.encode("ascii"))

gb_text = ("尊敬的客户：\n您的订单已经处理完成！\n订单编号：GBQP20240402\n"
           "商品名称：国标充值卡\n实付金额：￥66.60\n")
gb_qp = (
    "From: shop@gb.example.cn\n"
    "To: buyer@example.com\n"
    "Subject: " + rfc2047_q("国标商城订单通知", "gb18030") + "\n"
    "Date: Tue, 02 Apr 2024 11:00:00 +0800\n"
    "Message-ID: <gb18030-qp-0002@gb.example.cn>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=gb2312\n"
    "Content-Transfer-Encoding: quoted-printable\n\n"
    + quopri.encodestring(gb_text.encode("gb18030")).decode("ascii") + "\n")
write("mail_gb18030_qp.eml", gb_qp.encode("ascii"))

html = ("<html><head><style>p{color:red}</style><title>t</title></head><body>"
        "<h1>网页小店</h1><div>Order No: HTMLONLY7788</div>"
        "<table><tr><td>商品</td><td>游戏月卡</td></tr>"
        "<tr><td>Total</td><td>&yen;35.00</td></tr></table>"
        "<p>卡密：</p><p>HTML-CARD-1111<br/>HTML-CARD-2222</p></body></html>")
html_only = (
    "From: store@html.example.org\n"
    "To: buyer@example.com\n"
    "Subject: Your order at =?utf-8?q?=E7=BD=91=E9=A1=B5=E5=B0=8F=E5=BA=97?=\n"
    "Date: Wed, 03 Apr 2024 12:00:00 +0000\n"
    "Message-ID: <html-only-0003@html.example.org>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/html; charset=utf-8\n"
    "Content-Transfer-Encoding: base64\n\n" + b64(html))
write("mail_html_only.eml", html_only.encode("ascii"))

newsletter = (
    "From: news@example.com\n"
    "To: buyer@example.com\n"
    "Subject: Weekly news\n"
    "Date: Thu, 04 Apr 2024 08:00:00 +0800\n"
    "Message-ID: <news-0004@example.com>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=utf-8\n\n"
    "Nothing to buy here, just news.\n")
write("mail_newsletter.eml", newsletter.encode("ascii"))


def mbox_entry(msg):
    # mboxrd quoting of body lines that start with "From ".
    return "From MAILER-DAEMON Thu Apr  4 08:00:00 2024\n" + msg.rstrip("\n") + "\n\n"


write("receipts.mbox", (mbox_entry(utf8_b64) + mbox_entry(gb_qp) +
                        mbox_entry(newsletter)).encode("ascii"))

# A Maildir with one message in new/ and one in cur/.
write("Maildir/new/1712200000.M1P1.host", html_only.encode("ascii"))
write("Maildir/cur/1712100000.M2P2.host:2,S", gb_qp.encode("ascii"))
os.makedirs(os.path.join(out, "Maildir/tmp"), exist_ok=True)

write("not_mail.txt", b"just some notes\nnothing: here\n")

# A user rule set for a shop the built-in rules do not know.
write("my.rules", (
    "# rules for the example shop\n"
    "[weird-shop]\n"
    "match_subject = ^WeirdShop receipt\n"
    "order_no = Ref#\\s*(\\w+)\n"
    "amount = Paid\\s+([0-9.]+)\\s*元\n"
    "product = Item:\\s*(.+)$\n"
    "platform = subject:^(WeirdShop)\n"
    "card_secret = ^Key:\\s*(\\S+)\n"
).encode("utf-8"))
write("mail_weird.eml", (
    "From: a@weird.example\n"
    "Subject: WeirdShop receipt\n"
    "Date: Fri, 05 Apr 2024 09:00:00 +0800\n"
    "Message-ID: <weird-0005@weird.example>\n"
    "Content-Type: text/plain; charset=utf-8\n\n"
    "Ref# W777\nItem: Gadget\nPaid 12.34 元\nKey: WEIRD-KEY-0001-ZZZZ\nKey: WEIRD-KEY-0002-YYYY\n"
).encode("utf-8"))
write("bad.rules", b"[x]\norder_no = (unclosed\n")
