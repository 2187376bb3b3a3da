"""Shared bits for the benchmark scripts: timing and side-by-side printing."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def best_of(fn: Callable[[], object], repeat: int = 3) -> tuple[float, object]:
    """Best wall time of ``repeat`` runs (the least disturbed by other load) and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def print_side_by_side(title: str, rows: list[tuple[str, float, float, str]]) -> None:
    """rows: (what, baseline seconds, project seconds, unit note). Prints ratios."""
    print(f"\n{title}")
    print(f"{'measure':34s} {'baseline':>12s} {'project':>12s} {'ratio':>9s}  note")
    for what, base, proj, note in rows:
        ratio = base / proj if proj else float("inf")
        print(f"{what:34s} {base:12.3f} {proj:12.3f} {ratio:8.2f}x  {note}")


def median(xs):
    return statistics.median(xs)
