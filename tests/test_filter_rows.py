"""compute.filter_rows: the rows, index, columns and dtypes of ``frame.loc[mask]``, column by column."""

import numpy as np
import pandas as pd
import pytest

from helpers.compute import filter_rows
from helpers.corpus import one_per_story


def _frame(n=60, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "s": pd.array([None if i % 7 == 0 else f"t{i} ‘x’" for i in range(n)], dtype="str"),
        "o": [None if i % 5 == 0 else ("x" if i % 2 else 3) for i in range(n)],
        "i": np.arange(n), "f": rng.random(n), "b": rng.random(n) > 0.5,
        "d": pd.date_range("2020", periods=n, tz="UTC"), "c": pd.Categorical(["a", "b", "c"] * (n // 3)),
        "ni": pd.array(list(range(n - 1)) + [None], dtype="Int64"),
        "lst": [[i, i + 1] for i in range(n)],
        "os": pd.Series([None if i % 4 == 0 else f"w{i}" for i in range(n)], dtype=object),  # text, kept object
    }, index=pd.Index(np.arange(n)[::-1] * 3, name="row"))


def _same(a, b):
    assert a.equals(b)
    assert a.index.equals(b.index) and a.index.name == b.index.name
    assert a.columns.equals(b.columns)
    assert list(a.dtypes) == list(b.dtypes)


@pytest.mark.parametrize("kind", ["random", "none", "all", "series", "list"])
def test_same_as_loc(kind):
    df = _frame()
    rng = np.random.default_rng(1)
    mask = {"random": rng.random(len(df)) > 0.4, "none": np.zeros(len(df), bool), "all": np.ones(len(df), bool),
            "series": pd.Series(rng.random(len(df)) > 0.5, index=df.index),
            "list": list(rng.random(len(df)) > 0.5)}[kind]
    _same(filter_rows(df, mask), df.loc[mask if kind != "list" else np.asarray(mask)])


def test_duplicate_column_names_and_empty_frames():
    df = _frame()
    df.columns = ["s", "s", "i", "f", "b", "d", "c", "ni", "i", "s"]
    mask = np.arange(len(df)) % 3 == 0
    _same(filter_rows(df, mask), df.loc[mask])
    twice = _frame(6)
    twice.index = [0, 0, 1, 1, 2, 2]  # repeated labels
    _same(filter_rows(twice, np.array([True, False, True, True, False, True])),
          twice.loc[np.array([True, False, True, True, False, True])])
    empty = _frame().iloc[:0]
    _same(filter_rows(empty, np.zeros(0, bool)), empty.loc[np.zeros(0, bool)])
    no_cols = pd.DataFrame(index=range(4))
    _same(filter_rows(no_cols, np.array([True, False, True, False])), no_cols.loc[[True, False, True, False]])


def test_misaligned_series_mask_is_aligned_like_loc_and_bad_shapes_raise():
    df = _frame(9)
    mask = pd.Series([True, False] * 4 + [True], index=df.index[::-1])  # same labels, other order
    _same(filter_rows(df, mask), df.loc[mask])
    with pytest.raises(ValueError):
        filter_rows(df, np.ones(len(df) + 1, bool))


def test_text_columns_are_filtered_not_taken(monkeypatch):
    """Arrow text columns go through ``filter`` (exact output size), never ``take`` (joins the
    chunks, then doubles its output: the memory spike this function exists to avoid)."""
    df = pd.concat([_frame(30, s) for s in range(3)], ignore_index=True)  # a chunked text column
    assert df["s"].array._pa_array.num_chunks > 1
    expected = df.loc[df["i"].to_numpy() % 2 == 0]

    def no_take(*args, **kwargs):
        raise AssertionError("take called")

    monkeypatch.setattr(type(df["s"].array), "take", no_take)
    with pytest.raises(AssertionError, match="take called"):  # what .loc does
        df.loc[df["i"].to_numpy() % 2 == 0]
    _same(filter_rows(df, df["i"].to_numpy() % 2 == 0), expected)


def test_one_per_story_unchanged():
    c = pd.DataFrame({"doc_id": list("abcde"), "duplicate_of": ["", "a", None, "c", ""],
                      "text": pd.array(["x", "y", "z", "w", "v"], dtype="str")}, index=[4, 3, 2, 1, 0])
    _same(one_per_story(c), c.loc[c["duplicate_of"].fillna("") == ""].reset_index(drop=True))


def _reference_select_language(corpus, languages=("en",)):
    """select_language before it checked texts in blocks and filtered column by column (verbatim)."""
    has_text = corpus["text"].fillna("").astype(str).str.strip() != ""
    keep = corpus["lang"].isin(languages) & has_text
    left = corpus.loc[~keep, ["doc_id", "source_path", "title", "lang"]].copy()
    wanted = ", ".join(languages)
    left["reason"] = ["no text (metadata only)" if not t else f"language {lang or 'unknown'}, not {wanted}"
                      for lang, t in zip(left["lang"], has_text[~keep], strict=True)]
    return corpus.loc[keep], left.reset_index(drop=True)


@pytest.mark.parametrize("dtype", ["str", object])
@pytest.mark.parametrize("block", [1, 5, 10_000])
def test_select_language_unchanged(dtype, block, monkeypatch):
    import helpers.corpus.identity as identity
    from helpers.corpus import select_language

    monkeypatch.setattr(identity, "_TEXT_BLOCK", block)
    blanks = ["", " ", "\t\n", "\x1c", "\u2003", "\xa0", "\u200b", "x", " x ", None, "\x85", "\u3000"]
    n = 37
    c = pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "source_path": "p", "title": "t",
                      "lang": ["en", "de", "", None] * 9 + ["en"],
                      "text": pd.Series([blanks[i % len(blanks)] for i in range(n)], dtype=dtype)},
                     index=np.arange(n) * 2)
    for langs in (("en",), ("en", "de")):
        got, want = select_language(c, langs), _reference_select_language(c, langs)
        _same(got[0], want[0])
        _same(got[1], want[1])
    empty = c.iloc[:0]
    got, want = select_language(empty), _reference_select_language(empty)
    _same(got[0], want[0])
    assert got[1].equals(want[1])
