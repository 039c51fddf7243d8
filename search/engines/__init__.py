"""Which engine answers: Elasticsearch when ELASTICSEARCH_URL is set, else the database's own."""

import functools

from django.conf import settings
from django.db import connection


def database_engine():
    if connection.vendor == "postgresql":
        from .postgres import PostgresEngine

        return PostgresEngine()
    from .sqlite import SQLiteEngine

    return SQLiteEngine()


@functools.cache
def _external(url):
    if not url:
        return None
    from .elastic import ElasticsearchEngine

    return ElasticsearchEngine(url)


def external_engine():
    return _external(getattr(settings, "ELASTICSEARCH_URL", ""))
