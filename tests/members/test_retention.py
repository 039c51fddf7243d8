"""The retention rule: `manage.py apply_retention` lists, then anonymises, whoever left the club long enough ago."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from members import privacy_services
from members.models import Profile
from tests.factories.members import (
    MembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    ProfileFactory,
    UserFactory,
    make_staff,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
CUTOFF = datetime.date(2023, 6, 15)  # three years before: ended before this day → anonymised
LATELY = timezone.make_aware(datetime.datetime(2026, 1, 5, 12))
LONG_AGO = timezone.make_aware(datetime.datetime(2015, 1, 1, 12))


@pytest.fixture(autouse=True)
def _today(settings):
    settings.CERCLE_RETENTION_YEARS = 3
    with time_machine.travel(timezone.make_aware(datetime.datetime(2026, 6, 15, 12)), tick=False):
        yield


def person(ended=None, *, joined=LONG_AGO, **fields):
    user = UserFactory(date_joined=joined, **fields)
    ProfileFactory(user=user)
    if ended is not None:
        MembershipFactory(user=user, valid_from=ended - datetime.timedelta(days=364), valid_until=ended)
    return user


def anonymised(user):
    return Profile.objects.get(user=user).anonymised_at is not None


@pytest.fixture
def people():
    organisation_gone = OrganisationFactory()
    OrganisationMembershipFactory(
        organisation=organisation_gone, valid_from=datetime.date(2019, 1, 1), valid_until=datetime.date(2020, 12, 31)
    )
    organisation_recent = OrganisationFactory()
    OrganisationMembershipFactory(
        organisation=organisation_recent, valid_from=datetime.date(2023, 1, 1), valid_until=datetime.date(2024, 12, 31)
    )
    found = {
        "ended_the_day_before_cutoff": person(CUTOFF - datetime.timedelta(days=1)),
        "ended_on_cutoff": person(CUTOFF),
        "ended_last_year": person(datetime.date(2025, 6, 1)),
        "valid_today": person(datetime.date(2026, 12, 31)),
        "old_own_but_organisation_recent": person(datetime.date(2019, 12, 31)),
        "only_an_old_organisation_seat": person(None),
        "never_member_old_account": person(None),
        "never_member_recent_account": person(None, joined=timezone.make_aware(datetime.datetime(2024, 1, 1))),
        "never_member_but_logged_in_lately": person(None, last_login=LATELY),
        "open_ended_membership": person(None),
        "comes_back_next_month": person(datetime.date(2020, 1, 31)),
    }
    Profile.objects.filter(user=found["old_own_but_organisation_recent"]).update(organisation=organisation_recent)
    Profile.objects.filter(user=found["only_an_old_organisation_seat"]).update(organisation=organisation_gone)
    MembershipFactory(user=found["open_ended_membership"], valid_from=datetime.date(2018, 1, 1), valid_until=None)
    coming_back = found["comes_back_next_month"]
    MembershipFactory(user=coming_back, valid_from=datetime.date(2026, 7, 1), valid_until=datetime.date(2027, 6, 30))
    staff = make_staff()
    staff.memberships.update(valid_from=datetime.date(2015, 1, 1), valid_until=datetime.date(2016, 1, 1))
    found["staff"] = staff
    superuser = person(datetime.date(2016, 1, 1), is_superuser=True)
    found["superuser"] = superuser
    return found


EXPECTED = {"ended_the_day_before_cutoff", "only_an_old_organisation_seat", "never_member_old_account"}


def run(*args):
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_candidates_are_exactly_the_right_people(people):
    found = {user.pk for user in privacy_services.retention_candidates()}
    assert found == {people[name].pk for name in EXPECTED}


def test_dry_run_lists_and_changes_nothing(people):
    output = run("--dry-run")
    for name in EXPECTED:
        assert f"#{people[name].pk} " in output
    assert " 3 " in f" {output.strip().splitlines()[-1]} "
    assert not Profile.objects.filter(anonymised_at__isnull=False).exists()
    assert get_user_model().objects.filter(email__endswith="@anonyme.invalid").count() == 0


def test_real_run_anonymises_exactly_the_right_people(people):
    output = run()
    assert " 3 " in f" {output.strip().splitlines()[-1]} "
    for name, user in people.items():
        assert anonymised(user) == (name in EXPECTED), name
    # Names stay out of the real run's output (a cron mail, a log).
    assert people["ended_the_day_before_cutoff"].last_name not in output


def test_staff_are_never_anonymised(people):
    run("--years", "1")
    assert not anonymised(people["staff"])
    assert not anonymised(people["superuser"])


def test_a_second_run_finds_nobody(people):
    run()
    assert privacy_services.retention_candidates() == []
    assert " 0 " in f" {run().strip().splitlines()[-1]} "


def test_years_option_overrides_the_setting(people):
    found = {user.pk for user in privacy_services.retention_candidates(years=1)}
    # One year before today is 2025-06-15: a membership ended on 2025-06-01, an organisation's in 2024, count.
    assert people["ended_last_year"].pk in found
    assert people["old_own_but_organisation_recent"].pk in found
    assert people["ended_on_cutoff"].pk in found
    assert people["valid_today"].pk not in found and people["never_member_recent_account"].pk in found


def test_years_must_be_positive():
    with pytest.raises(CommandError):
        run("--years", "0")
