"""Moderation: a group's leads moderate their group's space and no other, the staff every space; pinning,
locking, moving and hiding each leave an audit entry; a moved thread takes its counters, files and search
documents along; a hidden post's author is told why."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import ModelLogEntry

from discussions import attachments, moderation, services
from discussions.models import Follow, Post, Space, Thread
from discussions.services import DiscussionError
from members.access import Viewer
from search.models import SearchDocument
from tests.factories.discussions import answer, space_of, start
from tests.factories.members import make_member
from tests.factories.working_groups import make_group

pytestmark = pytest.mark.django_db

KINDS = ["anonymous", "basic", "premium", "expired", "unsigned", "member", "outsider", "lead", "editor", "staff"]
SPACES = ["club", "thematic", "cluster", "private"]


def viewer_of(people, kind):
    return Viewer(people[kind] or AnonymousUser())


def moderates(kind, space_kind):
    """The rule under test: staff everywhere, the groups' lead in their groups' spaces, nobody else."""
    return kind == "staff" or (kind == "lead" and space_kind != "club")


def log_actions(thread):
    return list(ModelLogEntry.objects.for_instance(thread).values_list("action", flat=True))


@pytest.fixture
def threads(spaces, people):
    """A thread by the group member in each space (staff in the club-wide one as well would do)."""
    return {kind: start(people["member"], space, title=f"Sujet {kind}").thread for kind, space in spaces.items()}


@pytest.fixture
def other_lead(groups_index, people):
    """The lead of another group, in no group of the `spaces` fixture."""
    lead = make_member("premium", first_name="Olga", last_name="Otherlead")
    group = make_group(groups_index, title="Achats", leads=[lead])
    return lead, space_of(group)


# --- Who moderates --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_only_staff_and_the_groups_leads_pin(people, spaces, threads, kind):
    viewer = viewer_of(people, kind)
    for space_kind in SPACES:
        thread = threads[space_kind]
        if moderates(kind, space_kind):
            moderation.pin(viewer, thread)
            assert Thread.objects.get(pk=thread.pk).pinned
            assert "cercle.discussions.pin" in log_actions(thread)
            continue
        with pytest.raises(DiscussionError) as refused:
            moderation.pin(viewer, thread)
        # A reader who may not moderate is told so (403); whoever may not read learns nothing (404).
        assert refused.value.status == (403 if services.may_read(viewer, thread.space) else 404), space_kind
        assert not Thread.objects.get(pk=thread.pk).pinned
        assert "cercle.discussions.pin" not in log_actions(thread)


def test_outsider_of_the_private_group_gets_404_not_403(people, threads):
    with pytest.raises(DiscussionError) as refused:
        moderation.lock(viewer_of(people, "outsider"), threads["private"])
    assert refused.value.status == 404


def test_a_lead_moderates_only_their_own_groups_space(people, spaces, threads, other_lead):
    lead, own_space = other_lead
    viewer = Viewer(lead)
    for space_kind, status in [("thematic", 403), ("cluster", 403), ("club", 403), ("private", 404)]:
        thread = threads[space_kind]
        for act in (moderation.pin, moderation.lock):
            with pytest.raises(DiscussionError) as refused:
                act(viewer, thread)
            assert refused.value.status == status, (space_kind, act.__name__)
        reply = answer(people["staff"], thread)
        with pytest.raises(DiscussionError):
            moderation.hide(viewer, reply, "Hors sujet")
        assert not Post.objects.get(pk=reply.pk).is_hidden
    own = start(lead, own_space, title="Chez nous").thread
    moderation.lock(viewer, own)
    assert Thread.objects.get(pk=own.pk).locked
    with pytest.raises(DiscussionError) as refused:
        moderation.move(viewer, own, spaces["thematic"])
    assert refused.value.status == 403


def test_pin_unpin_lock_unlock_each_leave_their_log_entry(people, threads):
    viewer, thread = viewer_of(people, "lead"), threads["thematic"]
    moderation.pin(viewer, thread)
    moderation.lock(viewer, thread)
    moderation.unpin(viewer, thread)
    moderation.unlock(viewer, thread)
    actions = log_actions(thread)
    for action in ("pin", "lock", "unpin", "unlock"):
        assert f"cercle.discussions.{action}" in actions
    entry = ModelLogEntry.objects.for_instance(thread).filter(action="cercle.discussions.lock").get()
    assert entry.user_id == people["lead"].pk
    # Doing again what is done already changes nothing and logs nothing.
    moderation.unlock(viewer, thread)
    assert log_actions(thread).count("cercle.discussions.unlock") == 1


def test_a_locked_thread_takes_replies_from_its_moderators_only(people, threads):
    thread = threads["thematic"]
    moderation.lock(viewer_of(people, "lead"), thread)
    thread.refresh_from_db()
    with pytest.raises(DiscussionError) as refused:
        answer(people["member"], thread)
    assert refused.value.status == 409
    answer(people["lead"], thread)


# --- Moving ---------------------------------------------------------------------------------------------


def _document_in(collection, title="compte-rendu"):
    Document = get_document_model()
    document = Document(title=title, collection=collection)
    document.file.save(f"{title}.txt", ContentFile(b"confidentiel"), save=False)
    document.save()
    return document


def test_staff_move_a_thread_into_a_private_space_and_everything_follows(people, spaces):
    club, private = spaces["club"], spaces["private"]
    opening = start(people["member"], club, title="Budget", text="Le budget xylophone de l'année.")
    thread = opening.thread
    reply = answer(people["outsider"], thread, text="Une réponse xylophone.")
    document = _document_in(attachments.space_collection(club))
    reply.attachments.add(document)
    Follow.objects.get_or_create(user=people["outsider"], space=club)
    club.refresh_from_db()
    private.refresh_from_db()
    before = {"club": (club.thread_count, club.post_count), "private": (private.thread_count, private.post_count)}

    moderation.move(viewer_of(people, "staff"), thread, private)

    thread.refresh_from_db()
    assert thread.space_id == private.pk
    club.refresh_from_db()
    private.refresh_from_db()
    assert (club.thread_count, club.post_count) == (before["club"][0] - 1, before["club"][1] - 2)
    assert (private.thread_count, private.post_count) == (before["private"][0] + 1, before["private"][1] + 2)
    # Its files now live in the private group's collection, read by the group only.
    document.refresh_from_db()
    assert document.collection_id == attachments.space_collection(private).pk
    # Its search documents are the private group's: an outsider no longer finds it.
    docs = SearchDocument.objects.filter(
        key__in=[f"discussion:{thread.pk}", f"discussion_reply:{reply.pk}"]
    )
    assert docs.count() == 2
    for doc in docs:
        assert (doc.read, doc.group_id) == ("group", private.group_id)
    # The outsider followed the thread by replying: a thread of a group they are not in tells them nothing.
    assert not Follow.objects.filter(user=people["outsider"], thread=thread).exists()
    assert Follow.objects.filter(user=people["member"], thread=thread).exists()
    # The club-wide space's followers are not carried to the private space.
    assert not Follow.objects.filter(user=people["outsider"], space=private).exists()
    entry = ModelLogEntry.objects.for_instance(thread).get(action="cercle.discussions.move")
    assert entry.data["from"] == club.pk and entry.data["to"] == private.pk


def test_a_lead_moves_between_the_spaces_they_moderate_only(people, spaces, threads):
    viewer = viewer_of(people, "lead")
    moderation.move(viewer, threads["thematic"], spaces["private"])
    assert Thread.objects.get(pk=threads["thematic"].pk).space_id == spaces["private"].pk
    for source, target in [("cluster", "club"), ("club", "thematic")]:
        with pytest.raises(DiscussionError) as refused:
            moderation.move(viewer, threads[source], spaces[target])
        assert refused.value.status == 403
        assert Thread.objects.get(pk=threads[source].pk).space_id == spaces[source].pk
    assert set(moderation.move_targets(viewer, threads["cluster"])) == {spaces["thematic"], spaces["private"]}


def test_moving_a_thread_to_its_own_space_is_refused(people, spaces, threads):
    with pytest.raises(DiscussionError) as refused:
        moderation.move(viewer_of(people, "staff"), threads["club"], spaces["club"])
    assert refused.value.status == 400


def test_move_form_offers_the_moderated_spaces_and_refuses_others(client, people, spaces, threads, other_lead):
    thread = threads["thematic"]
    url = reverse("discussions:move_thread", args=[thread.pk])
    client.force_login(people["lead"])
    page = client.get(url)
    assert page.status_code == 200
    offered = {space.pk for space in page.context["form"].fields["space"].queryset}
    assert offered == {spaces["cluster"].pk, spaces["private"].pk}
    assert client.post(url, {"space": spaces["club"].pk}).status_code == 400
    assert client.post(url, {"space": "x"}).status_code == 400
    assert Thread.objects.get(pk=thread.pk).space_id == spaces["thematic"].pk
    moved = client.post(url, {"space": spaces["cluster"].pk})
    assert moved.status_code == 302 and moved["Location"] == thread.get_absolute_url()
    assert Thread.objects.get(pk=thread.pk).space_id == spaces["cluster"].pk
    client.force_login(other_lead[0])
    assert client.get(url).status_code == 403


# --- Hiding ---------------------------------------------------------------------------------------------


def test_hiding_a_reply_needs_a_reason(people, threads):
    reply = answer(people["outsider"], threads["cluster"])
    for reason in ("", "   ", "x" * 501):
        with pytest.raises(DiscussionError) as refused:
            moderation.hide(viewer_of(people, "lead"), reply, reason)
        assert refused.value.status == 400
    assert not Post.objects.get(pk=reply.pk).is_hidden


def test_hiding_a_reply_tells_its_author_and_takes_it_out_of_search(
    people, threads, mailoutbox, django_capture_on_commit_callbacks
):
    thread = threads["cluster"]
    thread.is_question = True
    thread.save(update_fields=["is_question"])
    reply = answer(people["outsider"], thread, text="Achetez mes montres.")
    services.mark_solution(viewer_of(people, "member"), reply)
    assert SearchDocument.objects.filter(key=f"discussion_reply:{reply.pk}").exists()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        moderation.hide(viewer_of(people, "lead"), reply, "Publicité")

    reply.refresh_from_db()
    assert reply.is_hidden and reply.hidden_by == people["lead"] and reply.hidden_reason == "Publicité"
    assert Thread.objects.get(pk=thread.pk).solution_id is None
    assert not SearchDocument.objects.filter(key=f"discussion_reply:{reply.pk}").exists()
    told = [mail for mail in mailoutbox if people["outsider"].email in mail.to]
    assert len(told) == 1 and "Publicité" in told[0].body
    entry = ModelLogEntry.objects.for_instance(thread).get(action="cercle.discussions.hide")
    assert entry.data["post"] == reply.pk and entry.data["reason"] == "Publicité"

    with pytest.raises(DiscussionError) as again:
        moderation.hide(viewer_of(people, "lead"), reply, "Encore")
    assert again.value.status == 409
    moderation.unhide(viewer_of(people, "lead"), reply)
    reply.refresh_from_db()
    assert reply.is_shown and reply.hidden_reason == ""
    assert SearchDocument.objects.filter(key=f"discussion_reply:{reply.pk}").exists()
    assert "cercle.discussions.unhide" in log_actions(thread)


def test_hiding_the_opening_post_keeps_the_thread_but_not_its_words(people, spaces):
    opening = start(people["member"], spaces["club"], title="Sujet gardé", text="Des mots zanzibar.")
    moderation.hide(viewer_of(people, "staff"), opening, "Confidentiel")
    thread = Thread.objects.get(pk=opening.thread_id)
    doc = SearchDocument.objects.get(key=f"discussion:{thread.pk}")
    assert doc.title == "Sujet gardé" and "zanzibar" not in doc.body


# --- The views ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, arg",
    [("moderate_thread", "thread"), ("unhide_post", "post")],
)
def test_post_only_views_answer_405_to_get(client, people, threads, name, arg):
    thread = threads["thematic"]
    target = thread.pk if arg == "thread" else thread.posts.first().pk
    client.force_login(people["lead"])
    assert client.get(reverse(f"discussions:{name}", args=[target])).status_code == 405


@pytest.mark.parametrize(
    "kind, space_kind, status",
    [
        ("anonymous", "club", 302),
        ("anonymous", "private", 404),  # the policy: a private group is not revealed
        ("expired", "club", 403),  # the renewal notice
        ("basic", "cluster", 403),
        ("basic", "club", 403),
        ("premium", "thematic", 403),
        ("member", "thematic", 403),
        ("editor", "club", 403),
        ("outsider", "private", 404),
        ("lead", "club", 403),
    ],
)
def test_who_may_not_moderate_is_refused_as_the_policy_says(client, people, threads, kind, space_kind, status):
    thread = threads[space_kind]
    if people[kind] is not None:
        client.force_login(people[kind])
    response = client.post(reverse("discussions:moderate_thread", args=[thread.pk]), {"action": "lock"})
    assert response.status_code == status
    assert not Thread.objects.get(pk=thread.pk).locked


def test_anonymous_is_sent_to_log_in_and_back_to_the_thread(client, threads):
    thread = threads["club"]
    response = client.post(reverse("discussions:moderate_thread", args=[thread.pk]), {"action": "pin"})
    assert response.status_code == 302
    assert "next=" in response["Location"] and str(thread.pk) in response["Location"]


def test_moderators_buttons_pin_and_lock_with_a_message(client, people, threads):
    thread = threads["private"]
    url = reverse("discussions:moderate_thread", args=[thread.pk])
    client.force_login(people["lead"])
    response = client.post(url, {"action": "pin"})
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    assert Thread.objects.get(pk=thread.pk).pinned
    assert client.post(url, {"action": "explode"}).status_code == 400
    assert client.post(url, {}).status_code == 400
    assert response.headers["Cache-Control"].count("no-store") == 1


def test_hide_form_keeps_the_text_and_answers_400_without_reason(client, people, threads):
    reply = answer(people["outsider"], threads["cluster"])
    url = reverse("discussions:hide_post", args=[reply.pk])
    client.force_login(people["lead"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 400
    too_long = client.post(url, {"reason": "y" * 600})
    assert too_long.status_code == 400 and "y" * 600 in too_long.content.decode()
    done = client.post(url, {"reason": "Hors sujet"})
    assert done.status_code == 302
    assert Post.objects.get(pk=reply.pk).hidden_reason == "Hors sujet"
    assert client.post(reverse("discussions:unhide_post", args=[reply.pk])).status_code == 302
    assert Post.objects.get(pk=reply.pk).is_shown
    client.force_login(people["member"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "Moi aussi"}).status_code == 403


def test_unknown_ids_are_404(client, people):
    client.force_login(people["staff"])
    assert client.post(reverse("discussions:moderate_thread", args=[999999]), {"action": "pin"}).status_code == 404
    assert client.get(reverse("discussions:hide_post", args=[999999])).status_code == 404
    assert client.get(reverse("discussions:move_thread", args=[999999])).status_code == 404


def test_toolbar_include_shows_for_moderators_only(rf, people, threads):
    from django.template.loader import render_to_string

    thread = threads["thematic"]
    request = rf.get("/")
    request.user = people["lead"]
    shown = render_to_string(
        "discussions/includes/thread_moderation.html",
        {"thread": thread, "space": thread.space, "may_moderate": True},
        request=request,
    )
    assert 'data-testid="thread-moderation"' in shown and 'value="pin"' in shown and 'value="lock"' in shown
    hidden = render_to_string(
        "discussions/includes/thread_moderation.html",
        {"thread": thread, "space": thread.space, "may_moderate": False},
        request=request,
    )
    assert "thread-moderation" not in hidden


def test_post_include_offers_report_to_readers_and_hide_to_moderators(rf, people, threads):
    from django.template.loader import render_to_string

    thread = threads["thematic"]
    post = thread.posts.get(number=1)  # written by `member`
    request = rf.get("/")

    def render(user, may_moderate):
        request.user = user
        return render_to_string(
            "discussions/includes/post_moderation.html",
            {"post": post, "thread": thread, "may_moderate": may_moderate, "may_write": True},
            request=request,
        )

    as_reader = render(people["premium"], False)
    assert "post-report-1" in as_reader and "post-hide-1" not in as_reader
    assert "post-moderation-1" not in render(people["member"], False)  # its author
    as_lead = render(people["lead"], True)
    assert "post-report-1" in as_lead and "post-hide-1" in as_lead
    post.hidden_at, post.hidden_reason, post.hidden_by = post.created_at, "<b>Raison</b>", people["lead"]
    hidden = render(people["lead"], True)
    assert "post-unhide-1" in hidden and "&lt;b&gt;Raison&lt;/b&gt;" in hidden and "post-report-1" not in hidden


def test_space_counters_never_go_below_zero(people, spaces, threads):
    Space.objects.filter(pk=spaces["thematic"].pk).update(thread_count=0, post_count=0)
    moderation.move(viewer_of(people, "staff"), threads["thematic"], spaces["club"])
    thematic = Space.objects.get(pk=spaces["thematic"].pk)
    assert (thematic.thread_count, thematic.post_count) == (0, 0)


def test_a_hidden_reply_is_gone_for_members_and_shown_with_its_reason_to_moderators(client, people, threads):
    thread = threads["cluster"]
    reply = answer(people["outsider"], thread, text="Des mots quetzalcoatl.")
    moderation.hide(viewer_of(people, "lead"), reply, "Propos <b>hors</b> sujet")
    client.force_login(people["premium"])
    page = client.get(thread.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "quetzalcoatl" not in html and "hors</b> sujet" not in html
    assert 'data-testid="thread-moderation"' not in html
    assert f'data-testid="post-moderation-{reply.number}"' not in html  # nothing to report, nothing to moderate
    client.force_login(people["lead"])
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "quetzalcoatl" in html
    assert f'data-testid="post-hidden-reason-{reply.number}"' in html
    assert "Propos &lt;b&gt;hors&lt;/b&gt; sujet" in html
    assert f'data-testid="post-unhide-{reply.number}"' in html
    assert 'data-testid="thread-moderation"' in html
