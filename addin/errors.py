"""User-facing failures: one Chinese line, one English line, a fixed exit code."""
from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    UNEXPECTED = 1      # a bug in kehu: please report it
    USAGE = 2           # wrong command-line options
    INPUT_FILE = 3      # missing, unreadable, corrupt, encrypted or wrong-type input
    INPUT_CONTENT = 4   # readable, but no data / header / required column
    OUTPUT = 5          # cannot write the result (locked, open in Excel, no permission)


class KehuError(Exception):
    """An error the user can act on. `zh` and `en` say what happened and what to do."""

    def __init__(self, zh: str, en: str, code: ExitCode = ExitCode.INPUT_CONTENT):
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.code = ExitCode(code)

    def lines(self) -> str:
        return f"错误：{self.zh}\nError: {self.en}"

    def as_dict(self) -> dict:
        return {"ok": False, "exit_code": int(self.code), "error_zh": self.zh, "error_en": self.en}


def from_input_problem(problem) -> KehuError:
    """An engine InputProblem as the doors show it."""
    code = ExitCode.INPUT_FILE if getattr(problem, "missing_file", False) else ExitCode.INPUT_CONTENT
    return KehuError(problem.zh, problem.en, code)
