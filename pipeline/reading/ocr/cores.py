"""Every core busy while a document is read by OCR: one pool of threads for all its model runs.

A `Pool` runs tasks (a page's reading) on `workers` threads, and a task may `spread` its parts (the
recogniser's lines of that page) over the pool: the thread reading the page runs them too, and a
thread with nothing else to do helps. So uneven pages, the last page of a document and a page read
alone (a large one) keep every core busy, not only as many cores as there are pages in flight.

A free thread takes, in this order: a new task when no other task is still before its `spread` (a
page's detection: one runs at a time, see engine.DETECTING; starting one early gives the next parts
to spread), else the oldest spread's parts, else a new task anyway. Parts run in any order on any
thread, so a part must not depend on another: what is computed never depends on the pool.
"""

from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import Future
from typing import Callable

_here = threading.local()  # the pool a thread works for, and whether its task has spread yet


class _Spread:
    """One call of `spread`: its parts not yet taken, their results, how many are still running."""

    def __init__(self, parts: list[Callable]):
        self.queued = deque(enumerate(parts))
        self.results: list = [None] * len(parts)
        self.unfinished = len(parts)
        self.error: BaseException | None = None


class Pool:
    """`workers` threads running tasks and the parts they spread; a context manager (its exit waits for the
    running tasks and drops the ones not started)."""

    def __init__(self, workers: int):
        self._cond = threading.Condition()
        self._tasks: deque = deque()  # (future, fn, args) not started
        self._spreads: deque[_Spread] = deque()  # with parts not yet taken, oldest first
        self._before_spread = 0  # tasks started that have not spread (or ended) yet
        self._closing = False
        self._threads = [threading.Thread(target=self._work, name=f"ocr-{i}", daemon=True) for i in range(workers)]
        for thread in self._threads:
            thread.start()

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc) -> None:
        with self._cond:
            self._closing = True
            for future, _fn, _args in self._tasks:
                future.cancel()
            self._tasks.clear()
            self._cond.notify_all()
        for thread in self._threads:
            thread.join()

    def submit(self, fn: Callable, *args) -> Future:
        future: Future = Future()
        with self._cond:
            self._tasks.append((future, fn, args))
            self._cond.notify_all()
        return future

    def _work(self) -> None:
        _here.pool = self
        while True:
            job = part = None
            with self._cond:
                while job is None and part is None:
                    if self._tasks and not self._before_spread:
                        job = self._tasks.popleft()
                    elif (part := self._take_part()) is None and self._tasks:
                        job = self._tasks.popleft()
                    elif part is None:
                        if self._closing:
                            return
                        self._cond.wait()
                if job is not None:
                    self._before_spread += 1
                    _here.before_spread = True
            if part is not None:
                self._run_part(*part)
                continue
            future, fn, args = job
            try:
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(fn(*args))
                    except BaseException as exc:  # the task's error is the caller's, through its future
                        future.set_exception(exc)
            finally:
                self._spread_or_ended()

    def _spread_or_ended(self) -> None:
        """The task of this thread has spread its parts or ended: a free thread may start the next task."""
        if getattr(_here, "before_spread", False):
            _here.before_spread = False
            with self._cond:
                self._before_spread -= 1
                self._cond.notify_all()

    def _take_part(self):
        """(spread, index, part) of the oldest spread with parts left, or None (under the lock)."""
        while self._spreads and not self._spreads[0].queued:
            self._spreads.popleft()
        if not self._spreads:
            return None
        spread = self._spreads[0]
        index, part = spread.queued.popleft()
        return spread, index, part

    def _run_part(self, spread: _Spread, index: int, part: Callable) -> None:
        try:
            result = part()
        except BaseException as exc:
            with self._cond:
                spread.error = spread.error or exc
                spread.unfinished -= 1 + len(spread.queued)  # the parts not started will not be
                spread.queued.clear()
                self._cond.notify_all()
            return
        with self._cond:
            spread.results[index] = result
            spread.unfinished -= 1
            if not spread.unfinished:
                self._cond.notify_all()

    def spread(self, parts: list[Callable]) -> list:
        """Each part's result, in order; the calling thread runs parts until none is left to take."""
        self._spread_or_ended()
        spread = _Spread(parts)
        with self._cond:
            self._spreads.append(spread)
            self._cond.notify_all()
        while True:
            with self._cond:
                while spread.unfinished:
                    taken = self._take_part()  # the oldest first: its page ends first, and its image goes
                    if taken is not None:
                        break
                    self._cond.wait()
                else:
                    break
            self._run_part(*taken)
        if spread.error is not None:
            raise spread.error
        return spread.results


def spread(parts: list[Callable]) -> list:
    """Each part's result, in order: over the pool the calling thread works for, else one after another."""
    pool = getattr(_here, "pool", None)
    if pool is None or len(parts) < 2:
        return [part() for part in parts]
    return pool.spread(parts)
