"""Indexers for what belongs to no content app: members' profiles and documents (filled below)."""
