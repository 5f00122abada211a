#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check that a report adds up in all three formats (issue 14 point 3).

usage: report_check.py REPORT.csv REPORT.xlsx REPORT.pdf.txt

REPORT.pdf.txt is `pdftotext -layout` of the PDF.  For each format the
rows of each term (支出, 退款及收入) must sum to that format's printed
total, 净支出 must be 支出 − 退款及收入, and the three formats must give
the same three numbers.  Prints "spent back net" in fen.  stdlib only.
"""
import csv
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
TOTALS = ("合计：支出", "合计：退款及收入", "合计：净支出 = 支出 − 退款及收入")


def fen(text):
    text = text.replace(",", "").strip()
    neg = text.startswith("-")
    whole, _, frac = text.lstrip("-").partition(".")
    value = int(whole) * 100 + int((frac + "00")[:2])
    return -value if neg else value


def check_rows(rows, where):
    """rows: dicts with 计入项, 计入支出 (fen); totals: {label: fen}."""
    head, body, totals = rows[0], [], {}
    for r in rows[1:]:
        if len(r) > 1 and r[1] in TOTALS:
            totals[r[1]] = r[16]
        elif r and r[0]:
            body.append(r)
    assert head[16] == "计入支出" and head[19] == "计入项", (where, head)
    spent = sum(r[16] for r in body if r[19] == "支出")
    back = -sum(r[16] for r in body if r[19] == "退款及收入")
    assert all(r[16] == 0 for r in body if r[19] == "不计入"), where
    assert all(r[19] in ("支出", "退款及收入", "不计入") for r in body), where
    # the values are words, never the machine codes
    for r in body:
        for col in (1, 11, 12):
            assert r[col] not in ("order", "payment", "receipt", "out", "in",
                                  "neutral", "completed", "success", "closed"), (where, r)
    assert totals[TOTALS[0]] == spent, (where, totals, spent)
    assert totals[TOTALS[1]] == -back, (where, totals, back)
    assert totals[TOTALS[2]] == spent - back, (where, totals)
    return spent, back, spent - back


def from_csv(path):
    rows = list(csv.reader(open(path, newline="", encoding="utf-8-sig")))
    out = [rows[0]]
    for r in rows[1:]:
        r = list(r)
        r[16] = fen(r[16]) if r[16] else 0
        out.append(r)
    return check_rows(out, "csv")


def from_xlsx(path):
    z = zipfile.ZipFile(path)
    strings = [si.findtext(".//m:t", "", NS) or "".join(
        t.text or "" for t in si.iter("{%s}t" % NS["m"]))
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS)]
    sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter("{%s}row" % NS["m"]):
        cells = [""] * 22
        for c in row.findall("m:c", NS):
            ref = re.match(r"([A-Z]+)", c.get("r")).group(1)
            col = 0
            for ch in ref:
                col = col * 26 + ord(ch) - 64
            v = c.findtext("m:v", None, NS)
            if v is None:
                continue
            cells[col - 1] = strings[int(v)] if c.get("t") == "s" else v
        rows.append(cells)
    out = []
    for r in rows:
        r.insert(13, "")  # the XLSX has no 原始状态 column: align with the CSV
        if out:
            r[16] = round(float(r[16]) * 100) if r[16] else 0
        out.append(r)
    return check_rows(out, "xlsx")


MONEY = re.compile(r"(?<![\d.,:#-])-?\d{1,3}(?:,\d{3})*\.\d{2}(?![\d])")


def from_pdf(path):
    text = open(path, encoding="utf-8").read()

    def section(title, nxt):
        # the headings stand on their own line (the headline names them too)
        start = re.search(r"^\s*%s\s*$" % re.escape(title), text, re.M).start()
        end = re.compile(r"^\s*%s\s*$" % re.escape(nxt), re.M).search(text, start).start()
        return text[start:end]

    def amounts_and_total(part, where):
        rows, total = [], None
        for line in part.splitlines():
            found = [fen(m) for m in MONEY.findall(line)]
            if "合计（" in line:
                total = found[-1]
            elif found:
                rows.append(found[-1])
        assert total is not None, where
        assert sum(rows) == total, (where, rows, total)
        return total

    spent = amounts_and_total(section("一、支出明细", "二、退款及收入明细"), "pdf 支出")
    back = amounts_and_total(section("二、退款及收入明细", "三、不计入的记录"), "pdf 退款及收入")
    head = section("净支出 = 支出 − 退款及收入", "按平台汇总")
    line = [l for l in head.splitlines() if l.strip().startswith("净支出 = 支出 − 退款及收入")
            and MONEY.search(l)]
    net = fen(MONEY.findall(line[-1])[-1])
    hs = [l for l in head.splitlines() if l.strip().startswith("支出（")]
    hb = [l for l in head.splitlines() if l.strip().startswith("退款及收入（")]
    assert fen(MONEY.findall(hs[0])[-1]) == spent, "pdf headline 支出"
    assert fen(MONEY.findall(hb[0])[-1]) == back, "pdf headline 退款及收入"
    assert net == spent - back, ("pdf net", net, spent, back)
    return spent, back, net


def main():
    c = from_csv(sys.argv[1])
    x = from_xlsx(sys.argv[2])
    p = from_pdf(sys.argv[3])
    assert c == x == p, ("formats disagree", c, x, p)
    print("%d %d %d" % c)


if __name__ == "__main__":
    main()
