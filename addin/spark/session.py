"""A SparkSession for kehu, or a clear two-line message when pyspark or Java is missing."""
from __future__ import annotations

import os
import shutil
import sys

INSTALL_LINE = 'python -m pip install -e ".[spark]"'


class SparkUnavailable(RuntimeError):
    """pyspark or a Java runtime is missing: (chinese, english) explain what to install."""

    def __init__(self, chinese: str, english: str):
        super().__init__(english)
        self.chinese, self.english = chinese, english


#: JVM heap of the driver (in local mode the driver is also the executor); KEHU_SPARK_DRIVER_MEMORY overrides
DRIVER_MEMORY = "2g"


def spark_session(master: str = "local[*]", shuffle_partitions: int | None = None, app: str = "kehu"):
    """Get (or reuse) a SparkSession on `master`; Arrow on so pandas UDFs move columnar batches."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable(f"没有安装 pyspark。请运行 {INSTALL_LINE}，并安装 Java 17 运行环境。",
                               f"pyspark is not installed. Run {INSTALL_LINE} and install a Java 17 runtime.") from None
    if shutil.which("java") is None and not _java_home():
        raise SparkUnavailable("找不到 Java 运行环境（Spark 需要 Java 17）。请安装，例如 apt-get install openjdk-17-jre-headless。",
                               "No Java runtime found (Spark needs Java 17). Install one, e.g. "
                               "apt-get install openjdk-17-jre-headless.")
    if master.startswith("local"):
        # workers on this machine run the same Python (and so import the same kehu) as the driver
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (SparkSession.builder.master(master).appName(app)
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.driver.memory", os.environ.get("KEHU_SPARK_DRIVER_MEMORY", DRIVER_MEMORY))
               # stated, not left to the version's defaults: adaptive execution merges the small shuffle
               # partitions of kehu's many narrow stages (else 200 tasks each), Python workers are reused
               # across tasks (no interpreter + pandas + kehu import per task)
               .config("spark.sql.adaptive.enabled", "true")
               .config("spark.sql.adaptive.coalescePartitions.enabled", "true")
               .config("spark.python.worker.reuse", "true"))
    if shuffle_partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(shuffle_partitions))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def cut(df):
    """Materialise a stage's result on the executors (memory, spilling to disk) and start a new plan from it:
    later stages join the same tables several times, and without the cut every action re-analyses (and
    re-runs, Python UDFs included) the whole plan back to the input."""
    from pyspark import StorageLevel
    return df.localCheckpoint(eager=True, storageLevel=StorageLevel.MEMORY_AND_DISK)


def _java_home() -> bool:
    home = os.environ.get("JAVA_HOME")
    return bool(home) and os.path.exists(os.path.join(home, "bin", "java"))
