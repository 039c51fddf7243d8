"""Replies written at the same moment: each takes the next number, none is lost, the counters are exact, and
the same submission sent twice at once is one post. Real threads, each with its own database connection,
start at one barrier.

On PostgreSQL the thread's row lock (select_for_update) serialises the numbering; on SQLite (a file database,
as deployed) the IMMEDIATE transactions and the busy timeout do, and nobody meets "database is locked".

Only transactional tests here: see tests/config/test_concurrent_writes.py for why they get their own file.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from discussions import services
from discussions.models import Follow, Post, Space, Thread
from members.access import Viewer
from tests.factories.discussions import ClubSpaceFactory, start
from tests.factories.members import make_member

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 8


def at_once(jobs):
    """Run each job (a function of no argument) in its own thread, all released together; returns their
    results in the jobs' order and fails with whatever any of them raised."""
    barrier = threading.Barrier(len(jobs))
    results, failures = [None] * len(jobs), []

    def run(index, job):
        try:
            barrier.wait(timeout=30)
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - a failure in a thread must reach the test's thread
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"
    assert not failures, failures
    return results


@pytest.fixture
def space(club):
    return ClubSpaceFactory(title="Questions aux pairs", slug="questions-en-parallele")


@pytest.fixture
def opening(space):
    return start(make_member("basic", first_name="Ana", last_name="Auteur"), space, title="Quel ERP ?")


def assert_numbered_and_counted(thread_id, expected_posts):
    numbers = list(Post.objects.filter(thread_id=thread_id).order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, expected_posts + 1))
    thread = Thread.objects.get(pk=thread_id)
    assert thread.post_count == expected_posts
    space = Space.objects.get(pk=thread.space_id)
    assert space.post_count == Post.objects.filter(thread__space=space).count()
    assert space.thread_count == Thread.objects.filter(space=space).count()


def test_eight_members_replying_at_once_get_numbers_two_to_nine(opening):
    members = [make_member("basic") for _ in range(WRITERS)]

    def replier(user):
        def job():
            thread = Thread.objects.select_related("space").get(pk=opening.thread_id)
            return services.reply(Viewer(user), thread, source=f"Réponse de {user.pk}").number

        return job

    numbers = at_once([replier(user) for user in members])
    assert sorted(numbers) == list(range(2, WRITERS + 2))
    assert_numbered_and_counted(opening.thread_id, WRITERS + 1)
    assert Thread.objects.get(pk=opening.thread_id).last_author_id in {user.pk for user in members}
    assert Follow.objects.filter(thread_id=opening.thread_id).count() == WRITERS + 1


def test_eight_replies_posted_through_the_site_at_once_are_all_kept(opening):
    members = [make_member("basic") for _ in range(WRITERS)]
    url = reverse("discussions:reply", args=[opening.thread_id])

    def tab(user, n):
        def job():
            client = Client()
            client.force_login(user)
            return client.post(url, {"source": f"Réponse {n}", "submission_key": f"form-{n}"}).status_code

        return job

    statuses = at_once([tab(user, n) for n, user in enumerate(members)])
    assert statuses == [302] * WRITERS
    assert_numbered_and_counted(opening.thread_id, WRITERS + 1)


def test_one_member_writing_in_several_threads_at_once_keeps_every_count(space):
    author = make_member("premium")
    threads = [start(author, space, title=f"Sujet {n}").thread_id for n in range(4)]
    members = [make_member("basic") for _ in range(WRITERS)]

    def replier(user, thread_id):
        def job():
            thread = Thread.objects.select_related("space").get(pk=thread_id)
            return services.reply(Viewer(user), thread, source="Oui.").number

        return job

    at_once([replier(user, threads[n % len(threads)]) for n, user in enumerate(members)])
    for thread_id in threads:
        assert_numbered_and_counted(thread_id, 1 + WRITERS // len(threads))
    assert Space.objects.get(pk=space.pk).post_count == len(threads) + WRITERS


def test_the_same_reply_sent_twice_at_once_is_one_post(opening):
    member = make_member("basic")

    def send():
        thread = Thread.objects.select_related("space").get(pk=opening.thread_id)
        return services.reply(Viewer(member), thread, source="Double clic", submission_key="cle-unique").pk

    first, second = at_once([send, send])
    assert first == second
    assert Post.objects.filter(thread_id=opening.thread_id, author=member).count() == 1
    assert_numbered_and_counted(opening.thread_id, 2)


def test_the_same_new_thread_sent_twice_at_once_is_one_thread(space):
    member = make_member("basic")

    def send():
        return services.start_thread(
            Viewer(member), Space.objects.get(pk=space.pk), title="Double", source="Deux onglets", submission_key="k1"
        ).thread_id

    first, second = at_once([send, send])
    assert first == second
    assert Thread.objects.filter(space=space).count() == 1
    space.refresh_from_db()
    assert (space.thread_count, space.post_count) == (1, 1)


def test_a_double_submit_from_two_tabs_posts_once(opening):
    member = make_member("basic")
    url = reverse("discussions:reply", args=[opening.thread_id])

    def tab():
        client = Client()
        client.force_login(member)
        return client.post(url, {"source": "Envoyé deux fois", "submission_key": "onglets-1"}).status_code

    assert at_once([tab, tab]) == [302, 302]
    assert Post.objects.filter(thread_id=opening.thread_id, author=member).count() == 1
    assert_numbered_and_counted(opening.thread_id, 2)
