"""``python -m helpers collect ...``: fetch articles from the web into a folder (the networked step).

Where the addresses come from (any combination):

    python -m helpers collect URL [URL ...] --out data/raw/collected
    python -m helpers collect --from-file urls.txt --out data/raw/collected
    python -m helpers collect --feed https://example.org/rss.xml --out data/raw/feed
    python -m helpers collect --gdelt '"Diaoyu Islands" NATO' --timespan 1w --out data/raw/gdelt
    MEDIACLOUD_API_KEY=... python -m helpers collect --mediacloud 'NATO AND Japan' --start 2013-01-01 \\
        --end 2013-01-31 --out data/raw/mediacloud
    python -m helpers collect --fill data/raw/mediacloud-lists     # writes data/raw/mediacloud-lists-text

Each article becomes one Markdown file (front matter + main text) in ``--out``; a rerun skips
the files that exist. ``.collect-manifest.csv`` in ``--out`` records every address: saved, exists,
refused (robots.txt), failed or skipped, with the reason. Prints a summary and the addresses
that were not saved; exits 0 when every address was saved or already there, 1 when some were
not, 2 when the command cannot run (bad arguments, no Media Cloud key, a listing that failed).
"""

from __future__ import annotations

import argparse
import sys

#: Exit status when the listing itself could not be had (as argparse uses for bad arguments).
USAGE_ERROR = 2


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The collect options, on the ``collect`` subparser of ``python -m helpers``."""
    p.add_argument("urls", nargs="*", help="article addresses")
    p.add_argument("--from-file", default=None, help="a text file with one address per line (# comments)")
    p.add_argument("--feed", action="append", default=[], metavar="URL", help="an RSS/Atom feed (repeatable)")
    p.add_argument("--gdelt", default=None, metavar="QUERY", help="a GDELT DOC 2.0 query (article list)")
    p.add_argument("--timespan", default=None, help="GDELT: how far back, e.g. 1w, 3d, 6months")
    p.add_argument("--max-records", type=int, default=250, help="GDELT: at most this many articles (max 250)")
    p.add_argument("--mediacloud", default=None, metavar="QUERY",
                   help="a Media Cloud search (key in the environment variable MEDIACLOUD_API_KEY)")
    p.add_argument("--start", default=None, help="first day, YYYY-MM-DD (Media Cloud; GDELT: YYYYMMDDHHMMSS)")
    p.add_argument("--end", default=None, help="last day, as --start")
    p.add_argument("--collection", action="append", default=[], help="Media Cloud collection id (repeatable)")
    p.add_argument("--max-stories", type=int, default=1000, help="Media Cloud: at most this many stories")
    p.add_argument("--fill", default=None, metavar="FOLDER",
                   help="collect the text of the metadata-only rows (Media Cloud, GDELT, feeds) loaded from FOLDER")
    p.add_argument("--out", default=None, help="folder to save articles into (default: data/raw/collected; "
                                               "with --fill, FOLDER-text next to FOLDER)")
    p.add_argument("--rate", type=float, default=1.0, help="requests per second to one host (default 1)")
    p.add_argument("--retries", type=int, default=3, help="extra attempts after 429/5xx/timeouts (default 3)")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds per request (default 20)")
    p.add_argument("--contact", default="", help="an e-mail or web address added to the User-Agent")
    p.add_argument("--gdelt-base", default=None, help="GDELT DOC API address (default: env GDELT_DOC_API or the "
                                                      "public API)")
    p.add_argument("--mediacloud-base", default=None, help="Media Cloud API address (default: env "
                                                           "MEDIACLOUD_API_URL or the public API)")


def _items(args: argparse.Namespace, client) -> list[dict]:
    from helpers import collect

    items = collect.url_items(list(args.urls))
    if args.from_file:
        items += collect.url_items(collect.read_url_file(args.from_file), f"file {args.from_file}")
    for feed in args.feed:
        items += collect.feed_items(client, feed)
    if args.gdelt:
        items += collect.gdelt_items(client, args.gdelt, timespan=args.timespan, start=args.start, end=args.end,
                                     max_records=args.max_records, base=args.gdelt_base)
    if args.mediacloud:
        items += collect.mediacloud_items(client, args.mediacloud, start=args.start, end=args.end,
                                          collections=args.collection, max_stories=args.max_stories,
                                          base=args.mediacloud_base)
    return items


def _print(table, out: str) -> None:
    counts = table["status"].value_counts()
    parts = [f"{int(counts.get(s, 0))} {s}" for s in ("saved", "exists", "refused", "failed", "skipped")
             if counts.get(s, 0)]
    print(f"collect: {len(table)} address(es): {', '.join(parts) or 'nothing to do'} -> {out} "
          f"(manifest: {out}/.collect-manifest.csv)")
    problems = table[~table["status"].isin(["saved", "exists"])]
    if len(problems):
        print(problems[["status", "url", "reason"]].to_string(index=False))


def run(args: argparse.Namespace) -> int:
    """Run a parsed ``collect`` command; returns the exit status."""
    from helpers import collect

    if not (args.urls or args.from_file or args.feed or args.gdelt or args.mediacloud or args.fill):
        print("collect needs addresses: URLs, --from-file, --feed, --gdelt, --mediacloud or --fill",
              file=sys.stderr)
        return USAGE_ERROR
    if args.out is None:
        args.out = f"{args.fill.rstrip('/')}-text" if args.fill else "data/raw/collected"
    try:
        client = collect.PoliteClient(rate=args.rate, retries=args.retries, timeout=args.timeout,
                                      contact=args.contact)
        tables = []
        if args.fill:
            tables.append(collect.fill_texts(args.fill, args.out, client))
        items = _items(args, client)
        if items or not tables:
            tables.append(collect.save_articles(items, args.out, client))
    except (collect.SourceError, collect.FillError, ValueError) as err:
        print(f"collect: {err}", file=sys.stderr)
        return USAGE_ERROR
    import pandas as pd

    table = pd.concat(tables, ignore_index=True)
    _print(table, args.out)
    return 0 if table["status"].isin(["saved", "exists"]).all() else 1


def main(argv: list[str] | None = None) -> int:
    """``collect`` on its own: parse ``argv`` (the arguments after ``collect``) and run."""
    parser = argparse.ArgumentParser(prog="python -m helpers collect", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    return run(parser.parse_args(list(sys.argv[1:] if argv is None else argv)))
