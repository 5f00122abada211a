#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the receipts-meet-payments scenario into OUTDIR.

A buyer who has only an Alipay statement (2023+ app layout, GBK) and the
e-mails of a dujiaoka shop (示例小铺) — no shop export, as buyers never see
one — plus one shop order export for the timeline case.  The mails follow
dujiaoka's templates (emailtpls: card_send_user_email, pending_order,
completed_order, failed_order; subjects and body shape as in
assimon/dujiaoka database/sql/install.sql, see spec formats.md 4.1).  All
data is invented.  stdlib only.

usage: gen_receipt_fixtures.py OUTDIR
"""
import base64
import os
import sys

TAB = "\t"
SHOP = "示例小铺"

# time, merchant, product, amount, trade no, merchant order no
ALIPAY = [
    ("2024-03-26 09:12:00", SHOP, "示例会员月卡", "9.90", "A1", "Q7M2K9X4T1B8C501"),
    ("2024-03-26 10:00:00", SHOP, "代充服务", "19.90", "A2", ""),
    ("2024-03-26 12:00:00", "彩虹易支付", "商品购买", "29.90", "A3", "2024032612000012345"),
    ("2024-03-27 10:00:00", SHOP, "代充服务", "39.90", "A4", "Q7M2K9X4T1B8C504"),
    ("2024-03-28 10:00:00", SHOP, "代充服务", "49.90", "A5", "Q7M2K9X4T1B8C505"),
    ("2024-03-29 10:00:00", SHOP, "示例季卡", "15.00", "A6A", "Q7M2K9X4T1B8C506"),
    ("2024-03-29 10:02:00", SHOP, "示例季卡", "15.00", "A6B", "Q7M2K9X4T1B8C506"),
    ("2024-03-30 09:00:00", SHOP, "示例年卡", "88.00", "A9", "KM20240330001"),
    ("2024-03-30 12:05:33", "示例面馆", "午餐套餐", "33.50", "A10", "T100000000000000001"),
]

# (file, kind, order no, title, qty, price, date, secrets)
MAILS = [
    ("m1-card.eml", "card", "Q7M2K9X4T1B8C501", "示例会员月卡", 1, "9.90",
     "Tue, 26 Mar 2024 09:12:41 +0800", ["DEMO-AAAA-BBBB-0501"]),
    ("m2-pending.eml", "pending", "Q7M2K9X4T1B8C502", "代充服务", 1, "19.90",
     "Tue, 26 Mar 2024 10:01:00 +0800", []),
    ("m2-completed.eml", "completed", "Q7M2K9X4T1B8C502", "代充服务", 1, "19.90",
     "Tue, 26 Mar 2024 11:30:00 +0800", []),
    ("m3-card.eml", "card", "Q7M2K9X4T1B8C503", "示例周卡", 1, "29.90",
     "Tue, 26 Mar 2024 12:01:10 +0800", ["DEMO-CCCC-DDDD-0503"]),
    ("m4-pending.eml", "pending", "Q7M2K9X4T1B8C504", "代充服务", 1, "39.90",
     "Wed, 27 Mar 2024 10:01:00 +0800", []),
    ("m5-pending.eml", "pending", "Q7M2K9X4T1B8C505", "代充服务", 1, "49.90",
     "Thu, 28 Mar 2024 10:01:00 +0800", []),
    ("m5-failed.eml", "failed", "Q7M2K9X4T1B8C505", "代充服务", 1, "49.90",
     "Thu, 28 Mar 2024 12:00:00 +0800", []),
    ("m6-card.eml", "card", "Q7M2K9X4T1B8C506", "示例季卡", 1, "15.00",
     "Fri, 29 Mar 2024 10:00:30 +0800", ["DEMO-EEEE-FFFF-0506"]),
    ("m9-card.eml", "card", "KM20240330001", "示例年卡", 1, "88.00",
     "Sat, 30 Mar 2024 15:00:00 +0800", ["DEMO-YEAR-0000-0901"]),
]

SUBJECTS = {
    "card": "【%s】感谢您的购买，请查收您的收据",
    "pending": "【%s】已收到您的订单，请等候处理",
    "completed": "【%s】您的订单已经处理完成！",
    "failed": "【%s】订单处理失败！",
}


def alipay():
    header = ["交易时间", "交易分类", "交易对方", "对方账号", "商品说明", "收/支", "金额",
              "收/付款方式", "交易状态", "交易订单号", "商家订单号", "备注"]
    out = ["-" * 84, "导出信息：", "姓名：*示例", "支付宝账户：demo***@example.com",
           "起始时间：[2024-03-01 00:00:00]    终止时间：[2024-03-31 23:59:59]",
           "导出交易类型：[全部]", "导出时间：[2024-04-01 10:00:00]",
           "共%d笔记录" % len(ALIPAY), "收入：0笔 0.00元", "支出：%d笔 0.00元" % len(ALIPAY),
           "不计收支：0笔 0.00元", "", "特别提示："]
    out += ["%d.本明细仅供个人对账使用。" % i for i in range(1, 10)]
    out += ["", "-" * 24 + "支付宝（中国）网络技术有限公司  电子客户回单" + "-" * 24,
            ",".join(h + "  " for h in header) + ","]
    for t, mer, prod, amt, pno, mno in ALIPAY:
        cat = "餐饮美食" if mer == "示例面馆" else "充值缴费"
        cells = [t + " ", cat + " ", mer + " ", "/ ", prod + " ", "支出 ", amt + " ",
                 "余额 ", "交易成功 ", pno + TAB, (mno or "       ") + TAB, "   "]
        out.append(",".join(cells) + ",")
    return ("\n".join(out) + "\n").encode("gbk")


def mail(kind, no, title, qty, price, date, secrets):
    # The text view of dujiaoka's HTML templates (formats.md 4.1).
    lines = ["%s x %d" % (title, qty), "感谢您的购买。", "订单号: " + no, ""]
    if kind == "card":
        lines += ["以下是您的卡密信息："] + secrets
    elif kind == "completed":
        lines += ["您的订单已经处理完成！"]
    elif kind == "failed":
        lines += ["很抱歉，您的订单处理失败，请联系客服。"]
    else:
        lines += ["我们已收到您的订单，请耐心等候处理。"]
    lines += ["%s    x %d" % (title, qty), "总价    %s ¥" % price, SHOP, SHOP + " Inc."]
    body = base64.encodebytes(("\n".join(lines) + "\n").encode()).decode("ascii")
    subj = "=?utf-8?b?%s?=" % base64.b64encode((SUBJECTS[kind] % SHOP).encode()).decode()
    sender = "=?utf-8?b?%s?=" % base64.b64encode("独角发卡".encode()).decode()
    return ("From: %s <noreply@shop.example.com>\nTo: buyer@example.com\n"
            "Subject: %s\nDate: %s\nMessage-ID: <%s-%s@shop.example.com>\n"
            "MIME-Version: 1.0\nContent-Type: text/plain; charset=\"utf-8\"\n"
            "Content-Transfer-Encoding: base64\n\n%s"
            % (sender, subj, date, no, kind, body)).encode("ascii")


def orders():
    # One shop order the export still shows 处理中 (processing); its card
    # mail came later.
    out = ["订单号,商品名称,数量,订单金额,支付方式,下单时间,订单状态,店铺",
           "KM20240330001,示例年卡,1,88.00,支付宝,2024-03-30 08:59:00,处理中," + SHOP]
    return ("\r\n".join(out) + "\r\n").encode("utf-8")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen_receipt_fixtures.py OUTDIR")
    out = sys.argv[1]
    os.makedirs(os.path.join(out, "mail"), exist_ok=True)
    with open(os.path.join(out, "alipay_rcpt.csv"), "wb") as f:
        f.write(alipay())
    with open(os.path.join(out, "orders_rcpt.csv"), "wb") as f:
        f.write(orders())
    for name, *rest in MAILS:
        with open(os.path.join(out, "mail", name), "wb") as f:
            f.write(mail(*rest))


if __name__ == "__main__":
    main()
