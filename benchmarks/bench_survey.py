"""Time the survey analysis and report sheet for 10,000 and 100,000 responses × 30 items (reading excluded),
with the satisfaction path model fitted without bootstrap and with 200 bootstrap draws."""
from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from udfs.score.survey import analyse_survey  # noqa: E402


def make_sheet(n: int, k: int = 30, seed: int = 0) -> pd.DataFrame:
    """Raw cells as the reader delivers them: object columns, numbers with a few level labels and blanks."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(0, 1, n)
    data = {"答卷编号": [f"R{i:07d}" for i in range(n)],
            "门店": rng.choice(["县城店", "乡镇店", "市区店"], n),
            "性别": rng.choice(["男", "女"], n),
            "年龄段": rng.choice(["18-25岁", "26-35岁", "36-45岁", "46岁以上"], n)}
    labels = np.array([None, "非常不满意", "不满意", "一般", "满意", "非常满意"], dtype=object)
    for j in range(k):
        v = np.clip(np.rint(3.5 + 0.8 * theta + rng.normal(0, 0.8, n)), 1, 5).astype(int)
        col = v.astype(float).astype(object)
        as_label = rng.random(n) < 0.03
        col[as_label] = labels[v[as_label]]
        col[rng.random(n) < 0.01] = None
        data[f"{['产品', '服务', '物流', '沟通', '价格'][j % 5]}-Q{j + 1}"] = col
    data["总体满意度"] = np.clip(np.rint(3.5 + theta), 1, 5).astype(float).astype(object)
    data["推荐意愿（0-10）"] = np.clip(np.rint(7 + 2 * theta), 0, 10).astype(float).astype(object)
    data["意见"] = np.where(rng.random(n) < 0.2, "送货慢", None)
    data["用时（秒）"] = np.rint(rng.lognormal(np.log(300), 0.4, n)).astype(float).astype(object)
    return pd.DataFrame(data)


def main() -> None:
    import xlsxwriter
    import scipy.special  # noqa: F401  (imports are start-up, not analysis: scipy.special ~0.3 s, zhconv its dictionary)
    import zhconv  # noqa: F401

    from addin.report.survey_sheet import build_survey_sheet

    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    for n in sizes:
        df = make_sheet(n)
        for draws in (0, 200):
            t0, c0 = time.perf_counter(), time.process_time()
            res = analyse_survey(df, issued=int(n * 1.2), bootstrap=draws)
            t1 = time.perf_counter()
            buf = io.BytesIO()
            wb = xlsxwriter.Workbook(buf, {"in_memory": True})
            build_survey_sheet(wb, wb.add_worksheet("满意度报告"), res)
            flagged = res.invalid_table()
            wb.close()
            t2, c2 = time.perf_counter(), time.process_time()
            print(f"{n:>7,} responses × 30 items, path model with {draws:>3} bootstrap draws: "
                  f"analysis {t1 - t0:5.2f} s, report sheet {t2 - t1:5.2f} s, total {t2 - t0:5.2f} s wall, "
                  f"{c2 - c0:5.2f} s CPU  (valid {res.response['valid']:,}, flagged {len(flagged):,}, "
                  f"index {res.dimensions.iloc[-1]['value']:.1f}, model n {res.model.n if res.model else 0:,})")

if __name__ == "__main__":
    main()
