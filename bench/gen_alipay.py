#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write a deterministic N-row Alipay app statement (2023+ layout, GBK, CRLF)
for benchmarks.  usage: gen_alipay.py ROWS OUTFILE"""
import random
import sys

CATS = ["餐饮美食", "日用百货", "充值缴费", "数码电器", "交通出行", "文化休闲", "退款"]
SHOPS = ["示例面馆", "示例超市", "示例卡盟网络科技", "示例数码专营店", "示例出行", "示例书店"]
GOODS = ["午餐套餐", "洗衣液", "游戏点卡 50元", "充电线", "地铁票", "图书", "会员月卡"]
METHODS = ["余额", "花呗", "招商银行信用卡(0000)", "余额宝", "花呗&红包"]
STATUS = ["交易成功", "交易成功", "交易成功", "交易关闭", "等待确认收货"]


def main():
    rows, out = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(20240401)
    lines = ["-" * 84, "导出信息：", "姓名：*示例", "支付宝账户：bench***@example.com",
             "起始时间：[2023-01-01 00:00:00]    终止时间：[2024-12-31 23:59:59]",
             "导出交易类型：[全部]", "导出时间：[2025-01-01 10:00:00]", "共%d笔记录" % rows,
             "收入：0笔 0.00元", "支出：%d笔 0.00元" % rows, "不计收支：0笔 0.00元", "", "特别提示："]
    lines += ["%d.提示第%d条；" % (i, i) for i in range(1, 10)]
    lines += ["", "-" * 24 + "支付宝（中国）网络技术有限公司  电子客户回单" + "-" * 24,
              "交易时间  ,交易分类  ,交易对方  ,对方账号  ,商品说明  ,收/支  ,金额  ,收/付款方式  ,"
              "交易状态  ,交易订单号  ,商家订单号  ,备注  ,"]
    t = 1672502400  # 2023-01-01 00:00:00 +08:00 as a plain counter
    for i in range(rows):
        t += rnd.randint(1, 600)
        days, rem = divmod(t - 1672502400, 86400)
        y, d = 2023 + days // 365, days % 365
        m, dd = 1 + d // 31 % 12, 1 + d % 28
        stamp = "%04d-%02d-%02d %02d:%02d:%02d" % (y, m, dd, rem // 3600, rem % 3600 // 60, rem % 60)
        cat = rnd.choice(CATS)
        amount = "%d.%02d" % (rnd.randint(0, 999), rnd.randint(0, 99))
        no = "%s22001100%016d" % (stamp[:10].replace("-", ""), i)
        lines.append(",".join([stamp + " ", cat + " ", rnd.choice(SHOPS) + " ", "/ ",
                               rnd.choice(GOODS) + " ", "支出 ", amount + " ",
                               rnd.choice(METHODS) + " ", rnd.choice(STATUS) + " ",
                               no + "\t", "M%018d\t" % i, " "]) + ",")
    with open(out, "wb") as f:
        f.write(("\r\n".join(lines) + "\r\n").encode("gbk"))


if __name__ == "__main__":
    main()
