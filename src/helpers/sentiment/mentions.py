"""Target mentions: the editable alias table and the mentions of each target it finds.

:func:`load_aliases` reads ``resources/sentiment_targets.yml`` (targets -> kinds of aliases:
names, capitals, adjectives, bodies, leaders, and ``exclude`` phrases); :func:`find_mentions`
finds them in sentences, one row per mention in NewsMTSC's layout (``sentence``, ``mention``,
``from``, ``to``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import yaml

from ..config import RESOURCES


def load_aliases(path: str | Path | None = None) -> pd.DataFrame:
    """The alias table as rows ``target``, ``kind``, ``alias`` (``kind == "exclude"`` rows are
    phrases in which a match does not count). ``None`` reads ``resources/sentiment_targets.yml``.

    >>> a = load_aliases()
    >>> sorted(a.loc[a.target == "China", "kind"].unique())[:2]
    ['adjectives', 'bodies']
    """
    path = Path(path) if path is not None else RESOURCES / "sentiment_targets.yml"
    if not path.is_file():
        raise FileNotFoundError(f"alias table {path} does not exist")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected targets as top-level keys")
    rows = []
    for target, kinds in data.items():
        if isinstance(kinds, list):
            kinds = {"names": kinds}
        if not isinstance(kinds, dict):
            raise ValueError(
                f"{path}: target {target!r} must map kinds (names, leaders, ...) to lists"
            )
        for kind, aliases in kinds.items():
            if not isinstance(aliases, list):
                raise ValueError(f"{path}: {target}.{kind} must be a list of aliases")
            for alias in aliases:
                alias = str(alias).strip()
                if alias:
                    rows.append((str(target), str(kind), alias))
    if not rows:
        raise ValueError(f"{path}: no aliases found")
    return pd.DataFrame(rows, columns=["target", "kind", "alias"])


def _alias_regex(aliases: Sequence[str]) -> re.Pattern:
    parts = []
    for alias in sorted(set(aliases), key=lambda a: (-len(a), a)):
        esc = r"\s+".join(re.escape(w) for w in alias.split())
        esc = esc.replace("'", "['’]")
        parts.append(esc if alias != alias.lower() else f"(?i:{esc})")
    # \b fails next to a final "." (U.S.), so words are delimited by "not a word character".
    return re.compile(r"(?<![\w\-])(?:" + "|".join(parts) + r")(?![\w\-])")


def _alias_key(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def find_mentions(
    table: pd.DataFrame, aliases: pd.DataFrame | str | Path | None = None
) -> pd.DataFrame:
    """Find target mentions in sentences.

    In: a sentence units table (``helpers.text.units(corpus, "sentence")``; paragraph or
    document units work too but the models were trained on sentences) with ``unit_id``,
    ``doc_id``, ``text``. Out, one row per mention: ``mention_id`` (``<unit_id>:m<k>``),
    ``unit_id``, ``doc_id``, ``target``, ``kind``, ``alias`` (the table entry matched),
    ``mention`` (the text as written), ``from``/``to`` (offsets in the sentence) and
    ``sentence``. Overlaps resolve to the longest alias; matches inside an ``exclude`` phrase
    are dropped.

    >>> u = pd.DataFrame({"unit_id": ["d:s0"], "doc_id": ["d"],
    ...                   "text": ["Beijing warned Tokyo and Latin America."]})
    >>> find_mentions(u)[["target", "mention", "from"]].values.tolist()
    [['China', 'Beijing', 0], ['Japan', 'Tokyo', 15]]
    """
    if not isinstance(aliases, pd.DataFrame):
        aliases = load_aliases(aliases)
    for col in ("text",):
        if col not in table.columns:
            raise ValueError(f"find_mentions needs a '{col}' column (got {list(table.columns)})")
    keep = aliases[aliases["kind"] != "exclude"]
    excl = aliases[aliases["kind"] == "exclude"]["alias"].tolist()
    rx = _alias_regex(keep["alias"].tolist())
    rx_excl = _alias_regex(excl) if excl else None
    exact = {a: (t, k, a) for t, k, a in keep[["target", "kind", "alias"]].itertuples(index=False)}
    folded = {_alias_key(a).lower(): v for a, v in exact.items() if a == a.lower()}
    exact = {_alias_key(a): v for a, v in exact.items()}
    unit_ids = (
        table["unit_id"] if "unit_id" in table.columns else table["doc_id"].astype(str) + ":d"
    )
    doc_ids = table["doc_id"] if "doc_id" in table.columns else unit_ids
    rows = []
    for uid, did, text in zip(unit_ids, doc_ids, table["text"], strict=True):
        if not isinstance(text, str) or not text:
            continue
        blocked = [m.span() for m in rx_excl.finditer(text)] if rx_excl else []
        k = 0
        for m in rx.finditer(text):
            s, e = m.span()
            if any(bs <= s and e <= be for bs, be in blocked):
                continue
            key = _alias_key(m.group(0))
            hit = exact.get(key) or folded.get(key.lower())
            if hit is None:
                continue
            target, kind, alias = hit
            rows.append((f"{uid}:m{k}", uid, did, target, kind, alias, m.group(0), s, e, text))
            k += 1
    return pd.DataFrame(
        rows,
        columns=[
            "mention_id",
            "unit_id",
            "doc_id",
            "target",
            "kind",
            "alias",
            "mention",
            "from",
            "to",
            "sentence",
        ],
    )
