# SPDX-License-Identifier: MIT
"""bean-extract config for bench/peers.sh: a minimal beancount 2 importer
for the Alipay app statement of bench/gen_alipay.py, read after iconv to
UTF-8 (beancount.ingest's CSV importer wants one header line at the top;
this file has 24 preamble lines, so the csv module reads it here).
One transaction per row: Assets:Alipay against Expenses:Unknown, the sign
from 收/支, payee 交易对方, narration 商品说明, the time and the trade
number as metadata.  Open directives first, so that bean-query loads the
extract without errors."""
import csv
import datetime
from decimal import Decimal

from beancount.core import amount, data
from beancount.ingest import importer

ASSET, EXPENSE = "Assets:Alipay", "Expenses:Unknown"


class AlipayImporter(importer.ImporterProtocol):
    def name(self):
        return "bench.alipay"

    def identify(self, file):
        return file.name.endswith(".csv")

    def file_account(self, file):
        return ASSET

    def extract(self, file, existing_entries=None):
        entries = []
        with open(file.name, encoding="utf-8", newline="") as f:
            rows = csv.reader(f)
            for row in rows:  # the preamble, up to the header line
                if row and row[0].strip() == "交易时间":
                    break
            for i, row in enumerate(rows):
                if len(row) < 12:
                    continue
                cells = [c.strip() for c in row]
                when = datetime.datetime.strptime(cells[0], "%Y-%m-%d %H:%M:%S")
                number = Decimal(cells[6])
                if cells[5] == "支出":
                    number = -number
                meta = data.new_metadata(file.name, i + 26,
                                         {"time": cells[0][11:], "trade-no": cells[9]})
                units = amount.Amount(number, "CNY")
                postings = [data.Posting(ASSET, units, None, None, None, None),
                            data.Posting(EXPENSE, -units, None, None, None, None)]
                entries.append(data.Transaction(meta, when.date(), "*", cells[2], cells[4],
                                                data.EMPTY_SET, data.EMPTY_SET, postings))
        if entries:
            first = entries[0].date
            meta = data.new_metadata(file.name, 0)
            entries[:0] = [data.Open(meta, first, ASSET, None, None),
                           data.Open(meta, first, EXPENSE, None, None)]
        return entries


CONFIG = [AlipayImporter()]
