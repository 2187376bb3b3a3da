"""Command line: ``python -m helpers {report,validate,train,collect} ...``.

- ``report --data PATH --out DIR``: run all notebooks on a corpus and render the HTML report
  (``--no-cache``, ``--workers N`` for a local Dask cluster, ``--scheduler ADDRESS``).
- ``cache [--clear]``: what the content-keyed cache holds (corpora, measures, pages), or empty it.
- ``validate frames|targets|topics FILE ...``: validation against labelled data, JSON out.
- ``validate all``: every measure on its locked part; writes the one results file and the tables.
- ``train frames|targets ...``: train a model explicitly (never done at analysis time).
- ``collect URL... | --from-file | --feed | --gdelt | --mediacloud | --fill FOLDER --out FOLDER``:
  fetch articles from the web (the only networked step; ``helpers.cli.collect``).

Every command lives in this package: one module per kind (``frames``, ``targets``, ``topics``)
with ``validate_main(argv)`` and ``train_main(argv)``, which parse arguments, call the measures
and print JSON. Measure modules never import from here, so the arrows point one way:
``__main__`` → ``cli`` → measures → ``text``/``config``/``agreement``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from . import collect as collect_cmd

__all__ = ["KINDS", "main"]

#: validate/train kinds and the command module (in this package) that serves each.
KINDS = {"all": "validate_all", "frames": "frames", "targets": "targets", "topics": "topics"}


def _dispatch(kind: str, verb: str, argv: list[str]) -> int:
    module = importlib.import_module(f"helpers.cli.{KINDS[kind]}")
    func = getattr(module, f"{verb}_main", None)
    if func is None:
        print(f"'{verb} {kind}' is not available", file=sys.stderr)
        return 2
    return int(func(argv) or 0)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="run all notebooks on a corpus and render the HTML report")
    rep.add_argument("--data", default=None, help="folder or file of coverage (default: data/raw)")
    rep.add_argument("--out", default="reports/latest", help="output folder (default: reports/latest)")
    rep.add_argument("--only", nargs="*", default=None, help="notebook names or numbers to run, e.g. 00 20")
    rep.add_argument("--timeout", type=int, default=900, help="seconds per cell before giving up")
    rep.add_argument("--jobs", type=int, default=None, help="notebooks to run at once (default: up to 2, one per core)")
    rep.add_argument("--no-cache", action="store_true",
                     help="run everything cold: nothing cached by earlier runs is read and nothing is kept "
                          "(the run parses the corpus once and its notebooks share measures)")
    dask = rep.add_mutually_exclusive_group()
    dask.add_argument("--scheduler", default=None, metavar="ADDRESS",
                      help="send per-document measures to this Dask scheduler (e.g. tcp://10.0.0.5:8786)")
    dask.add_argument("--workers", type=int, default=None, metavar="N",
                      help="start a local Dask cluster with N worker processes for this run")
    cache = sub.add_parser("cache", help="show what the cache holds (corpora, measures, pages), or --clear it")
    cache.add_argument("--clear", action="store_true", help="delete the cache folder")
    for verb in ("validate", "train"):
        p = sub.add_parser(verb, help=f"{verb} against labelled data (kinds: {', '.join(KINDS)})")
        p.add_argument("kind", choices=sorted(KINDS))
        p.add_argument("args", nargs=argparse.REMAINDER)
    col = sub.add_parser("collect", help="fetch articles from the web into a folder (network!)",
                         description=collect_cmd.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    collect_cmd.add_arguments(col)
    return parser


def _report(args: argparse.Namespace) -> int:
    from helpers.report import run

    manifest = run(data=args.data, out=args.out, notebooks=args.only, timeout=args.timeout, jobs=args.jobs,
                   cache=not args.no_cache, scheduler=args.scheduler, workers=args.workers)
    print(f"report: {args.out}/index.html ({manifest['seconds_total']:.1f} s, "
          f"{len(manifest['failed'])} failed: {', '.join(manifest['failed']) or 'none'})")
    return 1 if manifest["failed"] else 0


def _cache(args: argparse.Namespace) -> int:
    from helpers.compute import cache_root, cache_summary, clear_cache

    root = cache_root()
    if root is None:
        print("caching is off (COVERAGE_LAB_CACHE=off)")
        return 0
    if args.clear:
        print(f"removed {clear_cache(root)} file(s) from {root}")
        return 0
    summary = cache_summary(root)
    print(f"cache: {root}")
    print(summary.to_string(index=False) if len(summary) else "(empty)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.command == "report":
        return _report(args)
    if args.command == "cache":
        return _cache(args)
    if args.command in ("validate", "train"):
        return _dispatch(args.kind, args.command, args.args)
    return collect_cmd.run(args)
