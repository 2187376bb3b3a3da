"""Matplotlib figures that take the tidy tables of the measure modules.

One module per area (``corpus``, ``framing``, ``sentiment``, ``topics``), one function per
figure kind; every figure is saved with :func:`save_figure` as PNG and SVG beside the CSV of
the numbers behind it, so a reader of the report can check or re-plot them.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

__all__ = ["SavedFigure", "save_figure"]

# Stable, diff-friendly SVG output: no random ids, no timestamps.
plt.rcParams["svg.hashsalt"] = "coverage-lab"
plt.rcParams["svg.fonttype"] = "none"
plt.rcParams["figure.dpi"] = 100
plt.rcParams["savefig.dpi"] = 120
plt.rcParams["savefig.bbox"] = "tight"


class SavedFigure(dict):
    """The paths :func:`save_figure` wrote, keyed by kind; shows as one short line in a notebook."""

    def __repr__(self) -> str:
        first = next(iter(self.values()), None)
        name = first.stem if first is not None else "?"
        return f"saved {name} ({', '.join(self)}) in {first.parent.name if first is not None else '?'}/"


def save_figure(fig, name: str, out_dir: str | os.PathLike, table: pd.DataFrame | None = None) -> SavedFigure:
    """Write ``name.png``, ``name.svg`` and (given a table) ``name.csv`` into ``out_dir``.

    Returns the written paths keyed by ``png``/``svg``/``csv``. In a notebook the figure is shown
    from the PNG just written and closed (:func:`_show_saved`); elsewhere it stays open.

    >>> fig, ax = plt.subplots(); paths = save_figure(fig, "demo", "/tmp/cl-demo")
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in name).strip("-") or "figure"
    paths = SavedFigure(png=out / f"{safe}.png", svg=out / f"{safe}.svg")
    fig.savefig(paths["png"], metadata={"Software": None})
    fig.savefig(paths["svg"], metadata={"Date": None, "Creator": None})
    if table is not None:
        paths["csv"] = out / f"{safe}.csv"
        table.to_csv(paths["csv"], index=False)
    _show_saved(fig, paths["png"])
    return paths


def _show_saved(fig, png: Path) -> None:
    """In a notebook (matplotlib's inline backend), show ``fig`` as the PNG just written and close
    it; elsewhere (scripts, tests, other backends) do nothing.

    The inline backend would otherwise draw the figure a third time at the end of the cell (after
    the PNG and the SVG): at one article, drawing was about a third of notebook 10's time. The
    page shows the file at the size the inline backend gave the figure (the file is drawn at
    ``savefig.dpi``, shown at ``figure.dpi``), so it looks the same, only sharper."""
    import matplotlib

    if "inline" not in matplotlib.get_backend():
        return
    from IPython.display import Image, display

    data = png.read_bytes()
    dpi = plt.rcParams["savefig.dpi"]
    scale = fig.dpi / dpi if isinstance(dpi, int | float) and dpi > 0 else 1.0
    width = int.from_bytes(data[16:20], "big")  # the PNG header's width in pixels
    display(Image(data=data, format="png", width=max(1, round(width * scale))))
    plt.close(fig)
