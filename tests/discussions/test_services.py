"""The discussions' writes: start, reply, edit, delete, mark the solution, follow; their counters, numbers,
history and audit entries; what they refuse (and with which status); rate limits; mentions and handles."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from wagtail.models import ModelLogEntry

from discussions import markup, services
from discussions.models import Follow, MemberHandle, Mention, Post, PostRevision, Space, Thread
from members.access import Viewer
from tests.factories.discussions import answer, start
from tests.factories.members import make_member, make_staff


def fresh(obj):
    obj.refresh_from_db()
    return obj


def status_of(call, *args, **kwargs):
    with pytest.raises(services.DiscussionError) as refused:
        call(*args, **kwargs)
    return refused.value.status


def actions_on(thread):
    return list(
        ModelLogEntry.objects.filter(object_id=str(thread.pk), action__startswith="cercle.discussions.")
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )


# --- Start and reply ---------------------------------------------------------------------------------------


def test_starting_a_thread_writes_post_one_and_counts_it(people, spaces):
    space, author = spaces["club"], people["basic"]
    opening = start(author, space, title="  Quel  outil de  ticketing ?  ", text="Vos retours ?", is_question=True)
    thread = fresh(opening.thread)
    assert opening.number == 1 and opening.is_opening
    assert thread.title == "Quel outil de ticketing ?"  # spaces folded
    assert thread.is_question and thread.author == author and thread.last_author == author
    assert thread.post_count == 1 and thread.reply_count == 0
    space = fresh(space)
    assert (space.thread_count, space.post_count) == (1, 1)
    assert space.last_activity_at == thread.last_activity_at
    assert Follow.objects.filter(user=author, thread=thread).exists()
    assert actions_on(thread) == ["cercle.discussions.start"]


def test_replies_are_numbered_one_after_another_and_counted(people, spaces):
    space = spaces["club"]
    opening = start(people["basic"], space)
    thread = opening.thread
    repliers = [people["premium"], people["member"], people["basic"], people["staff"]]
    posts = [answer(user, thread, text=f"Réponse {n}") for n, user in enumerate(repliers, start=2)]
    assert [p.number for p in posts] == [2, 3, 4, 5]
    assert list(Post.objects.filter(thread=thread).values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    thread = fresh(thread)
    assert thread.post_count == 5 and thread.reply_count == 4
    assert thread.last_author == people["staff"]
    assert thread.last_activity_at == posts[-1].created_at
    space = fresh(space)
    assert (space.thread_count, space.post_count) == (1, 5)
    followers = set(Follow.objects.filter(thread=thread).values_list("user_id", flat=True))
    assert followers == {people["basic"].pk, people["premium"].pk, people["member"].pk, people["staff"].pk}
    assert actions_on(thread) == ["cercle.discussions.start"] + ["cercle.discussions.reply"] * 4


def test_a_second_thread_counts_in_its_space_only(people, spaces):
    start(people["member"], spaces["club"])
    start(people["member"], spaces["private"])
    start(people["member"], spaces["private"])
    assert fresh(spaces["club"]).thread_count == 1
    assert fresh(spaces["private"]).thread_count == 2
    assert fresh(spaces["cluster"]).thread_count == 0


def test_the_same_submission_sent_twice_is_one_post(people, spaces):
    space, author = spaces["club"], people["basic"]
    first = start(author, space, submission_key="k-thread-1")
    again = start(author, space, submission_key="k-thread-1")
    assert again.pk == first.pk
    assert Thread.objects.filter(space=space).count() == 1
    reply = answer(people["premium"], first.thread, submission_key="k-reply-1")
    resent = answer(people["premium"], first.thread, text="Une autre version", submission_key="k-reply-1")
    assert resent.pk == reply.pk
    thread, space = fresh(first.thread), fresh(space)
    assert thread.post_count == 2
    assert (space.thread_count, space.post_count) == (1, 2)
    assert actions_on(thread) == ["cercle.discussions.start", "cercle.discussions.reply"]


def test_a_submission_key_is_one_person_s_own(people, spaces):
    """Two people whose forms happen to carry the same key write two posts."""
    opening = start(people["basic"], spaces["club"])
    mine = answer(people["premium"], opening.thread, submission_key="same-key")
    theirs = answer(people["member"], opening.thread, submission_key="same-key")
    assert mine.pk != theirs.pk
    assert fresh(opening.thread).post_count == 3


def test_a_reply_quotes_a_shown_post_of_its_own_thread_only(people, spaces):
    opening = start(people["basic"], spaces["club"])
    other = start(people["basic"], spaces["club"], title="Autre sujet")
    quoting = answer(people["premium"], opening.thread, quoted=opening)
    assert quoting.quoted == opening
    assert status_of(answer, people["premium"], opening.thread, quoted=other) == 400
    gone = answer(people["member"], opening.thread)
    services.delete_post(Viewer(people["member"]), gone)
    assert status_of(answer, people["premium"], opening.thread, quoted=fresh(gone)) == 400


# --- What a write refuses ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t \n"])
def test_an_empty_message_is_a_400(people, spaces, text):
    assert status_of(start, people["basic"], spaces["club"], text=text) == 400
    opening = start(people["basic"], spaces["club"])
    assert status_of(answer, people["basic"], opening.thread, text=text) == 400
    assert fresh(opening.thread).post_count == 1


@pytest.mark.parametrize("title", ["", "   ", "x" * 201])
def test_a_thread_needs_a_title_of_at_most_200_characters(people, spaces, title):
    assert status_of(start, people["basic"], spaces["club"], title=title) == 400
    assert not Thread.objects.filter(space=spaces["club"]).exists()


def test_a_message_too_long_is_a_413_and_nothing_is_written(people, spaces, settings):
    settings.CERCLE_DISCUSSION_MAX_LENGTH = 50
    assert status_of(start, people["basic"], spaces["club"], text="x" * 51) == 413
    assert not Thread.objects.filter(space=spaces["club"]).exists()
    opening = start(people["basic"], spaces["club"], text="x" * 50)
    assert status_of(answer, people["premium"], opening.thread, text="y" * 51) == 413
    assert status_of(services.edit_post, Viewer(people["basic"]), opening, source="z" * 51) == 413
    assert fresh(opening.thread).post_count == 1
    assert fresh(opening).source == "x" * 50


def test_a_nul_byte_is_a_400_not_a_database_error(people, spaces):
    assert status_of(start, people["basic"], spaces["club"], text="avant\x00après") == 400
    opening = start(people["basic"], spaces["club"])
    assert status_of(answer, people["basic"], opening.thread, text="\x00") == 400


def test_a_locked_thread_takes_replies_from_its_moderators_only(people, spaces):
    opening = start(people["member"], spaces["cluster"])
    Thread.objects.filter(pk=opening.thread_id).update(locked=True)
    thread = Thread.objects.select_related("space__group").get(pk=opening.thread_id)
    assert status_of(answer, people["member"], thread) == 409
    assert status_of(answer, people["premium"], thread) == 409
    assert answer(people["lead"], thread).number == 2
    assert answer(people["staff"], thread).number == 3
    assert fresh(thread).post_count == 3


def test_a_reader_who_may_not_write_gets_a_403(people, spaces):
    opening = start(people["member"], spaces["thematic"])
    assert status_of(answer, people["basic"], opening.thread) == 403
    assert status_of(answer, people["outsider"], opening.thread) == 403


# --- Edit and delete ---------------------------------------------------------------------------------------


def test_an_edit_keeps_the_earlier_text_in_the_history(people, spaces):
    author = Viewer(people["basic"])
    opening = start(people["basic"], spaces["club"], text="Première version")
    written_at = opening.created_at
    services.edit_post(author, opening, source="Deuxième version")
    services.edit_post(author, fresh(opening), source="Troisième **version**")
    post = fresh(opening)
    assert post.source == "Troisième **version**"
    assert "<strong>version</strong>" in post.html
    assert post.edited_at is not None
    revisions = list(PostRevision.objects.filter(post=post).order_by("replaced_at", "pk"))
    assert [r.source for r in revisions] == ["Première version", "Deuxième version"]
    assert revisions[0].written_at == written_at
    assert all(r.replaced_by == people["basic"] for r in revisions)
    assert actions_on(post.thread).count("cercle.discussions.edit") == 2


def test_an_edit_that_changes_nothing_writes_no_revision(people, spaces):
    opening = start(people["basic"], spaces["club"], text="Pareil")
    services.edit_post(Viewer(people["basic"]), opening, source="Pareil")
    assert not PostRevision.objects.filter(post=opening).exists()
    assert fresh(opening).edited_at is None


def test_the_title_changes_only_with_the_opening_post(people, spaces):
    opening = start(people["basic"], spaces["club"], title="Titre d'origine")
    services.edit_post(Viewer(people["basic"]), opening, source="Texte revu", title="Titre  revu")
    assert fresh(opening.thread).title == "Titre revu"
    reply = answer(people["basic"], opening.thread)
    services.edit_post(Viewer(people["basic"]), reply, source="Réponse revue", title="Pas un titre")
    assert fresh(opening.thread).title == "Titre revu"
    assert status_of(services.edit_post, Viewer(people["basic"]), fresh(opening), source="Texte", title=" ") == 400


def test_only_the_author_edits_or_deletes_a_post(people, spaces):
    opening = start(people["member"], spaces["private"], text="Le mien")
    for who in ["lead", "staff", "basic", "outsider"]:
        assert status_of(services.edit_post, Viewer(people[who]), opening, source="Réécrit") == 403
        assert status_of(services.delete_post, Viewer(people[who]), opening) == 403
    assert fresh(opening).source == "Le mien" and fresh(opening).deleted_at is None


def test_a_deleted_post_stays_in_the_thread_as_deleted(people, spaces):
    opening = start(people["basic"], spaces["club"])
    reply = answer(people["premium"], opening.thread, text="Mon avis")
    services.delete_post(Viewer(people["premium"]), reply)
    post = fresh(reply)
    assert post.is_deleted and not post.is_shown
    assert Post.objects.filter(pk=reply.pk).exists()
    assert list(Post.objects.filter(thread=opening.thread).shown()) == [opening]
    thread = fresh(opening.thread)
    assert thread.post_count == 2  # numbers and counts do not move: the thread still reads
    assert actions_on(thread)[-1] == "cercle.discussions.delete"
    # Deleted is final for its author: no edit, no second deletion.
    assert status_of(services.edit_post, Viewer(people["premium"]), post, source="Ressuscité") == 403
    assert status_of(services.delete_post, Viewer(people["premium"]), post) == 403
    assert answer(people["basic"], thread).number == 3


def test_a_member_who_lost_access_may_no_longer_edit(people, spaces, groups_index):
    opening = start(people["member"], spaces["private"])
    spaces["private"].group.memberships.filter(user=people["member"]).delete()
    assert status_of(services.edit_post, Viewer(people["member"]), opening, source="Trop tard") == 403


# --- Solutions ---------------------------------------------------------------------------------------------


@pytest.fixture
def question(people, spaces):
    """A question in the cluster, asked by `premium`, answered by `member` and `outsider`."""
    opening = start(people["premium"], spaces["cluster"], title="SIEM ?", text="Lequel ?", is_question=True)
    first = answer(people["member"], opening.thread, text="Celui-ci.")
    second = answer(people["outsider"], opening.thread, text="Plutôt celui-là.")
    return opening, first, second


def test_the_question_s_author_marks_a_reply_as_its_solution(people, question):
    opening, first, _second = question
    services.mark_solution(Viewer(people["premium"]), first)
    thread = fresh(opening.thread)
    assert thread.solution == first and thread.is_solved
    assert actions_on(thread)[-1] == "cercle.discussions.solve"
    services.unmark_solution(Viewer(people["premium"]), thread)
    assert fresh(thread).solution is None
    assert actions_on(thread)[-1] == "cercle.discussions.unsolve"


@pytest.mark.parametrize(("who", "allowed"), [("lead", True), ("staff", True), ("member", False), ("outsider", False)])
def test_besides_the_author_only_a_moderator_marks_the_solution(people, question, who, allowed):
    opening, _first, second = question
    if allowed:
        services.mark_solution(Viewer(people[who]), second)
        assert fresh(opening.thread).solution == second
    else:
        assert status_of(services.mark_solution, Viewer(people[who]), second) == 403
        assert status_of(services.unmark_solution, Viewer(people[who]), opening.thread) == 403
        assert fresh(opening.thread).solution is None


def test_the_solution_is_a_shown_reply(people, question):
    opening, first, second = question
    author = Viewer(people["premium"])
    assert status_of(services.mark_solution, author, opening) == 400
    services.delete_post(Viewer(people["outsider"]), second)
    assert status_of(services.mark_solution, author, fresh(second)) == 400
    Post.objects.filter(pk=first.pk).update(hidden_at=timezone.now())
    assert status_of(services.mark_solution, author, fresh(first)) == 400
    assert fresh(opening.thread).solution is None


def test_a_thread_that_is_not_a_question_has_no_solution(people, spaces):
    opening = start(people["basic"], spaces["club"], is_question=False)
    reply = answer(people["premium"], opening.thread)
    assert status_of(services.mark_solution, Viewer(people["basic"]), reply) == 403
    assert status_of(services.mark_solution, Viewer(people["staff"]), reply) == 403


def test_deleting_the_solution_unmarks_it(people, question):
    opening, first, _second = question
    services.mark_solution(Viewer(people["premium"]), first)
    services.delete_post(Viewer(people["member"]), fresh(first))
    assert fresh(opening.thread).solution is None


# --- Following ---------------------------------------------------------------------------------------------


def test_members_follow_and_unfollow_what_they_may_read(people, spaces):
    opening = start(people["member"], spaces["private"])
    services.follow(Viewer(people["lead"]), thread=opening.thread)
    services.follow(Viewer(people["lead"]), thread=opening.thread)  # twice is once
    services.follow(Viewer(people["basic"]), space=spaces["club"])
    assert Follow.objects.filter(user=people["lead"], thread=opening.thread).count() == 1
    assert Follow.objects.filter(user=people["basic"], space=spaces["club"]).exists()
    assert status_of(services.follow, Viewer(people["outsider"]), thread=opening.thread) == 404
    assert status_of(services.follow, Viewer(people["basic"]), space=spaces["private"]) == 404
    assert status_of(services.follow, Viewer(people["basic"]), space=spaces["cluster"]) == 404
    services.unfollow(people["lead"], thread=opening.thread)
    services.unfollow(people["basic"], space=spaces["club"])
    assert not Follow.objects.filter(user__in=[people["lead"], people["basic"]]).exists()


# --- Rate limits -------------------------------------------------------------------------------------------


@pytest.fixture
def limits(settings):
    settings.CERCLE_DISCUSSION_WINDOW_MINUTES = 10
    settings.CERCLE_DISCUSSION_POSTS_PER_WINDOW = 3
    settings.CERCLE_DISCUSSION_THREADS_PER_WINDOW = 2
    settings.CERCLE_DISCUSSION_MENTIONS_PER_WINDOW = 2
    return settings


@pytest.mark.rate_limits
def test_too_many_posts_in_the_window_is_a_429_until_it_passes(people, spaces, limits):
    author = people["basic"]
    opening = start(author, spaces["club"])
    answer(author, opening.thread)
    answer(author, opening.thread)
    with pytest.raises(services.RateLimited) as refused:
        answer(author, opening.thread, text="La quatrième")
    assert refused.value.status == 429
    assert "10" in str(refused.value)
    assert fresh(opening.thread).post_count == 3
    assert answer(people["premium"], opening.thread).number == 4  # others are not held back
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11), tick=True):
        assert answer(author, opening.thread, text="La quatrième").number == 5


@pytest.mark.rate_limits
def test_too_many_threads_in_the_window_is_a_429_and_leaves_no_empty_thread(people, spaces, limits):
    author = people["basic"]
    start(author, spaces["club"], title="Un")
    start(author, spaces["club"], title="Deux")
    with pytest.raises(services.RateLimited):
        start(author, spaces["club"], title="Trois")
    assert list(Thread.objects.filter(space=spaces["club"]).values_list("title", flat=True).order_by("pk")) == [
        "Un",
        "Deux",
    ]
    assert fresh(spaces["club"]).thread_count == 2
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11), tick=True):
        assert start(author, spaces["club"], title="Trois").thread.title == "Trois"


@pytest.mark.rate_limits
def test_too_many_mentions_in_the_window_is_a_429(people, spaces, limits):
    author = people["basic"]
    handles = [services.handle_for(people[who]) for who in ("premium", "member", "outsider")]
    opening = start(author, spaces["club"], text=f"@{handles[0]} et @{handles[1]}, un avis ?")
    assert Mention.objects.filter(post=opening).count() == 2
    with pytest.raises(services.RateLimited):
        answer(author, opening.thread, text=f"Et @{handles[2]} ?")
    answer(author, opening.thread, text="Sans mention, ça passe.")
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11), tick=True):
        post = answer(author, opening.thread, text=f"Et @{handles[2]} ?")
        assert Mention.objects.filter(post=post, user=people["outsider"]).exists()


@pytest.mark.rate_limits
def test_staff_are_not_rate_limited(people, spaces, limits):
    staff = people["staff"]
    for n in range(4):
        opening = start(staff, spaces["club"], title=f"Annonce {n}")
        answer(staff, opening.thread)
    assert Post.objects.filter(author=staff).count() == 8


@pytest.mark.rate_limits
def test_the_default_limits_hold_from_the_settings(people, spaces, settings):
    """Without the fixture's settings, the shipped defaults apply (10 posts, 3 threads per 10 minutes)."""
    author = people["basic"]
    for n in range(settings.CERCLE_DISCUSSION_THREADS_PER_WINDOW):
        start(author, spaces["club"], title=f"Sujet {n}")
    with pytest.raises(services.RateLimited):
        start(author, spaces["club"], title="Un de trop")


# --- Mentions ----------------------------------------------------------------------------------------------


def mentioned_in(post):
    return set(Mention.objects.filter(post=post).values_list("user_id", flat=True))


def test_a_member_who_may_read_the_space_is_mentioned_and_linked(people, spaces):
    handle = services.handle_for(people["member"])
    post = start(people["lead"], spaces["private"], text=f"@{handle} peux-tu regarder ?")
    assert mentioned_in(post) == {people["member"].pk}
    assert 'class="mention"' in post.html
    assert f"@{handle}" in post.html


@pytest.mark.parametrize(
    ("where", "who"),
    [("private", "outsider"), ("private", "basic"), ("cluster", "basic"), ("cluster", "editor"), ("club", "expired"),
     ("club", "unsigned"), ("thematic", "expired")],
)
def test_a_member_who_may_not_read_the_space_is_not_mentioned(people, spaces, where, who):
    handle = services.handle_for(people[who])
    post = start(people["staff"], spaces[where], text=f"Bonjour @{handle} !")
    assert mentioned_in(post) == set()
    assert 'class="mention"' not in post.html
    assert f"@{handle}" in markup.plain_text(post.html)  # the words stay, as text


def test_an_inactive_account_is_not_mentioned(people, spaces):
    handle = services.handle_for(people["premium"])
    people["premium"].is_active = False
    people["premium"].save()
    post = start(people["basic"], spaces["club"], text=f"@{handle}")
    assert mentioned_in(post) == set()


def test_mentions_ignore_oneself_unknown_handles_and_e_mail_addresses(people, spaces):
    make_member("basic", first_name="Example", last_name="Com")  # whose handle is "example.com"
    assert MemberHandle.objects.filter(handle="example.com").exists()
    me = services.handle_for(people["basic"])
    post = start(people["basic"], spaces["club"], text=f"Moi @{me}, @personne.inconnue et jean@example.com")
    assert mentioned_in(post) == set()
    assert "jean@example.com" in markup.plain_text(post.html)


def test_one_message_mentions_at_most_the_configured_number(people, spaces, settings):
    settings.CERCLE_DISCUSSION_MAX_MENTIONS = 2
    handles = [services.handle_for(people[who]) for who in ("premium", "member", "outsider")]
    text = " ".join(f"@{h}" for h in handles)
    assert status_of(start, people["basic"], spaces["club"], text=text) == 400
    assert not Thread.objects.filter(space=spaces["club"]).exists()
    post = start(people["basic"], spaces["club"], text=" ".join(f"@{h}" for h in handles[:2]))
    assert len(mentioned_in(post)) == 2


def test_an_edit_mentions_only_the_newly_named(people, spaces):
    premium, member = services.handle_for(people["premium"]), services.handle_for(people["member"])
    post = start(people["basic"], spaces["club"], text=f"@{premium}")
    services.edit_post(Viewer(people["basic"]), post, source=f"@{premium} et @{member}")
    assert mentioned_in(post) == {people["premium"].pk, people["member"].pk}
    assert Mention.objects.filter(post=post).count() == 2


# --- Handles -----------------------------------------------------------------------------------------------


def test_a_handle_never_shows_the_login(db):
    person = make_member("basic", username="secret.login@example.org", first_name="Jean", last_name="Dupont")
    handle = services.handle_for(person)
    assert handle == "jean.dupont"
    assert "secret" not in handle and "example" not in handle and "@" not in handle


def test_a_person_without_a_name_gets_a_neutral_handle(db):
    person = make_member("basic", username="nameless@example.org", first_name="", last_name="")
    handle = services.handle_for(person)
    assert handle == f"membre{person.pk}"
    assert "nameless" not in handle


def test_two_people_with_the_same_name_get_two_handles(db):
    first = make_member("basic", first_name="Jean", last_name="Dupont")
    second = make_member("basic", first_name="Jean", last_name="Dupont")
    assert services.handle_for(first) == "jean.dupont"
    assert services.handle_for(second) == "jean.dupont2"


def test_a_handle_follows_a_change_of_name(db):
    person = make_member("basic", first_name="Marie", last_name="Martin")
    assert services.handle_for(person) == "marie.martin"
    person.profile.display_name = "Marie Martin-Leclercq"
    person.profile.save()
    assert services.handle_for(person) == "marie.martin.leclercq"
    person.profile.display_name = ""
    person.profile.save()
    person.last_name = "Durand"
    person.save()
    assert services.handle_for(person) == "marie.durand"


def test_a_handle_with_accents_is_plain_ascii(db):
    person = make_member("basic", first_name="Hélène", last_name="Öztürk")
    assert services.handle_for(person) == "helene.ozturk"


def test_a_handle_stays_put_when_the_name_does_not_change(db):
    first = make_member("basic", first_name="Jean", last_name="Dupont")
    second = make_member("basic", first_name="Jean", last_name="Dupont")
    second.email = "nouvelle@example.org"
    second.save()
    assert services.handle_for(first) == "jean.dupont"
    assert services.handle_for(second) == "jean.dupont2"


def test_staff_are_mentionable_everywhere(people, spaces):
    handle = services.handle_for(people["staff"])
    post = start(people["member"], spaces["private"], text=f"@{handle} ?")
    assert mentioned_in(post) == {people["staff"].pk}


def test_counters_stay_right_after_many_writes(people, spaces):
    for n in range(3):
        opening = start(people["member"], spaces["cluster"], title=f"Sujet {n}")
        for _ in range(n):
            answer(people["premium"], opening.thread)
    space = Space.objects.get(pk=spaces["cluster"].pk)
    assert space.thread_count == Thread.objects.filter(space=space).count() == 3
    assert space.post_count == Post.objects.filter(thread__space=space).count() == 6
    for thread in Thread.objects.filter(space=space):
        assert thread.post_count == thread.posts.count()
    make_staff()  # a later account changes nothing
    assert Space.objects.get(pk=space.pk).post_count == 6


def test_a_self_mention_does_not_count_against_the_mention_limit(people, spaces, settings):
    settings.CERCLE_DISCUSSION_MAX_MENTIONS = 2
    me = services.handle_for(people["basic"])
    others = [services.handle_for(people[who]) for who in ("premium", "member")]
    post = start(people["basic"], spaces["club"], text=f"@{me} avec @{others[0]} et @{others[1]}")
    assert mentioned_in(post) == {people["premium"].pk, people["member"].pk}


def test_an_edit_may_not_mention_more_members_than_a_new_post(people, spaces, settings):
    settings.CERCLE_DISCUSSION_MAX_MENTIONS = 2
    handles = [services.handle_for(people[who]) for who in ("premium", "member", "outsider")]
    post = start(people["basic"], spaces["club"], text="Sans mention")
    status = status_of(services.edit_post, Viewer(people["basic"]), post, source=" ".join(f"@{h}" for h in handles))
    assert status == 400
    assert mentioned_in(post) == set()


def test_a_nul_byte_in_a_title_is_a_400(people, spaces):
    assert status_of(start, people["basic"], spaces["club"], title="Titre\x00piégé") == 400


def test_a_post_keeps_the_indentation_of_its_first_line(people, spaces):
    post = start(people["basic"], spaces["club"], text="\n\n    print('bonjour')\n    print('cercle')\n\n")
    assert post.source.startswith("    print")
    assert post.html.startswith("<pre><code>print('bonjour')")


def test_deleting_the_solution_through_an_older_copy_of_its_thread_still_unmarks_it(people, spaces):
    opening = start(people["basic"], spaces["club"], is_question=True)
    reply = answer(people["premium"], opening.thread)
    stale = Post.objects.select_related("thread").get(pk=reply.pk)  # loaded before the solution is marked
    services.mark_solution(Viewer(people["basic"]), reply)
    services.delete_post(Viewer(people["premium"]), stale)
    assert Thread.objects.get(pk=opening.thread_id).solution_id is None
