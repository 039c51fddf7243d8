"""Alerts: when an opportunity is published, the premium members who follow one of its clusters and want
these alerts get one e-mail, once, ever."""

import pytest

from opportunities import services
from opportunities.models import AlertSent
from tests.factories.members import make_member
from tests.factories.opportunities import OpportunityPageFactory, days_from_today, make_opportunity
from tests.factories.working_groups import make_group
from working_groups.models import ClusterInterest

pytestmark = pytest.mark.django_db


@pytest.fixture
def clusters(groups_index):
    return {
        "web": make_group(groups_index, kind="cluster", visibility="premium", title="Web", slug="web"),
        "security": make_group(groups_index, kind="cluster", visibility="premium", title="Sécurité", slug="securite"),
    }


def follower(cluster, tier="premium", notify=True, **fields):
    user = make_member(tier, **fields)
    ClusterInterest.objects.create(profile=user.profile, cluster=cluster)
    if not notify:
        user.profile.notify_opportunities = False
        user.profile.save()
    return user


def publish(index, capture, **fields):
    with capture(execute=True):
        return make_opportunity(index, **fields)


def recipients(mailoutbox):
    return sorted(address for mail in mailoutbox for address in mail.to)


def test_premium_followers_of_a_cluster_are_alerted_once(
    opportunities_index, clusters, mailoutbox, django_capture_on_commit_callbacks
):
    web_fan = follower(clusters["web"], email="web@example.org")
    both = follower(clusters["web"], email="both@example.org")
    ClusterInterest.objects.create(profile=both.profile, cluster=clusters["security"])
    follower(clusters["security"], email="secu@example.org")

    opportunity = publish(
        opportunities_index, django_capture_on_commit_callbacks, title="Appel Web", clusters=[clusters["web"]]
    )

    assert recipients(mailoutbox) == ["both@example.org", "web@example.org"]  # one e-mail each, even following two
    mail = next(mail for mail in mailoutbox if mail.to == [web_fan.email])
    assert "Appel Web" in mail.subject
    assert opportunity.url in mail.body and "Web" in mail.body
    assert "/membres/profil/" in mail.body or "profil" in mail.body
    assert AlertSent.objects.filter(opportunity=opportunity).count() == 2


def test_republishing_alerts_nobody_twice(
    opportunities_index, clusters, mailoutbox, django_capture_on_commit_callbacks
):
    follower(clusters["web"], email="web@example.org")
    opportunity = publish(opportunities_index, django_capture_on_commit_callbacks, clusters=[clusters["web"]])
    assert len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        opportunity.title = "Titre corrigé"
        opportunity.save_revision().publish()
    assert len(mailoutbox) == 1


def test_a_cluster_added_later_alerts_its_followers_then(
    opportunities_index, clusters, mailoutbox, django_capture_on_commit_callbacks
):
    follower(clusters["web"], email="web@example.org")
    follower(clusters["security"], email="secu@example.org")
    opportunity = publish(opportunities_index, django_capture_on_commit_callbacks, clusters=[clusters["web"]])
    with django_capture_on_commit_callbacks(execute=True):
        opportunity.clusters.add(clusters["security"])
        opportunity.save_revision().publish()
    assert recipients(mailoutbox) == ["secu@example.org", "web@example.org"]


@pytest.mark.parametrize(
    "who",
    ["basic", "expired", "unsigned", "preference_off", "no_email", "inactive"],
)
def test_who_is_not_alerted(opportunities_index, clusters, mailoutbox, django_capture_on_commit_callbacks, who):
    cluster = clusters["web"]
    if who == "basic":
        follower(cluster, tier="basic")
    elif who == "expired":
        ClusterInterest.objects.create(profile=make_member("premium", expired=True).profile, cluster=cluster)
    elif who == "unsigned":
        ClusterInterest.objects.create(profile=make_member("premium", signed=False).profile, cluster=cluster)
    elif who == "preference_off":
        follower(cluster, notify=False)
    elif who == "no_email":
        follower(cluster, email="")
    else:
        user = follower(cluster)
        user.is_active = False
        user.save()
    publish(opportunities_index, django_capture_on_commit_callbacks, clusters=[cluster])
    assert mailoutbox == []
    assert not AlertSent.objects.exists()


def test_an_opportunity_without_clusters_alerts_nobody(
    opportunities_index, clusters, mailoutbox, django_capture_on_commit_callbacks
):
    follower(clusters["web"])
    publish(opportunities_index, django_capture_on_commit_callbacks)
    assert mailoutbox == []


def test_a_closed_opportunity_alerts_nobody(
    opportunities_index, clusters, mailoutbox, django_capture_on_commit_callbacks
):
    follower(clusters["web"])
    publish(
        opportunities_index,
        django_capture_on_commit_callbacks,
        clusters=[clusters["web"]],
        deadline=days_from_today(-1),
    )
    assert mailoutbox == []


def test_a_draft_alerts_nobody(opportunities_index, clusters, mailoutbox, django_capture_on_commit_callbacks):
    follower(clusters["web"])
    with django_capture_on_commit_callbacks(execute=True):
        draft = OpportunityPageFactory.build(live=False)
        opportunities_index.add_child(instance=draft)
        draft.clusters.set([clusters["web"]])
        draft.save_revision()
    assert mailoutbox == []


def test_running_the_alerts_twice_sends_nothing_more(
    opportunities_index, clusters, mailoutbox, django_capture_on_commit_callbacks
):
    follower(clusters["web"])
    opportunity = publish(opportunities_index, django_capture_on_commit_callbacks, clusters=[clusters["web"]])
    assert services.send_alerts(opportunity) == 0
    assert len(mailoutbox) == 1


def test_the_demo_publishes_without_alerts(
    opportunities_index, clusters, mailoutbox, django_capture_on_commit_callbacks
):
    follower(clusters["web"])
    with services.alerts_paused(), django_capture_on_commit_callbacks(execute=True):
        make_opportunity(opportunities_index, clusters=[clusters["web"]])
    assert mailoutbox == []
