"""Following threads and spaces: a POST toggles (for whoever may read), GET is refused; "what I follow" lists
what the member may still read; the e-mails' one-click unfollow link changes nothing on GET, unfollows on
POST (even without a CSRF token, RFC 8058), and answers a forged or expired link with a polite 400."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from discussions import notifications
from discussions.models import Follow
from tests.factories.discussions import start
from working_groups.models import GroupMembership

pytestmark = pytest.mark.django_db


def follow_url(target):
    if hasattr(target, "slug"):
        return reverse("discussions:follow_space", args=[target.slug])
    return reverse("discussions:follow_thread", args=[target.pk])


def unfollow_link(user, **target):
    return reverse("discussions:unfollow_token", args=[notifications.unfollow_token(user, **target)])


# --- The follow buttons --------------------------------------------------------------------------------


def test_a_member_follows_and_unfollows_a_thread_and_a_space(client, people, spaces):
    thread = start(people["premium"], spaces["club"]).thread
    client.force_login(people["basic"])
    for target, field in ((thread, "thread"), (spaces["club"], "space")):
        response = client.post(follow_url(target), {"action": "follow", "next": "/discussions/"})
        assert response.status_code == 302 and response["Location"] == "/discussions/"
        assert Follow.objects.filter(user=people["basic"], **{field: target}).exists()
        client.post(follow_url(target), {"action": "unfollow"})
        assert not Follow.objects.filter(user=people["basic"], **{field: target}).exists()


def test_get_is_refused_and_an_unsafe_next_is_ignored(client, people, spaces):
    thread = start(people["premium"], spaces["club"]).thread
    client.force_login(people["basic"])
    assert client.get(follow_url(thread)).status_code == 405
    assert client.get(follow_url(spaces["club"])).status_code == 405
    response = client.post(follow_url(thread), {"action": "follow", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    assert client.post(follow_url(thread), {"action": "dance"}).status_code == 400


@pytest.mark.parametrize(
    "name, kind, status",
    [
        ("outsider", "private", 404),
        ("basic", "private", 404),
        ("basic", "cluster", 403),
        ("expired", "club", 403),
        ("member", "private", 302),
        ("staff", "private", 302),
    ],
)
def test_only_readers_may_follow(client, people, spaces, name, kind, status):
    thread = start(people["lead"], spaces[kind]).thread
    client.force_login(people[name])
    for target in (thread, spaces[kind]):
        assert client.post(follow_url(target), {"action": "follow"}).status_code == status
    assert Follow.objects.filter(user=people[name]).exists() == (status == 302)


def test_anonymous_visitors_are_sent_to_log_in(client, people, spaces):
    response = client.post(follow_url(spaces["club"]), {"action": "follow"})
    assert response.status_code == 302 and "next=" in response["Location"]
    assert not Follow.objects.exists()


def test_what_i_follow_lists_only_what_the_member_may_still_read(client, people, spaces):
    member = people["member"]
    club_thread = start(people["lead"], spaces["club"], title="Sujet du club").thread
    board_thread = start(people["lead"], spaces["private"], title="Sujet du conseil").thread
    for target in (club_thread, board_thread):
        Follow.objects.create(user=member, thread=target)
    Follow.objects.create(user=member, space=spaces["private"])
    client.force_login(member)

    html = client.get(reverse("discussions:following")).content.decode()
    assert f'data-testid="following-thread-{board_thread.pk}"' in html
    assert f'data-testid="following-space-{spaces["private"].pk}"' in html
    assert 'data-testid="follow-thread"' in html and 'data-testid="following-preference"' in html

    GroupMembership.objects.filter(user=member, group_id=spaces["private"].group_id).delete()
    response = client.get(reverse("discussions:following"))
    html = response.content.decode()
    assert f'data-testid="following-thread-{club_thread.pk}"' in html
    assert "Sujet du conseil" not in html and f"following-space-{spaces['private'].pk}" not in html
    assert "no-store" in response["Cache-Control"]


def test_what_i_follow_asks_visitors_to_log_in(client):
    response = client.get(reverse("discussions:following"))
    assert response.status_code == 302


# --- The one-click unfollow link ------------------------------------------------------------------------


def test_opening_the_link_changes_nothing_and_the_button_unfollows(client, people, spaces):
    thread = start(people["basic"], spaces["club"], title="Mon sujet").thread  # its author follows it
    url = unfollow_link(people["basic"], thread=thread)

    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-state="confirm"' in html and 'data-testid="unfollow-confirm"' in html
    article = html.split('data-testid="unfollow"')[1].split("</article>")[0]
    assert article.count("<button") == 1  # one button, no other action
    assert "Mon sujet" in html
    assert Follow.objects.filter(user=people["basic"], thread=thread).exists()

    response = client.post(url)
    assert response.status_code == 200 and 'data-state="done"' in response.content.decode()
    assert not Follow.objects.filter(user=people["basic"], thread=thread).exists()
    assert 'data-state="not_following"' in client.get(url).content.decode()


def test_one_click_post_without_csrf_token_unfollows_a_space(people, spaces):
    Follow.objects.create(user=people["basic"], space=spaces["club"])
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        unfollow_link(people["basic"], space=spaces["club"]), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert not Follow.objects.filter(user=people["basic"], space=spaces["club"]).exists()


def test_the_link_does_not_name_a_thread_its_holder_may_no_longer_read(client, people, spaces):
    member = people["member"]
    thread = start(member, spaces["private"], title="Rachat confidentiel").thread
    url = unfollow_link(member, thread=thread)
    GroupMembership.objects.filter(user=member, group_id=spaces["private"].group_id).delete()

    html = client.get(url).content.decode()
    assert "Rachat confidentiel" not in html and 'data-state="confirm"' in html
    html = client.post(url).content.decode()
    assert "Rachat confidentiel" not in html
    assert not Follow.objects.filter(user=member, thread=thread).exists()


@pytest.mark.parametrize(
    "token",
    [
        "nimporte-quoi",
        "a" * 300,
        "eyJhIjoxfQ:1abc:forged",
        "%00",
    ],
)
def test_forged_or_malformed_links_get_a_polite_400(client, token):
    response = client.get(f"/discussions/ne-plus-suivre/{token}/")
    assert response.status_code == 400
    assert 'data-testid="unfollow-invalid"' in response.content.decode()
    assert client.post(f"/discussions/ne-plus-suivre/{token}/").status_code == 400


def test_a_token_signed_for_another_purpose_or_shape_is_refused(client, people, spaces):
    from django.core import signing

    thread = start(people["basic"], spaces["club"]).thread
    for value, salt in (
        ([people["basic"].pk, "thread", thread.pk], "another.salt"),
        ([people["basic"].pk, "page", thread.pk], notifications.UNFOLLOW_SALT),
        ({"user": people["basic"].pk}, notifications.UNFOLLOW_SALT),
        ([people["basic"].pk, "thread", 10**9], notifications.UNFOLLOW_SALT),  # gone
    ):
        token = signing.dumps(value, salt=salt)
        assert client.post(reverse("discussions:unfollow_token", args=[token])).status_code == 400
    assert Follow.objects.filter(user=people["basic"], thread=thread).exists()


def test_an_expired_link_gets_a_polite_400(client, people, spaces):
    thread = start(people["basic"], spaces["club"]).thread
    with time_machine.travel(datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=91)):
        url = unfollow_link(people["basic"], thread=thread)
    response = client.post(url)
    assert response.status_code == 400
    assert 'data-state="expired"' in response.content.decode()
    assert Follow.objects.filter(user=people["basic"], thread=thread).exists()


def test_the_link_answers_405_to_other_methods(client, people, spaces):
    thread = start(people["basic"], spaces["club"]).thread
    assert client.put(unfollow_link(people["basic"], thread=thread)).status_code == 405
