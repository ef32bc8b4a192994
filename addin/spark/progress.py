"""Spark's own progress (stages and tasks, from sc.statusTracker()) as kehu progress lines.

A daemon thread polls the tracker every `every` seconds and calls progress(text, done, total) with the
running job's tasks; the job layer names the step (keys, blocking, …) with `step`."""
from __future__ import annotations

import threading
from typing import Callable

Report = Callable[[str, int, int], None]


class StageProgress:
    def __init__(self, spark, progress: Report | None, every: float = 0.5):
        self._tracker = spark.sparkContext.statusTracker()
        self._progress, self._every = progress, every
        self._step = ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True, name="kehu-spark-progress")

    def __enter__(self) -> "StageProgress":
        if self._progress:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)

    def step(self, name: str) -> None:
        self._step = name
        if self._progress:
            self._progress(name, 0, 0)

    def snapshot(self) -> tuple[int, int]:
        """(tasks done, tasks in all) over the active stages."""
        done = total = 0
        for stage_id in self._tracker.getActiveStageIds():
            info = self._tracker.getStageInfo(stage_id)
            if info is not None:
                done += info.numCompletedTasks
                total += info.numTasks
        return done, total

    def _poll(self) -> None:
        last = None
        while not self._stop.wait(self._every):
            now = self.snapshot()
            if now != last and now[1]:
                self._progress(f"{self._step} · Spark 任务 {now[0]}/{now[1]}", *now)
                last = now
