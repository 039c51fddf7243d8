"""The daily summary (`manage.py send_discussion_digest`): one e-mail per member with pending notifications,
grouped by thread, only what they may still read; a second run sends nothing; --dry-run changes nothing."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from discussions import services
from discussions.models import Follow, Notification
from members.models import Profile
from tests.factories.discussions import answer, start
from working_groups.models import GroupMembership

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("send_discussion_digest", *args, stdout=out)
    return out.getvalue()


def prefer(user, value):
    Profile.objects.filter(user=user).update(notify_discussions=value)


@pytest.fixture
def activity(people, spaces, django_capture_on_commit_callbacks):
    """`member` (daily) follows two threads, one in the club's space and one in the private group's, and
    is mentioned in a third; replies come in each."""
    member = people["member"]
    Profile.objects.update(notify_discussions="never")  # the others' summaries are not under test
    prefer(member, "daily")
    with django_capture_on_commit_callbacks(execute=True):
        club = start(member, spaces["club"], title="Sauvegardes <b>immuables</b>").thread
        board = start(member, spaces["private"], title="Budget du conseil").thread
        answer(people["premium"], club, text="Première réponse")
        answer(people["staff"], club, text="Deuxième réponse")
        answer(people["lead"], board, text="Réponse du conseil")
        mention = start(people["basic"], spaces["club"], title="Qui connaît ?",
                        text=f"@{services.handle_for(member)} une idée ?")
    mail.outbox.clear()
    return {"club": club, "board": board, "mention": mention.thread}


def test_one_email_lists_the_pending_posts_grouped_by_thread(people, activity):
    member = people["member"]
    assert Notification.objects.filter(user=member, sent_at__isnull=True).count() == 4

    output = run()

    (message,) = mail.outbox
    assert message.to == [member.email]
    body = message.body
    assert body.count("Sauvegardes <b>immuables</b>") == 1  # the thread once, its two replies under it
    assert body.index("Première réponse") < body.index("Deuxième réponse")
    assert body.index("Sauvegardes") < body.index("Première réponse")
    assert "Budget du conseil" in body and "Qui connaît ?" in body
    assert "Paul Premium" in body and "/discussions/messages/" in body
    html = message.alternatives[0][0]
    assert "Sauvegardes &lt;b&gt;immuables&lt;/b&gt;" in html and "<b>immuables" not in html
    assert not Notification.objects.filter(user=member, sent_at__isnull=True).exists()
    assert "1" in output


def test_a_second_run_sends_nothing(people, activity):
    run()
    mail.outbox.clear()
    run()
    assert not mail.outbox


def test_dry_run_sends_and_changes_nothing(people, activity):
    output = run("--dry-run")
    assert not mail.outbox
    assert Notification.objects.filter(user=people["member"], sent_at__isnull=True).count() == 4
    assert "1" in output and "4" in output


def test_threads_the_member_may_no_longer_read_are_left_out(people, spaces, activity):
    member = people["member"]
    GroupMembership.objects.filter(user=member, group_id=spaces["private"].group_id).delete()

    run()

    (message,) = mail.outbox
    assert "Budget du conseil" not in message.body and "Réponse du conseil" not in message.body
    assert not Notification.objects.filter(user=member, post__thread=activity["board"]).exists()


def test_hidden_or_deleted_posts_are_left_out(people, activity):
    post = activity["club"].posts.get(number=2)
    post.hidden_at = timezone.now()
    post.save(update_fields=["hidden_at"])

    run()

    assert "Première réponse" not in mail.outbox[0].body
    assert "Deuxième réponse" in mail.outbox[0].body


def test_a_member_now_on_immediate_still_gets_the_pending_ones_in_the_summary(people, activity):
    prefer(people["member"], "immediate")
    run()
    assert len(mail.outbox) == 1
    assert "Budget du conseil" in mail.outbox[0].body


def test_a_member_now_on_never_gets_nothing_and_the_rows_are_closed(people, activity):
    prefer(people["member"], "never")
    run()
    assert not mail.outbox
    assert not Notification.objects.filter(user=people["member"], sent_at__isnull=True).exists()


def test_an_expired_member_gets_no_summary(people, spaces, django_capture_on_commit_callbacks):
    expired = people["expired"]
    prefer(expired, "daily")
    thread = start(people["premium"], spaces["club"]).thread
    Follow.objects.create(user=expired, thread=thread, created_at=timezone.now())
    # As if they had been told while they were still a member.
    with django_capture_on_commit_callbacks(execute=True):
        reply = answer(people["premium"], thread)
    assert not Notification.objects.filter(user=expired).exists()  # the policy said no at once
    Notification.objects.create(user=expired, post=reply, reason="reply")

    run()

    assert not mail.outbox
    assert not Notification.objects.filter(user=expired).exists()


def test_each_thread_of_the_summary_has_its_unfollow_link(people, activity):
    run()
    assert mail.outbox[0].body.count("/discussions/ne-plus-suivre/") == 3
