"""The `<id:...>` path converter: a database id, or no match (a 404).

Django's `<int:...>` takes any number of digits; an id beyond what the database stores (a 64-bit integer)
then fails inside the query (SQLite's OverflowError, a 500) instead of finding nothing. Every URL that
carries a database id uses `<id:...>`; importing this module registers it.
"""

from django.urls import register_converter

LARGEST_ID = 2**63 - 1  # a BIGINT, the widest primary key the project's databases hold


def database_id(text):
    """The id a form field or query string carries, or None when it is not one the database could hold."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or int(text) > LARGEST_ID:
        return None
    return int(text)


class DatabaseIdConverter:
    regex = "[0-9]+"

    def to_python(self, value):
        number = int(value)
        if number > LARGEST_ID:
            raise ValueError(value)  # Django reads this as "this pattern does not match"
        return number

    def to_url(self, value):
        return str(value)


register_converter(DatabaseIdConverter, "id")
