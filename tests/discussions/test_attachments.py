"""Files joined to posts: stored as documents of the space's collection, downloaded through Django by the
space's readers only; too many, too big or of a kind the club does not keep, they are refused with a 4xx
and the text typed kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model

from discussions.models import Post, Thread
from members.models import CollectionAudience
from tests.factories.discussions import start

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def pdf(name="notes.pdf", size=None):
    content = b"%PDF-1.4 notes de reunion" if size is None else b"%PDF" + b"0" * (size - 4)
    return SimpleUploadedFile(name, content, "application/pdf")


def download(client, document):
    response = client.get(document.url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response


def test_a_reply_with_a_file_in_a_private_group(client, people, spaces):
    opening = start(people["member"], spaces["private"], title="Budget", text="x")
    client.force_login(people["lead"])
    response = client.post(
        reverse("discussions:reply", args=[opening.thread_id]),
        {"source": "Voici le budget", "attachments": [pdf("budget.pdf"), pdf("annexe.pdf")]},
    )
    assert response.status_code == 302
    post = Post.objects.get(thread=opening.thread, number=2)
    documents = list(post.attachments.order_by("title"))
    assert [d.title for d in documents] == ["annexe", "budget"]
    group = spaces["private"].group
    group.refresh_from_db()
    assert all(d.collection_id == group.collection_id for d in documents)

    page = client.get(opening.thread.get_absolute_url()).content.decode()
    assert 'data-testid="post-attachments"' in page and documents[0].url in page

    client.force_login(people["member"])
    assert download(client, documents[0]).status_code == 200
    client.force_login(people["outsider"])
    assert download(client, documents[0]).status_code in (403, 404)
    client.logout()
    assert download(client, documents[0]).status_code in (302, 403, 404)


def test_a_new_thread_with_a_file_in_the_club_space(client, people, spaces):
    client.force_login(people["basic"])
    response = client.post(
        reverse("discussions:new_thread", args=[spaces["club"].slug]),
        {"title": "Modèle de contrat", "source": "Le modèle", "attachments": [pdf("contrat.pdf")]},
    )
    assert response.status_code == 302
    thread = Thread.objects.get(title="Modèle de contrat")
    document = thread.posts.get(number=1).attachments.get()
    collection = document.collection
    assert spaces["club"].title in collection.name
    assert CollectionAudience.objects.get(collection=collection).audience == "members"
    # The second file goes to the same collection.
    client.post(
        reverse("discussions:reply", args=[thread.pk]), {"source": "Et l'annexe", "attachments": [pdf("annexe.pdf")]}
    )
    assert get_document_model().objects.filter(collection=collection).count() == 2

    client.force_login(people["premium"])
    assert download(client, document).status_code == 200
    client.force_login(people["expired"])
    assert download(client, document).status_code in (302, 403, 404)


@pytest.mark.parametrize(
    "files, status",
    [
        ([SimpleUploadedFile("virus.exe", b"MZ", "application/octet-stream")], 400),
        ([SimpleUploadedFile("page.html", b"<script>", "text/html")], 400),
        ([SimpleUploadedFile("sans-extension", b"x", "text/plain")], 400),
        ([pdf(f"f{n}.pdf") for n in range(6)], 400),
        ([pdf("gros.pdf", size=1024 * 1024 + 10)], 413),
    ],
)
def test_bad_files_are_refused_with_the_text_kept(client, people, spaces, settings, files, status):
    settings.CERCLE_DISCUSSION_MAX_ATTACHMENT_MB = 1
    settings.CERCLE_DISCUSSION_MAX_ATTACHMENTS = 5
    opening = start(people["member"], spaces["club"], title="Fil", text="x")
    Document = get_document_model()
    before = Document.objects.count()
    client.force_login(people["member"])
    response = client.post(
        reverse("discussions:reply", args=[opening.thread_id]), {"source": "Mon texte gardé", "attachments": files}
    )
    assert response.status_code == status
    assert "Mon texte gardé" in response.content.decode()
    assert 'data-testid="form-error"' in response.content.decode()
    assert Document.objects.count() == before
    assert Post.objects.filter(thread=opening.thread).count() == 1

    response = client.post(
        reverse("discussions:new_thread", args=[spaces["club"].slug]),
        {"title": "Titre gardé", "source": "Texte gardé", "attachments": [SimpleUploadedFile("x.exe", b"MZ")]},
    )
    assert response.status_code == 400
    assert "Titre gardé" in response.content.decode() and "Texte gardé" in response.content.decode()
    assert Document.objects.count() == before


def test_a_refused_post_stores_no_file(client, people, spaces):
    """A reader who may not write (a basic member in a thematic group's space) leaves no document behind."""
    opening = start(people["member"], spaces["thematic"], title="Fil", text="x")
    before = get_document_model().objects.count()
    client.force_login(people["basic"])
    response = client.post(
        reverse("discussions:reply", args=[opening.thread_id]), {"source": "Texte", "attachments": [pdf()]}
    )
    assert response.status_code == 403
    assert get_document_model().objects.count() == before


@pytest.mark.rate_limits
def test_a_rate_limited_post_stores_no_file(client, people, spaces, settings):
    settings.CERCLE_DISCUSSION_POSTS_PER_WINDOW = 1
    opening = start(people["member"], spaces["club"], title="Fil", text="x")
    before = get_document_model().objects.count()
    client.force_login(people["member"])
    response = client.post(
        reverse("discussions:reply", args=[opening.thread_id]), {"source": "Texte gardé", "attachments": [pdf()]}
    )
    assert response.status_code == 429 and "Texte gardé" in response.content.decode()
    assert get_document_model().objects.count() == before


def test_a_resent_form_with_files_is_one_post_and_one_document(client, people, spaces):
    opening = start(people["member"], spaces["club"], title="Fil", text="x")
    client.force_login(people["lead"])
    url = reverse("discussions:reply", args=[opening.thread_id])
    for _ in range(2):
        response = client.post(url, {"source": "Une fois", "submission_key": "cle-1", "attachments": [pdf()]})
        assert response.status_code == 302
    assert Post.objects.filter(thread=opening.thread).count() == 2
    assert get_document_model().objects.filter(title="notes").count() == 1


def test_a_club_wide_space_keeps_one_collection_whatever_copy_of_it_asks(spaces):
    from discussions import attachments
    from discussions.models import Space

    space = spaces["club"]
    older_copy = Space.objects.get(pk=space.pk)
    first = attachments.space_collection(space)
    assert attachments.space_collection(older_copy) == first
    assert Space.objects.get(pk=space.pk).collection_id == first.pk
    assert CollectionAudience.objects.get(collection=first).audience == "members"
