"""Threads and posts as search documents (helper D fills this in)."""


def space_audience_changed(space):
    pass
