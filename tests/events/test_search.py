"""The agenda and its events in the search: teasers for whoever may know an event, its description and
programme only for those who may read it, dated by the event's start, named clusters through the policy."""

import datetime

import pytest
from django.utils import translation

from members.access import Viewer
from search import api, registry
from search.models import SearchDocument
from tests.factories.events import BODY_MARKER, EventIndexPageFactory, EventSpeakerFactory, make_event
from tests.factories.members import make_member, make_staff
from tests.factories.working_groups import WorkingGroupIndexPageFactory, make_group

pytestmark = pytest.mark.django_db

PROGRAMME_MARKER = "ornithorynque"


def document(page):
    return SearchDocument.objects.filter(key=f"page:{page.pk}").first()


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def found(text, user=None):
    return {hit.document.object_id for hit in api.search(text, Viewer(user) if user else Viewer(None)).results.hits}


@pytest.fixture
def agenda(home_page):
    return publish(EventIndexPageFactory(parent=home_page, introduction="<p>Les rendez-vous du club.</p>"))


def programme_event(agenda, **fields):
    event = make_event(
        agenda,
        programme=[
            {
                "type": "session",
                "value": {"start_time": "10:00", "end_time": "11:00", "title": f"Atelier {PROGRAMME_MARKER}"},
            }
        ],
        **fields,
    )
    EventSpeakerFactory(page=event, name="Isabelle Lacroix", role="UNamur")
    return publish(event)


def test_the_agenda_and_events_have_indexers():
    kinds = {indexer.kind for indexer in registry.indexers()}
    assert {"agenda", "event"} <= kinds
    assert registry.section_label("events")


def test_an_event_document_teases_with_its_summary_place_and_speakers_and_keeps_the_programme_for_readers(agenda):
    event = programme_event(
        agenda, audience="premium", kind="trade_mission", partner="AWEX", start_date=datetime.date(2027, 3, 12)
    )
    doc = document(event)
    assert (doc.kind, doc.section, doc.know, doc.read) == ("event", "events", "members", "premium")
    with translation.override("fr"):
        kind = str(event.get_kind_display())
    for word in (event.summary, event.venue, "AWEX", "Isabelle Lacroix", "12 mars 2027", kind):
        assert word in doc.teaser, word
    assert BODY_MARKER not in doc.teaser and PROGRAMME_MARKER not in doc.teaser
    assert BODY_MARKER in doc.body and PROGRAMME_MARKER in doc.body
    assert doc.date == event.starts_at
    assert (document(agenda).kind, document(agenda).know) == ("agenda", "public")


def test_a_basic_member_finds_a_premium_event_by_its_title_not_by_its_programme(agenda):
    event = programme_event(agenda, audience="premium", title="Petit-déjeuner rançongiciel")
    basic, premium = make_member("basic"), make_member("premium")
    assert event.pk in found("rançongiciel", basic)
    assert event.pk not in found(PROGRAMME_MARKER, basic)
    assert event.pk in found(PROGRAMME_MARKER, premium)
    assert event.pk not in found("rançongiciel")  # a visitor does not know it exists


def test_a_group_event_is_found_by_the_group_only_and_carries_the_group_facet(agenda, home_page):
    groups = WorkingGroupIndexPageFactory(parent=home_page)
    insider, outsider = make_member("basic"), make_member("premium")
    group = make_group(groups, visibility="private", title="Conseil", members=[insider])
    event = programme_event(agenda, audience="group", group=group, title="Atelier confidentiel")
    assert event.pk in found("confidentiel", insider)
    assert event.pk in found("confidentiel", make_staff())
    assert event.pk not in found("confidentiel", outsider)
    assert ("group", str(group.pk), "Conseil") in set(document(event).facets.values_list("facet", "value", "label"))


def test_a_public_event_names_only_the_clusters_visitors_may_know(agenda, home_page):
    groups = WorkingGroupIndexPageFactory(parent=home_page)
    premium_cluster = make_group(groups, kind="cluster", visibility="premium", title="Sécurité")
    event = make_event(agenda, audience="public")
    event.clusters.set([premium_cluster])
    publish(event)
    assert not document(event).facets.filter(facet="cluster").exists()

    private_cluster = make_group(groups, kind="cluster", visibility="private", title="Grappe discrète")
    members_event = make_event(agenda, audience="members")
    members_event.clusters.set([premium_cluster, private_cluster])
    publish(members_event)
    # Every member may know the event and the premium cluster exists for them all; the private one is not named.
    labels = document(members_event).facets.filter(facet="cluster").values_list("label", flat=True)
    assert list(labels) == ["Sécurité"]


def test_unpublishing_an_event_removes_its_document(agenda):
    event = programme_event(agenda, audience="public")
    assert document(event) is not None
    event.unpublish()
    assert document(event) is None
