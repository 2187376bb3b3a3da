"""``plot_frame_flow`` reads the four columns it needs instead of copying the whole table: the
same table and the same picture as the earlier code (kept verbatim below)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers.plots.framing import plot_frame_flow  # noqa: E402


def _reference_plot_frame_flow(scores, section=None, title=None):
    s = scores.copy()
    col = "position"
    if section is not None:
        s["section"] = section.to_numpy()
        col = "section"
    tab = (
        s.groupby([col, "label"], sort=False)
        .agg(per_1000=("per_1000", "mean"), n_matches=("n_matches", "sum"))
        .reset_index()
    )
    wide = tab.pivot_table(index="label", columns=col, values="per_1000", sort=False).fillna(0)
    fig, ax = plt.subplots(figsize=(max(5, 0.35 * wide.shape[1] + 3), 0.45 * len(wide) + 1.5))
    im = ax.imshow(wide.to_numpy(), aspect="auto", cmap="Blues")
    ax.set_yticks(range(len(wide)), wide.index)
    ax.set_xticks(range(wide.shape[1]), [str(c) for c in wide.columns], rotation=90 if wide.shape[1] > 8 else 0)
    ax.set_xlabel("section" if section is not None
                  else f"{scores['level'].iloc[0] if len(scores) else 'unit'} (order in text)")
    ax.set_title(title or "Frame flow through the text (matches per 1,000 tokens)")
    fig.colorbar(im, ax=ax, fraction=0.03, pad=0.02)
    fig.tight_layout()
    return fig, tab


def _scores(n, seed, dtype):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "unit_id": pd.array([f"d{i // 6}:{'hlb'[i % 3]}" for i in range(n)], dtype=dtype),
        "scheme": "generic",
        "label": pd.array(rng.choice(["Conflict", "Economic", "Morality", "Human interest"], n), dtype=dtype),
        "position": rng.integers(0, 12, n),
        "level": "paragraph",
        "n_matches": rng.integers(0, 4, n),
        "per_1000": np.where(rng.random(n) < 0.05, np.nan, rng.random(n) * 30),
        "evidence": "war; fight",
    }, index=pd.RangeIndex(3, 3 + n))


def _picture(fig):
    ax = fig.axes[0]
    return (ax.images[0].get_array().tolist(), [t.get_text() for t in ax.get_xticklabels()],
            [t.get_text() for t in ax.get_yticklabels()], ax.get_xlabel(), ax.get_title(), fig.get_size_inches().tolist())


@pytest.mark.parametrize("dtype", [object, "str"])
@pytest.mark.parametrize("with_section", [False, True])
@pytest.mark.parametrize("n", [1, 60, 900])
def test_same_table_and_picture(dtype, with_section, n):
    scores = _scores(n, seed=n, dtype=dtype)
    section = scores["unit_id"].str[-1].map({"h": "headline", "l": "lead", "b": "body"}) if with_section else None
    fig, tab = plot_frame_flow(scores, section=section, title="t")
    rfig, rtab = _reference_plot_frame_flow(scores, section=section, title="t")
    pd.testing.assert_frame_equal(tab, rtab)
    assert _picture(fig) == _picture(rfig)
    assert "section" not in scores.columns  # the caller's table is not changed
    plt.close("all")
