"""Who reads, writes and moderates which discussion space: the access policy's table, written out.

Every viewer kind of the `people` fixture meets every space kind of the `spaces` fixture. The expected
answers are spelled out below, row by row, so that a change of policy changes this table on purpose. The
lists (Space/Thread/Post.objects.readable_by) must give, in SQL, the same answer as the per-object functions.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from discussions import services
from discussions.models import Post, Space, Thread
from members import access
from members.access import Decision, Viewer
from tests.factories.discussions import answer, space_of, start
from tests.factories.members import make_member
from tests.factories.working_groups import make_group

VIEWERS = ["anonymous", "basic", "premium", "expired", "unsigned", "member", "outsider", "lead", "editor", "staff"]
SPACES = ["club", "thematic", "cluster", "private"]

FULL = (Decision.FULL, "")
LOGIN = (Decision.LOGIN, "")
CHARTER = (Decision.CHARTER, "")
NOT_FOUND = (Decision.NOT_FOUND, "")
PREMIUM_403 = (Decision.FORBIDDEN, "premium")
RENEWAL_403 = (Decision.FORBIDDEN, "renewal")

# viewer: {space: (read decision, may write, may moderate)}
TABLE = {
    "anonymous": {
        "club": (LOGIN, False, False),
        "thematic": (LOGIN, False, False),
        "cluster": (LOGIN, False, False),
        "private": (NOT_FOUND, False, False),
    },
    "basic": {
        "club": (FULL, True, False),
        "thematic": (FULL, False, False),  # members read a thematic group's space; its members speak
        "cluster": (PREMIUM_403, False, False),
        "private": (NOT_FOUND, False, False),
    },
    "premium": {
        "club": (FULL, True, False),
        "thematic": (FULL, False, False),
        "cluster": (FULL, True, False),  # every premium member takes part in a cluster's conversation
        "private": (NOT_FOUND, False, False),
    },
    "expired": {
        "club": (RENEWAL_403, False, False),
        "thematic": (RENEWAL_403, False, False),
        "cluster": (RENEWAL_403, False, False),
        "private": (NOT_FOUND, False, False),
    },
    "unsigned": {
        "club": (CHARTER, False, False),
        "thematic": (CHARTER, False, False),
        "cluster": (CHARTER, False, False),
        "private": (NOT_FOUND, False, False),
    },
    "member": {
        "club": (FULL, True, False),
        "thematic": (FULL, True, False),
        "cluster": (FULL, True, False),
        "private": (FULL, True, False),
    },
    "outsider": {
        "club": (FULL, True, False),
        "thematic": (FULL, False, False),
        "cluster": (FULL, True, False),
        "private": (NOT_FOUND, False, False),
    },
    "lead": {
        "club": (FULL, True, False),  # the club-wide space is the staff's to moderate
        "thematic": (FULL, True, True),
        "cluster": (FULL, True, True),
        "private": (FULL, True, True),
    },
    "editor": {  # a basic-tier technology-watch editor: no extra reach in the discussions
        "club": (FULL, True, False),
        "thematic": (FULL, False, False),
        "cluster": (PREMIUM_403, False, False),
        "private": (NOT_FOUND, False, False),
    },
    "staff": {
        "club": (FULL, True, True),
        "thematic": (FULL, True, True),
        "cluster": (FULL, True, True),
        "private": (FULL, True, True),
    },
}

CASES = [(who, where) for who in VIEWERS for where in SPACES]


def viewer_of(people, who):
    return Viewer(people[who] or AnonymousUser())


def outcome(decision):
    return decision.outcome, decision.reason


def test_the_table_covers_every_viewer_and_every_space():
    assert set(TABLE) == set(VIEWERS)
    assert all(set(row) == set(SPACES) for row in TABLE.values())


@pytest.mark.parametrize(("who", "where"), CASES)
def test_the_policy_decides_who_reads_writes_and_moderates_a_space(people, spaces, who, where):
    """One row of the table: the three answers read the same people and spaces, built once for them."""
    space = spaces[where]
    expected, may_write, may_moderate = TABLE[who][where]
    assert outcome(access.decide_conversation(viewer_of(people, who), *space.audience)) == expected
    assert outcome(services.decision(viewer_of(people, who), space)) == expected
    assert services.may_read(viewer_of(people, who), space) is (expected == FULL)
    assert services.may_write(viewer_of(people, who), space) is may_write
    assert services.may_moderate(viewer_of(people, who), space) is may_moderate


@pytest.mark.parametrize(("who", "where"), CASES)
def test_starting_a_thread_follows_the_table(people, spaces, who, where):
    """The write itself asks the same question: whoever may not write gets a DiscussionError, not a thread."""
    space = spaces[where]
    if TABLE[who][where][1]:
        post = services.start_thread(viewer_of(people, who), space, title="Bonjour", source="Premier message.")
        assert post.thread.space == space
    else:
        with pytest.raises(services.DiscussionError) as refused:
            services.start_thread(viewer_of(people, who), space, title="Bonjour", source="Premier message.")
        assert refused.value.status == 403
        assert not Thread.objects.filter(space=space).exists()


@pytest.fixture
def conversations(people, spaces):
    """One thread with a reply in every space (written by staff, who may write anywhere)."""
    staff = people["staff"]
    threads = {}
    for where, space in spaces.items():
        opening = start(staff, space, title=f"Sujet {where}")
        answer(staff, opening.thread)
        threads[where] = opening.thread
    return threads


@pytest.mark.parametrize("who", VIEWERS)
def test_lists_filter_in_sql_as_the_per_object_answer_does(people, spaces, conversations, who):
    viewer = viewer_of(people, who)
    every_space = list(Space.objects.all())
    assert set(Space.objects.readable_by(viewer)) == {s for s in every_space if services.may_read(viewer, s)}
    threads = list(Thread.objects.select_related("space__group"))
    assert set(Thread.objects.readable_by(viewer)) == {t for t in threads if services.may_read(viewer, t.space)}
    posts = list(Post.objects.select_related("thread__space__group"))
    assert set(Post.objects.readable_by(viewer)) == {p for p in posts if services.may_read(viewer, p.thread.space)}
    # And what it reads is exactly the table's FULL column.
    readable_fixture_spaces = {where for where in SPACES if TABLE[who][where][0] == FULL}
    assert {w for w, t in conversations.items() if t in set(Thread.objects.readable_by(viewer))} == (
        readable_fixture_spaces
    )


def test_a_club_wide_space_is_readable_by_members_from_the_migration(people):
    club_wide = Space.objects.get(slug="questions-aux-pairs")
    assert services.may_read(Viewer(people["basic"]), club_wide)
    assert not services.may_read(Viewer(AnonymousUser()), club_wide)


# --- A group page unpublished, a group made private --------------------------------------------------------


@pytest.mark.parametrize("who", VIEWERS)
def test_an_unpublished_group_page_closes_its_space_to_everyone(people, spaces, conversations, who):
    """The services answer NOT_FOUND for a space whose group page is not live, to its members, its leads and
    staff alike (services._space_open does not except staff): the group is gone from the site, its
    conversation with it. Nobody writes or moderates there, and no list shows it."""
    space = spaces["thematic"]
    space.group.unpublish()
    space = Space.objects.select_related("group").get(pk=space.pk)
    viewer = viewer_of(people, who)
    assert outcome(services.decision(viewer, space)) == NOT_FOUND
    assert not services.may_read(viewer, space)
    assert not services.may_write(viewer, space)
    assert not services.may_moderate(viewer, space)
    assert space not in set(Space.objects.readable_by(viewer))
    assert conversations["thematic"] not in set(Thread.objects.readable_by(viewer))
    assert not Post.objects.readable_by(viewer).filter(thread=conversations["thematic"]).exists()


def test_an_unpublished_group_page_refuses_a_reply_even_from_its_members(people, spaces, conversations):
    spaces["private"].group.unpublish()
    thread = Thread.objects.select_related("space__group").get(pk=conversations["private"].pk)
    with pytest.raises(services.DiscussionError):
        services.reply(Viewer(people["member"]), thread, source="Encore là ?")


def test_a_group_made_private_takes_its_space_and_threads_with_it_at_once(people, spaces, conversations):
    space = spaces["thematic"]
    basic, member = Viewer(people["basic"]), Viewer(people["member"])
    assert conversations["thematic"] in set(Thread.objects.readable_by(basic))

    page = space.group
    page.visibility = "private"
    page.save()
    access.refresh_page_audience(page)

    space = Space.objects.select_related("group").get(pk=space.pk)
    assert space.audience == ("group", "group", page.pk)
    basic, member, outsider = Viewer(people["basic"]), Viewer(people["member"]), Viewer(people["outsider"])
    assert outcome(services.decision(basic, space)) == NOT_FOUND
    assert outcome(services.decision(outsider, space)) == NOT_FOUND
    assert services.may_read(member, space)
    assert conversations["thematic"] not in set(Thread.objects.readable_by(basic))
    assert not Post.objects.readable_by(outsider).filter(thread=conversations["thematic"]).exists()
    assert conversations["thematic"] in set(Thread.objects.readable_by(member))


def test_a_group_made_public_again_opens_its_space_again(people, spaces):
    space = spaces["private"]
    page = space.group
    page.visibility = "members"
    page.save()
    access.refresh_page_audience(page)
    space.refresh_from_db()
    assert space.audience == ("members", "members", None)
    assert services.may_read(Viewer(people["basic"]), space)


# --- Moderation reach ------------------------------------------------------------------------------------


def test_a_lead_moderates_only_their_own_group_s_space(groups_index, people, spaces):
    other_lead = make_member("premium", first_name="Olga", last_name="Autre")
    other = space_of(make_group(groups_index, title="Achats IT", leads=[other_lead]))
    lead, other_viewer = Viewer(people["lead"]), Viewer(other_lead)

    assert not services.may_moderate(lead, other)
    assert services.may_moderate(other_viewer, other)
    assert not services.may_moderate(other_viewer, spaces["thematic"])
    assert not services.may_moderate(other_viewer, spaces["club"])
    assert not services.may_moderate(lead, spaces["club"])
    assert services.may_moderate(Viewer(people["staff"]), other)


def test_a_lead_of_one_group_may_not_reply_to_a_locked_thread_of_another(groups_index, people, spaces):
    other_lead = make_member("premium", first_name="Olga", last_name="Autre")
    group = make_group(groups_index, title="Achats IT", leads=[other_lead])
    opening = start(other_lead, space_of(group))
    Thread.objects.filter(pk=opening.thread_id).update(locked=True)
    thread = Thread.objects.select_related("space__group").get(pk=opening.thread_id)
    # people["lead"] reads it (every member reads a thematic group) but does not moderate it.
    assert services.may_read(Viewer(people["lead"]), thread.space)
    assert not services.may_reply(Viewer(people["lead"]), thread)
    assert services.may_reply(Viewer(other_lead), thread)


def test_an_expired_lead_moderates_nothing(groups_index, people):
    """A lead whose membership ended is a visitor again: their group roles count only while a member."""
    lapsed = make_member("premium", expired=True, first_name="Luc", last_name="Lapsed")
    space = space_of(make_group(groups_index, title="Cloud souverain", leads=[lapsed]))
    assert not services.may_moderate(Viewer(lapsed), space)
    assert not services.may_write(Viewer(lapsed), space)


def test_an_editor_gets_no_extra_reach(people, spaces):
    editor = Viewer(people["editor"])
    assert editor.is_techwatch_editor
    assert outcome(services.decision(editor, spaces["cluster"])) == PREMIUM_403
    assert outcome(services.decision(editor, spaces["private"])) == NOT_FOUND
    assert not any(services.may_moderate(editor, space) for space in spaces.values())
    assert set(Space.objects.readable_by(editor)) == set(Space.objects.readable_by(Viewer(people["basic"])))


def test_who_writes_follows_the_group_s_new_visibility(people, spaces):
    """A private group opened to every member lets only its members speak, like any thematic group; made
    private again, every reader (its members) writes."""
    space = spaces["private"]
    assert space.posting == Space.Posting.READERS
    page = space.group
    page.visibility = "members"
    page.save()
    access.refresh_page_audience(page)
    space.refresh_from_db()
    assert space.posting == Space.Posting.GROUP
    assert services.may_read(Viewer(people["basic"]), space)
    assert not services.may_write(Viewer(people["basic"]), space)
    assert services.may_write(Viewer(people["member"]), space)
    page.visibility = "private"
    page.save()
    access.refresh_page_audience(page)
    space.refresh_from_db()
    assert space.posting == Space.Posting.READERS
