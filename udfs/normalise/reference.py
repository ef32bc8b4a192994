"""Switch the column kernels off: inside `per_value_only()` every normaliser and validator answers value by
value through its readable per-value function, as it did before its column kernel existed.

The kernels promise the very same answers; tests run a register both ways and compare every cell
(tests/test_fast_path_equality.py), so a kernel that drifts from its per-value definition is caught.
"""
from __future__ import annotations

import contextlib
import contextvars

_PER_VALUE = contextvars.ContextVar("kehu_per_value_only", default=False)


@contextlib.contextmanager
def per_value_only():
    """Within the block the column kernels are not used (the per-value code answers every cell)."""
    token = _PER_VALUE.set(True)
    try:
        yield
    finally:
        _PER_VALUE.reset(token)


def kernels_on() -> bool:
    """False inside `per_value_only()`."""
    return not _PER_VALUE.get()
