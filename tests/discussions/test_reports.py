"""Reports: whoever reads a post may report it (not its author); the space's leads and the club's staff are
told by e-mail, nobody else; the moderators' queue shows the reports of the spaces they moderate, where they
hide the post or dismiss the report; members' words are escaped on the page and plain in the e-mail."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import ModelLogEntry

from discussions import moderation
from discussions.admin_menu import ReportsMenuItem
from discussions.models import Report
from discussions.services import DiscussionError
from members.access import Viewer
from tests.factories.discussions import answer, space_of, start
from tests.factories.members import make_member
from tests.factories.working_groups import make_group

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


def viewer_of(people, kind):
    return Viewer(people[kind] or AnonymousUser())


@pytest.fixture
def posts(spaces, people):
    """In each space, a reply by staff (who writes everywhere) to a thread started by the group member."""
    threads = {kind: start(people["member"], space, title=f"Sujet {kind}").thread for kind, space in spaces.items()}
    return {kind: answer(people["staff"], thread, text=f"Texte {kind}.") for kind, thread in threads.items()}


@pytest.fixture
def other_lead(groups_index):
    lead = make_member("premium", first_name="Olga", last_name="Otherlead")
    group = make_group(groups_index, title="Achats", leads=[lead])
    return lead, space_of(group)


def actions(post):
    return list(ModelLogEntry.objects.for_instance(post.thread).values_list("action", flat=True))


# --- Who may report -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, allowed",
    [
        ("anonymous", {}),
        ("basic", {"club", "thematic"}),
        ("premium", {"club", "thematic", "cluster"}),
        ("expired", {}),
        ("outsider", {"club", "thematic", "cluster"}),
        ("member", {"club", "thematic", "cluster", "private"}),
        ("editor", {"club", "thematic"}),
    ],
)
def test_whoever_reads_a_post_may_report_it(people, posts, kind, allowed):
    viewer = viewer_of(people, kind)
    for space_kind, post in posts.items():
        if space_kind in allowed:
            report, created = moderation.report(viewer, post, "spam", "Pub")
            assert created and report.reporter == people[kind]
            assert "cercle.discussions.report" in actions(post)
        else:
            with pytest.raises(DiscussionError) as refused:
                moderation.report(viewer, post, "spam", "Pub")
            assert refused.value.status == 404
            assert not Report.objects.filter(post=post).exists()


def test_nobody_reports_their_own_post_nor_with_a_made_up_reason(people, posts):
    with pytest.raises(DiscussionError) as own:
        moderation.report(viewer_of(people, "staff"), posts["club"], "spam")
    assert own.value.status == 400
    with pytest.raises(DiscussionError) as made_up:
        moderation.report(viewer_of(people, "member"), posts["club"], "boring")
    assert made_up.value.status == 400
    with pytest.raises(DiscussionError) as too_long:
        moderation.report(viewer_of(people, "member"), posts["club"], "spam", "x" * 2001)
    assert too_long.value.status == 413
    assert not Report.objects.exists()


def test_reporting_again_updates_the_open_report(people, posts):
    viewer, post = viewer_of(people, "member"), posts["club"]
    first, created = moderation.report(viewer, post, "spam", "Premier mot")
    again, created_again = moderation.report(viewer, post, "abuse", "Second mot")
    assert created and not created_again and first.pk == again.pk
    assert Report.objects.filter(post=post).count() == 1
    report = Report.objects.get(post=post)
    assert (report.reason, report.message) == ("abuse", "Second mot")


# --- Who is told ----------------------------------------------------------------------------------------


def test_the_spaces_leads_and_the_staff_are_told_and_nobody_else(
    people, posts, other_lead, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.report(viewer_of(people, "member"), posts["thematic"], "error", HOSTILE)
    recipients = {address for mail in mailoutbox for address in mail.to}
    assert recipients == {people["lead"].email, people["staff"].email}
    mail = mailoutbox[0]
    # Plain text: the reporter's words as they typed them, the reason, the excerpt and the queue's address.
    assert HOSTILE in mail.body
    assert "Texte thematic." in mail.body
    assert reverse("discussions:reports") in mail.body
    assert not mail.alternatives

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.report(viewer_of(people, "member"), posts["club"], "spam")
    # The club-wide space is the staff's alone.
    assert {address for mail in mailoutbox for address in mail.to} == {people["staff"].email}


def test_a_second_report_of_the_same_person_sends_nothing_more(
    people, posts, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moderation.report(viewer_of(people, "member"), posts["private"], "spam")
    count = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.report(viewer_of(people, "member"), posts["private"], "spam", "Encore")
    assert len(mailoutbox) == count


def test_a_lead_who_left_the_club_is_not_told(people, posts, mailoutbox, django_capture_on_commit_callbacks):
    people["lead"].is_active = False
    people["lead"].save()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.report(viewer_of(people, "member"), posts["private"], "abuse")
    assert people["lead"].email not in {address for mail in mailoutbox for address in mail.to}


# --- The report form ------------------------------------------------------------------------------------


def test_report_form_for_readers(client, people, posts):
    post = posts["cluster"]
    url = reverse("discussions:report_post", args=[post.pk])
    assert client.get(url).status_code == 302  # anonymous: to log in
    client.force_login(people["basic"])
    assert client.get(url).status_code == 403  # the premium refusal
    client.force_login(people["outsider"])
    assert client.get(reverse("discussions:report_post", args=[posts["private"].pk])).status_code == 404
    client.force_login(people["staff"])
    assert client.get(url).status_code == 400  # their own post
    client.force_login(people["premium"])
    assert client.get(url).status_code == 200
    missing = client.post(url, {"message": "Sans motif"})
    assert missing.status_code == 400 and "Sans motif" in missing.content.decode()
    sent = client.post(url, {"reason": "spam", "message": "Publicité"})
    assert sent.status_code == 302 and sent["Location"] == post.get_absolute_url()
    assert Report.objects.get(post=post).message == "Publicité"
    assert "no-store" in sent.headers["Cache-Control"]


# --- The queue ------------------------------------------------------------------------------------------


def _reports_of_every_space(people, posts):
    member = viewer_of(people, "member")
    return {kind: moderation.report(member, post, "spam", HOSTILE)[0] for kind, post in posts.items()}


def test_the_queue_shows_the_moderated_spaces_reports_only(client, people, posts, other_lead):
    reports = _reports_of_every_space(people, posts)
    url = reverse("discussions:reports")

    client.force_login(people["staff"])
    page = client.get(url)
    assert page.status_code == 200
    shown = {report.pk for report in page.context["reports"]}
    assert shown == {report.pk for report in reports.values()}
    assert "no-store" in page.headers["Cache-Control"]

    client.force_login(people["lead"])
    page = client.get(url)
    assert {report.pk for report in page.context["reports"]} == {
        reports[kind].pk for kind in ("thematic", "cluster", "private")
    }
    html = page.content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "onerror=alert(1)>" not in html

    client.force_login(other_lead[0])
    page = client.get(url)
    assert page.status_code == 200 and not list(page.context["reports"])


@pytest.mark.parametrize("kind, status", [("anonymous", 302), ("member", 403), ("premium", 403), ("basic", 403)])
def test_the_queue_refuses_who_moderates_nothing(client, people, kind, status):
    if people[kind] is not None:
        client.force_login(people[kind])
    assert client.get(reverse("discussions:reports")).status_code == status


def test_dismissing_and_hiding_from_the_queue(
    client, people, posts, mailoutbox, django_capture_on_commit_callbacks
):
    reports = _reports_of_every_space(people, posts)
    second, _ = moderation.report(viewer_of(people, "premium"), posts["cluster"], "abuse")
    client.force_login(people["lead"])

    dismissed = client.post(reverse("discussions:handle_report", args=[reports["thematic"].pk]), {"action": "dismiss"})
    assert dismissed.status_code == 302
    report = Report.objects.get(pk=reports["thematic"].pk)
    assert report.state == "handled" and report.handled_by == people["lead"]
    assert not posts["thematic"].__class__.objects.get(pk=posts["thematic"].pk).is_hidden
    assert "cercle.discussions.report_handled" in actions(posts["thematic"])

    url = reverse("discussions:handle_report", args=[reports["cluster"].pk])
    no_reason = client.post(url, {"action": "hide", "reason": ""})
    assert no_reason.status_code == 400
    assert Report.objects.get(pk=reports["cluster"].pk).state == "open"
    assert client.post(url, {"action": "explode"}).status_code == 400
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        hidden = client.post(url, {"action": "hide", "reason": "Publicité"})
    assert hidden.status_code == 302
    post = posts["cluster"].__class__.objects.get(pk=posts["cluster"].pk)
    assert post.is_hidden and post.hidden_reason == "Publicité"
    # Every open report of that post is handled with it.
    assert set(Report.objects.filter(post=post).values_list("state", flat=True)) == {"handled"}
    assert second.pk in ModelLogEntry.objects.for_instance(post.thread).get(
        action="cercle.discussions.report_handled"
    ).data["reports"]
    assert "cercle.discussions.hide" in actions(post)
    assert people["staff"].email in {address for mail in mailoutbox for address in mail.to}  # the author, told

    assert client.post(url, {"action": "dismiss"}).status_code == 409  # handled already
    handled = client.get(reverse("discussions:reports") + "?etat=traites")
    assert {r.pk for r in handled.context["reports"]} >= {reports["thematic"].pk, reports["cluster"].pk}
    assert client.get(url).status_code == 405


def test_a_lead_cannot_handle_another_spaces_report(client, people, posts, other_lead):
    reports = _reports_of_every_space(people, posts)
    client.force_login(other_lead[0])
    url = reverse("discussions:handle_report", args=[reports["thematic"].pk])
    assert client.post(url, {"action": "dismiss"}).status_code == 403
    private = reverse("discussions:handle_report", args=[reports["private"].pk])
    assert client.post(private, {"action": "dismiss"}).status_code == 404
    assert Report.objects.filter(state="open").count() == 4
    client.force_login(people["staff"])
    assert client.post(url, {"action": "dismiss"}).status_code == 302
    assert client.post(reverse("discussions:handle_report", args=[999999]), {"action": "dismiss"}).status_code == 404


def test_the_admin_menu_shows_the_queue_to_the_staff_and_the_leads_only(people, posts, other_lead):
    item = ReportsMenuItem("Discussion reports", reverse("discussions:reports"), name="discussion-reports")

    def request_of(user):
        request = RequestFactory().get("/admin/")
        request.user = type(user).objects.get(pk=user.pk)  # a fresh user: Django caches permissions on it
        return request

    for user in (people["staff"], people["lead"], other_lead[0]):
        assert item.is_shown(request_of(user))
    for kind in ("member", "premium", "basic", "editor"):
        assert not item.is_shown(request_of(people[kind]))


def test_the_admin_menu_entry_costs_no_query_once_the_admin_knows_the_permissions(
    people, spaces, django_assert_num_queries
):
    item = ReportsMenuItem("Discussion reports", reverse("discussions:reports"), name="discussion-reports")
    request = RequestFactory().get("/admin/")
    request.user = type(people["lead"]).objects.get(pk=people["lead"].pk)
    request.user.has_perm("wagtailadmin.access_admin")  # what the admin asks before drawing its menu
    with django_assert_num_queries(0):
        assert item.is_shown(request)


def test_the_queue_costs_the_same_queries_for_3_or_20_reports(client, people, spaces):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_reports(count):
        for _n in range(count):
            reporter = make_member("premium", first_name="Rita", last_name="Rapporteur")
            thread = start(people["member"], spaces["club"], title="Sujet signalé").thread
            moderation.report(Viewer(reporter), thread.posts.get(number=1), "spam", "Un mot")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("discussions:reports")).status_code == 200
        return len(captured)

    client.force_login(people["staff"])
    client.get(reverse("discussions:reports"))  # what a first visit creates once (settings, profiles)
    add_reports(3)
    few = queries()
    add_reports(17)
    assert queries() <= few


def test_the_admin_sidebar_links_the_queue_for_moderators_only(client, people, spaces):
    queue = reverse("discussions:reports")
    for kind, shown in [("staff", True), ("lead", True), ("editor", False)]:
        client.force_login(people[kind])
        page = client.get("/admin/")
        assert page.status_code == 200
        assert (queue in page.content.decode()) is shown, kind
