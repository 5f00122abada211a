#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the match/anomaly scenario fixtures into OUTDIR.

A month of one buyer at one card shop (示例卡盟, whose payee on Alipay is
示例卡盟网络科技), in the real export formats: an Alipay app statement
(GBK, 2023+ layout), a WeChat Pay CSV bill and the shop's order export.
Each anomaly type is planted once beside clean orders (docs/matching.md);
the scenario tests t4000-match-*.sh and t4100-anomalies-*.sh assert the
exact findings.  All data is invented.  stdlib only.

usage: gen_match_fixtures.py OUTDIR
"""
import os
import sys

TAB = "\t"
CO = "示例卡盟网络科技"

# time, category, merchant, product, direction, amount, status, trade no, merchant no
ALIPAY = [
    # clean: paid by order number, delivered
    ("2024-03-01 10:01:00", "充值缴费", CO, "游戏点卡 50元", "支出", "48.50", "交易成功", "A001", "KM001"),
    # clean: refunded order, refund in the statement
    ("2024-03-03 10:01:00", "充值缴费", CO, "游戏点卡 30元", "支出", "30.00", "交易成功", "A003", "KM003"),
    ("2024-03-04 10:00:00", "退款", CO, "退款-游戏点卡 30元", "不计收支", "30.00", "退款成功", "A003_1709517600", "KM003"),
    # duplicate_charge: one order, two charges two minutes apart
    ("2024-03-07 10:01:00", "充值缴费", CO, "月卡", "支出", "10.00", "交易成功", "A007A", "KM007"),
    ("2024-03-07 10:03:00", "充值缴费", CO, "月卡", "支出", "10.00", "交易成功", "A007B", "KM007"),
    # amount_mismatch: 55.00 for a 50.00 order
    ("2024-03-09 10:01:00", "充值缴费", CO, "点券", "支出", "55.00", "交易成功", "A009", "KM009"),
    # payment_without_order: the shop has no such order
    ("2024-03-10 10:00:00", "充值缴费", CO, "游戏点卡 200元", "支出", "200.00", "交易成功", "A010", "KM010"),
    # undelivered: paid, the shop still says 待支付
    ("2024-03-11 10:01:00", "充值缴费", CO, "激活码", "支出", "12.00", "交易成功", "A011", "KM011"),
    # clean: a meal
    ("2024-03-12 12:05:33", "餐饮美食", "示例面馆", "午餐套餐", "支出", "33.50", "交易成功", "A012", "T100000000000000001"),
    # refund_missing: the shop says 已退款, no refund by the end of the month
    ("2024-03-13 10:01:00", "充值缴费", CO, "游戏点卡 20元", "支出", "20.00", "交易成功", "A013", "KM013"),
    # unknown_merchant: a top-up to a merchant never seen
    ("2024-03-14 10:00:00", "充值缴费", "陌生科技", "话费充值", "支出", "68.00", "交易成功", "A014", ""),
    # clean: income
    ("2024-03-16 08:30:00", "收入", "示例公司", "报销", "收入", "200.00", "交易成功", "A016", ""),
    # clean: cancelled three days before the statement ends, refund may still come
    ("2024-03-28 10:01:00", "充值缴费", CO, "游戏点卡 18元", "支出", "18.00", "交易成功", "A028", "KM028"),
]

# time, type, merchant, product, direction, amount, status, trade no, merchant no
WECHAT = [
    # clean: paid on WeChat without a merchant order number: amount and time
    ("2024-03-02 19:45:10", "商户消费", "示例卡盟", "会员月卡", "支出", 25.00, "支付成功", "W002", ""),
    ("2024-03-21 07:58:41", "商户消费", "示例早餐店", "豆浆油条", "支出", 8.00, "支付成功", "W021", "100000202403210001"),
]

# order no, product, qty, amount, method, time, status, card secret
ORDERS = [
    ("KM001", "游戏点卡 50元", 1, "48.50", "支付宝", "2024-03-01 10:00:00", "已完成", "CARD-0001"),
    ("KM002", "会员月卡", 1, "25.00", "微信支付", "2024-03-02 19:44:52", "已完成", "VIP-0002"),
    ("KM003", "游戏点卡 30元", 1, "30.00", "支付宝", "2024-03-03 10:00:00", "已退款", ""),
    ("KM004", "游戏点卡 100元", 2, "196.00", "支付宝", "2024-03-25 11:00:00", "待支付", ""),
    ("KM007", "月卡", 1, "10.00", "支付宝", "2024-03-07 10:00:00", "已完成", "CARD-0007"),
    ("KM009", "点券", 1, "50.00", "支付宝", "2024-03-09 10:00:00", "已完成", "CARD-0009"),
    ("KM011", "激活码", 1, "12.00", "支付宝", "2024-03-11 10:00:00", "待支付", ""),
    ("KM012", "游戏币", 1, "7.00", "支付宝", "2024-03-12 10:00:00", "处理中", ""),
    ("KM013", "游戏点卡 20元", 1, "20.00", "支付宝", "2024-03-13 10:00:00", "已退款", ""),
    ("KM028", "游戏点卡 18元", 1, "18.00", "支付宝", "2024-03-28 10:00:00", "已取消", ""),
    ("KM030", "会员周卡", 1, "9.90", "余额", "2024-03-30 10:00:00", "已完成", "WEEK-0030"),
]


def alipay():
    header = ["交易时间", "交易分类", "交易对方", "对方账号", "商品说明", "收/支", "金额",
              "收/付款方式", "交易状态", "交易订单号", "商家订单号", "备注"]
    out = ["-" * 84, "导出信息：", "姓名：*示例", "支付宝账户：demo***@example.com",
           "起始时间：[2024-03-01 00:00:00]    终止时间：[2024-03-31 23:59:59]",
           "导出交易类型：[全部]", "导出时间：[2024-04-01 10:00:00]",
           "共%d笔记录" % len(ALIPAY), "收入：1笔 200.00元", "支出：11笔 0.00元",
           "不计收支：1笔 30.00元", "", "特别提示："]
    out += ["%d.本明细仅供个人对账使用。" % i for i in range(1, 10)]
    out += ["", "-" * 24 + "支付宝（中国）网络技术有限公司  电子客户回单" + "-" * 24,
            ",".join(h + "  " for h in header) + ","]
    for t, cat, mer, prod, d, amt, st, pno, mno in ALIPAY:
        cells = [t + " ", cat + " ", mer + " ", "/ ", prod + " ", d + " ", amt + " ",
                 ("余额" if d == "支出" else "") + " ", st + " ", pno + TAB,
                 (mno or "       ") + TAB, "   "]
        out.append(",".join(cells) + ",")
    return ("\n".join(out) + "\n").encode("gbk")


def wechat():
    pre = ["微信支付账单明细", "微信昵称：[示例]",
           "起始时间：[2024-03-01 00:00:00] 终止时间：[2024-03-31 23:59:59]",
           "导出类型：[全部]", "导出时间：[2024-04-01 10:00:00]", "",
           "共%d笔记录" % len(WECHAT), "收入：0笔 0.00", "支出：2笔 33.00", "中性交易：0笔 0.00",
           "注：", "1. 充值/提现等交易，将计入中性交易", "2. 本明细仅展示当前账单中的交易",
           "3. 本明细仅供个人对账使用"]
    out = [line + "," * 10 for line in pre]
    out += ["," * 10, "-" * 22 + "微信支付账单明细列表" + "-" * 20 + "," * 10,
            "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注"]
    for t, typ, mer, prod, d, amt, st, pno, mno in WECHAT:
        out.append(",".join([t, typ, mer, '"%s"' % prod, d, "¥%.2f" % amt, "零钱", st,
                             pno + TAB, mno + TAB, '"/"']))
    return ("\n".join(out) + "\n").encode("utf-8")


def orders():
    out = ["订单号,商品名称,数量,订单金额,支付方式,下单时间,订单状态,卡密,店铺"]
    for no, prod, qty, amt, method, t, st, card in ORDERS:
        out.append(",".join([no, prod, str(qty), amt, method, t, st, card, "示例卡盟"]))
    return b"\xef\xbb\xbf" + ("\r\n".join(out) + "\r\n").encode("utf-8")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen_match_fixtures.py OUTDIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in (("alipay_scn.csv", alipay()), ("wechat_scn.csv", wechat()),
                       ("orders_scn.csv", orders())):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
