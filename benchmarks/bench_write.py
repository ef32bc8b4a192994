"""Benchmark write-back: time and peak memory to add 5 columns to a 15-column register, against calamine's read.

    python benchmarks/bench_write.py                 # 10,000 / 100,000 / 1,048,575 data rows
    python benchmarks/bench_write.py 10000 100000    # chosen sizes

Each measurement runs in a child process so its peak RSS is its own. The register is written
the way Excel writes one (shared strings, dates as styled serials) by a vectorised generator
below; generating it is not timed.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEADERS = ["客户编号", "姓名", "性别", "手机", "电话", "邮箱", "公司名称", "省份", "城市", "地址",
           "首次接触日期", "购买次数", "累计金额", "状态", "备注"]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂")
PROVINCES = ["北京", "上海", "广东", "浙江", "江苏", "四川", "湖北", "山东"]
CITIES = ["北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "济南", "青岛"]
STATES = ["意向客户", "签单客户", "无效客户", "丢单客户"]
BATCH = 100_000


def _xml_escape(texts: list[str]) -> list[str]:
    return [t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for t in texts]


def make_register(path: Path, n: int, seed: int = 7) -> None:
    """A .xlsx register of n data rows × 15 columns, shared strings like Excel's own files."""
    rng = np.random.default_rng(seed)
    pools: list[str] = []

    def pool(values: list[str]) -> int:
        start = len(pools)
        pools.extend(values)
        return start

    base_hdr = pool(HEADERS)
    base_name = pool([s + g + h for s in SURNAMES for g in GIVEN for h in [""] + GIVEN])
    n_names = len(SURNAMES) * len(GIVEN) * (len(GIVEN) + 1)
    base_sex = pool(["男", "女"])
    base_prov = pool(PROVINCES)
    base_city = pool(CITIES)
    base_state = pool(STATES)
    base_company = pool([f"{c}市{k}号科技有限公司" for c in CITIES for k in range(500)])
    base_note = pool(["", "已回访", "需要再次联系", "客户要求开发票", "电话无人接听"])
    # unique per-row strings: id, mobile, email, address (each row gets its own shared string)
    base_unique = len(pools)

    def cells(col: int, rows: np.ndarray, kind: str, values: np.ndarray) -> np.ndarray:
        letter = chr(65 + col)
        ref = ('<c r="' + letter) + rows.astype(str).astype(object)
        if kind == "s":
            return ref + '" t="s"><v>' + values.astype(str).astype(object) + "</v></c>"
        if kind == "d":
            return ref + '" s="1"><v>' + values.astype(str).astype(object) + "</v></c>"
        return ref + '"><v>' + values.astype(str).astype(object) + "</v></c>"

    sheet_parts = []
    unique_texts: list[np.ndarray] = []
    for start in range(0, n, BATCH):
        stop = min(start + BATCH, n)
        k = stop - start
        rows = np.arange(start + 2, stop + 2)
        idx = np.arange(start, stop)
        u = base_unique + 4 * idx          # four unique strings per row
        ids = ("KH" + np.char.zfill(idx.astype(str), 8)).astype(object)
        mobiles = (np.char.add("13", np.char.zfill((idx * 7919 % 10**9).astype(str), 9))).astype(object)
        emails = np.char.add(np.char.add("user", idx.astype(str)), "@example.com").astype(object)
        streets = np.array([f"{CITIES[i % 10]}市第{i % 997}街{i % 89}号" for i in idx.tolist()], dtype=object)
        unique_texts.append(np.stack([ids, mobiles, emails, streets], axis=1).ravel())
        cols = [
            cells(0, rows, "s", u),
            cells(1, rows, "s", base_name + rng.integers(0, n_names, k)),
            cells(2, rows, "s", base_sex + rng.integers(0, 2, k)),
            cells(3, rows, "s", u + 1),
            cells(4, rows, "n", rng.integers(10_000_000, 99_999_999, k)),
            cells(5, rows, "s", u + 2),
            cells(6, rows, "s", base_company + rng.integers(0, 5000, k)),
            cells(7, rows, "s", base_prov + rng.integers(0, len(PROVINCES), k)),
            cells(8, rows, "s", base_city + rng.integers(0, len(CITIES), k)),
            cells(9, rows, "s", u + 3),
            cells(10, rows, "d", rng.integers(40_000, 45_500, k)),
            cells(11, rows, "n", rng.integers(0, 50, k)),
            cells(12, rows, "n", np.round(rng.gamma(2.0, 800.0, k), 2)),
            cells(13, rows, "s", base_state + rng.integers(0, 4, k)),
            cells(14, rows, "s", base_note + rng.integers(0, 5, k)),
        ]
        joined = cols[0]
        for c in cols[1:]:
            joined = joined + c
        sheet_parts.append("".join(('<row r="' + rows.astype(str).astype(object) + '" spans="1:15">') + joined + "</row>"))
    header = '<row r="1" spans="1:15">' + "".join(
        f'<c r="{chr(65 + j)}1" t="s"><v>{base_hdr + j}</v></c>' for j in range(15)) + "</row>"
    all_strings = pools + [str(t) for arr in unique_texts for t in arr]
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1, allowZip64=True) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                   '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                   "</Types>")
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {ns} '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                   '<sheets><sheet name="客户档案" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
                   '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        z.writestr("xl/styles.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {ns}>'
                   '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
                   '<fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts>'
                   '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
                   '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                   '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                   '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
                   '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
                   '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {ns} count="{len(all_strings)}" '
                      f'uniqueCount="{len(all_strings)}">'.encode())
            for i in range(0, len(all_strings), 500_000):
                chunk = _xml_escape(all_strings[i:i + 500_000])
                out.write("".join(f"<si><t>{t}</t></si>" for t in chunk).encode())
            out.write(b"</sst>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {ns}>'
                      f'<dimension ref="A1:O{n + 1}"/><sheetData>{header}'.encode())
            for part in sheet_parts:
                out.write(part.encode())
            out.write(b"</sheetData></worksheet>")


def child_read(path: str) -> dict:
    from python_calamine import CalamineWorkbook
    t = time.perf_counter()
    rows = CalamineWorkbook.from_path(path).get_sheet_by_name("客户档案").to_python()
    return {"seconds": time.perf_counter() - t, "rows": len(rows)}


def child_write(path: str, n: int) -> dict:
    import pandas as pd
    from addin.write import AddedColumn, write_results
    idx = np.arange(n)
    columns = [
        AddedColumn("规范手机号", pd.Series(np.char.add("+86 13", np.char.zfill((idx * 7919 % 10**9).astype(str), 9)))),
        AddedColumn("问题", pd.Series(np.where(idx % 7 == 0, "MOBILE_LENGTH 手机号码位数不对", None), dtype=object)),
        AddedColumn("下次跟进日期", pd.Series(pd.Timestamp("2025-01-01") + pd.to_timedelta(idx % 90, unit="D"))),
        AddedColumn("RFM得分", pd.Series((idx % 125) / 25.0), number_format="0.00"),
        AddedColumn("重复组", pd.Series(np.where(idx % 11 == 0, idx // 11, np.nan))),
    ]
    out = Path(path).with_name("out.xlsx")
    t = time.perf_counter()
    write_results(Path(path), out, sheet="客户档案", header_row=1, rows=np.arange(2, n + 2), columns=columns)
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "output_mb": out.stat().st_size / 1e6}


def _run_child(*args: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main(sizes: list[int]) -> None:
    print(f"{'rows':>10} {'sheet MB':>9} {'file MB':>8} {'read s':>7} {'read RSS MB':>11} "
          f"{'write s':>8} {'write RSS MB':>12} {'write/read':>10}")
    for n in sizes:
        with tempfile.TemporaryDirectory(dir=ROOT / "benchmarks") as folder:
            path = Path(folder) / "register.xlsx"
            make_register(path, n)
            with zipfile.ZipFile(path) as z:
                sheet_mb = z.getinfo("xl/worksheets/sheet1.xml").file_size / 1e6
            read = _run_child("read", str(path))
            write = _run_child("write", str(path), str(n))
            print(f"{n:>10,} {sheet_mb:>9.0f} {path.stat().st_size / 1e6:>8.0f} {read['seconds']:>7.2f} "
                  f"{read['rss_mb']:>11.0f} {write['seconds']:>8.2f} {write['rss_mb']:>12.0f} "
                  f"{write['seconds'] / read['seconds']:>10.2f}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, *rest = sys.argv[2:]
        result = child_read(rest[0]) if kind == "read" else child_write(rest[0], int(rest[1]))
        result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
    else:
        main([int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_048_575])
