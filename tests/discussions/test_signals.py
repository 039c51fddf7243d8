"""Spaces follow their groups: every working group and cluster gets its space when it is saved, with its
page's audiences and the posting rule of its kind; a renamed group renames its space; a space's address is
unique and never one of the discussions' fixed words. The club-wide space comes with the migrations."""

import re

import pytest

from discussions import signals
from discussions.models import Space
from tests.factories.discussions import space_of
from tests.factories.working_groups import make_group


@pytest.mark.parametrize(
    ("kind", "visibility", "posting", "audience"),
    [
        ("thematic", "members", "group", ("members", "members", False)),
        ("cluster", "premium", "readers", ("members", "premium", False)),
        ("thematic", "private", "readers", ("group", "group", True)),
        ("thematic", "premium", "readers", ("members", "premium", False)),
        ("cluster", "private", "readers", ("group", "group", True)),
    ],
)
def test_a_new_group_gets_its_space_with_its_posting_rule_and_audiences(groups_index, kind, visibility, posting,
                                                                         audience):
    group = make_group(groups_index, title="Pilotage des fournisseurs", kind=kind, visibility=visibility)
    space = space_of(group)
    assert space.title == "Pilotage des fournisseurs"
    assert space.slug == "pilotage-des-fournisseurs"
    assert space.posting == posting
    know, read, has_group = audience
    assert (space.know, space.read) == (know, read)
    assert space.audience_group_id == (group.pk if has_group else None)
    assert not space.is_club_wide
    assert space.posters_group_id == (group.pk if posting == "group" else None)


def test_a_group_saved_again_keeps_one_space(groups_index):
    group = make_group(groups_index, title="Gouvernance IT")
    space = space_of(group)
    group.purpose = "<p>Nouvelle mission.</p>"
    group.save()
    group.save_revision().publish()
    assert Space.objects.filter(group=group).count() == 1
    assert space_of(group).pk == space.pk


def test_renaming_a_group_renames_its_space_and_keeps_its_address(groups_index):
    group = make_group(groups_index, title="Gouvernance IT")
    group.title = "Gouvernance et pilotage IT"
    group.save()
    space = space_of(group)
    assert space.title == "Gouvernance et pilotage IT"
    assert space.slug == "gouvernance-it"  # links already sent in e-mails keep working


def test_renaming_through_a_published_revision_renames_the_space(groups_index):
    group = make_group(groups_index, title="Data centers")
    group.title = "Centres de données"
    group.save_revision().publish()
    assert space_of(group).title == "Centres de données"


def test_two_groups_with_the_same_title_get_two_addresses(groups_index, home_page):
    from tests.factories.working_groups import WorkingGroupIndexPageFactory

    other_index = WorkingGroupIndexPageFactory(parent=home_page, title="Grappes", slug="grappes")
    first = make_group(groups_index, title="Sécurité")
    second = make_group(other_index, title="Sécurité", kind="cluster", visibility="premium")
    assert space_of(first).slug == "securite"
    assert space_of(second).slug == "securite-2"


@pytest.mark.parametrize("word", sorted(signals.RESERVED_SLUGS))
def test_a_space_never_takes_a_fixed_word_of_the_discussions_addresses(groups_index, word):
    group = make_group(groups_index, title=word.replace("-", " ").capitalize())
    slug = space_of(group).slug
    assert slug not in signals.RESERVED_SLUGS
    assert slug.startswith(word)


def test_a_group_titled_questions_does_not_hide_the_unanswered_questions(groups_index, client):
    from django.urls import resolve, reverse

    group = make_group(groups_index, title="Questions")
    space = space_of(group)
    assert space.slug == "questions-espace"
    assert resolve(reverse("discussions:unanswered")).url_name == "unanswered"
    assert resolve(space.get_absolute_url()).url_name == "space"


def test_the_reserved_words_are_every_fixed_word_of_the_discussions_addresses():
    from discussions.urls import urlpatterns

    fixed = set()
    for pattern in urlpatterns:
        match = re.match(r"^discussions/([^/<]+)/", str(pattern.pattern))
        if match:
            fixed.add(match.group(1))
    assert fixed <= signals.RESERVED_SLUGS, fixed - signals.RESERVED_SLUGS


def test_a_title_that_makes_no_address_still_gets_one(groups_index):
    group = make_group(groups_index, title="???", slug="groupe-a")
    assert space_of(group).slug == "espace"
    other = make_group(groups_index, title="!!!", slug="groupe-b")
    assert space_of(other).slug == "espace-2"


def test_a_long_title_makes_an_address_that_fits(groups_index):
    group = make_group(groups_index, title="Transformation numérique " * 8)
    slug = space_of(group).slug
    assert len(slug) <= 80
    assert slug == slug.strip("-")[: len(slug)]


def test_a_group_s_address_does_not_take_the_club_wide_space_s(groups_index):
    group = make_group(groups_index, title="Questions aux pairs")
    assert space_of(group).slug == "questions-aux-pairs-2"


def test_deleting_a_group_deletes_its_space(groups_index):
    group = make_group(groups_index, title="Éphémère")
    space_pk = space_of(group).pk
    group.delete()
    assert not Space.objects.filter(pk=space_pk).exists()


def test_the_migrations_give_the_club_its_club_wide_space(db):
    space = Space.objects.get(slug="questions-aux-pairs")
    assert space.title == "Questions aux pairs"
    assert space.is_club_wide
    assert space.audience == ("members", "members", None)
    assert space.posting == Space.Posting.READERS
    assert space.position == 0
    assert list(Space.objects.filter(group__isnull=True)) == [space]
    assert list(Space.objects.open()) == [space]  # and it comes first among the spaces in use


def test_a_group_with_a_title_longer_than_a_space_s_still_gets_its_space(groups_index):
    group = make_group(groups_index, title="Gouvernance " * 20 + "IT", slug="gouvernance-longue")
    assert len(group.title) > 200
    space = space_of(group)
    assert len(space.title) <= Space._meta.get_field("title").max_length
