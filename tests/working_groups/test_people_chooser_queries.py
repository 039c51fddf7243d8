"""The people chooser of a meeting note costs the same queries whatever the group's size, and reads
only what names a person (DESIGN.md, performance targets)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.members import ProfileFactory, make_member, make_staff
from tests.factories.working_groups import make_group, make_lead
from working_groups import services

pytestmark = pytest.mark.django_db

# Measured on Wagtail 8.0.1 / SQLite, warm: Wagtail's add view (permissions, the parent, the panels, the user
# bar) and the access policy; the chooser's own list is two of them.
ADD_FORM_BUDGET = 30


def add_form_url(group):
    return reverse("wagtailadmin_pages:add", args=["working_groups", "meetingnotepage", group.pk])


def add_form_queries(client, group):
    url = add_form_url(group)
    assert client.get(url).status_code == 200  # per-process caches (site root, hooks, content types)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_the_people_chooser_costs_the_same_queries_with_3_or_30_members(
    client, groups_index, django_assert_max_num_queries
):
    staff = make_staff()
    group = make_group(groups_index, title="Gouvernance IT")
    client.force_login(make_lead(group, staff))
    counts = []
    for size in (3, 30):
        while group.memberships.count() < size:
            person = make_member("basic")
            ProfileFactory(user=person, display_name=f"Personne {person.pk}")
            services.add_member(group, person, by=staff)
        queries = add_form_queries(client, group)
        people = [sql for sql in queries if 'FROM "auth_user" INNER JOIN "working_groups_groupmembership"' in sql]
        # Wagtail's add view reads the field's choices twice: two queries for 3 people or 30, never one per person.
        assert len(people) == 2 and all('"auth_user"."password"' not in sql for sql in people)
        counts.append(len(queries))
    assert counts[1] == counts[0], counts
    with django_assert_max_num_queries(ADD_FORM_BUDGET):
        assert client.get(add_form_url(group)).status_code == 200
