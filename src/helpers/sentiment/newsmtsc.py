"""Labelled data for entity-targeted sentiment in NewsMTSC's layout (JSONL).

One object per line: ``sentence``, ``mention``, ``from``/``to`` (character offsets of the
mention) and ``polarity`` toward it (-1/0/1, or NewsMTSC's original 2/4/6). :func:`read_newsmtsc`
reads, checks and repairs such a file; it serves validation, training and hand-coded samples.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

#: The polarity labels, in the order the models' probability columns follow.
LABELS = (-1, 0, 1)


def read_newsmtsc(path: str | Path) -> pd.DataFrame:
    """Read a JSONL file in NewsMTSC's layout: one object per line with ``sentence``,
    ``mention``, ``from``, ``to`` (character offsets of the mention in the sentence) and
    ``polarity`` (-1, 0, 1; the original 2/4/6 coding is mapped too). ``polarity`` may be
    missing (then the file can be scored but not validated).

    Out: ``sentence``, ``mention``, ``from``, ``to``, ``polarity`` (Int64, may be <NA>), ``id``.
    Offsets that do not point at the mention are repaired when the mention occurs once in
    the sentence, else the line is reported in the error.

    >>> import tempfile, json, os
    >>> f = os.path.join(tempfile.mkdtemp(), "x.jsonl")
    >>> _ = open(f, "w").write(json.dumps({"sentence": "Japan protested.", "mention": "Japan",
    ...                                    "from": 0, "to": 5, "polarity": -1}) + "\\n")
    >>> read_newsmtsc(f)[["mention", "polarity"]].values.tolist()
    [['Japan', -1]]
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} does not exist; pass a JSONL file with one object per line "
            "(sentence, mention, from, to, polarity)"
        )
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}, line {n}: not valid JSON ({exc})") from exc
            missing = [k for k in ("sentence", "mention") if k not in obj]
            if missing:
                raise ValueError(
                    f"{path}, line {n}: missing field(s) {missing}; each line needs "
                    "sentence, mention, from, to (and polarity to validate)"
                )
            sent, mention = str(obj["sentence"]), str(obj["mention"])
            start, end = obj.get("from"), obj.get("to")
            if start is None or end is None or sent[int(start) : int(end)] != mention:
                found = [m.start() for m in re.finditer(re.escape(mention), sent)]
                if len(found) != 1:
                    raise ValueError(
                        f"{path}, line {n}: from/to ({start}, {end}) do not point at "
                        f"the mention {mention!r} and it occurs {len(found)} times in the "
                        "sentence; fix the offsets"
                    )
                start, end = found[0], found[0] + len(mention)
            pol = obj.get("polarity")
            if pol is not None:
                pol = {2: -1, 4: 0, 6: 1}.get(int(pol), int(pol))
                if pol not in LABELS:
                    raise ValueError(
                        f"{path}, line {n}: polarity {obj['polarity']!r} is not -1, 0 or 1"
                    )
            rows.append(
                (sent, mention, int(start), int(end), pol, str(obj.get("id", f"{path.stem}:{n}")))
            )
    if not rows:
        raise ValueError(f"{path} holds no records")
    out = pd.DataFrame(rows, columns=["sentence", "mention", "from", "to", "polarity", "id"])
    out["polarity"] = out["polarity"].astype("Int64")
    return out
