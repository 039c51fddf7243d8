"""Who is told of a post: its mentioned members, the followers of its thread (a reply) or of its space (a new
thread), never its author, and only whoever the policy lets read the space when the task runs. Each
person's preference decides: an e-mail at once, a row kept for the daily summary, or a row and no e-mail."""

import pytest
from django.core import mail
from django.utils import timezone

from discussions import notifications, services
from discussions.models import Follow, Mention, Notification
from members.access import Viewer
from members.models import Profile
from tests.factories.discussions import answer, start
from tests.factories.working_groups import GroupMembershipFactory
from working_groups.models import GroupMembership

pytestmark = pytest.mark.django_db

OTHERS = ["basic", "premium", "expired", "unsigned", "member", "outsider", "editor", "staff"]
READERS = {
    "club": {"basic", "premium", "member", "outsider", "editor", "staff"},
    "thematic": {"basic", "premium", "member", "outsider", "editor", "staff"},
    "cluster": {"premium", "member", "outsider", "staff"},
    "private": {"member", "staff"},
}


def prefer(user, value):
    Profile.objects.filter(user=user).update(notify_discussions=value)


def everyone_immediate(people):
    for user in people.values():
        if user is not None:
            prefer(user, "immediate")


def names_of(people, user_ids):
    by_pk = {user.pk: name for name, user in people.items() if user is not None}
    return {by_pk[pk] for pk in user_ids}


def recipients(people):
    by_email = {user.email: name for name, user in people.items() if user is not None}
    return {by_email[address] for message in mail.outbox for address in message.to}


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a write and the tasks it leaves for after the commit."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.mark.parametrize("kind", ["club", "thematic", "cluster", "private"])
def test_only_members_who_may_read_the_space_are_mentioned_and_told(people, spaces, commit, kind):
    everyone_immediate(people)
    text = "Votre avis ? " + " ".join("@" + services.handle_for(people[name]) for name in OTHERS)

    post = commit(start, people["lead"], spaces[kind], title="Qui lit ici ?", text=text)

    mentioned = names_of(people, Mention.objects.filter(post=post).values_list("user_id", flat=True))
    told = names_of(people, Notification.objects.filter(post=post).values_list("user_id", flat=True))
    assert mentioned == READERS[kind]
    assert told == READERS[kind]
    assert recipients(people) == READERS[kind]
    assert set(Notification.objects.filter(post=post).values_list("reason", flat=True)) == {"mention"}


@pytest.mark.parametrize("kind", ["club", "cluster", "private"])
def test_space_followers_hear_of_new_threads_only_while_they_may_read(people, spaces, commit, kind):
    everyone_immediate(people)
    # Rows as if each had followed while they could; some have lost access since (expired, left, basic).
    for name in OTHERS:
        Follow.objects.create(user=people[name], space=spaces[kind])

    post = commit(start, people["lead"], spaces[kind], title="Nouveau sujet")

    rows = Notification.objects.filter(post=post)
    assert names_of(people, rows.values_list("user_id", flat=True)) == READERS[kind]
    assert set(rows.values_list("reason", flat=True)) == {"thread"}
    assert recipients(people) == READERS[kind]


def test_a_follower_who_left_the_private_group_gets_nothing(people, spaces, commit):
    everyone_immediate(people)
    private = spaces["private"]
    opening = start(people["lead"], private, title="Budget du conseil")
    commit(answer, people["member"], opening.thread, text="Je suis.")
    GroupMembership.objects.filter(user=people["member"], group_id=private.group_id).delete()
    mail.outbox.clear()

    reply = commit(answer, people["lead"], opening.thread, text="Suite confidentielle.")

    assert not Notification.objects.filter(post=reply, user=people["member"]).exists()
    assert people["member"].email not in [address for message in mail.outbox for address in message.to]


def test_a_reply_tells_the_thread_followers_but_not_its_author(people, spaces, commit):
    everyone_immediate(people)
    opening = commit(start, people["premium"], spaces["club"], title="Une question")
    commit(answer, people["basic"], opening.thread)
    mail.outbox.clear()

    reply = commit(answer, people["premium"], opening.thread, text="Merci !")

    rows = Notification.objects.filter(post=reply)
    assert names_of(people, rows.values_list("user_id", flat=True)) == {"basic"}
    assert rows.get().reason == "reply"
    assert recipients(people) == {"basic"}


def test_a_mention_wins_over_a_follow_and_each_person_is_told_once(people, spaces, commit):
    everyone_immediate(people)
    opening = commit(start, people["premium"], spaces["club"])
    commit(answer, people["basic"], opening.thread)
    mail.outbox.clear()

    reply = commit(answer, people["premium"], opening.thread, text=f"@{services.handle_for(people['basic'])} voilà")

    assert Notification.objects.get(post=reply, user=people["basic"]).reason == "mention"
    assert len(mail.outbox) == 1


def test_preferences_immediate_daily_never(people, spaces, commit):
    prefer(people["basic"], "immediate")
    prefer(people["premium"], "daily")
    prefer(people["outsider"], "never")
    handles = " ".join("@" + services.handle_for(people[n]) for n in ("basic", "premium", "outsider"))

    post = commit(start, people["lead"], spaces["club"], text=handles)

    rows = {row.user_id: row for row in Notification.objects.filter(post=post)}
    assert rows[people["basic"].pk].sent_at is not None
    assert rows[people["premium"].pk].sent_at is None  # waits for the daily summary
    assert rows[people["outsider"].pk].sent_at is not None  # recorded, never sent
    assert recipients(people) == {"basic"}


def test_an_edit_tells_only_the_newly_mentioned(people, spaces, commit):
    everyone_immediate(people)
    basic, premium = services.handle_for(people["basic"]), services.handle_for(people["premium"])
    post = commit(start, people["lead"], spaces["club"], text=f"@{basic} bonjour")
    assert recipients(people) == {"basic"}
    mail.outbox.clear()

    commit(services.edit_post, Viewer(people["lead"]), post, source=f"@{basic} et @{premium} bonjour")

    assert recipients(people) == {"premium"}
    assert Notification.objects.filter(post=post).count() == 2
    notifications.post_written(post.pk)  # run again: nobody told twice
    assert len(mail.outbox) == 1


def test_a_post_deleted_before_the_task_runs_tells_nobody(people, spaces):
    everyone_immediate(people)
    post = start(people["lead"], spaces["club"], text=f"@{services.handle_for(people['basic'])} bonjour")
    post.deleted_at = timezone.now()
    post.save(update_fields=["deleted_at"])

    assert notifications.post_written(post.pk) == []
    assert not mail.outbox
    assert notifications.post_written(10**9) == []  # gone altogether


def test_inactive_and_anonymised_members_are_not_told(people, spaces, commit):
    everyone_immediate(people)
    for name in ("basic", "premium"):
        Follow.objects.create(user=people[name], space=spaces["club"])
    people["basic"].is_active = False
    people["basic"].save(update_fields=["is_active"])
    Profile.objects.filter(user=people["premium"]).update(anonymised_at=timezone.now())

    post = commit(start, people["lead"], spaces["club"])

    assert not Notification.objects.filter(post=post).exists()
    assert not mail.outbox


HOSTILE_TITLE = '<script>alert("t")</script> & "Sécurité"'
HOSTILE_TEXT = 'Attention <img src=x onerror=alert(1)> & <b>gras</b> "cité"'


def test_emails_carry_hostile_text_literally_in_plain_text_and_escaped_in_html(people, spaces, commit):
    prefer(people["basic"], "immediate")
    Follow.objects.create(user=people["basic"], space=spaces["club"])

    post = commit(start, people["lead"], spaces["club"], title=HOSTILE_TITLE, text=HOSTILE_TEXT)

    (message,) = mail.outbox
    assert HOSTILE_TITLE in message.subject
    assert HOSTILE_TITLE in message.body
    assert "<img src=x onerror=alert(1)>" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert f"/discussions/messages/{post.pk}/" in message.body
    assert post.author.email not in message.body  # a person is named, never by their login


def test_an_email_names_the_author_the_space_and_links_to_unfollow(people, spaces, commit):
    prefer(people["basic"], "immediate")
    opening = start(people["premium"], spaces["club"], title="Sauvegardes")
    Follow.objects.create(user=people["basic"], thread=opening.thread, created_at=timezone.now())
    long_text = "mot " * 1000

    reply = commit(answer, people["premium"], opening.thread, text=long_text)

    (message,) = mail.outbox
    assert "[Cercle]" in message.subject and "Sauvegardes" in message.subject
    assert "Paul Premium" in message.body and spaces["club"].title in message.body
    assert f"/discussions/messages/{reply.pk}/" in message.body
    assert message.body.count("mot") < 400  # the excerpt is cut (~1,500 characters)
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/discussions/ne-plus-suivre/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in message.body


def test_the_solution_is_told_to_the_replys_author_unless_they_marked_it(people, spaces, commit):
    everyone_immediate(people)
    question = start(people["premium"], spaces["club"], title="Quel outil ?", is_question=True)
    reply = answer(people["basic"], question.thread)
    mail.outbox.clear()

    commit(services.mark_solution, Viewer(people["premium"]), reply)

    assert Notification.objects.get(post=reply, user=people["basic"]).reason == "solved"
    assert recipients(people) == {"basic"}
    notifications.solution_marked(reply.pk, people["premium"].pk)  # marked again: told once
    assert len(mail.outbox) == 1
    own = answer(people["premium"], question.thread)
    assert notifications.solution_marked(own.pk, people["premium"].pk) is None


def test_a_hidden_post_is_told_to_its_author_whatever_their_preference(people, spaces):
    prefer(people["basic"], "never")
    post = answer(people["basic"], start(people["premium"], spaces["club"]).thread, text="Mon message")
    post.hidden_at, post.hidden_by, post.hidden_reason = timezone.now(), people["staff"], "Hors sujet <b>"
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    mail.outbox.clear()

    notifications.post_hidden(post.pk)

    (message,) = mail.outbox
    assert message.to == [people["basic"].email]
    assert "Hors sujet <b>" in message.body
    assert "Hors sujet &lt;b&gt;" in message.alternatives[0][0]
    assert "List-Unsubscribe" not in message.extra_headers
    assert Notification.objects.get(post=post, user=people["basic"]).reason == "hidden"
    notifications.post_hidden(post.pk)  # the same hiding: told once
    assert len(mail.outbox) == 1


def test_a_group_member_joining_later_is_told_in_the_private_space(people, spaces, commit):
    everyone_immediate(people)
    newcomer = people["outsider"]
    GroupMembershipFactory(group=spaces["private"].group, user=newcomer)
    text = f"@{services.handle_for(newcomer)} bienvenue"

    post = commit(start, people["lead"], spaces["private"], text=text)

    assert Notification.objects.filter(post=post, user=newcomer).exists()
    assert recipients(people) == {"outsider"}
