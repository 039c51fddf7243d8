"""The demo's discussions: questions to peers (some solved, some waiting), threads in "Gouvernance IT", two
clusters and the board; each written by someone allowed to write there; a quote, an edit, a mention of
`basic`; nobody e-mailed; the search finds them as the policy says.

The tests only read the demo, so the module loads it once (`shared_demo`, tests/conftest.py)."""

import pytest
from django.utils import timezone

from discussions import services
from discussions.models import Mention, Notification, Post, PostRevision, Space, Thread
from members.access import Viewer
from search import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(shared_demo):
    return shared_demo


def space(slug):
    return Space.objects.select_related("group").get(slug=slug)


def test_the_spaces_hold_threads(demo):
    for slug, at_least in (
        ("questions-aux-pairs", 3),
        ("gouvernance-it", 2),
        ("securite", 1),
        ("data-centers", 1),
    ):
        assert Thread.objects.filter(space=space(slug)).count() >= at_least, slug
    board = Space.objects.get(group__slug="conseil-d-administration")
    assert board.read == "group" and board.threads.count() >= 1


def test_questions_solved_and_waiting(demo):
    questions = Thread.objects.filter(space=space("questions-aux-pairs"), is_question=True)
    assert questions.filter(solution__isnull=False).count() >= 2
    assert questions.filter(solution__isnull=True).count() >= 1
    for thread in questions.filter(solution__isnull=False):
        assert thread.solution.thread_id == thread.pk and thread.solution.number > 1


def test_every_post_is_by_someone_allowed_to_write_in_its_space(demo):
    posts = Post.objects.select_related("author", "thread__space__group")
    assert posts.count() >= 20
    for post in posts:
        assert services.may_write(Viewer(post.author), post.thread.space), (post, post.author)
    authors = set(posts.values_list("author__username", flat=True))
    assert len(authors) >= 8


def test_a_mention_of_basic_in_a_space_basic_reads(demo):
    basic = demo["basic"]
    mentions = Mention.objects.filter(user=basic).select_related("post__thread__space__group")
    assert mentions.count() == 1
    post = mentions.get().post
    assert services.may_read(Viewer(basic), post.thread.space)
    assert f"@{services.handle_for(basic)}" in post.source and 'class="mention"' in post.html


def test_a_quote_and_an_edit_with_its_history(demo):
    assert Post.objects.filter(quoted__isnull=False).count() >= 2
    edited = Post.objects.filter(edited_at__isnull=False)
    assert edited.exists()
    for post in edited:
        revision = PostRevision.objects.get(post=post)
        assert revision.written_at == post.created_at < revision.replaced_at == post.edited_at


def test_dates_spread_over_the_last_weeks_and_counters_agree(demo):
    now = timezone.now()
    threads = Thread.objects.all()
    assert min(t.created_at for t in threads) < now - timezone.timedelta(days=14)
    for thread in threads:
        posts = list(thread.posts.order_by("number"))
        assert thread.post_count == len(posts)
        assert [p.created_at for p in posts] == sorted(p.created_at for p in posts)
        assert thread.last_activity_at == posts[-1].created_at and thread.created_at == posts[0].created_at
    for each in Space.objects.filter(thread_count__gt=0):
        assert each.last_activity_at == max(t.last_activity_at for t in each.threads.all())
        assert each.post_count == Post.objects.filter(thread__space=each).count()


def test_nobody_is_left_a_pending_notification(demo):
    assert Notification.objects.exists()
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_the_search_finds_the_board_only_for_its_members(demo):
    term = "assemblée générale"
    board = Thread.objects.get(space__group__slug="conseil-d-administration")

    def found(user):
        return {hit.document.key for hit in api.search(term, Viewer(user)).results.hits}

    key = f"discussion:{board.pk}"
    assert key in found(demo["thierry"]) and key in found(demo["admin"])
    assert key not in found(demo["premium"]) and key not in found(demo["basic"])
