"""Build the two workbook templates (客户档案模板.xlsx, 满意度调查模板.xlsx): `python -m workbook_templates.build_templates`.

Both are written with xlsxwriter from fixed sample rows, so a rebuild gives the same cells, formulas and
formats (the test suite compares the committed files with a fresh build, cell for cell).

Two kinds of formula live in the templates:

* native formulas (COUNTIFS, SUMIFS, AVERAGEIFS, SUMPRODUCT, IFERROR …) in the summary and report blocks,
  which every spreadsheet computes without kehu. Each gets a cached value computed here with pandas, so a
  reader that does not recalculate (a previewer, calamine, LibreOffice with its default "never recalculate"
  setting) still shows the right number; only formulas that depend on TODAY() are left without one, and
  every spreadsheet computes those on open (volatile, or no cached value at all).
* kehu formulas (KEHU_…, the xlwings UDFs of udfs.formulas). Result columns are one spilled dynamic-array
  formula in the first data row, referencing the Table column; scalar figures are plain formulas. Their
  cached values come from calling the same Python functions on the sample rows, so Excel without the
  add-in shows the sample results instead of blanks until something is recalculated. (LibreOffice always
  recalculates array formulas on load and shows #NAME? there; plain KEHU formulas keep their values.)

The workbook asks for no full recalculation on load (fullCalcOnLoad off, a current calcId): the cached
values are right, and a forced recalculation would turn every KEHU cell into #NAME? where the add-in is
missing.
"""
from __future__ import annotations

from pathlib import Path

from .register_template import build_register
from .survey_template import build_survey
from .template_parts import (CHANNELS, CUSTOMER_TYPES, DATE_FORMAT, HERE, MONEY_FORMAT, REGISTER_PATH,  # noqa: F401
                             SAMPLE_AS_OF, STATUSES, SURVEY_PATH)


def build_all(folder: Path = HERE) -> list[Path]:
    """Both templates into `folder` (the package folder by default)."""
    folder = Path(folder)
    return [build_register(folder / REGISTER_PATH.name), build_survey(folder / SURVEY_PATH.name)]


if __name__ == "__main__":
    for p in build_all():
        print(p)
