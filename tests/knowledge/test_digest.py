"""The weekly digest of the technology watch: each opted-in member gets the week's articles as the access
policy lets them read them (full summary and the editors' view, or a teaser and an invitation to upgrade),
never the body; nobody gets a week twice; one click unsubscribes, without logging in.

Articles are published on the Wednesday of a week (time-machine) and the digest runs the Monday after.
"""

import datetime
import io
import re
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail, signing
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from knowledge.digest import (
    last_complete_week,
    send_digest,
    send_digest_task,
    unsubscribe_token,
    unsubscribe_url,
    user_for_token,
    week_start_of,
)
from knowledge.models import DigestIssue, DigestReceipt
from members.models import Profile
from members.services import absolute_url
from tests.factories.knowledge import BODY_MARKER, COMMENTARY_MARKER, SUMMARY_MARKER, make_article
from tests.factories.members import ProfileFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
WEEK = datetime.date(2025, 3, 3)  # a Monday
PUBLISHED = datetime.datetime(2025, 3, 5, 10, 0, tzinfo=BRUSSELS)  # its Wednesday
NEXT_MONDAY = datetime.datetime(2025, 3, 10, 7, 0, tzinfo=BRUSSELS)  # when cron sends the digest

SAMPLE_COMMENTARY = "AVIS-ECHANTILLON-GRATUIT"
SUMMARY_TAIL = "SUITE-DU-RESUME-PREMIUM"
LONG_SUMMARY = f"{SUMMARY_MARKER} " + " ".join(f"mot{n}" for n in range(40)) + f" {SUMMARY_TAIL}"
UNSUBSCRIBE_LINK = re.compile(r"https?://[^\s<>\"]+/lettre-veille/desabonnement/[^\s<>\"/]+/")


@pytest.fixture(autouse=True)
def clock():
    """Every test starts on the Wednesday the articles are published; `clock.move_to` goes elsewhere."""
    with time_machine.travel(PUBLISHED, tick=False) as traveller:
        yield traveller


@pytest.fixture
def week(watch_index):
    """A premium article (long summary, topics) and a free sample, published during WEEK."""
    return {
        "premium": make_article(
            watch_index, audience="premium", title="Le cloud souverain", summary=LONG_SUMMARY, topics=["cloud"]
        ),
        "sample": make_article(
            watch_index,
            audience="members",
            title="Échantillon gratuit",
            commentary=f"<p>Notre avis. {SAMPLE_COMMENTARY}</p>",
        ),
    }


def run_next_monday(clock, **kwargs):
    clock.move_to(NEXT_MONDAY)
    return send_digest(**kwargs)


def digest_for(user):
    """The one digest e-mail sent to this person, or None."""
    messages = [message for message in mail.outbox if message.to == [user.email]]
    assert len(messages) <= 1, "a person got the same digest twice"
    return messages[0] if messages else None


def parts(message):
    """(text, html) of a digest e-mail."""
    assert len(message.alternatives) == 1
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    return message.body, html


def whole(message):
    text, html = parts(message)
    return text + "\n" + html


class _TagBalance(HTMLParser):
    VOID = {"meta", "br", "img", "hr", "input", "link"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def assert_well_formed(html):
    assert html.lstrip().lower().startswith("<!doctype html>")
    checker = _TagBalance()
    checker.feed(html)
    assert checker.errors == [] and checker.stack == []


# ---------------------------------------------------------------------------------------------
# What each person gets
# ---------------------------------------------------------------------------------------------


def test_a_premium_member_gets_full_summaries_and_the_editors_view_never_the_body(clock, week, viewers):
    run_next_monday(clock)
    message = digest_for(viewers["premium"])
    content = whole(message)
    assert LONG_SUMMARY in content and SUMMARY_TAIL in content  # the whole summary, not a teaser
    assert COMMENTARY_MARKER in content and SAMPLE_COMMENTARY in content
    assert "cloud" in content  # the topics
    assert "Gartner" in content  # the source
    assert week["premium"].url in content and week["sample"].url in content
    assert BODY_MARKER not in content
    assert "premium tier" not in content  # nothing to upgrade to


def test_a_basic_member_gets_a_teaser_of_premium_articles_and_an_invitation_to_upgrade(clock, week, viewers):
    run_next_monday(clock)
    content = whole(digest_for(viewers["basic"]))
    assert "Le cloud souverain" in content
    assert SUMMARY_MARKER in content and "mot20" in content  # the beginning of the summary...
    assert SUMMARY_TAIL not in content and "mot35" not in content  # ...cut after about thirty words
    assert COMMENTARY_MARKER not in content
    assert BODY_MARKER not in content
    assert "[Premium]" in content  # the premium mark, in the text part
    assert week["premium"].url in content  # the link to the teaser page
    assert "article en entier avec la formule premium" in content
    # The invitation's button is the member's one-click request to the secretariat.
    assert absolute_url(reverse("members:membership_request") + "?kind=upgrade") in content


def test_a_free_sample_is_read_in_full_by_a_basic_member(clock, week, viewers):
    run_next_monday(clock)
    content = whole(digest_for(viewers["basic"]))
    assert SAMPLE_COMMENTARY in content
    assert BODY_MARKER not in content  # even a free sample's body stays on the site


def test_a_week_of_free_samples_only_invites_nobody_to_upgrade(clock, watch_index, viewers):
    make_article(watch_index, audience="members", title="Échantillon seul")
    run_next_monday(clock)
    content = whole(digest_for(viewers["basic"]))
    assert COMMENTARY_MARKER in content
    assert "article en entier avec la formule premium" not in content


@pytest.mark.parametrize("kind", ["staff", "editor", "contributor"])
def test_staff_and_the_watchs_editors_read_the_digest_in_full_whatever_their_tier(clock, week, viewers, kind):
    # A basic-tier editor or contributor edits the watch, and the policy lets whoever edits a page read it.
    run_next_monday(clock)
    content = whole(digest_for(viewers[kind]))
    assert COMMENTARY_MARKER in content and SUMMARY_TAIL in content
    assert BODY_MARKER not in content
    assert "article en entier avec la formule premium" not in content


def test_people_the_policy_does_not_count_as_members_get_nothing(clock, week, viewers):
    opted_out = make_member("premium")
    Profile.objects.filter(user=opted_out).update(notify_digest=False)
    inactive = make_member("premium", is_active=False)
    no_address = make_member("premium", email="")
    never_member = ProfileFactory(user=UserFactory()).user

    result = run_next_monday(clock)
    for person in (viewers["expired"], viewers["unsigned"], opted_out, inactive, no_address, never_member):
        assert digest_for(person) is None
    recipients = {message.to[0] for message in mail.outbox}
    expected = {viewers[kind].email for kind in ("basic", "premium", "editor", "contributor", "staff")}
    assert recipients == expected
    assert result.sent == len(expected)
    assert result.not_members == 3  # expired, unsigned, never a member (opted in by default)


def test_every_digest_is_multipart_text_and_html_in_french(clock, week, viewers):
    run_next_monday(clock)
    message = digest_for(viewers["basic"])
    text, html = parts(message)
    assert "Le cloud souverain" in text and "Le cloud souverain" in html
    assert "<" not in text.replace("<http", "")  # plain text, no markup
    assert_well_formed(html)
    assert '<html lang="fr">' in html
    assert "3 mars 2025" in message.subject  # dates in French: the sending runs in the club's language
    assert "/en/" not in text + html


def test_the_editors_view_keeps_its_links_absolute_in_the_email(clock, watch_index, viewers, home_page):
    make_article(
        watch_index,
        audience="members",
        commentary=f'<p>Voir <a linktype="page" id="{home_page.pk}">l\'accueil</a>. {SAMPLE_COMMENTARY}</p>',
    )
    run_next_monday(clock)
    text, html = parts(digest_for(viewers["basic"]))
    assert f'href="{absolute_url("/")}' in html
    assert f"l'accueil ({absolute_url('/')})" in text


def test_the_upgrade_invitation_also_gives_the_secretariats_address(clock, week, viewers, home_page):
    from wagtail.models import Site

    from home.models import ClubSettings
    from tests.factories.home import StandardPageFactory

    contact = StandardPageFactory(parent=home_page, title="Contact", slug="contact")
    club = ClubSettings.for_site(Site.objects.get(is_default_site=True))
    club.contact_page, club.contact_email = contact, "secretariat@cercle.example"
    club.save()
    run_next_monday(clock)
    content = whole(digest_for(viewers["basic"]))
    assert absolute_url(reverse("members:membership_request") + "?kind=upgrade") in content
    assert "secretariat@cercle.example" in content


def test_the_digest_holds_the_weeks_live_articles_featured_first_then_newest(clock, watch_index, viewers):
    clock.move_to(datetime.datetime(2025, 3, 2, 23, 30, tzinfo=BRUSSELS))  # Sunday of the week before
    make_article(watch_index, title="Semaine précédente")
    clock.move_to(datetime.datetime(2025, 3, 3, 0, 30, tzinfo=BRUSSELS))  # Monday 00:30, Brussels time
    make_article(watch_index, title="Lundi matin")
    clock.move_to(datetime.datetime(2025, 3, 5, 9, 0, tzinfo=BRUSSELS))
    make_article(watch_index, title="Mis en avant", featured=True)
    withdrawn = make_article(watch_index, title="Retiré")
    withdrawn.unpublish()
    clock.move_to(datetime.datetime(2025, 3, 9, 23, 30, tzinfo=BRUSSELS))  # Sunday 23:30: still the week
    make_article(watch_index, title="Dimanche soir")
    clock.move_to(datetime.datetime(2025, 3, 10, 0, 30, tzinfo=BRUSSELS))  # Monday 00:30: the next week
    make_article(watch_index, title="Semaine suivante")

    result = run_next_monday(clock)
    assert result.article_count == 3
    text, _html = parts(digest_for(viewers["premium"]))
    titles = re.findall(r"^\d+\. (.+?)(?: \[Premium\])?$", text, flags=re.M)
    assert titles == ["Mis en avant", "Dimanche soir", "Lundi matin"]


# ---------------------------------------------------------------------------------------------
# Once a week, and only once
# ---------------------------------------------------------------------------------------------


def test_running_twice_sends_once(clock, week, viewers):
    first = run_next_monday(clock)
    sent = len(mail.outbox)
    assert first.sent == sent > 0
    second = send_digest()
    assert len(mail.outbox) == sent
    assert second.already_finished and second.sent == 0
    issue = DigestIssue.objects.get(week_start=WEEK)
    assert issue.finished_at is not None and issue.article_count == 2
    assert DigestReceipt.objects.filter(issue=issue).count() == sent


def test_a_run_after_an_interruption_sends_only_to_those_still_waiting(clock, week, viewers):
    issue = DigestIssue.objects.create(week_start=WEEK)  # a run that stopped after one e-mail
    DigestReceipt.objects.create(issue=issue, user=viewers["premium"], tier="premium")
    result = run_next_monday(clock)
    assert digest_for(viewers["premium"]) is None
    assert digest_for(viewers["basic"]) is not None
    assert result.already_received == 1
    issue.refresh_from_db()
    assert issue.finished_at is not None


def test_receipts_record_the_tier_each_person_had(clock, week, viewers):
    run_next_monday(clock)
    tiers = dict(DigestReceipt.objects.values_list("user_id", "tier"))
    assert tiers[viewers["basic"].pk] == "basic" and tiers[viewers["premium"].pk] == "premium"


def test_a_week_without_articles_sends_nothing(clock, watch_index, viewers):
    clock.move_to(datetime.datetime(2025, 2, 26, 10, 0, tzinfo=BRUSSELS))
    make_article(watch_index, title="Semaine d'avant")
    result = run_next_monday(clock)
    assert result.article_count == 0 and result.status == "empty"
    assert mail.outbox == []
    assert not DigestIssue.objects.exists()


def test_the_default_week_is_the_last_complete_one():
    assert last_complete_week(datetime.date(2025, 3, 10)) == WEEK  # Monday: the week just ended
    assert last_complete_week(datetime.date(2025, 3, 9)) == datetime.date(2025, 2, 24)  # Sunday: not over yet
    assert week_start_of(datetime.date(2025, 3, 9)) == WEEK


def test_a_week_may_be_named_by_any_of_its_days(clock, week, viewers):
    clock.move_to(datetime.datetime(2025, 3, 20, 7, 0, tzinfo=BRUSSELS))  # two weeks later
    assert send_digest().article_count == 0  # the last complete week is empty
    result = send_digest(datetime.date(2025, 3, 6))  # a Thursday
    assert result.week_start == WEEK and result.sent == 5


def test_the_task_sends_the_same_digest(clock, week, viewers):
    clock.move_to(NEXT_MONDAY)
    outcome = send_digest_task.enqueue()
    assert outcome.return_value["sent"] == 5
    assert outcome.return_value["week_start"] == WEEK.isoformat()
    again = send_digest_task.enqueue(week="2025-03-05")
    assert again.return_value["status"] == "already_sent"
    assert len(mail.outbox) == 5


# ---------------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------------


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("send_techwatch_digest", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_reports_what_it_sent_then_that_there_is_nothing_left(clock, week, viewers):
    clock.move_to(NEXT_MONDAY)
    out, _err = command()
    assert "2 article(s)" in out
    assert "5 e-mail(s) sent (1 with teasers" in out
    assert "2 subscriber(s) without a valid membership" in out  # expired, unsigned
    out, _err = command()
    assert "already sent" in out
    assert len(mail.outbox) == 5


def test_the_command_says_when_the_week_had_no_article(clock, watch_index, viewers):
    clock.move_to(NEXT_MONDAY)
    out, _err = command()
    assert "No article was published" in out
    assert mail.outbox == []


def test_the_command_takes_a_week_and_warns_when_it_is_not_over(clock, week, viewers):
    out, err = command("--week", "2025-03-04")  # still Wednesday of that week
    assert "is not over" in err
    assert "5 e-mail(s) sent" in out


def test_the_command_refuses_a_malformed_week():
    with pytest.raises(CommandError):
        command("--week", "mars")


# ---------------------------------------------------------------------------------------------
# Unsubscribing
# ---------------------------------------------------------------------------------------------


def link_in(message):
    text, html = parts(message)
    found = UNSUBSCRIBE_LINK.findall(text)
    assert found and found[0] in html
    return found[0]


def path_of(url):
    return url.removeprefix(absolute_url(""))


def test_every_digest_carries_one_click_unsubscribe_headers(clock, week, viewers):
    run_next_monday(clock)
    message = digest_for(viewers["basic"])
    url = link_in(message)
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert user_for_token(url.rstrip("/").rsplit("/", 1)[1]) == viewers["basic"]


def test_the_link_asks_and_its_button_unsubscribes_without_logging_in(clock, week, viewers, client):
    member = viewers["premium"]
    run_next_monday(clock)
    path = path_of(link_in(digest_for(member)))
    asked = client.get(path)
    assert asked.status_code == 200
    assert asked.context["state"] == "confirm"
    assert Profile.objects.get(user=member).notify_digest is True  # opening the link changes nothing
    response = client.post(path, {"action": "unsubscribe"})
    assert response.status_code == 200
    assert response.context["state"] == "unsubscribed"
    assert 'name="action" value="resubscribe"' in response.content.decode()
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert Profile.objects.get(user=member).notify_digest is False
    from wagtail.models import ModelLogEntry

    assert ModelLogEntry.objects.filter(action="cercle.digest.unsubscribe", user=member).count() == 1
    client.post(path, {"action": "unsubscribe"})  # a second click changes nothing, logs nothing
    assert ModelLogEntry.objects.filter(action="cercle.digest.unsubscribe", user=member).count() == 1

    # The following week, nothing comes.
    mail.outbox.clear()
    clock.move_to(datetime.datetime(2025, 3, 12, 10, 0, tzinfo=BRUSSELS))
    make_article(week["premium"].get_parent(), title="La semaine suivante")
    clock.move_to(datetime.datetime(2025, 3, 17, 7, 0, tzinfo=BRUSSELS))
    send_digest()
    assert digest_for(member) is None and digest_for(viewers["basic"]) is not None


def test_a_mail_clients_one_click_post_unsubscribes_without_a_csrf_token(viewers):
    member = viewers["basic"]
    client = Client(enforce_csrf_checks=True)
    response = client.post(path_of(unsubscribe_url(member)), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Profile.objects.get(user=member).notify_digest is False


def test_the_page_subscribes_again_in_one_click(viewers):
    member = viewers["basic"]
    client = Client(enforce_csrf_checks=True)
    path = path_of(unsubscribe_url(member))
    page = client.post(path, {"action": "unsubscribe"})
    assert Profile.objects.get(user=member).notify_digest is False
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(path, {"action": "resubscribe", "csrfmiddlewaretoken": csrf})
    assert response.status_code == 200
    assert response.context["state"] == "resubscribed"
    assert Profile.objects.get(user=member).notify_digest is True


def test_resubscribing_is_protected_against_cross_site_requests(viewers):
    member = viewers["basic"]
    Profile.objects.filter(user=member).update(notify_digest=False)
    response = Client(enforce_csrf_checks=True).post(path_of(unsubscribe_url(member)), {"action": "resubscribe"})
    assert response.status_code == 403
    assert Profile.objects.get(user=member).notify_digest is False


def test_a_link_works_for_two_months_then_says_it_expired(clock, viewers, client):
    member = viewers["basic"]
    url = unsubscribe_url(member)
    clock.move_to(PUBLISHED + datetime.timedelta(days=59))
    assert client.post(path_of(url), {"action": "unsubscribe"}).status_code == 200
    assert Profile.objects.get(user=member).notify_digest is False
    Profile.objects.filter(user=member).update(notify_digest=True)
    clock.move_to(PUBLISHED + datetime.timedelta(days=61))
    response = client.post(path_of(url), {"action": "unsubscribe"})
    assert response.status_code == 410
    assert response.context["state"] == "expired"
    assert Profile.objects.get(user=member).notify_digest is True


def forged_tokens(user):
    token = unsubscribe_token(user)
    value, signature = token.rsplit(":", 1)
    other = make_member("basic")
    return [
        "n-importe-quoi",
        token[:-4],  # cut
        f"{value}:{signature[::-1]}",  # tampered signature
        unsubscribe_token(other).rsplit(":", 1)[0] + ":" + signature,  # another person's id, this signature
        signing.dumps(user.pk),  # signed, but not for this purpose
        signing.dumps("x", salt="cercle.knowledge.digest.unsubscribe"),  # the right salt, but not an id
    ]


def test_a_forged_or_cut_link_gets_a_polite_refusal_and_changes_nothing(viewers, client):
    member = viewers["basic"]
    for token in forged_tokens(member):
        for method in (client.get, client.post):
            response = method(f"/lettre-veille/desabonnement/{token}/")
            assert response.status_code in (400, 404), token
            assert "Ce lien de désabonnement" in response.content.decode()
            assert "no-store" in response["Cache-Control"]
    assert set(Profile.objects.values_list("notify_digest", flat=True)) == {True}


def test_a_link_for_an_account_that_no_longer_exists_is_refused(viewers, client):
    member = make_member("basic")
    path = path_of(unsubscribe_url(member))
    member.delete()
    assert client.get(path).status_code in (400, 404)
