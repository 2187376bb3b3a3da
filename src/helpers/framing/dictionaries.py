"""Frame dictionaries: the shipped YAML schemes, user files and quanteda dictionaries.

:func:`load_dictionary` reads the project's YAML frame dictionaries (``generic``, ``policy``,
``territorial`` in ``resources/``), a user file in the same layout, or a quanteda YAML
dictionary (nested keys flattened to ``parent.child``). Entries may be globs (``secur*``) or
phrases (``"war of words"``). :func:`as_dictionary` turns whatever a measure was given as its
``scheme`` into a :class:`FrameDictionary`, loading each shipped scheme once.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..config import RESOURCES

SCHEMES = ("generic", "policy", "territorial")


@dataclass
class FrameDictionary:
    """A dictionary of categories, each a list of entries (words, globs or phrases).

    ``categories`` maps a category key to its entries; ``meta`` holds per-category fields from
    the YAML (``label``, ``code``, ``definition``); ``indicators`` holds the optional
    yes/no question rules (frames_generic.yml only).
    """

    name: str
    categories: dict[str, list[str]]
    meta: dict[str, dict[str, Any]] = field(default_factory=dict)
    indicators: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    source: str = ""

    def label(self, key: str) -> str:
        return str(self.meta.get(key, {}).get("label", key))

    def code(self, key: str):
        return self.meta.get(key, {}).get("code", key)

    def __len__(self) -> int:
        return len(self.categories)


def _flatten_quanteda(node: Any, prefix: str, out: dict[str, list[str]], path: str) -> None:
    # quanteda dictionaries nest keys freely; nested keys become "parent.child" categories.
    if isinstance(node, list):
        terms = []
        for i, t in enumerate(node):
            if not isinstance(t, (str, int, float)):
                raise ValueError(
                    f"{path}: entry {i} of category {prefix!r} is not a word "
                    f"(got {type(t).__name__}); write one term per list item"
                )
            terms.append(str(t))
        out[prefix] = terms
    elif isinstance(node, Mapping):
        for k, v in node.items():
            _flatten_quanteda(v, f"{prefix}.{k}" if prefix else str(k), out, path)
    elif isinstance(node, str):
        out[prefix] = [node]
    else:
        raise ValueError(
            f"{path}: category {prefix!r} must hold a list of terms or nested "
            f"categories, not {type(node).__name__}"
        )


def load_dictionary(source: str | os.PathLike | Mapping = "generic") -> FrameDictionary:
    """Load a frame dictionary.

    ``source`` is a scheme name (``"generic"``, ``"policy"``, ``"territorial"`` -> the project's
    ``resources/frames_<name>.yml``), a path to a YAML file, or an already parsed mapping.
    Two YAML layouts are understood:

    - the project's: ``{name, categories: {key: {label, code, definition, terms: [...]}},
      indicators: {...}}``;
    - quanteda's YAML dictionary format: ``{key: [terms], key2: {subkey: [terms]}}`` (nested
      keys become ``key2.subkey``).

    >>> d = load_dictionary("generic"); sorted(d.categories)[:2]
    ['conflict', 'economic']
    """
    if isinstance(source, Mapping):
        data, path = dict(source), "<mapping>"
    else:
        s = str(source)
        path_obj = RESOURCES / f"frames_{s}.yml" if s in SCHEMES else Path(s)
        if not path_obj.is_file():
            raise FileNotFoundError(
                f"dictionary {s!r} not found: give one of {SCHEMES} or a "
                f"path to a YAML file (looked for {path_obj})"
            )
        path = str(path_obj)
        try:
            data = yaml.safe_load(path_obj.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ValueError(
                f"{path}: not valid YAML ({exc}); check indentation and quotes "
                f"around entries containing ':' or '#'"
            ) from exc
    if not isinstance(data, Mapping) or not data:
        raise ValueError(f"{path}: expected a mapping of categories to term lists")
    if "categories" in data and isinstance(data["categories"], Mapping):
        cats, meta = {}, {}
        for key, spec in data["categories"].items():
            if isinstance(spec, list):
                spec = {"terms": spec}
            if not isinstance(spec, Mapping) or "terms" not in spec:
                raise ValueError(f"{path}: category {key!r} needs a 'terms:' list")
            terms = spec["terms"] or []
            if not isinstance(terms, list):
                raise ValueError(f"{path}: 'terms' of category {key!r} must be a list")
            cats[str(key)] = [str(t) for t in terms]
            meta[str(key)] = {k: v for k, v in spec.items() if k != "terms"}
        name = str(data.get("name", Path(path).stem))
        return FrameDictionary(name, cats, meta, dict(data.get("indicators") or {}), path)
    cats: dict[str, list[str]] = {}
    _flatten_quanteda(data, "", cats, path)
    return FrameDictionary(Path(path).stem if path != "<mapping>" else "user", cats, {}, {}, path)


@lru_cache(maxsize=32)
def _cached_dictionary(name: str) -> FrameDictionary:
    return load_dictionary(name)


def as_dictionary(scheme) -> FrameDictionary:
    """A :class:`FrameDictionary` as given, a shipped scheme (cached) or one loaded from a file."""
    if isinstance(scheme, FrameDictionary):
        return scheme
    if isinstance(scheme, str) and scheme in SCHEMES:
        return _cached_dictionary(scheme)
    return load_dictionary(scheme)
