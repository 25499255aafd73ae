"""Errors explained for people, in a module that imports nothing heavy (the CLI's start-up
loads it before knowing which command runs)."""

from __future__ import annotations


class DatabaseError(Exception):
    """A database problem explained for people (bad URL, missing file, schema too new)."""
