"""Unread threads: counted per space in one query, marked on the space's list, read once the last page
was seen, never moving backwards, and nothing older than the member's first visit counts as news."""

import datetime

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from discussions import unread
from discussions.models import Post, Reader, Thread, ThreadRead
from members.access import Viewer
from tests.factories.discussions import answer, start

pytestmark = pytest.mark.django_db


def _reader_since_yesterday(user):
    reader = unread.reader_for(user)
    Reader.objects.filter(pk=reader.pk).update(started_at=timezone.now() - datetime.timedelta(days=1))


def test_counts_per_space_in_one_query(people, spaces, django_assert_num_queries):
    viewer = Viewer(people["member"])
    _reader_since_yesterday(viewer.user)
    for kind, n in (("club", 3), ("thematic", 1), ("private", 2)):
        for i in range(n):
            start(people["lead"], spaces[kind], title=f"{kind} {i}", text="x")
    all_spaces = list(spaces.values())
    with django_assert_num_queries(2):  # the Reader row, then the counts
        counts = unread.unread_counts(viewer, all_spaces)
    assert counts == {spaces["club"].pk: 3, spaces["thematic"].pk: 1, spaces["private"].pk: 2}


def test_reading_a_thread_marks_it_read_until_its_next_reply(client, people, spaces):
    member = people["member"]
    _reader_since_yesterday(member)
    opening = start(people["lead"], spaces["club"], title="Nouveau", text="x")
    thread = opening.thread
    viewer = Viewer(member)
    assert unread.unread_counts(viewer, [spaces["club"]]) == {spaces["club"].pk: 1}

    client.force_login(member)
    space_page = client.get(reverse("discussions:space", args=[spaces["club"].slug])).content.decode()
    assert 'data-testid="thread-unread"' in space_page
    index = client.get(reverse("discussions:index")).content.decode()
    assert 'data-testid="space-unread"' in index

    client.get(thread.get_absolute_url())
    assert unread.unread_counts(viewer, [spaces["club"]]) == {}
    space_page = client.get(reverse("discussions:space", args=[spaces["club"].slug])).content.decode()
    assert 'data-testid="thread-unread"' not in space_page

    answer(people["lead"], thread, text="Une suite")
    assert unread.unread_counts(viewer, [spaces["club"]]) == {spaces["club"].pk: 1}
    thread.refresh_from_db()
    assert unread.unread_thread_ids(viewer, [thread]) == {thread.pk}


def test_own_posts_are_read(client, people, spaces):
    _reader_since_yesterday(people["member"])
    client.force_login(people["member"])
    client.post(reverse("discussions:new_thread", args=[spaces["club"].slug]), {"title": "À moi", "source": "x"})
    thread = Thread.objects.get(title="À moi")
    client.post(reverse("discussions:reply", args=[thread.pk]), {"source": "Et encore"})
    assert unread.unread_counts(Viewer(people["member"]), [spaces["club"]]) == {}


def test_only_the_last_page_reads_a_long_thread(client, people, spaces):
    member = people["member"]
    _reader_since_yesterday(member)
    thread = start(people["lead"], spaces["club"], title="Long", text="x").thread
    now = timezone.now()
    Post.objects.bulk_create(
        [Post(thread=thread, number=n, author=people["lead"], source="r", html="<p>r</p>") for n in range(2, 42)]
    )
    Thread.objects.filter(pk=thread.pk).update(post_count=F("post_count") + 40, last_activity_at=now)
    viewer = Viewer(member)
    client.force_login(member)
    client.get(thread.get_absolute_url())
    mark = ThreadRead.objects.get(user=member, thread=thread)
    assert mark.last_number == 26
    assert unread.unread_counts(viewer, [spaces["club"]]) == {spaces["club"].pk: 1}
    client.get(thread.get_absolute_url() + "?page=2")
    assert unread.unread_counts(viewer, [spaces["club"]]) == {}
    # Going back to page 1 does not move the mark backwards.
    client.get(thread.get_absolute_url())
    assert ThreadRead.objects.get(user=member, thread=thread).last_number == 41
    assert unread.unread_counts(viewer, [spaces["club"]]) == {}


def test_threads_before_the_first_visit_are_not_news(people, spaces):
    start(people["lead"], spaces["club"], title="Ancien", text="x")
    viewer = Viewer(people["premium"])
    assert not Reader.objects.filter(user=people["premium"]).exists()
    assert unread.unread_counts(viewer, [spaces["club"]]) == {}
    assert Reader.objects.filter(user=people["premium"]).exists()
    start(people["lead"], spaces["club"], title="Récent", text="x")
    assert unread.unread_counts(viewer, [spaces["club"]]) == {spaces["club"].pk: 1}


def test_mark_read_never_moves_backwards(people, spaces):
    thread = start(people["lead"], spaces["club"], title="Fil", text="x").thread
    for _ in range(3):
        answer(people["lead"], thread)
    thread.refresh_from_db()
    user = people["member"]
    unread.mark_read(user, thread, 4)
    first = ThreadRead.objects.get(user=user, thread=thread)
    unread.mark_read(user, thread, 2)
    again = ThreadRead.objects.get(user=user, thread=thread)
    assert again.last_number == 4 and again.read_at == first.read_at


def test_counts_ignore_spaces_not_asked_and_anonymous(people, spaces):
    from django.contrib.auth.models import AnonymousUser

    assert unread.unread_counts(Viewer(AnonymousUser()), list(spaces.values())) == {}
    assert unread.unread_thread_ids(Viewer(AnonymousUser()), []) == set()
    assert unread.unread_counts(Viewer(people["member"]), []) == {}
