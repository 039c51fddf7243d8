"""The engines the search tests run against.

`engine` is parametrised: "database" (the project database's own engine, SQLite or PostgreSQL) always,
"elasticsearch" when ELASTICSEARCH_URL is set (skipped otherwise). `.ci/run`'s Elasticsearch leg sets
CERCLE_REQUIRE_ELASTICSEARCH=1: there a missing or silent server fails the run instead of skipping, so
that leg cannot go green without having searched Elasticsearch.

A test writes its documents (tests/factories/search.py), calls `engine.sync()` ("the rows are written:
bring the engine in step"; for Elasticsearch a fresh index of this test's own, filled from the rows),
then searches. Tests marked `real_elasticsearch` need a real server: they are skipped on the noida-db
emulator, whose differences the marker's reason names.
"""

import functools
import os
import uuid

import pytest

REQUIRE = "CERCLE_REQUIRE_ELASTICSEARCH"


@functools.cache
def _server(url):
    """The server's `GET /` answer, or None if it does not answer."""
    from elasticsearch import Elasticsearch

    try:
        return Elasticsearch(url, request_timeout=5, max_retries=0).info().body
    except Exception:
        return None


def is_emulator(info):
    """noida-db answers the Elasticsearch API with its own name in the cluster id and build hash."""
    return "noida" in str(info.get("cluster_uuid", "")) + str(info.get("version", {}).get("build_hash", ""))


def elasticsearch_url():
    """The server's URL, or a skip (a failure where CERCLE_REQUIRE_ELASTICSEARCH=1) if there is none."""
    url = os.environ.get("ELASTICSEARCH_URL", "")
    required = os.environ.get(REQUIRE) == "1"
    if not url:
        if required:
            pytest.fail(f"{REQUIRE}=1 but ELASTICSEARCH_URL is not set")
        pytest.skip("ELASTICSEARCH_URL is not set")
    if _server(url) is None:
        message = f"Elasticsearch at {url} does not answer"
        if required:
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture(autouse=True)
def _real_elasticsearch_only(request):
    """A test marked real_elasticsearch checks what the emulator does not do: its Elasticsearch runs are
    skipped on noida-db (its database run, if it is an `engine` test, still runs)."""
    marker = request.node.get_closest_marker("real_elasticsearch")
    if marker is None:
        return
    callspec = getattr(request.node, "callspec", None)
    on_elasticsearch = "elasticsearch_engine" in request.fixturenames or (
        callspec is not None and callspec.params.get("engine") == "elasticsearch"
    )
    if not on_elasticsearch:
        return
    info = _server(os.environ.get("ELASTICSEARCH_URL", "")) if os.environ.get("ELASTICSEARCH_URL") else None
    if info is not None and is_emulator(info):
        pytest.skip(f"needs a real Elasticsearch server: {marker.kwargs.get('reason', '')}")


class DatabaseUnderTest:
    """The database engine: its rows are its index, there is nothing to sync."""

    def __init__(self):
        from search.engines import database_engine

        self.impl = database_engine()
        self.name = self.impl.name

    def sync(self):
        pass

    def search(self, request):
        return self.impl.search(request)

    def autocomplete(self, text, viewer, limit=8, language=""):
        return self.impl.autocomplete(text, viewer, limit=limit, language=language)


class ElasticsearchUnderTest(DatabaseUnderTest):
    """The Elasticsearch engine on an alias of this test's own, filled from the rows by `sync()`."""

    def __init__(self, impl):
        self.impl = impl
        self.name = impl.name

    def sync(self):
        self.impl.rebuild()


@pytest.fixture
def elasticsearch_engine(db, settings):
    """An ElasticsearchEngine on a fresh alias (cercle-search-test-…), also the one `search.api` uses."""
    from search.engines.elastic import ElasticsearchEngine

    url = elasticsearch_url()
    settings.ELASTICSEARCH_URL = url
    settings.ELASTICSEARCH_SEARCH_INDEX = f"cercle-search-test-{uuid.uuid4().hex[:12]}"
    engine = ElasticsearchEngine(url)
    yield engine
    engine.drop()


@pytest.fixture(
    params=[
        pytest.param("database", id="database"),
        pytest.param("elasticsearch", id="elasticsearch", marks=pytest.mark.elasticsearch),
    ]
)
def engine(request, db):
    """Each engine in turn; see the module's docstring."""
    if request.param == "database":
        yield DatabaseUnderTest()
        return
    yield ElasticsearchUnderTest(request.getfixturevalue("elasticsearch_engine"))
