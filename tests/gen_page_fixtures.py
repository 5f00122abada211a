#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write saved pages, a PDF receipt and pasted text into OUTDIR.

The order page has the fields dujiaoka's storefront order query page shows
(order_sn, title, buy_amount, created_at, email, actual_price, pay name,
status, info: spec formats.md 4.1), saved by a browser as .html (GBK with
a <meta charset>) and as a single-file .mhtml (Chrome's "Snapshot-Content-
Location" header block, quoted-printable HTML part).  The PDF is a one-page
receipt written by hand in PDF 1.4 syntax (Helvetica, so ASCII text).
Broken inputs for the bad-input checks.  All data is invented.  stdlib only.

usage: gen_page_fixtures.py OUTDIR
"""
import os
import quopri
import sys
import zlib

PAGE = """<!DOCTYPE html>
<html><head><meta charset="gbk"><title>订单详情 - 示例小铺</title>
<style>.k{color:#999}</style><script>var t = "订单号: FAKE0000";</script></head>
<body><div class="header"><a href="/">示例小铺</a></div>
<div class="order"><h3>订单详情</h3>
<table>
<tr><td class="k">订单号：</td><td>PAGEORD20240326A1</td></tr>
<tr><td class="k">订单名称：</td><td>示例会员月卡 x 1</td></tr>
<tr><td class="k">购买数量：</td><td>1</td></tr>
<tr><td class="k">下单时间：</td><td>2024-03-26 10:00:05</td></tr>
<tr><td class="k">下单邮箱：</td><td>buyer@example.com</td></tr>
<tr><td class="k">实付金额：</td><td>&yen;19.90</td></tr>
<tr><td class="k">支付方式：</td><td>支付宝</td></tr>
<tr><td class="k">订单状态：</td><td>已完成</td></tr>
</table>
<p>卡密信息：<br>PAGE-CARD-0001-ABCD<br></p>
</div></body></html>
"""


def pdf_file(objs):
    """A PDF of the objects `objs` (numbered from 1): the catalog first, the
    document info last; an xref table with their offsets and the trailer."""
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offs)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, len(objs), xref)
    return out


def pdf(lines):
    content = "BT /F1 12 Tf 50 780 Td 16 TL\n"
    for ln in lines:
        content += "(%s) Tj T*\n" % ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content += "ET\n"
    stream = zlib.compress(content.encode("ascii"))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title (Receipt PDFRCPT2024032701) /Producer (kmvault tests) >>",
    ]
    return pdf_file(objs)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen_page_fixtures.py OUTDIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)

    def write(name, data):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)

    write("order-page.html", PAGE.encode("gbk"))
    html_qp = quopri.encodestring(PAGE.replace('charset="gbk"', 'charset="utf-8"')
                                  .replace("PAGEORD20240326A1", "MHTORD20240327B2")
                                  .replace("2024-03-26 10:00:05", "2024-03-27 11:00:00")
                                  .replace("19.90", "29.90").encode("utf-8")).decode("ascii")
    write("order-page.mhtml", (
        "From: <Saved by Blink>\r\n"
        "Snapshot-Content-Location: https://shop.example.com/detail-order-sn/MHTORD20240327B2\r\n"
        "Subject: =?utf-8?Q?=E8=AE=A2=E5=8D=95=E8=AF=A6=E6=83=85?=\r\n"
        "Date: Wed, 27 Mar 2024 11:05:00 +0800\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n"
        "\tboundary=\"----MultipartBoundary--kmv----\"\r\n\r\n"
        "------MultipartBoundary--kmv----\r\n"
        "Content-Type: text/html\r\n"
        "Content-ID: <frame-1@mhtml.blink>\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "Content-Location: https://shop.example.com/detail-order-sn/MHTORD20240327B2\r\n\r\n"
        + html_qp.replace("\n", "\r\n") + "\r\n"
        "------MultipartBoundary--kmv----\r\n"
        "Content-Type: text/css\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "Content-Location: https://shop.example.com/app.css\r\n\r\n"
        ".k{color:#999}\r\n"
        "------MultipartBoundary--kmv------\r\n").encode("ascii"))
    write("receipt.pdf", pdf(["Example Shop - Payment receipt",
                              "Order No: PDFRCPT2024032701",
                              "Order Date: 2024-03-27 15:30:00",
                              "Item: Game card 50",
                              "Qty: 1",
                              "Total: 48.50 CNY"]))
    write("pasted.txt", ("店铺：示例小铺\n订单号：PASTE20240328C3\n商品名称：示例周卡\n"
                         "下单时间：2024-03-28 09:00:00\n实付款：￥9.90\n").encode("utf-8"))
    # bad input
    write("broken.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\nthis is no pdf\n")
    write("no-order.html", "<html><head><title>关于我们</title></head><body><p>欢迎光临示例小铺。</p></body></html>\n".encode("utf-8"))
    # a PNG header claiming 20000 x 10000 pixels (200 megapixels)
    ihdr = b"IHDR" + (20000).to_bytes(4, "big") + (10000).to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    write("huge.png", b"\x89PNG\r\n\x1a\n" + (13).to_bytes(4, "big") + ihdr +
          zlib.crc32(ihdr).to_bytes(4, "big") + b"\0" * 64)
    write("broken.png", b"\x89PNG\r\n\x1a\n" + b"\0\0\0\x0dIHDR" + b"\xff" * 7)
    write("garbage.html", b"<html>\x00\x01\x02\xff\xfe" + bytes(range(256)) * 8)


if __name__ == "__main__":
    main()
