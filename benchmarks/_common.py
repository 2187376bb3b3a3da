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


def peak_rss_mb(children: bool = False) -> float:
    """Peak resident memory so far in MB: this process, or (``children``) its largest waited-for child."""
    import resource

    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def print_throughput(title: str, rows: list[tuple]) -> None:
    """rows: (step, n documents, project s, peak MB or None, baseline what, baseline s or None, note).

    Prints documents/second for the project and its baseline and the ratio baseline time / project
    time (above 1: the project is faster)."""
    def rate(n, s):
        return f"{n / s:12,.0f}" if s else f"{'-':>12s}"

    print(f"\n{title}")
    print(f"{'step':30s} {'docs':>9s} {'seconds':>9s} {'docs/s':>12s} {'peak MB':>8s}  "
          f"{'baseline':34s} {'seconds':>9s} {'docs/s':>12s} {'ratio':>7s}  note")
    for step, n, sec, peak, base_what, base_sec, note in rows:
        peak_s = f"{peak:8,.0f}" if peak is not None else f"{'-':>8s}"
        base_s = f"{base_sec:9.1f}" if base_sec is not None else f"{'-':>9s}"
        ratio = f"{base_sec / sec:6.2f}x" if base_sec is not None and sec else f"{'-':>7s}"
        print(f"{step:30s} {n:9,d} {sec:9.1f} {rate(n, sec)} {peak_s}  {base_what or '-':34s} {base_s} "
              f"{rate(n, base_sec) if base_sec is not None else f'{chr(45):>12s}'} {ratio}  {note}")
