"""LibreOffice, an independent VBA importer, reads the built add-in's modules (never writes the add-in)."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from addin.xlam.build import VBA_DIR, build_addin

pytestmark = pytest.mark.libreoffice
SOFFICE = shutil.which("soffice")
SCRIPT_NS = "http://openoffice.org/2000/script"
# A profile of our own, kept between runs: a fresh one costs several seconds of first-start setup.
PROFILE = Path(tempfile.gettempdir()) / "kehu-test-xlam-lo-profile"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not on PATH; apt-get install libreoffice-calc")
def test_libreoffice_imports_every_vba_module(tmp_path):
    xlam = build_addin(tmp_path / "kehu.xlam")
    before = hashlib.sha256(xlam.read_bytes()).hexdigest()
    out = tmp_path / "ods"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{PROFILE}", "--headless",
         "--infilter=Calc MS Excel 2007 VBA XML", "--convert-to", "ods", "--outdir", str(out), str(xlam)],
        check=True, capture_output=True, timeout=180,
    )
    assert hashlib.sha256(xlam.read_bytes()).hexdigest() == before   # the add-in itself is untouched
    with zipfile.ZipFile(out / "kehu.ods") as ods:
        names = set(ods.namelist())
        for module in ["xlwings"] + [path.stem for path in VBA_DIR.glob("*.bas")]:
            part = f"Basic/Kehu/{module}.xml"
            assert part in names, part
            script = etree.fromstring(ods.read(part))
            assert script.get(f"{{{SCRIPT_NS}}}name") == module
            body = script.text.replace("\r\n", "\n")
            # LibreOffice drops the Attribute lines and adds its own header; the code itself must be there
            for line in (VBA_DIR / f"{module}.bas").read_text(encoding="ascii").splitlines()[1:] \
                    if module != "xlwings" else ["Public Const PROJECT_NAME As String = \"kehu\""]:
                assert line in body, f"{module}: {line!r}"
