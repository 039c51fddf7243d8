"""A thread's pages: replies a page at a time with a flat number of queries from 5 to 500 replies, hostile
text shown as text, refusals that keep what was typed (429, 413), one post per submission."""

import pytest
from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from discussions.models import Post, Thread
from discussions.views import reply_page
from tests.factories.discussions import answer, start

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    '"><svg onload=alert(1)>',
]


def _bulk_replies(thread, author, count):
    now = timezone.now()
    Post.objects.bulk_create(
        [
            Post(
                thread=thread, number=n, author=author, source=f"R {n}", html=f"<p>Réponse {n}</p>", created_at=now
            )
            for n in range(2, count + 2)
        ]
    )
    Thread.objects.filter(pk=thread.pk).update(post_count=F("post_count") + count, last_activity_at=now)
    thread.refresh_from_db()


def test_reply_page_numbers():
    per = settings.CERCLE_DISCUSSION_REPLIES_PER_PAGE
    assert reply_page(1) == 1
    assert reply_page(2) == 1
    assert reply_page(per + 1) == 1
    assert reply_page(per + 2) == 2


def test_replies_are_paginated(client, people, spaces):
    opening = start(people["member"], spaces["club"], title="Long fil", text="Début")
    thread = opening.thread
    _bulk_replies(thread, people["lead"], 60)
    client.force_login(people["premium"])
    page1 = client.get(thread.get_absolute_url()).content.decode()
    assert 'data-testid="post-1"' in page1 and 'data-testid="post-26"' in page1
    assert 'data-testid="post-27"' not in page1 and 'data-testid="pagination"' in page1
    page3 = client.get(thread.get_absolute_url() + "?page=3").content.decode()
    assert 'data-testid="post-1"' in page3  # the opening post heads every page
    assert 'data-testid="post-52"' in page3 and 'data-testid="post-61"' in page3
    assert 'data-testid="post-51"' not in page3
    for bad in ("abc", "0", "-1", "999", "1e9", "99999999999999999999999", "%00"):
        assert client.get(thread.get_absolute_url() + f"?page={bad}").status_code in (200, 404)
    # A post's permalink lands on its page.
    post = Post.objects.get(thread=thread, number=40)
    response = client.get(reverse("discussions:post", args=[post.pk]))
    assert response["Location"].endswith("?page=2#post-40")


def test_space_pagination_and_bad_pages(client, people, spaces):
    for n in range(23):
        start(people["member"], spaces["club"], title=f"Sujet {n:02d}", text="x")
    client.force_login(people["basic"])
    url = reverse("discussions:space", args=[spaces["club"].slug])
    first = client.get(url).content.decode()
    assert first.count('data-testid="thread-row"') == 20
    assert client.get(url + "?page=2").content.decode().count('data-testid="thread-row"') == 3
    for bad in ("abc", "0", "999", "99999999999999999999999"):
        assert client.get(url + f"?page={bad}").status_code in (200, 404)


def _thread_queries(client, django_assert_max_num_queries, thread, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(thread.get_absolute_url() + "?page=2")
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_thread_page_queries_are_flat(client, people, spaces, django_assert_max_num_queries):
    small = start(people["member"], spaces["private"], title="Petit", text="x").thread
    big = start(people["member"], spaces["private"], title="Grand", text="x").thread
    for thread, count in ((small, 30), (big, 500)):
        _bulk_replies(thread, people["lead"], count)
    client.force_login(people["lead"])
    client.get(small.get_absolute_url() + "?page=2")  # first visits: read marks
    client.get(big.get_absolute_url() + "?page=2")
    small_count = _thread_queries(client, django_assert_max_num_queries, small, 60)
    big_count = _thread_queries(client, django_assert_max_num_queries, big, small_count)
    assert big_count <= small_count


def test_thread_page_queries_flat_with_5_and_500_replies(client, people, spaces, django_assert_max_num_queries):
    five = start(people["member"], spaces["club"], title="Cinq", text="x").thread
    many = start(people["member"], spaces["club"], title="Cinq cents", text="x").thread
    _bulk_replies(five, people["lead"], 5)
    _bulk_replies(many, people["lead"], 500)
    quoted = Post.objects.get(thread=many, number=2)
    Post.objects.filter(thread=many, number__gt=2).update(quoted=quoted)
    client.force_login(people["member"])
    client.get(five.get_absolute_url())
    client.get(many.get_absolute_url() + "?page=20")  # read marks in place: the measured visits write nothing
    with django_assert_max_num_queries(60) as small:
        assert client.get(five.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(many.get_absolute_url() + "?page=20").status_code == 200


def test_space_page_queries_are_flat(client, people, spaces, django_assert_max_num_queries):
    url = reverse("discussions:space", args=[spaces["club"].slug])
    start(people["member"], spaces["club"], title="Un", text="x")
    client.force_login(people["premium"])
    client.get(url)
    with django_assert_max_num_queries(60) as one:
        client.get(url)
    authors = [people[w] for w in ("member", "lead", "premium", "basic", "staff")]
    for n in range(19):
        opening = start(authors[n % 5], spaces["club"], title=f"Sujet {n}", text="x")
        answer(authors[(n + 1) % 5], opening.thread)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_is_shown_as_text(client, people, spaces, payload):
    opening = start(people["member"], spaces["club"], title=f"Titre {payload}", text=f"Corps {payload}")
    answer(people["lead"], opening.thread, text=f"Réponse {payload}")
    client.force_login(people["premium"])
    for url in (
        reverse("discussions:space", args=[spaces["club"].slug]),
        opening.thread.get_absolute_url(),
        reverse("discussions:index"),
        reverse("discussions:unanswered"),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
        assert "<img src=x" not in html and "<svg onload" not in html
        assert 'href="javascript:' not in html


def test_hostile_text_in_the_form_after_a_refusal(client, people, spaces):
    client.force_login(people["member"])
    url = reverse("discussions:new_thread", args=[spaces["club"].slug])
    response = client.post(url, {"title": "", "source": "</textarea><script>alert(1)</script>"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.rate_limits
def test_429_keeps_the_text(client, people, spaces, settings):
    settings.CERCLE_DISCUSSION_POSTS_PER_WINDOW = 1
    settings.CERCLE_DISCUSSION_THREADS_PER_WINDOW = 10
    settings.CERCLE_DISCUSSION_MENTIONS_PER_WINDOW = 10
    opening = start(people["member"], spaces["club"], title="Fil", text="x")
    client.force_login(people["member"])
    response = client.post(
        reverse("discussions:reply", args=[opening.thread.pk]),
        {"source": "Mon texte précieux", "submission_key": "abc123"},
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert "Mon texte précieux" in html and 'data-testid="form-error"' in html
    assert 'value="abc123"' in html  # the same key: sending it again is still one post
    assert Post.objects.filter(thread=opening.thread).count() == 1

    response = client.post(
        reverse("discussions:new_thread", args=[spaces["club"].slug]),
        {"title": "Un autre sujet", "source": "Encore un texte", "submission_key": "def456"},
    )
    assert response.status_code == 429
    assert "Encore un texte" in response.content.decode() and "Un autre sujet" in response.content.decode()


def test_too_long_a_message_is_413_with_the_text(client, people, spaces, settings):
    settings.CERCLE_DISCUSSION_MAX_LENGTH = 50
    opening = start(people["member"], spaces["club"], title="Fil", text="x")
    client.force_login(people["member"])
    text = "mot " * 30
    response = client.post(reverse("discussions:reply", args=[opening.thread.pk]), {"source": text})
    assert response.status_code == 413
    assert text.strip() in response.content.decode()


def test_empty_message_is_400(client, people, spaces):
    opening = start(people["member"], spaces["club"], title="Fil", text="x")
    client.force_login(people["member"])
    response = client.post(reverse("discussions:reply", args=[opening.thread.pk]), {"source": "   "})
    assert response.status_code == 400
    response = client.post(reverse("discussions:reply", args=[opening.thread.pk]), {"source": "x", "quoted": "abc"})
    assert response.status_code == 400


def test_duplicate_submission_is_one_post(client, people, spaces):
    opening = start(people["member"], spaces["club"], title="Fil", text="x")
    client.force_login(people["lead"])
    url = reverse("discussions:reply", args=[opening.thread.pk])
    first = client.post(url, {"source": "Une fois", "submission_key": "same-key"})
    second = client.post(url, {"source": "Une fois", "submission_key": "same-key"})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Post.objects.filter(thread=opening.thread, source="Une fois").count() == 1

    new_url = reverse("discussions:new_thread", args=[spaces["club"].slug])
    for _ in range(2):
        client.post(new_url, {"title": "Doublon", "source": "Texte", "submission_key": "thread-key"})
    assert Thread.objects.filter(title="Doublon").count() == 1


def test_new_thread_form_carries_a_key_and_the_mentions_address(client, people, spaces):
    client.force_login(people["member"])
    html = client.get(reverse("discussions:new_thread", args=[spaces["club"].slug])).content.decode()
    assert 'name="submission_key"' in html
    assert f'{reverse("discussions:mention_candidates")}?espace={spaces["club"].pk}' in html
    assert "discussions/mentions.js" in html and 'data-testid="compose-help"' in html


def test_locked_thread_says_so(client, people, spaces):
    opening = start(people["member"], spaces["club"], title="Fil", text="x")
    Thread.objects.filter(pk=opening.thread_id).update(locked=True)
    client.force_login(people["premium"])
    html = client.get(opening.thread.get_absolute_url()).content.decode()
    assert 'data-testid="thread-locked"' in html and 'data-testid="reply-form"' not in html
    response = client.post(reverse("discussions:reply", args=[opening.thread_id]), {"source": "Encore"})
    assert response.status_code == 409


def test_hidden_post_text_only_for_moderators(client, people, spaces):
    opening = start(people["member"], spaces["thematic"], title="Fil", text="x")
    reply = answer(people["member"], opening.thread, text="Propos masqué")
    Post.objects.filter(pk=reply.pk).update(
        hidden_at=timezone.now(), hidden_by=people["lead"], hidden_reason="Hors sujet"
    )
    client.force_login(people["basic"])
    html = client.get(opening.thread.get_absolute_url()).content.decode()
    assert 'data-testid="post-hidden"' in html and "Propos masqué" not in html
    client.force_login(people["lead"])
    html = client.get(opening.thread.get_absolute_url()).content.decode()
    assert "Propos masqué" in html and "Hors sujet" in html
