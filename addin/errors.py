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


class Cancelled(BaseException):
    """Ctrl-C or SIGTERM. A BaseException, so no `except Exception` swallows it and every `finally` runs
    (temporary files are removed) on the way out."""

    ZH = "已取消：没有写出任何结果，原文件未改动。"
    EN = "Cancelled: nothing was written and the original file is untouched."


def storage_error(exc: OSError, path) -> KehuError:
    """An OS refusal while writing `path`, said with what to do (exit 5)."""
    import errno

    name = str(path)
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        zh, en = (f"磁盘空间不足（或超出配额），无法写入“{name}”。请腾出空间，或用 -o 把结果写到另一个磁盘。",
                  f"No space left on the disk (or quota exceeded) while writing {name}. Free some space, or "
                  f"write the result to another disk with -o.")
    elif code == errno.EROFS:
        zh, en = (f"“{name}”所在的位置是只读的（只读文件系统、光盘或写保护的 U 盘），无法写入。请用 -o 写到可写的文件夹。",
                  f"The location of {name} is read-only (read-only file system or protected drive). Write the "
                  f"result to a writable folder with -o.")
    elif code in (errno.EACCES, errno.EPERM):
        zh, en = (f"没有权限写入“{name}”。请用 -o 写到有权限的文件夹，或请管理员开放权限。",
                  f"No permission to write {name}. Write the result to a folder you may write to with -o.")
    elif code == errno.ENAMETOOLONG:
        zh, en = (f"输出文件名或路径太长，文件系统不接受：“{name[:60]}…”。请用 -o 指定一个较短的文件名。",
                  f"The output name or path is too long for the file system ({name[:60]}…). Give a shorter "
                  f"one with -o.")
    else:
        zh, en = (f"无法写入“{name}”：{exc.strerror or exc}。请检查磁盘和文件夹，或用 -o 换一个位置。",
                  f"Cannot write {name}: {exc.strerror or exc}. Check the disk and folder, or use -o to write "
                  f"elsewhere.")
    return KehuError(zh, en, ExitCode.OUTPUT)
