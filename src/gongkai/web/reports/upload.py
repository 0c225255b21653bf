"""Reading an uploaded published report: bounded in time and memory (``gongkai.batch.read_bounded``, a fresh
process per file), so a hostile file — a zip bomb, a PDF that loops, bytes that are no document — costs the
clerk a clear message in Chinese and never the server a 500 or a stuck worker."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from gongkai.batch import read_bounded
from gongkai.read import SUFFIXES, ReadError, max_bytes
from gongkai.read.matcher import Extraction

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 20.0
MEMORY_MB = 500


class UploadRefused(Exception):
    """An upload that cannot be read as a report; ``message`` is for the clerk."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# (words of the reader's problem, what the clerk reads), first match wins
REASONS = (
    (("timed out",), f"读取超时（超过{TIMEOUT_SECONDS:g}秒），文件可能过于复杂或已损坏。"),
    (("memory",), "文件展开后过大，超出读取所允许的内存。"),
    (("unpack to", "compressed", "more than", "too many pages", "nested too deeply", "file too large"),
     "文件过大或结构过于复杂（例如压缩炸弹），为安全起见拒绝读取。"),
    (("encrypted", "password"), "文件已加密或设有密码，请上传未加密的文件。"),
    (("scanned pdf", "without text", "cannot be decoded"), "这是扫描件或文字无法提取的PDF，请先进行文字识别（OCR）或上传Word版本。"),
    (("empty file", "without pages", "no content"), "文件是空的。"),
    (("libreoffice",), "旧版Word（.doc）文件无法转换，请另存为.docx后上传。"),
    (("damaged", "corrupt", "truncated", "crc mismatch"), "文件已损坏或不完整。"),
    (("not an annual report", "not a report page", "not a gongkai workbook", "not the template layout",
      "unknown template edition"), "文件中未找到政府信息公开工作年度报告的内容或统计表格。"),
    (("binary data", "unknown encoding", "cannot read", "not a word", "not an xlsx", "not a readable",
      "does not start like"), "文件格式无法识别，请上传PDF、Word、网页、Excel或文本格式的年度报告。"),
)


def explain(problem: str) -> str:
    """The clerk's reason for a reader's problem (the reader speaks English, for the logs and the CLI)."""
    text = problem.lower()
    for words, reason in REASONS:
        if any(word in text for word in words):
            return reason
    return "文件格式无法识别、已损坏，或不是政府信息公开工作年度报告。"


def read_upload(uploaded) -> Extraction:
    """The report an uploaded file holds; ``UploadRefused`` with a Chinese message for anything else."""
    limit = max_bytes()
    if uploaded.size == 0:
        raise UploadRefused("无法读取该文件：文件是空的。")
    if uploaded.size > limit:
        raise UploadRefused(f"无法读取该文件：文件大小超过{limit // (1024 * 1024)}MB的上限。")
    suffix = Path(uploaded.name or "").suffix.lower()
    suffix = suffix if suffix in SUFFIXES else ""  # the format is sniffed from the bytes; a known suffix only helps
    with tempfile.TemporaryDirectory(prefix="gongkai-upload-") as folder:
        path = Path(folder) / f"report{suffix}"
        with path.open("wb") as target:
            for chunk in uploaded.chunks():
                target.write(chunk)
        try:
            return read_bounded(path, timeout=TIMEOUT_SECONDS, memory_mb=MEMORY_MB)
        except ReadError as error:
            log.info("upload %r refused: %s", uploaded.name, error.problem)
            raise UploadRefused("无法读取该文件：" + explain(error.problem)) from None
