"""Command line: ``python -m helpers {report,validate,train,collect} ...``.

- ``report --data PATH --out DIR``: run all notebooks on a corpus and render the HTML report.
- ``validate frames|targets|topics FILE ...``: validation against labelled data, JSON out.
- ``train targets ...``: train a model explicitly (never done at analysis time).
- ``collect URL... --out FOLDER``: fetch article pages from the web (the only networked step).
"""

from __future__ import annotations

import argparse
import importlib
import sys

AREAS = {"frames": "framing", "targets": "sentiment", "topics": "topics"}


def _dispatch(kind: str, verb: str, argv: list[str]) -> int:
    if kind not in AREAS:
        print(f"unknown kind {kind!r}; choose one of {', '.join(AREAS)}", file=sys.stderr)
        return 2
    module = importlib.import_module(f"helpers.{AREAS[kind]}")
    func = getattr(module, f"{verb}_main", None)
    if func is None:
        print(f"'{verb} {kind}' is not available (helpers.{AREAS[kind]}.{verb}_main missing)", file=sys.stderr)
        return 2
    return int(func(argv) or 0)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="run all notebooks on a corpus and render the HTML report")
    rep.add_argument("--data", default=None, help="folder or file of coverage (default: data/raw)")
    rep.add_argument("--out", default="reports/latest", help="output folder (default: reports/latest)")
    rep.add_argument("--only", nargs="*", default=None, help="notebook names or numbers to run, e.g. 00 20")
    rep.add_argument("--timeout", type=int, default=900, help="seconds per cell before giving up")
    rep.add_argument("--jobs", type=int, default=None, help="notebooks to run at once (default: up to 2, one per core)")
    for verb in ("validate", "train"):
        p = sub.add_parser(verb, help=f"{verb} against labelled data (kinds: {', '.join(AREAS)})")
        p.add_argument("kind", choices=sorted(AREAS))
        p.add_argument("args", nargs=argparse.REMAINDER)
    col = sub.add_parser("collect", help="fetch article pages from the web into a folder (network!)")
    col.add_argument("urls", nargs="*", help="article addresses")
    col.add_argument("--from-file", default=None, help="a text file with one address per line")
    col.add_argument("--out", default="data/raw/collected", help="folder to save pages into")
    args = parser.parse_args(argv)
    if args.command == "report":
        from .report import run

        manifest = run(data=args.data, out=args.out, notebooks=args.only, timeout=args.timeout,
                       jobs=args.jobs)
        print(f"report: {args.out}/index.html ({manifest['seconds_total']:.1f} s, "
              f"{len(manifest['failed'])} failed: {', '.join(manifest['failed']) or 'none'})")
        return 1 if manifest["failed"] else 0
    if args.command in ("validate", "train"):
        return _dispatch(args.kind, args.command, args.args)
    from .collect import collect

    urls = list(args.urls)
    if args.from_file:
        with open(args.from_file, encoding="utf-8") as fh:
            urls += [ln.strip() for ln in fh if ln.strip() and not ln.startswith("#")]
    if not urls:
        parser.error("collect needs at least one URL (or --from-file)")
    table = collect(urls, args.out)
    print(table.to_string(index=False))
    return 0 if (table["status"] == "saved").all() else 1


if __name__ == "__main__":
    sys.exit(main())
