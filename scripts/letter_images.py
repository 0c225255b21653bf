"""Regenerate docs/images/letter-*.png: two sample letters → DOCX → PDF (LibreOffice) → PNG per page (pdftoppm -r 60).

Run: python3 -m uv run python scripts/letter_images.py
"""

from __future__ import annotations

import subprocess
import tempfile
from datetime import date
from pathlib import Path

from gongkai.ledger.fees import quote_per_page
from gongkai.letters import LetterContext, letter_pdf, render_letter

IMAGES = Path(__file__).resolve().parent.parent / "docs" / "images"
SAMPLE = LetterContext(
    agency="青山县人民政府办公室", applicant="李明", applicant_type="natural_person", request_number="QS-2026-0007",
    received=date(2026, 2, 10), content="2025年青山县老旧小区改造项目招标文件及中标结果", issued=date(2026, 3, 2),
    requested_form="纸质，邮寄", doc_number="青政办公开〔2026〕7号", contact="王芳，0571-12345678",
    fee=quote_per_page(150), fee_due=date(2026, 3, 31), fee_payment="银行转账至青山县财政局非税收入专户（账号见附页）",
    outcome="partially_granted", reasons="招标文件中投标人的报价明细涉及商业秘密，已作遮盖处理；其余内容随本答复书提供。",
    review_body="青山市人民政府", court="青山县人民法院",
)


def main() -> None:
    for kind in ("decision", "fee"):
        pdf = letter_pdf(render_letter(kind, SAMPLE))
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "letter.pdf"
            source.write_bytes(pdf)
            subprocess.run(["pdftoppm", "-png", "-r", "60", str(source), str(IMAGES / f"letter-{kind}")], check=True)
        print(*sorted(IMAGES.glob(f"letter-{kind}-*.png")), sep="\n")


if __name__ == "__main__":
    main()
