"""The one call a door makes for `--engine spark`: run a Spark job, or say in two lines why it cannot run.

Typer-free, so the CLI and tests call the same thing. Missing pyspark or Java → KehuError with
ExitCode.USAGE (2): the option asked for an engine this installation does not have."""
from __future__ import annotations

from addin.errors import ExitCode, KehuError
from addin.spark.session import SparkUnavailable


ENGINES = ("local", "spark")


def check_engine(engine: str) -> str:
    """--engine's value, or the usage error (exit 2) for anything but local or spark."""
    if engine not in ENGINES:
        raise KehuError(f"--engine 只能是 local 或 spark，收到“{engine}”。",
                        f"--engine must be local or spark; got '{engine}'.", ExitCode.USAGE)
    return engine


def run_spark(job: str, inputs, out, **options) -> dict:
    """job: "dedupe" or "clean"; options: those of addin.spark.jobs.dedupe_on_spark / clean_on_spark."""
    from addin.spark import jobs
    entry = {"dedupe": jobs.dedupe_on_spark, "clean": getattr(jobs, "clean_on_spark", None)}.get(job)
    if entry is None:
        raise KehuError(f"Spark 引擎不支持“{job}”。", f"The Spark engine does not run '{job}'.", ExitCode.USAGE)
    try:
        return entry(inputs, out, **options)
    except SparkUnavailable as e:
        raise KehuError(e.chinese, e.english, ExitCode.USAGE) from None
