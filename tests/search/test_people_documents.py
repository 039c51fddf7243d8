"""Members' profiles and the document library as search documents, kept in step with what changes them."""

import datetime
import io

import docx
import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection

from members import roles
from members.models import Audience, CollectionAudience, Membership
from search import index
from search.models import ExtractedText, SearchDocument
from tests.factories.members import OrganisationFactory, ProfileFactory, UserFactory, make_member, today

pytestmark = pytest.mark.django_db

Document = get_document_model()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def person_doc(user):
    return SearchDocument.objects.filter(key=f"person:{user.profile.pk}").first()


def show(profile, *fields):
    """The member opts into showing these fields to other members (every field starts hidden)."""
    for field in fields:
        setattr(profile, f"show_{field}", True)


# --- People --------------------------------------------------------------------------------------


def test_a_member_is_found_by_what_the_directory_shows_and_nothing_private():
    user = make_member(first_name="Ada", last_name="Lovelace", email="ada.private@example.org")
    profile = user.profile
    profile.job_title = "Directrice des systèmes d'information"
    profile.organisation = OrganisationFactory(name="Brasserie Lambic")
    profile.phone = "+32 470 12 34 56"
    show(profile, "job_title", "organisation", "expertise", "phone", "email", "bio")
    profile.bio = "Passionnée de moteurs analytiques"
    profile.expertise.add("Cloud souverain", "Cybersécurité")  # written with the profile (modelcluster)
    profile.save()

    doc = person_doc(user)
    assert doc.kind == "person" and doc.section == "people"
    assert doc.title == "Ada Lovelace"
    assert doc.url == reverse("members:profile_detail", args=[user.pk]) == f"/membres/{user.pk}/"
    assert doc.know == doc.read == Audience.MEMBERS
    for shown in ("Directrice des systèmes d'information", "Brasserie Lambic", "Cloud souverain", "Cybersécurité"):
        assert shown in doc.teaser
    everything = " ".join([doc.title, doc.teaser, doc.body, doc.url])
    for private in ("ada.private", "example.org", "470", "moteurs analytiques"):
        assert private not in everything


def test_a_field_the_member_does_not_show_is_not_in_the_document():
    user = make_member(first_name="Ada", last_name="Lovelace")
    profile = user.profile
    profile.job_title = "Directrice secrète"
    profile.organisation = OrganisationFactory(name="Brasserie Cachée")
    profile.expertise.add("Cryptanalyse")
    show(profile, "job_title")
    profile.save()
    doc = person_doc(user)
    assert doc.title == "Ada Lovelace"
    assert "Directrice secrète" in doc.teaser
    assert "Brasserie Cachée" not in doc.teaser and "Cryptanalyse" not in doc.teaser


def test_hiding_a_field_takes_it_out_of_the_document_and_showing_it_puts_it_back():
    user = make_member()
    profile = user.profile
    profile.job_title = "Architecte quantique"
    show(profile, "job_title")
    profile.save()
    assert "Architecte quantique" in person_doc(user).teaser
    profile.show_job_title = False
    profile.save(update_fields=["show_job_title"])
    assert "Architecte quantique" not in person_doc(user).teaser
    profile.show_job_title = True
    profile.save()
    assert "Architecte quantique" in person_doc(user).teaser


def test_an_anonymised_profile_has_no_document():
    from django.utils import timezone

    user = make_member()
    assert person_doc(user) is not None
    user.profile.anonymised_at = timezone.now()
    user.profile.save(update_fields=["anonymised_at"])
    assert person_doc(user) is None
    index.store_all()  # a rebuild does not bring it back
    assert person_doc(user) is None


def test_the_display_name_and_the_organisation_s_new_name_follow():
    user = make_member(first_name="Ada", last_name="Lovelace")
    organisation = OrganisationFactory(name="Ancien nom")
    user.profile.organisation = organisation
    show(user.profile, "organisation")
    user.profile.save()
    user.profile.display_name = "Ada L."
    user.profile.save()
    organisation.name = "Nouveau nom"
    organisation.save()
    doc = person_doc(user)
    assert doc.title == "Ada L."
    assert "Nouveau nom" in doc.teaser and "Ancien nom" not in doc.teaser


def test_a_name_change_on_the_account_follows():
    user = make_member(first_name="Ada", last_name="Lovelace")
    user.last_name = "King"
    user.save()
    assert person_doc(user).title == "Ada King"


def test_an_expertise_removed_is_no_longer_found():
    user = make_member()
    user.profile.expertise.add("Mainframe", "Kubernetes")
    show(user.profile, "expertise")
    user.profile.save()
    assert "Mainframe" in person_doc(user).teaser
    user.profile.expertise.remove("Mainframe")
    user.profile.save()
    doc = person_doc(user)
    assert "Mainframe" not in doc.teaser and "Kubernetes" in doc.teaser


def test_a_membership_that_ends_removes_the_person():
    user = make_member()
    assert person_doc(user) is not None
    membership = Membership.objects.get(user=user)
    membership.valid_from = today() - datetime.timedelta(days=400)
    membership.valid_until = today() - datetime.timedelta(days=1)
    membership.save()  # members/signals.py takes the person out of "Membres"
    assert not user.groups.filter(name=roles.MEMBERS).exists()
    assert person_doc(user) is None


def test_leaving_and_joining_the_members_group_removes_and_restores_the_person():
    user = make_member()
    members = Group.objects.get(name=roles.MEMBERS)
    user.groups.remove(members)
    assert person_doc(user) is None
    members.user_set.add(user)
    assert person_doc(user) is not None
    members.user_set.clear()
    assert person_doc(user) is None


def test_a_deactivated_account_is_not_found():
    user = make_member()
    user.is_active = False
    user.save()
    assert person_doc(user) is None


def test_someone_without_a_current_membership_never_has_a_document():
    stranger = UserFactory()
    ProfileFactory(user=stranger)
    stranger.profile.expertise.add("Cloud")
    stranger.profile.save()
    former = make_member(expired=True)
    former.profile.save()
    assert person_doc(stranger) is None
    assert person_doc(former) is None
    index.store_all()
    assert person_doc(stranger) is None and person_doc(former) is None


def test_a_rebuild_writes_current_members_only_and_a_deleted_account_leaves():
    member = make_member(first_name="Grace")
    former = make_member(expired=True)
    SearchDocument.objects.all().delete()
    index.store_all()
    assert person_doc(member).title.startswith("Grace")
    assert person_doc(former) is None
    profile_id = member.profile.pk
    member.delete()
    assert not SearchDocument.objects.filter(key=f"person:{profile_id}").exists()


# --- Documents -----------------------------------------------------------------------------------


def tiny_pdf(text):
    """A one-page PDF written by hand (offsets and all), with `text` in Helvetica."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def tiny_docx(paragraph, cell):
    word = docx.Document()
    word.add_paragraph(paragraph)
    word.add_table(rows=1, cols=1).rows[0].cells[0].text = cell
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def collection_named(name, audience=None, group_id=None):
    collection = Collection.get_first_root_node().add_child(name=name)
    if audience is not None:
        CollectionAudience.objects.create(collection=collection, audience=audience, group_id=group_id)
    return collection


def make_document(file_name, content, collection=None, title="Compte rendu"):
    collection = collection or Collection.get_first_root_node()
    return Document.objects.create(title=title, collection=collection, file=ContentFile(content, name=file_name))


def doc_of(document):
    return SearchDocument.objects.filter(key=f"document:{document.pk}").first()


def test_a_pdf_is_read_and_its_text_is_for_readers_only():
    collection = collection_named("Comité de direction", Audience.PREMIUM)
    document = make_document("budget.pdf", tiny_pdf("Quarterly budget review"), collection, title="Budget 2027")
    document.tags.add("finances")

    doc = doc_of(document)
    assert doc.kind == "document" and doc.section == "documents"
    assert doc.title == "Budget 2027"
    assert doc.url == document.url and doc.url.startswith("/documents/")
    assert doc.body == "Quarterly budget review"
    assert "finances" in doc.teaser and "budget" in doc.teaser and doc.teaser.endswith(".pdf")
    assert "Quarterly" not in doc.teaser
    assert doc.know == doc.read == Audience.PREMIUM
    assert doc.collection_path == collection.path
    assert ExtractedText.objects.get(document=document).outcome == ExtractedText.Outcome.READ


def test_a_word_document_is_read_with_its_tables():
    document = make_document("charte.docx", tiny_docx("Indépendance et loyauté", "Cellule confidentielle"))
    body = doc_of(document).body
    assert "Indépendance et loyauté" in body and "Cellule confidentielle" in body


def test_plain_text_is_read_as_utf8_whatever_its_bytes():
    document = make_document("notes.txt", "Réunion du club ".encode() + b"\xff\xfe fin")
    assert doc_of(document).body.startswith("Réunion du club \ufffd\ufffd fin")


def test_a_corrupt_pdf_gives_no_text_and_no_error(caplog):
    document = make_document("casse.pdf", b"%PDF-1.4 this is not a PDF at all")
    doc = doc_of(document)
    assert doc is not None and doc.body == ""
    assert ExtractedText.objects.get(document=document).outcome == ExtractedText.Outcome.FAILED
    assert "could not be read" in caplog.text


def test_a_file_above_the_limit_is_not_read(settings):
    settings.CERCLE_SEARCH_EXTRACT_MAX_BYTES = 100
    document = make_document("gros.txt", b"mot " * 100)
    assert doc_of(document).body == ""
    extracted = ExtractedText.objects.get(document=document)
    assert extracted.outcome == ExtractedText.Outcome.TOO_LARGE and extracted.file_size == 400


def test_other_formats_give_no_text():
    document = make_document("archive.zip", b"PK\x03\x04 whatever")
    assert doc_of(document).body == ""
    assert ExtractedText.objects.get(document=document).outcome == ExtractedText.Outcome.UNSUPPORTED


def test_the_text_is_cut_at_the_limit():
    from search.documents import MAX_CHARACTERS

    document = make_document("long.txt", b"a" * (MAX_CHARACTERS + 500))
    assert len(doc_of(document).body) == MAX_CHARACTERS


def test_a_new_title_does_not_read_the_file_again_but_a_new_file_does():
    document = make_document("v1.txt", b"premiere version")
    first = ExtractedText.objects.get(document=document)
    document.title = "Nouveau titre"
    document.save()
    again = ExtractedText.objects.get(document=document)
    assert again.extracted_at == first.extracted_at
    assert doc_of(document).title == "Nouveau titre"

    document.file = ContentFile(b"seconde version", name="v2.txt")
    document.save()
    assert doc_of(document).body == "seconde version"


def test_the_collection_s_audience_is_the_document_s_audience():
    collection = collection_named("Bureau")
    document = make_document("pv.txt", b"proces-verbal", collection)
    assert doc_of(document).know == Audience.MEMBERS  # a collection without a row is for members

    audience = CollectionAudience.objects.create(collection=collection, audience=Audience.PUBLIC)
    assert (doc_of(document).know, doc_of(document).read) == (Audience.PUBLIC, Audience.PUBLIC)

    audience.audience, audience.group_id = Audience.GROUP, 7
    audience.save()
    doc = doc_of(document)
    assert (doc.know, doc.read, doc.group_id) == (Audience.GROUP, Audience.GROUP, 7)

    audience.delete()
    doc = doc_of(document)
    assert (doc.know, doc.group_id) == (Audience.MEMBERS, None)


def test_a_document_moved_to_another_collection_takes_its_audience_and_path():
    public = collection_named("Publications", Audience.PUBLIC)
    premium = collection_named("Réservé", Audience.PREMIUM)
    document = make_document("etude.txt", b"etude", public)
    assert doc_of(document).know == Audience.PUBLIC
    document.collection = premium
    document.save()
    doc = doc_of(document)
    assert doc.know == Audience.PREMIUM and doc.collection_path == premium.path


def test_a_deleted_document_leaves_the_index_with_its_text():
    document = make_document("adieu.txt", b"au revoir")
    pk = document.pk
    assert doc_of(document) is not None
    document.delete()
    assert not SearchDocument.objects.filter(key=f"document:{pk}").exists()
    assert not ExtractedText.objects.filter(document_id=pk).exists()


def test_a_rebuild_keeps_the_text_read_at_upload():
    document = make_document("garde.txt", b"texte garde")
    SearchDocument.objects.all().delete()
    index.store_all()
    assert doc_of(document).body == "texte garde"


def test_a_deleted_organisation_leaves_its_people_s_documents():
    user = make_member()
    organisation = OrganisationFactory(name="Disparue SA")
    user.profile.organisation = organisation
    show(user.profile, "organisation")
    user.profile.save()
    assert "Disparue SA" in person_doc(user).teaser
    organisation.delete()  # its people lose it by an UPDATE that sends no signal
    assert "Disparue SA" not in person_doc(user).teaser


def test_a_deleted_collection_takes_its_documents_out_of_the_index():
    collection = collection_named("Archives", Audience.PREMIUM)
    document = make_document("vieux.txt", b"ancien", collection)
    pk = document.pk
    collection.delete()
    assert not SearchDocument.objects.filter(key=f"document:{pk}").exists()


def test_documents_uploaded_before_are_read_on_demand():
    from search.documents import extract_missing

    document = make_document("ancien.txt", b"texte d'avant")
    ExtractedText.objects.all().delete()
    index.update(document)
    assert doc_of(document).body == ""
    extract_missing()
    assert doc_of(document).body == "texte d'avant"


def test_nul_characters_are_kept_out_of_the_text():
    """PostgreSQL refuses them in a text column; some PDFs carry them."""
    document = make_document("nul.txt", b"avant\x00apres")
    assert doc_of(document).body == "avant apres"
