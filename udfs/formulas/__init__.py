"""kehu's Excel formulas, all in one module for xlwings' "UDF Modules" setting (udfs.formulas).

Each capability keeps its formulas in its own module; importing them here gives Excel one list.
"""
from udfs.formulas.clean import *  # noqa: F401,F403
from udfs.formulas.segment import *  # noqa: F401,F403
from udfs.formulas.survey import *  # noqa: F401,F403
from udfs.formulas.dedupe import *  # noqa: F401,F403
from udfs.formulas.text import *  # noqa: F401,F403
