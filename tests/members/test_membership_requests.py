"""Basic and lapsed members ask the secretariat for the premium tier or a renewal in one click; staff are
told by e-mail and answer the request in the admin."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from members import roles, services
from members.models import MembershipRequest
from tests.factories.knowledge import make_article
from tests.factories.members import (
    OrganisationFactory,
    OrganisationMembershipFactory,
    UserFactory,
    current_charter,
    make_member,
    make_staff,
)
from tests.factories.working_groups import make_group

pytestmark = pytest.mark.django_db

URL = "/membres/formule/"


def ends_in(user, days):
    user.memberships.update(valid_until=timezone.localdate() + datetime.timedelta(days=days))
    return user


def ask(client, user, kind=None, message="", capture=None):
    client.force_login(user)
    data = {"message": message, **({"kind": kind} if kind else {})}
    if capture is None:
        return client.post(URL, data)
    with capture(execute=True):
        return client.post(URL, data)


@pytest.fixture
def staff_member():
    return make_staff(username="gestion@cercle.example", email="gestion@cercle.example")


# --- Who may ask, and what for ---------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in_and_back(client, home_page):
    response = client.get(URL + "?kind=upgrade")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/?next=/membres/formule/")


def test_a_basic_member_sees_the_upgrade_form_filled_in(client, home_page):
    organisation = OrganisationFactory(name="Mosane Industries")
    member = make_member("basic", first_name="Claire", last_name="Dubois")
    member.profile.organisation = organisation
    member.profile.save()
    client.force_login(member)
    response = client.get(URL + "?kind=upgrade")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="membership-request-form"' in html
    assert 'name="kind" value="upgrade"' in html
    summary = html.split('data-testid="membership-request-summary"')[1].split("</section>")[0]
    assert "Claire Dubois" in summary and "Mosane Industries" in summary
    assert "Basic" in summary or "De base" in summary or "Base" in summary


def test_a_basic_member_sends_the_request_in_one_click_and_staff_are_told(
    client, home_page, staff_member, django_capture_on_commit_callbacks
):
    member = make_member("basic", first_name="Claire", last_name="Dubois", email="claire@example.org")
    response = ask(client, member, "upgrade", "Pour la grappe Sécurité.", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == URL
    request = MembershipRequest.objects.get()
    assert (request.user, request.kind, request.tier, request.state) == (member, "upgrade", "basic", "new")
    assert request.message == "Pour la grappe Sécurité."
    assert ModelLogEntry.objects.filter(action="cercle.membership_request.send", user=member).count() == 1
    # The confirmation: the open request, and no form to send it again.
    html = client.get(URL).content.decode()
    assert 'data-testid="membership-request-open"' in html
    assert 'data-testid="membership-request-form"' not in html


def test_the_e_mail_goes_to_the_staff_only_and_says_who_asks_for_what(
    client, home_page, staff_member, django_capture_on_commit_callbacks
):
    editor = make_member("basic", roles_=[roles.TECHWATCH_EDITORS], email="redaction@cercle.example")
    member = make_member("basic", first_name="Claire", last_name="Dubois", email="claire@example.org")
    ask(client, member, "upgrade", "Pour la grappe Sécurité.", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["gestion@cercle.example"]
    assert not message.cc and not message.bcc
    assert editor.email not in message.to
    assert message.reply_to == ["claire@example.org"]
    assert "Claire Dubois" in message.subject
    assert "Claire Dubois" in message.body and "Pour la grappe Sécurité." in message.body
    request = MembershipRequest.objects.get()
    assert f"/admin/members/requests/edit/{request.pk}/" in message.body


def test_nothing_is_sent_before_the_request_is_saved(client, home_page, staff_member):
    """The e-mail leaves after the commit: a request rolled back tells nobody."""
    member = make_member("basic")
    ask(client, member, "upgrade")  # the test's transaction never commits
    assert MembershipRequest.objects.count() == 1
    assert mail.outbox == []


def test_a_second_request_while_one_is_open_shows_the_open_one(
    client, home_page, staff_member, django_capture_on_commit_callbacks
):
    member = make_member("basic")
    ask(client, member, "upgrade", "Premier envoi", django_capture_on_commit_callbacks)
    response = ask(client, member, "upgrade", "Second envoi", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="membership-request-open"' in html and "Premier envoi" in html
    assert MembershipRequest.objects.count() == 1
    assert len(mail.outbox) == 1
    # The service says the same to any other caller.
    again, created = services.ask_for_membership_change(member, kind="upgrade", message="Troisième")
    assert not created and again.message == "Premier envoi"


def test_once_answered_the_member_may_ask_again(client, home_page, staff_member):
    member = make_member("basic")
    ask(client, member, "upgrade")
    services.answer_membership_request(MembershipRequest.objects.get(), state="declined", by=staff_member)
    ask(client, member, "upgrade")
    assert MembershipRequest.objects.filter(user=member).count() == 2


def test_a_message_too_long_is_shown_again_with_the_error_and_nothing_is_lost(client, home_page):
    member = make_member("basic")
    long_message = "Je souhaite passer à la formule premium. " * 30
    response = ask(client, member, "upgrade", long_message)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="field__error"' in html
    assert long_message.strip() in html
    assert MembershipRequest.objects.count() == 0


def test_an_expired_member_may_log_in_and_ask_to_renew(
    client, home_page, staff_member, django_capture_on_commit_callbacks
):
    member = make_member("premium", expired=True)
    client.force_login(member)
    html = client.get(URL).content.decode()
    assert 'name="kind" value="renewal"' in html
    # Following a premium teaser, a lapsed member is offered the renewal.
    assert 'name="kind" value="renewal"' in client.get(URL + "?kind=upgrade").content.decode()
    ask(client, member, "renewal", capture=django_capture_on_commit_callbacks)
    request = MembershipRequest.objects.get()
    assert (request.kind, request.tier) == ("renewal", "premium")
    assert len(mail.outbox) == 1


def test_a_premium_member_asking_to_upgrade_is_told_they_have_it(client, home_page):
    member = make_member("premium")
    client.force_login(member)
    response = client.get(URL + "?kind=upgrade")
    assert response.status_code == 200
    assert 'data-testid="already-premium"' in response.content.decode()
    assert ask(client, member, "upgrade").status_code == 403
    assert MembershipRequest.objects.count() == 0


def test_a_premium_member_whose_membership_ends_soon_may_renew(client, home_page):
    member = ends_in(make_member("premium"), 10)
    client.force_login(member)
    assert 'name="kind" value="renewal"' in client.get(URL).content.decode()
    assert "kind=renewal" in client.get(URL + "?kind=upgrade").content.decode()
    ask(client, member, "renewal")
    assert MembershipRequest.objects.get().kind == "renewal"


def test_a_basic_member_whose_membership_ends_soon_may_upgrade_or_renew(client, home_page):
    member = ends_in(make_member("basic"), 10)
    client.force_login(member)
    html = client.get(URL).content.decode()
    assert 'name="kind" value="upgrade"' in html and "?kind=renewal" in html


def test_a_member_premium_through_their_organisation_has_nothing_to_upgrade(client, home_page):
    organisation = OrganisationFactory()
    OrganisationMembershipFactory(organisation=organisation, tier="premium", seats=2)
    member = make_member("basic")
    member.profile.organisation = organisation
    member.profile.joined_organisation_at = timezone.now()
    member.profile.save()
    services.sync_user_groups(member)
    client.force_login(member)
    assert 'data-testid="already-premium"' in client.get(URL + "?kind=upgrade").content.decode()


def test_staff_have_nothing_to_ask(client, home_page, staff_member):
    client.force_login(staff_member)
    response = client.get(URL)
    assert response.status_code == 200
    assert 'data-testid="membership-request-form"' not in response.content.decode()
    assert ask(client, staff_member, "renewal").status_code == 403
    assert MembershipRequest.objects.count() == 0


def test_an_account_without_any_membership_has_nothing_to_ask(client, home_page):
    client.force_login(UserFactory())
    assert 'data-testid="membership-request-none"' in client.get(URL).content.decode()


def test_a_member_who_has_not_signed_the_new_charter_signs_it_first(client, home_page):
    member = make_member("basic", signed=False)
    current_charter()
    client.force_login(member)
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/charte/")


def test_an_unknown_kind_falls_back_to_what_the_member_may_ask(client, home_page):
    client.force_login(make_member("basic"))
    assert 'name="kind" value="upgrade"' in client.get(URL + "?kind=%00drop").content.decode()


def test_the_form_costs_a_fixed_number_of_queries(client, home_page, django_assert_max_num_queries):
    client.force_login(make_member("basic"))
    client.get(URL)
    with django_assert_max_num_queries(9):  # measured 9
        assert client.get(URL).status_code == 200


# --- Where the way to ask is offered ---------------------------------------------------------------


def test_the_premium_teaser_offers_the_upgrade(client, home_page):
    from tests.factories.knowledge import TechWatchIndexPageFactory

    index = TechWatchIndexPageFactory(parent=home_page)
    article = make_article(index, audience="premium")
    client.force_login(make_member("basic"))
    box = client.get(article.url).content.decode().split('data-testid="upgrade-box"')[1].split("</section>")[0]
    assert "/membres/formule/?kind=upgrade" in box
    assert "secr" not in box.lower()


def test_the_cluster_refusal_offers_the_upgrade(client, groups_index):
    cluster = make_group(groups_index, kind="cluster", visibility="premium")
    client.force_login(make_member("basic"))
    response = client.get(cluster.url)
    assert response.status_code == 403
    assert "/membres/formule/?kind=upgrade" in response.content.decode()


def test_a_lapsed_member_refused_a_page_is_offered_the_renewal(client, groups_index):
    group = make_group(groups_index, visibility="members")
    client.force_login(make_member("basic", expired=True))
    response = client.get(group.url)
    assert response.status_code == 403
    assert "/membres/formule/?kind=renewal" in response.content.decode()


def test_the_dashboard_offers_the_basic_member_the_upgrade(client, home_page):
    client.force_login(make_member("basic"))
    card = client.get("/").content.decode().split('data-testid="membership-status"')[1].split("</section>")[0]
    assert "/membres/formule/?kind=upgrade" in card
    assert "opportunit" not in card.lower()


def test_the_dashboard_offers_no_upgrade_to_premium_members(client, home_page):
    client.force_login(make_member("premium"))
    card = client.get("/").content.decode().split('data-testid="membership-status"')[1].split("</section>")[0]
    assert "/membres/formule/" not in card


def test_the_expired_member_reads_the_renewal_notice_once_with_its_button(client, home_page):
    client.force_login(make_member("premium", expired=True))
    html = client.get("/").content.decode()
    assert html.count('data-testid="renewal-notice"') + html.count('data-testid="renewal-banner"') == 1
    assert html.count("/membres/formule/?kind=renewal") == 1


def test_elsewhere_the_expired_member_banner_offers_the_renewal(client, home_page):
    client.force_login(make_member("premium", expired=True))
    html = client.get("/charte/").content.decode()
    banner = html.split('data-testid="renewal-banner"')[1].split("</p>")[0]
    assert "/membres/formule/?kind=renewal" in banner


# --- The staff's listing in the admin ---------------------------------------------------------------


def test_staff_see_the_requests_filter_them_and_mark_one_handled(client, home_page, staff_member):
    basic = make_member("basic", first_name="Claire", last_name="Dubois")
    expired = make_member("premium", expired=True, first_name="Marc", last_name="Leroy")
    services.ask_for_membership_change(basic, kind="upgrade")
    renewal, _created = services.ask_for_membership_change(expired, kind="renewal")
    client.force_login(staff_member)

    listing = client.get(reverse("members_requests:index")).content.decode()
    assert "Claire Dubois" in listing and "Marc Leroy" in listing
    assert "Claire Dubois" not in client.get(reverse("members_requests:index") + "?kind=renewal").content.decode()

    response = client.post(
        reverse("members_requests:edit", args=[renewal.pk]), {"state": "handled", "staff_note": "Facture envoyée."}
    )
    assert response.status_code == 302
    renewal.refresh_from_db()
    assert (renewal.state, renewal.handled_by, renewal.staff_note) == ("handled", staff_member, "Facture envoyée.")
    assert renewal.handled_at is not None
    assert ModelLogEntry.objects.filter(action="cercle.membership_request.answer", user=staff_member).count() == 1
    assert client.get(response["Location"]).status_code == 200  # back on the listing, its message read
    open_only = client.get(reverse("members_requests:index") + "?state=new").content.decode()
    assert "Claire Dubois" in open_only and "Marc Leroy" not in open_only


def test_staff_cannot_reopen_a_request_while_another_is_open(client, home_page, staff_member):
    member = make_member("basic")
    first, _created = services.ask_for_membership_change(member, kind="upgrade")
    services.answer_membership_request(first, state="declined", by=staff_member)
    services.ask_for_membership_change(member, kind="upgrade")
    client.force_login(staff_member)
    response = client.post(reverse("members_requests:edit", args=[first.pk]), {"state": "new", "staff_note": ""})
    assert response.status_code == 200  # the form again, with the error
    first.refresh_from_db()
    assert first.state == "declined"


def test_requests_are_not_made_in_the_admin(client, home_page, staff_member):
    client.force_login(staff_member)
    listing = client.get(reverse("members_requests:index")).content.decode()
    assert "/admin/members/requests/add/" not in listing
    assert client.get("/admin/members/requests/add/").status_code == 404


@pytest.mark.parametrize("role", [roles.TECHWATCH_EDITORS, roles.GROUP_LEADS])
def test_the_listing_is_refused_to_editors_and_leads(client, home_page, role):
    member = make_member("basic")
    services.ask_for_membership_change(member, kind="upgrade")
    client.force_login(make_member("basic", roles_=[role]))
    response = client.get(reverse("members_requests:index"))
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response["Location"] == reverse("wagtailadmin_home")
    edit = client.get(reverse("members_requests:edit", args=[MembershipRequest.objects.get().pk]))
    assert edit.status_code in (302, 403)


def test_the_listing_is_refused_to_members_without_admin_access(client, home_page):
    client.force_login(make_member("premium"))
    response = client.get(reverse("members_requests:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_answer_with_the_request_before_their_eyes(client, home_page, staff_member):
    member = make_member("basic", first_name="Claire", last_name="Dubois", email="claire@example.org")
    request, _created = services.ask_for_membership_change(member, kind="upgrade", message="Pour la grappe Web.")
    client.force_login(staff_member)
    html = client.get(reverse("members_requests:edit", args=[request.pk])).content.decode()
    summary = html.split('data-testid="membership-request-summary"')[1].split("</dl>")[0]
    assert "Claire Dubois" in summary and "claire@example.org" in summary and "Pour la grappe Web." in summary


@pytest.mark.parametrize("requests", [1, 10])
def test_the_listing_costs_a_fixed_number_of_queries(
    client, home_page, staff_member, django_assert_max_num_queries, requests
):
    for _n in range(requests):
        services.ask_for_membership_change(make_member("basic"), kind="upgrade")
    client.force_login(staff_member)
    client.get(reverse("members_requests:index"))
    with django_assert_max_num_queries(12):  # measured 12 with 1 request and with 10
        assert client.get(reverse("members_requests:index")).status_code == 200


def test_the_watch_index_and_the_profile_offer_the_way_to_ask(client, home_page):
    from tests.factories.knowledge import TechWatchIndexPageFactory

    index = TechWatchIndexPageFactory(parent=home_page)
    client.force_login(make_member("basic"))
    notice = client.get(index.url).content.decode().split('data-testid="upgrade-notice"')[1].split("</p>")[0]
    assert "/membres/formule/?kind=upgrade" in notice
    client.force_login(make_member("basic", expired=True))
    html = client.get("/compte/profil/").content.decode()
    assert "/membres/formule/?kind=renewal" in html.split('data-testid="membership-expired"')[1].split("</p>")[0]
