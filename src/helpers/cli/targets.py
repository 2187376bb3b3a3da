"""Temporary shim during the restructure (issue 8): replaced by the area's own command module."""

from helpers.sentiment import (
    train_main,  # noqa: F401
    validate_main,  # noqa: F401
)
