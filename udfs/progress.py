"""How far a long step has got, for whoever shows progress (the CLI's bar); silent when nobody listens.

The engine and the writer call `advance(done, total, unit)` between batches; a door that shows progress
wraps the work in `reporting(callback)`. A context variable, so parallel runs (tests, threads) do not mix.
"""
from __future__ import annotations

import contextvars
from contextlib import contextmanager
from typing import Callable, Iterator

Callback = Callable[[int, int, str], None]
_listener: contextvars.ContextVar[Callback | None] = contextvars.ContextVar("kehu_progress", default=None)


def advance(done: int, total: int, unit: str = "行 rows") -> None:
    """`done` of `total` units of the current step are finished."""
    listener = _listener.get()
    if listener is not None and total > 0:
        listener(int(done), int(total), unit)


@contextmanager
def reporting(callback: Callback | None) -> Iterator[None]:
    token = _listener.set(callback)
    try:
        yield
    finally:
        _listener.reset(token)
