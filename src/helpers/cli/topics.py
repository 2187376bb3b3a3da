"""Temporary shim during the restructure (issue 8): replaced by the area's own command module."""

from helpers.topics import validate_main  # noqa: F401
