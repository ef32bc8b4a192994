"""Typed, frozen options for every job, saved and read back as JSON so a run can be repeated.

Every door builds the same object: the CLI from its flags, the ribbon from the defaults, a saved run from
`--options FILE.json`. Unknown keys and wrong types are refused in the usual two lines (exit 2), never
silently dropped: a misspelt key in a saved run must not quietly change what the run does.
"""
from __future__ import annotations

import dataclasses
import json
import typing
from pathlib import Path
from typing import Any, TypeVar

from addin.errors import ExitCode, KehuError

T = TypeVar("T", bound="JobOptions")


@dataclasses.dataclass(frozen=True)
class JobOptions:
    """Base of every job's options: `job` names which job the saved JSON belongs to."""

    job: typing.ClassVar[str] = ""

    def to_json(self, indent: int | None = 1) -> str:
        values = {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}
        return json.dumps({"job": self.job, "options": values}, ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls: type[T], text: str) -> T:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise _refuse(f"选项文件不是有效的 JSON：{e}", f"The options file is not valid JSON: {e}") from None
        if not isinstance(data, dict) or not isinstance(data.get("options", {}), dict):
            raise _refuse("选项文件应是 {\"job\": …, \"options\": {…}}。", 'Options must be {"job": …, "options": {…}}.')
        if data.get("job") not in (None, cls.job):
            raise _refuse(f"这份选项属于 kehu {data.get('job')}，不是 kehu {cls.job}。",
                          f"These options are for kehu {data.get('job')}, not kehu {cls.job}.")
        return cls.from_dict(data.get("options", {}))

    @classmethod
    def from_dict(cls: type[T], values: dict[str, Any]) -> T:
        fields = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - set(fields))
        if unknown:
            raise _refuse(f"kehu {cls.job} 没有这些选项：{'、'.join(unknown)}（可用：{'、'.join(fields)}）。",
                          f"kehu {cls.job} has no option {', '.join(unknown)} (known: {', '.join(fields)}).")
        hints = typing.get_type_hints(cls)
        return cls(**{k: _typed(k, v, hints[k], cls.job) for k, v in values.items()})

    @classmethod
    def load(cls: type[T], path: Path, **overrides: Any) -> T:
        """Options saved by an earlier run (`--options FILE.json`), with the flags given now on top."""
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError as e:
            raise KehuError(f"无法读取选项文件“{path}”：{e.strerror or e}", f"Cannot read the options file '{path}': {e}",
                            ExitCode.USAGE) from None
        return dataclasses.replace(cls.from_json(text), **overrides)

    def save(self, path: Path) -> Path:
        Path(path).write_text(self.to_json(), encoding="utf-8")
        return Path(path)


def _refuse(zh: str, en: str) -> KehuError:
    return KehuError(zh, en, ExitCode.USAGE)


def _plain(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _typed(name: str, value: Any, hint: Any, job: str) -> Any:
    """A JSON value as the field's type (lists → tuples, str → Path); refuse what cannot be that type."""
    if value is None:
        if type(None) in typing.get_args(hint) or hint is type(None):
            return None
        raise _refuse(f"选项 {name} 不能为空。", f"Option {name} of kehu {job} cannot be null.")
    allowed = [a for a in (typing.get_args(hint) or (hint,)) if a is not type(None)]
    for kind in allowed:
        origin = typing.get_origin(kind) or kind
        if origin is Path and isinstance(value, str):
            return Path(value)
        if origin is tuple and isinstance(value, list):
            return tuple(tuple(v) if isinstance(v, list) else v for v in value)
        if origin is dict and isinstance(value, dict):
            return dict(value)
        if origin is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if origin in (int, str, bool) and type(value) is origin:
            return value
    raise _refuse(f"选项 {name} 的值类型不对：{value!r}。", f"Option {name} of kehu {job} has the wrong type: {value!r}.")
