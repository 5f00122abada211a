#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write synthetic Alipay / WeChat Pay / JD statement fixtures into OUTDIR.

Every layout and quirk of docs/../spec formats.md section 6 that the
importer handles has a file here; the scenario tests (tests/cli/t2*.sh)
run this into their temp dir.  stdlib only, plus the `7z` command for the
encrypted ZIPs (WinZip-AES and ZipCrypto).  All data is invented.

usage: gen_statement_fixtures.py OUTDIR
"""
import datetime
import os
import subprocess
import sys
import zipfile

TAB = "\t"


def pad(s, n=2):
    return s + " " * n


def write(path, text, encoding="utf-8", newline="\n", bom=False, final_newline=True):
    data = text.replace("\n", newline)
    if not final_newline and data.endswith(newline):
        data = data[: -len(newline)]
    raw = data.encode(encoding)
    if bom:
        raw = b"\xef\xbb\xbf" + raw
    with open(path, "wb") as f:
        f.write(raw)


# ---- Alipay ---------------------------------------------------------------

C_HEADER = ["交易时间", "交易分类", "交易对方", "对方账号", "商品说明", "收/支", "金额",
            "收/付款方式", "交易状态", "交易订单号", "商家订单号", "备注"]

# time, category, merchant, account, product, dir, amount, method, status, id, merchant no
ALIPAY_ROWS = [
    ("2024-03-12 12:05:33", "餐饮美食", "示例面馆", "/", "午餐套餐", "支出", "33.50",
     "招商银行信用卡(0000)", "交易成功", "2024031222001100009999000001", "T100000000000000001"),
    ("2024-03-10 18:20:45", "退款", "示例超市", "sh***@example.com", "退款-洗衣液", "不计收支", "12.00",
     "余额", "退款成功", "2024031022001100009999000002_1710066045", "M200000000000000002"),
    ("2024-03-10 09:00:01", "日用百货", "示例超市", "sh***@example.com", "洗衣液", "支出", "12.00",
     "余额", "交易关闭", "2024031022001100009999000002", "M200000000000000002"),
    ("2024-03-15 20:11:02", "充值缴费", "示例卡盟网络科技", "km***@example.com", "游戏点卡 50元", "支出",
     "48.50", "花呗&红包", "交易成功", "2024031522001100009999000003", "KM20240315000101"),
    ("2024-03-16 08:30:00", "收入", "示例公司", "hr***@example.com", "报销", "收入", "200.00",
     "", "交易成功", "2024031622001100009999000004", ""),
]


def c_row(r):
    cells = [pad(r[0], 1), pad(r[1]), pad(r[2]), pad(r[3]), pad(r[4]), pad(r[5]), pad(r[6]),
             pad(r[7]), pad(r[8]), r[9] + TAB, (r[10] or "       ") + TAB, "   "]
    return ",".join(cells) + ","


def alipay_c(rows, disclaimers=9, company="支付宝（中国）网络技术有限公司", count=None):
    out = ["-" * 84, "导出信息：", "姓名：*示例", "支付宝账户：demo***@example.com",
           "起始时间：[2024-03-01 00:00:00]    终止时间：[2024-03-31 23:59:59]",
           "导出交易类型：[全部]", "导出时间：[2024-04-01 10:00:00]",
           "共%d笔记录" % (len(rows) if count is None else count),
           "收入：1笔 200.00元", "支出：3笔 94.00元", "不计收支：1笔 12.00元", "", "特别提示："]
    items = ["本回单内容可表明支付宝受理了相关交易申请；", "本回单不作为收款方发货依据；",
             "如需核实交易，请以账户内记录为准；", "本明细仅包含所选时间段内的交易；",
             "交易状态以交易时间点为准；", "如有疑问请联系客服；", "本明细不含余额宝收益明细；",
             "已删除的交易记录不在本明细中展示；", "本明细仅供个人对账使用。"]
    if disclaimers == 8:
        del items[7]
    out += ["%d.%s" % (i + 1, t) for i, t in enumerate(items)]
    out += ["", "-" * 24 + company + "  电子客户回单" + "-" * 24,
            ",".join(pad(h) for h in C_HEADER) + ","]
    out += [c_row(r) for r in rows]
    return "\n".join(out) + "\n"


def alipay_b(rows):
    header = ["收/支", "交易对方", "对方账号", "商品说明", "收/付款方式", "金额", "交易状态",
              "交易分类", "交易订单号", "商家订单号", "交易时间"]
    out = ["-" * 24 + "支付宝（中国）网络技术有限公司  电子客户回单" + "-" * 24,
           ",".join(pad(h) for h in header) + ","]
    for r in rows:
        d = {"支出": "支出", "收入": "收入"}.get(r[5], "其他")
        out.append(",".join([pad(d), pad(r[2]), pad(r[3]), pad(r[4]), pad(r[7]), pad(r[6]),
                             pad(r[8]), pad(r[1]), r[9] + TAB, (r[10] or "   ") + TAB,
                             pad(r[0])]) + ",")
    out += ["-" * 84, "导出信息：", "姓名：*示例", "支付宝账户：old***@example.com",
            "起始时间：[2022-01-01 00:00:00]    终止时间：[2022-01-31 23:59:59]",
            "导出时间：[2022-02-01 09:00:00]", "共%d笔记录" % len(rows),
            "收入：0笔,0.00元", "支出：2笔,20.00元", "其他：0笔,0.00元", "", "特别提示："]
    out += ["%d.提示%d；" % (i, i) for i in range(1, 10)]
    return "\n".join(out) + "\n"


B_ROWS = [
    ("2022-01-05 10:00:00", "数码电器", "示例数码", "dm***@example.com", "充电线", "支出", "15.00",
     "余额宝", "交易成功", "2022010522001100008888000001", "JD0001"),
    ("2022-01-06 11:30:00", "充值缴费", "示例卡盟", "/", "月卡", "支出", "5.00",
     "花呗", "交易成功", "2022010622001100008888000002", "KM0002"),
]


def alipay_a():
    header = ["交易号", "商家订单号", "交易创建时间", "付款时间", "最近修改时间", "交易来源地", "类型",
              "交易对方", "商品名称", "金额（元）", "收/支", "交易状态", "服务费（元）", "成功退款（元）",
              "备注", "资金状态"]
    rows = [
        ["2020070122001100007777000001", "SHOP0001", "2020-07-01 09:00:00", "2020-07-01 09:00:05",
         "2020-07-01 09:00:05", "其他（包括阿里巴巴和外部商家）", "即时到账交易", "示例商店", "会员充值",
         "30.00", "支出", "交易成功", "0.00", "0.00", "", "已支出"],
        ["2020070222001100007777000002", "", "2020-07-02 10:00:00", "",
         "2020-07-02 12:00:00", "淘宝", "支付宝担保交易", "示例淘宝店", "点卡",
         "9.90", "支出", "交易关闭", "0.00", "9.90", "", "已支出"],
        ["2020070222001100007777000002_1", "", "2020-07-02 12:00:00", "",
         "2020-07-02 12:00:00", "淘宝", "支付宝担保交易", "示例淘宝店", "点卡",
         "9.90", "", "退款成功", "0.00", "0.00", "", "已收入"],
    ]
    out = ["支付宝交易记录明细查询", "账号:[web***@example.com]",
           "起始日期:[2020-07-01 00:00:00]    终止日期:[2020-07-31 23:59:59]",
           "-" * 33 + "交易记录明细列表" + "-" * 36,
           ",".join(h + " " * 4 for h in header) + ","]
    for r in rows:
        cells = []
        for i, v in enumerate(r):
            if i < 2:
                cells.append((v if v else "  ") + " " + TAB)
            else:
                cells.append(v + " " * 3)
        out.append(",".join(cells) + ",")
    out += ["-" * 84, "共3笔记录", "已收入:1笔,9.90元", "待收入:0笔,0.00元", "已支出:2笔,39.90元",
            "待支出:0笔,0.00元", "导出时间:[2020-08-01 10:00:00]    用户:示例"]
    return "\n".join(out) + "\n"


# ---- WeChat ---------------------------------------------------------------

W_HEADER = ["交易时间", "交易类型", "交易对方", "商品", "收/支", "金额(元)", "支付方式", "当前状态",
            "交易单号", "商户单号", "备注"]

# time, type, counterparty, product, dir, amount, method, status, id, merchant no, memo
W_ROWS = [
    ("2024-05-20 19:02:11", "商户消费", "示例奶茶店", "大杯奶茶", "支出", 18.0, "零钱", "支付成功",
     "4200000000202405200000000001", "MT0000000001", "/"),
    ("2024-05-21 08:15:40", "扫二维码付款", "示例早餐铺", "/", "支出", 40.0, "示例银行储蓄卡(0000)",
     "已转账", "10000500000000000000000000001", "/", "/"),
    ("2024-05-22 10:00:00", "零钱提现", "示例银行(0000)", "/", "/", 100.1, "示例银行", "提现已到账",
     "20000000000000000000000000002", "/", "服务费¥0.10"),
    ("2024-05-23 09:00:00", "商户消费", "EXAMPLE TRADING CO.,LTD", "会员卡", "支出", 1020.0, "零钱",
     "已退款(￥20.00)", "4200000000202405230000000003", "KM0000000003", "已优惠¥0.77"),
    ("2024-05-24 09:30:00", "示例会员平台-退款", "EXAMPLE TRADING CO.,LTD", "会员卡", "收入",
     20.0, "零钱", "已到账", "50300000000000000000000000004", "KM0000000003", "/"),
]

W_PREAMBLE = ["微信支付账单明细", "微信昵称：[示例用户]",
              "起始时间：[2024-05-01 00:00:00] 终止时间：[2024-05-31 23:59:59]", "导出类型：[全部]",
              "导出时间：[2024-06-01 08:30:00]", "", "共5笔记录", "收入：1笔 20.00元",
              "支出：3笔 1078.00元", "中性交易：1笔 100.10元", "注：",
              "1. 充值/提现/理财通购买/零钱通存取/信用卡还款等交易，将计入中性交易",
              "2. 本明细仅展示当前账单中的交易，不包括已删除的记录", "3. 本明细仅供个人对账使用"]


# A refund written as its own row, the way WeChat shows a refund of a
# whole purchase: 交易类型 退款, 收入, 当前状态 已退款￥50.00, the purchase's
# 商户单号; one refund shares the purchase's 交易单号, one does not.
W_REFUND_ROWS = [
    ("2024-06-02 10:00:00", "商户消费", "示例卡盟", "月卡", "支出", 50.0, "零钱", "已全额退款",
     "4200000000202406020000000101", "KMR0000000101", "/"),
    ("2024-06-03 11:00:00", "退款", "示例卡盟", "月卡", "收入", 50.0, "零钱", "已退款￥50.00",
     "50300000000000000000000000102", "KMR0000000101", "/"),
    ("2024-06-04 10:00:00", "商户消费", "示例书店", "图书", "支出", 30.0, "零钱", "已全额退款",
     "4200000000202406040000000103", "/", "/"),
    ("2024-06-05 09:00:00", "示例书店-退款", "示例书店", "图书", "收入", 30.0, "零钱", "已退款￥30.00",
     "4200000000202406040000000103", "/", "/"),
]


def wechat_csv(rows=None):
    rows = W_ROWS if rows is None else rows
    out = [line + "," * 10 for line in W_PREAMBLE]
    out += ["," * 10, "-" * 22 + "微信支付账单明细列表" + "-" * 20 + "," * 10, ",".join(W_HEADER)]
    for r in rows:
        amount = "¥%.2f" % r[5]
        # Mixed quoting, a TAB after a closing quote, unquoted comma names.
        cells = [r[0], r[1], r[2], '"%s"' % r[3], r[4], amount, r[6], r[7],
                 '"%s"%s' % (r[8], TAB), r[9] + TAB, '"%s"' % r[10]]
        out.append(",".join(cells))
    return "\n".join(out) + "\n"


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def col_ref(i, row):
    return "%s%d" % ("ABCDEFGHIJKLMNOP"[i], row)


def write_xlsx(path, rows, shared=False):
    """rows: list of (row_number, [cells]); a cell is str or float."""
    strings = []
    index = {}
    sheet = []
    for rn, cells in rows:
        cs = []
        for i, v in enumerate(cells):
            ref = col_ref(i, rn)
            if isinstance(v, float):
                cs.append('<c r="%s" s="1" t="n"><v>%s</v></c>' % (ref, repr(v).rstrip("0").rstrip(".")
                                                                  if "." in repr(v) else repr(v)))
            elif v == "":
                continue
            elif shared:
                if v not in index:
                    index[v] = len(strings)
                    strings.append(v)
                cs.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, index[v]))
            else:
                cs.append('<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>'
                          % (ref, xml_escape(v)))
        sheet.append('<row r="%d">%s</row>' % (rn, "".join(cs)))
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook %s %s><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>' % (ns, rns),
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?><worksheet %s><sheetData>%s</sheetData></worksheet>' % (ns, "".join(sheet)),
    }
    if shared:
        parts["xl/sharedStrings.xml"] = '<?xml version="1.0" encoding="UTF-8"?><sst %s count="%d" uniqueCount="%d">%s</sst>' % (
            ns, len(strings), len(strings), "".join("<si><t xml:space=\"preserve\">%s</t></si>" % xml_escape(s) for s in strings))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)


def excel_serial(text):
    """'2024-05-20 19:02:11' as an Excel 1900-system date number."""
    t = datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    return (t - datetime.datetime(1899, 12, 30)).total_seconds() / 86400.0


def wechat_xlsx(path, version):
    """version 1: 2025 layout, text amounts with ¥; 2: 2026 layout (header
    on row 18, numeric amounts); 3: version 2 with the times as Excel date
    numbers, as WeChat's own 2025+ workbooks store them (docs/importers.md
    "Times in XLSX")."""
    rows = []
    n = 1
    preamble = list(W_PREAMBLE)
    if version >= 2:
        preamble.append("4. 本账单中所有时间均为UTC+08:00时间")
    for line in preamble:
        if line:
            rows.append((n, [line]))
        n += 1
    n += 1  # blank row
    rows.append((n, ["-" * 22 + "微信支付账单明细列表" + "-" * 20]))
    n += 1
    rows.append((n, list(W_HEADER)))
    n += 1
    for r in W_ROWS:
        amount = r[5] if version >= 2 else "¥%.2f" % r[5]
        id_cell = r[8] + (TAB if version == 1 else "   ")
        when = excel_serial(r[0]) if version == 3 else r[0]
        rows.append((n, [when, r[1], r[2], r[3], r[4], amount, r[6], r[7], id_cell,
                         r[9] + TAB, r[10]]))
        n += 1
    write_xlsx(path, rows, shared=(version == 1))


# ---- archives and bad inputs ----------------------------------------------

def seven_zip(path, member, password, method):
    if os.path.exists(path):
        os.remove(path)
    subprocess.run(["7z", "a", "-tzip", "-p" + password, "-mem=" + method, path, member],
                   check=True, stdout=subprocess.DEVNULL, cwd=os.path.dirname(member) or ".")


def bad_zips(out):
    with zipfile.ZipFile(os.path.join(out, "traversal.zip"), "w") as z:
        z.writestr("../../evil.csv", "x\n")
    with zipfile.ZipFile(os.path.join(out, "absolute.zip"), "w") as z:
        z.writestr(zipfile.ZipInfo("/tmp/evil.csv"), "x\n")
    with zipfile.ZipFile(os.path.join(out, "symlink.zip"), "w") as z:
        info = zipfile.ZipInfo("link.csv")
        info.create_system = 3
        info.external_attr = (0o120777 << 16)
        z.writestr(info, "/etc/passwd")
    inner = os.path.join(out, "inner.zip")
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("a.csv", "x\n")
    with zipfile.ZipFile(os.path.join(out, "nested.zip"), "w") as z:
        z.write(inner, "inner.zip")
    os.remove(inner)
    # 200 MiB of zeros deflate to ~200 KiB: a ratio near 1000.
    with zipfile.ZipFile(os.path.join(out, "bomb.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("bomb.csv", "w", force_zip64=True) as f:
            block = b"0" * (1 << 20)
            for _ in range(200):
                f.write(block)


# ---- JD ---------------------------------------------------------------------

JD_HEADER = ["交易时间", "商户名称", "交易说明", "金额", "收/付款方式", "交易状态", "收/支", "交易分类",
             "交易订单号", "商家订单号", "备注"]

# time, merchant, product, amount, method, status, dir, category, id, merchant no
JD_ROWS = [
    ("2024-03-18 21:15:09", "京东示例数码旗舰店", "退款-无线耳机", "89.84", "钱包余额", "退款成功", "不计收支",
     "数码", "311000000000000000010", "288000000000000010"),
    ("2024-03-12 10:00:00", "京东示例数码旗舰店", "无线耳机等2件", "131.77(已退款89.84)",
     "招商银行信用卡(0000)", "交易成功", "支出", "数码 手机通讯", "311000000000000000001",
     "288000000000000010"),
    ("2024-03-05 08:30:00", "示例卡盟京东店", "游戏点卡 100元", "468.32(已全额退款)", "先享后付",
     "交易成功", "支出", "游戏充值", "311000000000000000002", "288000000000000011"),
    ("2024-03-01 12:00:00", "京东金融", "小金库收益", "0.35", "钱包余额", "交易成功", "收入", "理财",
     "311000000000000000003", ""),
]


def jd_csv(rows):
    out = ["导出信息：", "京东账号名：jd_demo***", "申请时间：2024-04-01 09:00:00",
           "日期区间：2024-03-01 至 2024-03-31", "导出交易类型：全部", "导出交易场景：全部",
           "共：%d笔记录" % len(rows), "收入：1笔，0.35元", "支出：2笔(含1笔部分退款)，600.09元",
           "不计收支：1笔，89.84元", "", "特别提示"]
    out += ["%d.京东示例提示第%d条。" % (i, i) for i in range(1, 9)]
    out += ["", ",".join(JD_HEADER) + ","]
    for r in rows:
        cells = [r[0] + TAB, r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8] + TAB,
                 (r[9] + TAB) if r[9] else "", " "]
        out.append(",".join(cells) + ",")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = os.path.abspath(sys.argv[1])
    os.makedirs(out, exist_ok=True)
    p = lambda name: os.path.join(out, name)

    # Alipay app 2023+: GBK, CRLF, 9 disclaimers
    write(p("alipay_c.csv"), alipay_c(ALIPAY_ROWS), "gbk", "\r\n")
    # drifts: 8 disclaimers, new company line, LF, no final newline
    write(p("alipay_c_drift.csv"), alipay_c(ALIPAY_ROWS[:2], 8, "支付宝支付科技有限公司"),
          "gbk", "\n", final_newline=False)
    # the same statement as UTF-8 with BOM (a user's re-encode)
    write(p("alipay_c_utf8.csv"), alipay_c(ALIPAY_ROWS), "utf-8", "\n", bom=True)
    # an overlapping statement: two known rows + one new
    extra = ("2024-03-20 10:00:00", "充值缴费", "示例卡盟", "/", "季卡", "支出", "88.00", "余额",
             "交易成功", "2024032022001100009999000005", "KM20240320000201")
    write(p("alipay_c_overlap.csv"), alipay_c(ALIPAY_ROWS[:2] + [extra]), "gbk", "\r\n")
    # count mismatch: declares more rows than it has
    write(p("alipay_c_count.csv"), alipay_c(ALIPAY_ROWS[:1], count=4), "gbk", "\n")
    # Excel re-save symptoms: scientific IDs, no seconds
    excel = [("2024/3/18 9:05", "餐饮美食", "示例餐厅", "/", "晚餐", "支出", "66.00", "余额",
              "交易成功", "2.02403E+27", "")]
    write(p("alipay_c_excel.csv"), alipay_c(excel), "gbk", "\r\n")
    write(p("alipay_b.csv"), alipay_b(B_ROWS), "gbk", "\n")
    write(p("alipay_a.csv"), alipay_a(), "gbk", "\n")
    write(p("wechat.csv"), wechat_csv(), "utf-8", "\n", bom=True)
    write(p("wechat_refund.csv"), wechat_csv(W_REFUND_ROWS), "utf-8", "\n", bom=True)
    # a large statement (over the 256 KiB that moves compression of the
    # original to the other core) inside a plain ZIP, and alone with one
    # bad row at the end
    big_rows = [("2024-03-%02d 10:%02d:%02d" % (1 + i % 28, i % 60, i % 59), "日用百货",
                 "批量商户%d" % (i % 97), "/", "商品%d" % i, "支出", "%d.%02d" % (1 + i % 500, i % 100),
                 "余额", "交易成功", "2024039%019d" % i, "B%017d" % i) for i in range(3000)]
    big = alipay_c(big_rows)
    big2 = alipay_c([r[:9] + ("2024038%019d" % i, "C%017d" % i) for i, r in enumerate(big_rows)])
    with zipfile.ZipFile(p("alipay_big.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("alipay_big.csv", big.replace("\n", "\r\n").encode("gbk"))
        # a second large member: its buffer is the first one's, reused
        z.writestr("alipay_big2.csv", big2.replace("\n", "\r\n").encode("gbk"))
    write(p("alipay_big_bad.csv"), alipay_c(big_rows + [("2024-03-31 10:00:00", "x", "y", "/", "z",
                                                        "支出", "abc", "余额", "交易成功", "9", "")]),
          "gbk", "\r\n")
    # JD: UTF-8 with BOM, header on line 22, refund notes in 金额
    write(p("jd.csv"), jd_csv(JD_ROWS), "utf-8", "\n", bom=True)
    wechat_xlsx(p("wechat_v1.xlsx"), 1)
    wechat_xlsx(p("wechat_v2.xlsx"), 2)
    wechat_xlsx(p("wechat_v3_serial.xlsx"), 3)
    # An Alipay CSV opened and saved as a workbook by Excel: Alipay never
    # exports XLSX, so date-number times there do mean a re-save.
    resaved = []
    for n, line in enumerate(alipay_c(ALIPAY_ROWS[:2]).rstrip("\n").split("\n"), 1):
        cells = [c.strip() for c in line.split(",")]
        if cells and cells[0][:4] == "2024" and cells[0][4:5] == "-":
            cells[0] = excel_serial(cells[0])
        resaved.append((n, cells))
    write_xlsx(p("alipay_resaved.xlsx"), resaved)

    # Encrypted ZIPs as mailed: Alipay WinZip-AES, WeChat ZipCrypto.
    with open(p("zip.password"), "w") as f:
        f.write("318906\n")
    with open(p("wrong.password"), "w") as f:
        f.write("000000\n")
    seven_zip(p("alipay_aes.zip"), p("alipay_c.csv"), "318906", "AES256")
    seven_zip(p("wechat_zipcrypto.zip"), p("wechat_v2.xlsx"), "318906", "ZipCrypto")
    bad_zips(out)

    # Bad inputs.
    text = wechat_csv()
    text = text[: text.rstrip("\n").rindex('"/"')] + '"open quote\n'
    stray = wechat_csv().replace('"/"\n', '"stray quote\n', 1)
    write(p("strayquote.csv"), stray, "utf-8")
    write(p("unterminated.csv"), text, "utf-8")
    raw = alipay_c(ALIPAY_ROWS[:2]).encode("gbk").replace("示例面馆".encode("gbk"), b"\x81\x20\x81\x20")
    with open(p("badgbk.csv"), "wb") as f:
        f.write(raw)
    with open(p("unknown.bin"), "wb") as f:
        f.write(bytes(range(256)) * 4)
    with open(p("wechat_v2.xlsx"), "rb") as f:
        data = f.read()
    with open(p("truncated.xlsx"), "wb") as f:
        f.write(data[: len(data) // 2])
    bad_time = alipay_c(ALIPAY_ROWS[:2]).replace("2024-03-10 18:20:45", "yesterday noon")
    write(p("badtime.csv"), bad_time, "gbk")
    write(p("shortrow.csv"), alipay_c(ALIPAY_ROWS[:1]).rstrip("\n").rsplit("\n", 1)[0] +
          "\n2024-03-12 12:05:33 ,餐饮美食 ,示例面馆 ,/ ,午餐套餐\n", "gbk")


if __name__ == "__main__":
    main()
