""" "I'm interested": a premium member records an interest with a short message; the opportunity's contact
(or the club's staff) is told by e-mail once it is saved; the member finds it on the dashboard."""

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry

from members import roles
from opportunities.models import Interest
from tests.factories.members import OrganisationFactory, make_member, make_staff
from tests.factories.opportunities import days_from_today, make_opportunity

pytestmark = pytest.mark.django_db

MESSAGE = "Nous avons mené un projet semblable pour une intercommunale."


def interest_url(opportunity):
    return reverse("opportunities:interest", args=[opportunity.pk])


def withdraw_url(opportunity):
    return reverse("opportunities:withdraw_interest", args=[opportunity.pk])


@pytest.fixture
def opportunity(opportunities_index):
    return make_opportunity(opportunities_index, title="Appel de test", contact_email="porteur@example.org")


@pytest.fixture
def premium():
    user = make_member("premium", first_name="Claire", last_name="Dumont", email="claire@example.org")
    user.profile.organisation = OrganisationFactory(name="Mosane Industries")
    user.profile.save()
    return user


def post_interest(client, user, opportunity, capture, message=MESSAGE):
    client.force_login(user)
    with capture(execute=True):
        return client.post(interest_url(opportunity), {"message": message})


def test_a_premium_member_records_an_interest_and_the_contact_is_told(
    client, opportunity, premium, mailoutbox, django_capture_on_commit_callbacks
):
    response = post_interest(client, premium, opportunity, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == f"{opportunity.url}#interest"
    interest = Interest.objects.get(opportunity=opportunity, user=premium)
    assert interest.message == MESSAGE
    assert interest.notified_at is not None
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["porteur@example.org"]
    assert mail.reply_to == ["claire@example.org"]
    assert "Claire Dumont" in mail.subject and opportunity.title in mail.subject
    for expected in ("Claire Dumont", "Mosane Industries", "claire@example.org", MESSAGE, opportunity.url):
        assert expected in mail.body
    assert PageLogEntry.objects.filter(page=opportunity, action="cercle.opportunity.interest", user=premium).exists()

    page = client.get(opportunity.url).content.decode()
    assert 'data-testid="interest-recorded"' in page and 'data-testid="withdraw-form"' in page


def test_without_a_contact_the_clubs_staff_are_told(
    client, opportunities_index, premium, mailoutbox, django_capture_on_commit_callbacks
):
    staff = make_staff(email="secretariat@example.org")
    opportunity = make_opportunity(opportunities_index, contact_email="")
    post_interest(client, premium, opportunity, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [staff.email]


def test_a_second_submit_keeps_one_interest_and_updates_its_message(
    client, opportunity, premium, mailoutbox, django_capture_on_commit_callbacks
):
    post_interest(client, premium, opportunity, django_capture_on_commit_callbacks)
    response = post_interest(client, premium, opportunity, django_capture_on_commit_callbacks, message="Mis à jour.")
    assert response.status_code == 302
    assert Interest.objects.filter(opportunity=opportunity, user=premium).count() == 1
    assert Interest.objects.get(opportunity=opportunity, user=premium).message == "Mis à jour."
    # The French subjects differ: "a mis à jour son intérêt" after "est intéressé·e".
    assert len(mailoutbox) == 2 and mailoutbox[1].subject != mailoutbox[0].subject
    assert "Mis à jour." in mailoutbox[1].body

    # The same message again: nothing new to tell.
    post_interest(client, premium, opportunity, django_capture_on_commit_callbacks, message="Mis à jour.")
    assert len(mailoutbox) == 2


@pytest.mark.parametrize("message", ["", "   ", "x" * 1001, "Bonjour\x00"])
def test_an_empty_or_too_long_message_is_refused_and_shown_again(
    client, opportunity, premium, mailoutbox, django_capture_on_commit_callbacks, message
):
    response = post_interest(client, premium, opportunity, django_capture_on_commit_callbacks, message=message)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="interest-form"' in html and 'class="field__error"' in html
    if message.strip() and "\x00" not in message:
        assert message in html  # what they wrote is given back to shorten, not lost
    assert not Interest.objects.exists()
    assert mailoutbox == []


def test_a_closed_opportunity_refuses_politely(
    client, opportunities_index, premium, mailoutbox, django_capture_on_commit_callbacks
):
    closed = make_opportunity(opportunities_index, deadline=days_from_today(-1))
    client.force_login(premium)
    page = client.get(closed.url).content.decode()
    assert 'data-testid="interest-closed"' in page and 'data-testid="interest-form"' not in page

    response = post_interest(client, premium, closed, django_capture_on_commit_callbacks)
    assert response.status_code == 409
    assert 'data-testid="forbidden-reason"' in response.content.decode()
    assert not Interest.objects.exists() and mailoutbox == []


def test_the_deadline_day_itself_still_accepts_interest(
    client, opportunities_index, premium, django_capture_on_commit_callbacks
):
    today = make_opportunity(opportunities_index, deadline=days_from_today(0))
    assert post_interest(client, premium, today, django_capture_on_commit_callbacks).status_code == 302


@pytest.mark.parametrize(
    ("kind", "status"),
    [("basic", 403), ("lead", 403), ("editor", 403), ("expired", 403), ("unsigned", 302), ("anonymous", 302)],
)
def test_who_may_not_read_the_opportunity_may_not_say_they_are_interested(
    client, opportunity, groups_index, mailoutbox, django_capture_on_commit_callbacks, kind, status
):
    from tests.factories.working_groups import make_group

    users = {
        "basic": lambda: make_member("basic"),
        "lead": lambda: make_group(groups_index, leads=[make_member("basic")]).memberships.get().user,
        "editor": lambda: make_member("basic", roles_=[roles.TECHWATCH_EDITORS]),
        "expired": lambda: make_member("premium", expired=True),
        "unsigned": lambda: make_member("premium", signed=False),
        "anonymous": lambda: None,
    }
    user = users[kind]()
    if user is not None:
        client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(interest_url(opportunity), {"message": MESSAGE})
    assert response.status_code == status
    if kind == "anonymous":
        # Back to the opportunity's page after logging in, not to this POST-only address.
        assert "/compte/connexion/" in response["Location"] and "interet" not in response["Location"]
    if kind == "basic":
        assert 'data-testid="upgrade-link"' in response.content.decode()
    assert not Interest.objects.exists() and mailoutbox == []


def test_the_interest_address_answers_only_post_and_only_for_live_opportunities(client, opportunity, premium):
    client.force_login(premium)
    assert client.get(interest_url(opportunity)).status_code == 405
    assert client.post(reverse("opportunities:interest", args=[999999]), {"message": MESSAGE}).status_code == 404
    assert client.post(f"/opportunites/{'9' * 30}/interet/", {"message": MESSAGE}).status_code == 404
    opportunity.unpublish()
    assert client.post(interest_url(opportunity), {"message": MESSAGE}).status_code == 404


def test_withdrawing_an_interest_removes_it_and_tells_the_contact(
    client, opportunity, premium, mailoutbox, django_capture_on_commit_callbacks
):
    post_interest(client, premium, opportunity, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(withdraw_url(opportunity))
    assert response.status_code == 302
    assert not Interest.objects.exists()
    assert len(mailoutbox) == 2 and mailoutbox[1].to == ["porteur@example.org"]
    assert "Claire Dumont" in mailoutbox[1].subject and mailoutbox[1].subject != mailoutbox[0].subject
    assert PageLogEntry.objects.filter(page=opportunity, action="cercle.opportunity.interest_withdraw").exists()
    # Twice (another tab): not an error.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(withdraw_url(opportunity)).status_code == 302
    assert len(mailoutbox) == 2


def test_a_basic_member_may_not_withdraw_either(client, opportunity):
    client.force_login(make_member("basic"))
    assert client.post(withdraw_url(opportunity)).status_code == 403


def test_the_member_finds_their_interests_on_the_dashboard(
    client, opportunities_index, opportunity, premium, django_capture_on_commit_callbacks
):
    other = make_opportunity(opportunities_index, title="Sans intérêt")
    post_interest(client, premium, opportunity, django_capture_on_commit_callbacks)
    html = client.get("/").content.decode()
    panel = html.split('data-testid="panel-opportunities"')[1].split("</section>")[0]
    assert f'data-testid="my-interest-{opportunity.pk}"' in panel
    assert f'data-testid="my-interest-{other.pk}"' not in panel
    index = client.get(opportunities_index.url).content.decode()
    card = index.split(f'data-testid="opportunity-{opportunity.pk}"')[1].split("</li>")[0]
    assert 'data-testid="interested-badge"' in card


def test_an_interest_in_an_unpublished_opportunity_leaves_the_dashboard(
    client, opportunity, premium, django_capture_on_commit_callbacks
):
    post_interest(client, premium, opportunity, django_capture_on_commit_callbacks)
    opportunity.unpublish()
    html = client.get("/").content.decode()
    assert f'data-testid="my-interest-{opportunity.pk}"' not in html
