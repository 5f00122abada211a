#!/bin/sh
# A PDF bomb: a 120 kB PDF whose one FlateDecode content stream inflates to
# 16 MiB of text-drawing operators (poppler would build gigabytes of page
# text from it).  Its text is read in a confined child (CPU seconds, memory:
# RLIMIT_AS, or the resident size under ASan/TSan, output bytes): a clear
# message naming the file, exit 6, the vault unchanged; a normal PDF after
# it still imports.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-01T12:00:00+08:00
python3 "$KMV_TESTS/gen_page_fixtures.py" "$T/fx"
python3 - "$T/fx/bomb.pdf" <<'PY'
import sys, zlib
# 200 lines of 88 characters on one page, drawn again and again: every
# character is kept by the text extractor (distinct positions on the page)
lines = b"".join(b"1 0 0 1 10 %d Tm (%s) Tj\n" % (20 + 4 * y, b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                 for y in range(200))
chunk = lines * (1048576 // len(lines))
co = zlib.compressobj(9)
stream = co.compress(b"BT /F1 4 Tf\n") + b"".join(co.compress(chunk) for _ in range(16)) + co.compress(b"ET\n") + co.flush()
objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
out, offs = b"%PDF-1.4\n", []
for i, o in enumerate(objs, 1):
    offs.append(len(out))
    out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
xref = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
out += b"".join(b"%010d 00000 n \n" % o for o in offs)
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
open(sys.argv[1], "wb").write(out)
PY
size=$(wc -c < "$T/fx/bomb.pdf")
[ "$size" -lt 300000 ] || fail "bomb is $size bytes"

vault_snapshot
expect_exit 6 kmv import "$T/fx/bomb.pdf"
expect_in "$T/err" 'bomb.pdf: reading this PDF'
expect_in "$T/err" 'PDF bomb'
expect_not_in "$T/err" 'no order found'
vault_unchanged
expect_exit 6 kmv_zh import "$T/fx/bomb.pdf"
expect_in "$T/err" 'bomb.pdf'
expect_in "$T/err" 'PDF 炸弹'
vault_unchanged

# the reader's own rejections still come through the child
expect_exit 6 kmv import "$T/fx/broken.pdf"
expect_in "$T/err" 'broken.pdf: not a readable PDF'
vault_unchanged
expect_exit 0 kmv --json import "$T/fx/receipt.pdf"
expect_in "$T/out" '"kind":"pdf","rows":1,"added":1'
expect_exit 0 kmv --json show PDFRCPT2024032701
expect_in "$T/out" '"amount":"48.50"'
echo ok
