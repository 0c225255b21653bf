"""One bounded LibreOffice conversion, for the reader (legacy .doc → .docx) and the letters (.docx → PDF).

LibreOffice runs headless with a profile of its own in a temporary folder (so conversions never share or lock a
user profile), in its own process group, killed whole when it overruns ``timeout``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path


class ConversionError(Exception):
    """LibreOffice is missing (``reason == "missing"``), overran its time (``"timeout"``) or produced nothing
    (``"failed"``, with what it printed in ``detail``)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason, self.detail = reason, detail


def convert(data: bytes, suffix: str, to: str, timeout: float) -> bytes:
    """``data`` (a file ending in ``suffix``, e.g. ``.doc``) converted by LibreOffice to format ``to`` (``docx``,
    ``pdf``); ``ConversionError`` otherwise."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ConversionError("missing")
    with tempfile.TemporaryDirectory(prefix="gongkai-convert-") as tmp:
        source = Path(tmp) / f"document{suffix}"
        source.write_bytes(data)
        command = [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
                   "--convert-to", to, "--outdir", tmp, str(source)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ConversionError("timeout") from None
        converted = source.with_suffix(f".{to}")
        if process.returncode != 0 or not converted.is_file():
            raise ConversionError("failed", err.decode("utf-8", "replace").strip()[:300])
        return converted.read_bytes()
