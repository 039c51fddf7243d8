"""Documents are served through Django and refused as the policy says, by their collection's audience."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from members.models import Audience, CollectionAudience
from tests.factories.members import UserFactory, make_member, make_staff

pytestmark = pytest.mark.django_db

SECRET = b"%PDF-1.4 compte rendu confidentiel"


def document_in(audience, group_id=None):
    root = Collection.get_first_root_node()
    collection = root.add_child(name=f"Collection {audience}")
    if audience is not None:
        CollectionAudience.objects.create(collection=collection, audience=audience, group_id=group_id)
    document = get_document_model().objects.create(
        title="Compte rendu", collection=collection, file=ContentFile(SECRET, name="compte-rendu.pdf")
    )
    return document


VIEWERS = {
    "anonymous": lambda: None,
    "basic": lambda: make_member("basic"),
    "premium": lambda: make_member("premium"),
    "expired": lambda: make_member("premium", expired=True),
    "no_membership": UserFactory,
    "staff": make_staff,
}

# audience -> {viewer kind: expected status}; 302 is the log-in redirect
EXPECTED = {
    None: {"anonymous": 302, "basic": 200, "premium": 200, "expired": 403, "no_membership": 403, "staff": 200},
    Audience.PUBLIC: {
        "anonymous": 200,
        "basic": 200,
        "premium": 200,
        "expired": 200,
        "no_membership": 200,
        "staff": 200,
    },
    Audience.PREMIUM: {
        "anonymous": 302,
        "basic": 403,
        "premium": 200,
        "expired": 403,
        "no_membership": 403,
        "staff": 200,
    },
    Audience.GROUP: {
        "anonymous": 404,
        "basic": 404,
        "premium": 404,
        "expired": 404,
        "no_membership": 404,
        "staff": 200,
    },
}


@pytest.mark.parametrize("audience", list(EXPECTED))
@pytest.mark.parametrize("kind", list(VIEWERS))
def test_document_download_answers_each_viewer(client, settings, tmp_path, audience, kind):
    settings.MEDIA_ROOT = tmp_path
    document = document_in(audience, group_id=42 if audience == Audience.GROUP else None)
    user = VIEWERS[kind]()
    if user is not None:
        client.force_login(user)
    response = client.get(document.url)
    assert response.status_code == EXPECTED[audience][kind]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert (SECRET in body) == (response.status_code == 200)


def test_documents_are_never_served_from_a_public_media_url(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = document_in(Audience.PREMIUM)
    assert document.url.startswith("/documents/")
    assert client.get(f"/media/{document.file.name}").status_code == 404


def test_document_filter_agrees_with_downloads(settings, tmp_path):
    from members.access import Viewer, filter_documents

    settings.MEDIA_ROOT = tmp_path
    documents = {audience: document_in(audience) for audience in [None, Audience.PUBLIC, Audience.PREMIUM]}
    basic = Viewer(make_member("basic"))
    visible = set(filter_documents(basic, get_document_model().objects.all()))
    assert visible == {documents[None], documents[Audience.PUBLIC]}
