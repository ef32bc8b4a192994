"""Time the kehu.xlam build and its parts: MS-OVBA compression, CFB writing, the whole add-in."""
from __future__ import annotations

import io
import random
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import olefile

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # run as a script from any folder

from addin.xlam import cfb, ovba
from addin.xlam.build import build_addin, template_path
from addin.xlam.vba_project import VbaProject


def best_of(repeats: int, action) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    with zipfile.ZipFile(template_path()) as package:
        template_bin = package.read("xl/vbaProject.bin")
    project = VbaProject(template_bin)
    source = project.source("xlwings").encode(project.encoding)
    office_size = len(olefile.OleFileIO(io.BytesIO(template_bin)).openstream("VBA/xlwings").read())

    seconds = best_of(5, lambda: ovba.compress(source))
    ours = len(ovba.compress(source))
    print(f"OVBA compress, xlwings module ({len(source):,} B of VBA): {seconds * 1000:.1f} ms "
          f"({len(source) / seconds / 1e6:.2f} MB/s); {ours:,} B vs {office_size:,} B as Office stored it "
          f"({ours / office_size:.3f}×)")
    noise = random.Random(0).randbytes(1_000_000)
    seconds = best_of(3, lambda: ovba.compress(noise))
    print(f"OVBA compress, 1 MB random bytes: {seconds * 1000:.0f} ms ({1 / seconds:.2f} MB/s)")
    text = (source * 25)[:1_000_000]
    seconds = best_of(3, lambda: ovba.compress(text))
    print(f"OVBA compress, 1 MB VBA text: {seconds * 1000:.0f} ms ({1 / seconds:.2f} MB/s)")
    compressed = ovba.compress(text)
    seconds = best_of(3, lambda: ovba.decompress(compressed))
    print(f"OVBA decompress, 1 MB VBA text: {seconds * 1000:.0f} ms")

    content = cfb.CompoundFile(streams={f"S/s{index:03d}": random.Random(index).randbytes(index * 97)
                                        for index in range(200)})
    content.streams["big"] = random.Random(1).randbytes(5_000_000)
    seconds = best_of(3, lambda: cfb.write_cfb(content))
    size = sum(map(len, content.streams.values()))
    print(f"CFB write, 201 streams / {size / 1e6:.1f} MB: {seconds * 1000:.0f} ms")

    with tempfile.TemporaryDirectory() as folder:
        seconds = best_of(5, lambda: build_addin(Path(folder) / "kehu.xlam"))
        print(f"kehu.xlam build: {seconds * 1000:.0f} ms, {(Path(folder) / 'kehu.xlam').stat().st_size:,} B")


if __name__ == "__main__":
    main()
