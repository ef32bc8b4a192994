"""One BLAS thread for the survey analysis: its matrix products are skinny (respondents × a few dozen items), where
threads gain little, and multithreaded OpenBLAS that must wait for a busy core spins and stalls (seconds instead of
milliseconds on a loaded two-core machine, or beside Excel's own calculation threads)."""
from __future__ import annotations

import functools
from contextlib import contextmanager
from typing import Any, Callable, Iterator, TypeVar

T = TypeVar("T")


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block with BLAS limited to one thread (threadpoolctl, extra `fast`); without it, as configured."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # the same answers, only exposed to the stalls
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def on_one_blas_thread(fn: Callable[..., T]) -> Callable[..., T]:
    """Decorator: `fn` runs under `one_blas_thread`."""
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> T:
        with one_blas_thread():
            return fn(*args, **kwargs)
    return run
