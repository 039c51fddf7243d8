"""The `@` suggestions: members who may read the space, whose handle or name starts with what was typed, at
most 8, never an e-mail address; asked only by someone who may write there; bad input is a 4xx, never a 500."""

import pytest
from django.urls import reverse

from discussions import services
from tests.factories.discussions import start
from tests.factories.members import make_member

pytestmark = pytest.mark.django_db

URL = reverse("discussions:mention_candidates")


def ask(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def handles(response):
    assert response.status_code == 200, response.content
    return {row["handle"] for row in response.json()}


@pytest.mark.parametrize(
    "kind, readers",
    [
        ("club", {"basic", "premium", "member", "outsider", "editor", "staff"}),
        ("cluster", {"premium", "member", "outsider", "staff"}),
        ("private", {"member", "staff"}),
    ],
)
def test_only_members_who_may_read_the_space_are_offered(client, people, spaces, kind, readers):
    # Every person's handle starts with their first name; ask for each in turn.
    offered = set()
    for name, user in people.items():
        if user is None or name == "lead":
            continue
        found = handles(ask(client, people["lead"], espace=spaces[kind].pk, q=user.first_name[:2]))
        if services.handle_for(user) in found:
            offered.add(name)
    assert offered == readers


def test_an_outsider_of_a_private_space_is_never_listed_even_by_exact_handle(client, people, spaces):
    outsider = services.handle_for(people["outsider"])
    thread = start(people["lead"], spaces["private"]).thread
    assert handles(ask(client, people["member"], sujet=thread.pk, q=outsider)) == set()
    assert handles(ask(client, people["member"], espace=spaces["club"].pk, q=outsider)) == {outsider}


def test_names_and_handles_match_from_their_start_case_insensitive(client, people, spaces):
    gina = services.handle_for(people["member"])
    for q in ("gi", "GINA", "mem", "@gina"):
        assert gina in handles(ask(client, people["lead"], espace=spaces["club"].pk, q=q)), q
    assert gina not in handles(ask(client, people["lead"], espace=spaces["club"].pk, q="ina"))
    assert handles(ask(client, people["lead"], espace=spaces["club"].pk, q="")) == set()


def test_at_most_eight_active_members_and_never_an_email_address(client, people, spaces):
    for n in range(12):
        make_member("basic", first_name="Zoé", last_name=f"Zèbre{n}", email=f"zoe{n}@example.com")
    quitter = make_member("basic", first_name="Zoé", last_name="Partie")
    quitter.is_active = False
    quitter.save(update_fields=["is_active"])

    response = ask(client, people["lead"], espace=spaces["club"].pk, q="zo")
    rows = response.json()
    assert len(rows) == 8
    assert all(set(row) == {"handle", "name"} for row in rows)
    assert "@" not in response.content.decode().replace('"handle"', "")
    assert services.handle_for(quitter) not in {row["handle"] for row in rows}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "name, kind",
    [("outsider", "private"), ("basic", "cluster"), ("expired", "club"), ("unsigned", "club"), ("basic", "thematic")],
)
def test_someone_who_may_not_write_in_the_space_gets_404(client, people, spaces, name, kind):
    # A basic member reads the thematic group's space but only its members post there.
    assert ask(client, people[name], espace=spaces[kind].pk, q="g").status_code == 404


def test_visitors_get_404(client, spaces):
    assert client.get(URL, {"espace": spaces["club"].pk, "q": "g"}).status_code == 404


@pytest.mark.parametrize(
    "params, status",
    [
        ({}, 400),
        ({"espace": "abc"}, 400),
        ({"espace": "-1"}, 400),
        ({"espace": "9" * 40}, 400),
        ({"sujet": "1e5"}, 400),
        ({"espace": "999999"}, 404),
        ({"sujet": "999999"}, 404),
        ({"espace": "\x00"}, 400),
    ],
)
def test_bad_or_missing_ids_are_a_4xx_json_answer(client, people, params, status):
    response = ask(client, people["staff"], q="a", **params)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"


def test_a_nul_byte_in_the_query_is_harmless(client, people, spaces):
    assert ask(client, people["lead"], espace=spaces["club"].pk, q="\x00g").status_code == 200


def test_post_is_refused(client, people, spaces):
    client.force_login(people["lead"])
    assert client.post(URL + f"?espace={spaces['club'].pk}&q=g").status_code == 405
