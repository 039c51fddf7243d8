"""Indexers for what belongs to no content app: members' profiles and documents (filled below)."""

from . import documents, people  # noqa: F401 (register their indexers and connect their signals)
