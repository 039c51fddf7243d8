"""The staff's admin of discussion spaces: club-wide spaces are created there; nobody else reaches it."""

import pytest

from discussions.models import Space

LIST = "/admin/discussions/espaces/"


def test_staff_list_every_space_and_create_a_club_wide_one(client, spaces, people):
    client.force_login(people["staff"])
    html = client.get(LIST).content.decode()
    for space in spaces.values():
        assert space.title in html
    data = {"title": "Achats IT", "slug": "achats-it", "description": "", "posting": "readers", "position": 5}
    response = client.post(LIST + "new/", data)
    assert response.status_code == 302
    created = Space.objects.get(slug="achats-it")
    # A club-wide space is for members: the audience is not chosen in the admin.
    audience = (created.group_id, created.know, created.read, created.audience_group_id)
    assert audience == (None, "members", "members", None)


def test_an_address_the_discussions_use_themselves_is_refused(client, spaces, people):
    client.force_login(people["staff"])
    response = client.post(LIST + "new/", {"title": "Q", "slug": "questions", "posting": "readers", "position": 1})
    assert response.status_code == 200
    assert not Space.objects.filter(slug="questions").exists()
    assert 'id="panel-child-slug-section"' in response.content.decode() or "error" in response.content.decode()


def test_spaces_are_not_deleted_from_the_admin(client, spaces, people):
    client.force_login(people["staff"])
    space = spaces["club"]
    response = client.post(f"{LIST}delete/{space.pk}/")
    assert response.status_code in (302, 403)
    assert Space.objects.filter(pk=space.pk).exists()


@pytest.mark.parametrize("kind", ["basic", "premium", "member", "lead", "editor"])
def test_nobody_but_staff_reaches_the_spaces_admin(client, spaces, people, kind):
    client.force_login(people[kind])
    response = client.get(LIST)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/admin/" in response["Location"] and LIST not in response["Location"].split("?")[0]
