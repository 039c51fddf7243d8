"""Editors attach only documents that basic members may not download: the admin says so before saving."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from members.models import CollectionAudience
from opportunities import services
from opportunities.models import OpportunityPage
from tests.factories.members import make_staff

pytestmark = pytest.mark.django_db


def document_in(collection, title):
    return get_document_model().objects.create(
        title=title, collection=collection, file=ContentFile(b"%PDF-1.4", name="fichier.pdf")
    )


def form(slug, document):
    return nested_form_data(
        {
            "title": "Appel à projets",
            "slug": slug,
            "comments": inline_formset([]),
            "kind": "call",
            "deadline": "2027-03-15",
            "summary": "Ce que tout membre peut lire.",
            "issuer": "Pôle MecaTech",
            "issuer_kind": "cluster",
            "issuer_organisation": "",
            "body": rich_text("<p>Le détail.</p>"),
            "budget": "",
            "link": "",
            "contact_name": "",
            "contact_email": "",
            "sectors": "",
            "attachments": streamfield([("document", document.pk)]),
            "action-publish": "publish",
        }
    )


def test_a_document_members_may_download_is_refused_and_a_premium_one_accepted(client, opportunities_index):
    client.force_login(make_staff(is_superuser=True))
    members_files = Collection.get_first_root_node().add_child(name="Documents des membres")
    CollectionAudience.objects.create(collection=members_files, audience="members")
    open_document = document_in(members_files, "Fichier ouvert aux membres")
    premium_document = document_in(services.ensure_collection(), "Cahier des charges")
    url = reverse("wagtailadmin_pages:add", args=["opportunities", "opportunitypage", opportunities_index.pk])

    response = client.post(url, form("refuse", open_document))
    assert response.status_code == 200  # the form again, with the reason
    assert "Fichier ouvert aux membres" in response.content.decode()
    assert not OpportunityPage.objects.filter(slug="refuse").exists()

    response = client.post(url, form("accepte", premium_document))
    assert response.status_code == 302
    assert OpportunityPage.objects.get(slug="accepte").live
