"""``python -m helpers ...``: dispatches to :mod:`helpers.cli` (see ``python -m helpers --help``)."""

import sys

from helpers.cli import main

if __name__ == "__main__":
    sys.exit(main())
