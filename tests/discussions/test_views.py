"""Who gets what of the discussions' pages: every viewer kind at every space kind, for reading (index,
space, thread, history) and for writing (new thread, reply, edit, delete)."""

import pytest
from django.urls import reverse

from discussions.models import Post, Thread
from tests.factories.discussions import answer, start

pytestmark = pytest.mark.django_db

KINDS = ["club", "thematic", "cluster", "private"]

READERS = {
    # viewer: {space kind: status of reading pages}
    "anonymous": {"club": 302, "thematic": 302, "cluster": 302, "private": 404},
    "expired": {"club": 403, "thematic": 403, "cluster": 403, "private": 404},
    "basic": {"club": 200, "thematic": 200, "cluster": 403, "private": 404},
    "editor": {"club": 200, "thematic": 200, "cluster": 403, "private": 404},
    "premium": {"club": 200, "thematic": 200, "cluster": 200, "private": 404},
    "outsider": {"club": 200, "thematic": 200, "cluster": 200, "private": 404},
    "member": {"club": 200, "thematic": 200, "cluster": 200, "private": 200},
    "lead": {"club": 200, "thematic": 200, "cluster": 200, "private": 200},
    "staff": {"club": 200, "thematic": 200, "cluster": 200, "private": 200},
}

# Who writes where (thematic: only the group's members and staff).
WRITERS = {
    "basic": {"club"},
    "editor": {"club"},
    "premium": {"club", "cluster"},
    "outsider": {"club", "cluster"},
    "member": {"club", "thematic", "cluster", "private"},
    "lead": {"club", "thematic", "cluster", "private"},
    "staff": {"club", "thematic", "cluster", "private"},
}


def login(client, people, who):
    if people[who] is not None:
        client.force_login(people[who])


@pytest.fixture
def threads(spaces, people):
    """One thread with one reply in every space, by the group member (staff in the club-wide one)."""
    made = {}
    for kind, space in spaces.items():
        opening = start(people["member"], space, title=f"Sujet {kind}", text=f"Texte {kind}")
        answer(people["lead"], opening.thread, text=f"Réponse {kind}")
        made[kind] = opening.thread
    return made


@pytest.mark.parametrize("who", list(READERS))
def test_index(client, people, spaces, who):
    login(client, people, who)
    response = client.get(reverse("discussions:index"))
    expected = 200 if READERS[who]["club"] == 200 else READERS[who]["club"]
    assert response.status_code == expected
    if who == "anonymous":
        assert reverse("login") in response["Location"]
    if expected == 200:
        html = response.content.decode()
        assert spaces["club"].title in html
        assert (spaces["private"].title in html) == (READERS[who]["private"] == 200)
        assert (spaces["cluster"].title in html) == (READERS[who]["cluster"] == 200)
        assert ('data-testid="clusters-premium-note"' in html) == (who in {"basic", "editor"})
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("who", list(READERS))
def test_reading_pages(client, people, spaces, threads, who):
    login(client, people, who)
    for kind in KINDS:
        _check_reading(client, spaces, threads, who, kind)


def _check_reading(client, spaces, threads, who, kind):
    expected = READERS[who][kind]
    thread = threads[kind]
    reply = thread.posts.get(number=2)
    urls = [
        reverse("discussions:space", args=[spaces[kind].slug]),
        reverse("discussions:thread", args=[thread.pk]),
        reverse("discussions:post_history", args=[reply.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == expected, url
        if expected == 302:
            assert reverse("login") in response["Location"]
    permalink = client.get(reverse("discussions:post", args=[reply.pk]))
    assert permalink.status_code == (302 if expected in (200, 302) else expected)
    if expected == 200:
        assert f"#post-{reply.number}" in permalink["Location"]
        page = client.get(reverse("discussions:space", args=[spaces[kind].slug])).content.decode()
        assert thread.title in page and 'data-testid="thread-row"' in page


@pytest.mark.parametrize("who", [w for w in READERS if w != "anonymous"])
def test_writing(client, people, spaces, threads, who):
    login(client, people, who)
    for kind in KINDS:
        _check_writing(client, spaces, threads, who, kind)


def _check_writing(client, spaces, threads, who, kind):
    readable = READERS[who][kind] == 200
    writes = kind in WRITERS.get(who, set())
    thread = threads[kind]
    new_url = reverse("discussions:new_thread", args=[spaces[kind].slug])
    reply_url = reverse("discussions:reply", args=[thread.pk])

    page = client.get(reverse("discussions:thread", args=[thread.pk]))
    if readable:
        assert ('data-testid="reply-form"' in page.content.decode()) == writes
        space_page = client.get(reverse("discussions:space", args=[spaces[kind].slug])).content.decode()
        assert ('data-testid="new-thread"' in space_page) == writes

    form = client.get(new_url)
    assert form.status_code == (200 if writes else (403 if readable else READERS[who][kind]))

    before = Post.objects.count()
    response = client.post(reply_url, {"source": "Ma réponse", "submission_key": f"k-{who}-{kind}"})
    if writes:
        assert response.status_code == 302
        post = Post.objects.get(submission_key=f"k-{who}-{kind}")
        assert response["Location"].endswith(f"#post-{post.number}")
    else:
        assert response.status_code == (403 if readable else READERS[who][kind])
        assert Post.objects.count() == before

    response = client.post(new_url, {"title": "Nouveau", "source": "Texte", "submission_key": f"t-{who}-{kind}"})
    if writes:
        assert response.status_code == 302
        assert Thread.objects.filter(space=spaces[kind], title="Nouveau").exists()
    else:
        assert response.status_code == (403 if readable else READERS[who][kind])
        assert not Thread.objects.filter(space=spaces[kind], title="Nouveau").exists()


@pytest.mark.parametrize("kind", ["club", "private"])
def test_edit_and_delete_are_the_authors(client, people, spaces, threads, kind):
    thread = threads[kind]
    reply = thread.posts.get(number=2)  # the lead's
    edit_url = reverse("discussions:edit_post", args=[reply.pk])
    delete_url = reverse("discussions:delete_post", args=[reply.pk])

    client.force_login(people["outsider"])
    expected = 404 if kind == "private" else 403
    assert client.get(edit_url).status_code == expected
    assert client.post(edit_url, {"source": "Piraté"}).status_code == expected
    assert client.post(delete_url).status_code == expected
    client.force_login(people["member"])
    assert client.post(edit_url, {"source": "Piraté"}).status_code == 403

    client.force_login(people["lead"])
    assert client.get(edit_url).status_code == 200
    response = client.post(edit_url, {"source": "Réponse corrigée"})
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.source == "Réponse corrigée" and reply.edited_at
    history = client.get(reverse("discussions:post_history", args=[reply.pk]))
    assert history.status_code == 200 and f"Réponse {kind}" in history.content.decode()
    page = client.get(reverse("discussions:thread", args=[thread.pk])).content.decode()
    assert 'data-testid="post-edited"' in page

    assert client.get(delete_url).status_code == 200
    assert client.post(delete_url).status_code == 302
    reply.refresh_from_db()
    assert reply.deleted_at
    page = client.get(reverse("discussions:thread", args=[thread.pk])).content.decode()
    assert 'data-testid="post-deleted"' in page and "Réponse corrigée" not in page
    # The history of a deleted post is the moderators' only.
    client.force_login(people["member"])
    assert client.get(reverse("discussions:post_history", args=[reply.pk])).status_code == 404
    client.force_login(people["staff"])
    assert client.get(reverse("discussions:post_history", args=[reply.pk])).status_code == 200


def test_opening_post_edit_changes_the_title(client, people, threads):
    thread = threads["club"]
    opening = thread.posts.get(number=1)
    client.force_login(people["member"])
    response = client.post(
        reverse("discussions:edit_post", args=[opening.pk]), {"title": "Titre revu", "source": "Texte revu"}
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.title == "Titre revu"
    # An empty title is refused with the text kept.
    response = client.post(reverse("discussions:edit_post", args=[opening.pk]), {"title": "", "source": "Encore"})
    assert response.status_code == 400 and "Encore" in response.content.decode()


def test_post_only_actions(client, people, threads):
    client.force_login(people["member"])
    reply = threads["club"].posts.get(number=2)
    assert client.get(reverse("discussions:mark_solution", args=[reply.pk])).status_code == 405
    response = client.get(reverse("discussions:reply", args=[threads["club"].pk]))
    assert response.status_code == 302 and response["Location"] == threads["club"].get_absolute_url()


def test_solution_is_shown_under_the_question(client, people, spaces):
    opening = start(people["member"], spaces["club"], title="Comment faire ?", text="Question", is_question=True)
    thread = opening.thread
    first = answer(people["lead"], thread, text="Pas comme ça")
    good = answer(people["premium"], thread, text="Comme ceci")
    mark_url = reverse("discussions:mark_solution", args=[good.pk])

    client.force_login(people["premium"])  # not the question's author, not a moderator
    assert client.post(mark_url, {"action": "mark"}).status_code == 403

    client.force_login(people["member"])
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f'data-testid="mark-solution-{good.number}"' in page
    assert client.post(mark_url, {"action": "mark"}).status_code == 302
    thread.refresh_from_db()
    assert thread.solution_id == good.pk
    page = client.get(thread.get_absolute_url()).content.decode()
    solution = page.index('data-testid="solution"')
    assert page.index('data-testid="post-1"') < solution < page.index(f'data-testid="post-{first.number}"')
    assert 'data-testid="badge-solved"' in page

    unanswered = client.get(reverse("discussions:unanswered")).content.decode()
    assert "Comment faire" not in unanswered
    assert client.post(mark_url, {"action": "unmark"}).status_code == 302
    unanswered = client.get(reverse("discussions:unanswered")).content.decode()
    assert "Comment faire" in unanswered


def test_unanswered_lists_only_readable_questions(client, people, spaces):
    for kind in ("club", "cluster", "private"):
        start(people["member"], spaces[kind], title=f"Question {kind}", text="?", is_question=True)
    start(people["member"], spaces["club"], title="Pas une question", text="!")
    client.force_login(people["basic"])
    page = client.get(reverse("discussions:unanswered")).content.decode()
    assert "Question club" in page and "Question cluster" not in page and "Question private" not in page
    assert "Pas une question" not in page
    client.force_login(people["member"])
    page = client.get(reverse("discussions:unanswered")).content.decode()
    assert "Question private" in page and 'data-testid="thread-space"' in page
    client.logout()
    assert client.get(reverse("discussions:unanswered")).status_code == 302


def test_quote_prefills_the_reply(client, people, threads):
    thread = threads["club"]
    reply = thread.posts.get(number=2)
    client.force_login(people["premium"])
    page = client.get(thread.get_absolute_url() + f"?citer={reply.pk}").content.decode()
    assert "&gt; Réponse club" in page
    assert f'name="quoted" value="{reply.pk}"' in page
    # A post of another thread, or nonsense, is not quoted.
    other = threads["cluster"].posts.get(number=2)
    for value in (other.pk, "abc", "99999999999999999999"):
        response = client.get(thread.get_absolute_url() + f"?citer={value}")
        assert response.status_code == 200
        assert "&gt; Réponse" not in response.content.decode()
    response = client.post(
        reverse("discussions:reply", args=[thread.pk]), {"source": "> cité\n\nOui", "quoted": reply.pk}
    )
    assert response.status_code == 302
    assert Post.objects.get(thread=thread, number=3).quoted_id == reply.pk


def test_group_page_links_to_its_space(client, people, spaces):
    group = spaces["thematic"].group
    client.force_login(people["basic"])
    page = client.get(group.url).content.decode()
    assert 'data-testid="group-discussions-link"' in page
    assert reverse("discussions:space", args=[spaces["thematic"].slug]) in page


def test_nav_link_for_members_only(client, people):
    client.force_login(people["basic"])
    assert 'data-testid="nav-discussions"' in client.get(reverse("discussions:index")).content.decode()
