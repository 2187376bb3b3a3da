"""plots.save_figure in a notebook: the figure is shown from the PNG just written, then closed."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import helpers.plots as plots  # noqa: E402


def _figure():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1, 2], [1, 3, 2])
    ax.set_title("t")
    return fig


def test_outside_a_notebook_nothing_is_shown_and_the_figure_stays_open(tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: shown.append(a))
    fig = _figure()
    plots.save_figure(fig, "f", tmp_path)
    assert shown == [] and plt.fignum_exists(fig.number)
    plt.close(fig)


def test_inline_backend_shows_the_saved_png_at_the_figure_size_and_closes_it(tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(matplotlib, "get_backend", lambda: "module://matplotlib_inline.backend_inline")
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: shown.extend(a))
    fig = _figure()
    paths = plots.save_figure(fig, "f", tmp_path)
    assert len(shown) == 1
    img = shown[0]
    data = paths["png"].read_bytes()
    assert img.data == data  # the file's bytes: not drawn again
    px = int.from_bytes(data[16:20], "big")
    assert img.width == round(px * fig.dpi / plt.rcParams["savefig.dpi"])  # the inline size
    assert not plt.fignum_exists(fig.number)  # the backend will not draw it a third time
