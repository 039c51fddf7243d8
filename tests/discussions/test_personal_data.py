"""The discussions in "Mes données" and in anonymisation: a member's messages, follows, mentions and reports
are theirs to download; once anonymised, their messages stay (the threads still read) but nothing names
them: handle renamed, mentions of them rewritten without a link, follows, marks and notifications gone."""

import pytest

from discussions import moderation, personal_data, services
from discussions.models import (
    Follow,
    MemberHandle,
    Mention,
    Notification,
    Post,
    PostRevision,
    Reader,
    Report,
    ThreadRead,
)
from members import privacy_services
from members.access import Viewer
from members.personal_data import registered_parts
from search.models import SearchDocument
from tests.factories.discussions import answer, start

pytestmark = pytest.mark.django_db


def part(name):
    return next(p for p in registered_parts() if p.name == name)


@pytest.fixture
def departed(people):
    """Gina (member of every group) leaves the club; her handle is mentioned by others."""
    return people["member"]


@pytest.fixture
def conversation(people, spaces, departed):
    handle = services.handle_for(departed)
    opening = start(departed, spaces["club"], title="Ma question", text="Quel outil **choisir** ?", is_question=True)
    thread = opening.thread
    reply = answer(people["lead"], thread, text=f"Bonne question @{handle}, voyez le wiki.")
    own_reply = answer(departed, thread, text="Merci, je regarde.")
    services.edit_post(Viewer(departed), own_reply, source="Merci, je regarde le wiki.")
    other = start(people["lead"], spaces["private"], title="Au conseil", text=f"@{handle} et @{handle}. fin")
    services.follow(Viewer(departed), space=spaces["thematic"])
    ThreadRead.objects.create(user=departed, thread=thread, last_number=3)
    Reader.objects.create(user=departed)
    report, _created = moderation.report(Viewer(departed), reply, "error", "Le lien est cassé.")
    return {"handle": handle, "thread": thread, "reply": reply, "own_reply": own_reply, "other": other,
            "report": report}


def test_the_parts_are_registered():
    names = {p.name for p in registered_parts()}
    assert {"discussions", "discussion_follows", "discussion_mentions", "discussion_reports"} <= names
    assert part("discussions").anonymise is not None


def test_export_holds_her_posts_follows_mentions_and_reports(departed, conversation, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        posts = part("discussions").export(departed)
    assert [(p["thread"], p["number"]) for p in posts] == [("Ma question", 1), ("Ma question", 3)]
    assert posts[0]["text"] == "Quel outil **choisir** ?" and posts[0]["opens_thread"]
    assert posts[0]["space"] == "Questions aux pairs"
    assert posts[1]["edited_at"] is not None and posts[1]["deleted"] is False
    follows = part("discussion_follows").export(departed)
    assert {(f["follows"], f["title"]) for f in follows} == {("thread", "Ma question"), ("space", "Gouvernance")}
    mentions = part("discussion_mentions").export(departed)
    assert {m["message"] for m in mentions} == {
        conversation["reply"].get_absolute_url(),
        conversation["other"].get_absolute_url(),
    }
    assert all(set(m) == {"message", "mentioned_at"} for m in mentions)  # never the others' words
    reports = part("discussion_reports").export(departed)
    assert reports == [
        {
            "message": conversation["reply"].get_absolute_url(),
            "reason": "error",
            "text": "Le lien est cassé.",
            "reported_at": conversation["report"].created_at,
            "state": "open",
        }
    ]


def test_export_costs_fixed_queries(people, spaces, departed, django_assert_max_num_queries):
    for n in range(6):
        start(departed, spaces["club"], title=f"Sujet {n}", text="Texte.")
    for name in ("discussions", "discussion_follows", "discussion_mentions", "discussion_reports"):
        with django_assert_max_num_queries(1):
            part(name).export(departed)


def test_a_deleted_post_is_exported_as_deleted(departed, conversation):
    services.delete_post(Viewer(departed), conversation["own_reply"])
    rows = part("discussions").export(departed)
    assert rows[1]["deleted"] is True and rows[1]["text"] == "Merci, je regarde le wiki."


def test_anonymisation_keeps_her_posts_and_removes_her_name(people, departed, conversation):
    handle = conversation["handle"]
    result = privacy_services.anonymise_member(departed, by=people["staff"], force=True)
    assert result.done
    new = f"ancien.membre{departed.pk}"
    assert MemberHandle.objects.get(user=departed).handle == new
    # Her posts stay, with their words: the thread still reads.
    assert Post.objects.filter(author=departed).count() == 2
    assert Post.objects.get(pk=conversation["own_reply"].pk).source == "Merci, je regarde le wiki."
    # Others' posts name her no more, and link to no profile.
    reply = Post.objects.get(pk=conversation["reply"].pk)
    assert handle not in reply.source and handle not in reply.html
    assert f"@{new}" in reply.source and f"@{new}" in reply.html
    assert f"/membres/{departed.pk}/" not in reply.html and 'class="mention"' not in reply.html
    other = Post.objects.get(pk=conversation["other"].pk)
    assert other.source == f"@{new} et @{new}. fin"
    assert not Post.objects.filter(source__icontains=handle).exists()
    assert not PostRevision.objects.filter(source__icontains=handle).exists()
    # What followed her is gone; her report stays, anonymous.
    for model in (Follow, ThreadRead, Reader, Notification, Mention):
        assert not model.objects.filter(user=departed).exists(), model
    report = Report.objects.get(pk=conversation["report"].pk)
    assert report.reporter is None and report.message == "Le lien est cassé."
    # The search documents of the rewritten posts follow.
    doc = SearchDocument.objects.get(key=f"discussion_reply:{reply.pk}")
    assert handle not in doc.body and new in doc.body
    thread_doc = SearchDocument.objects.get(key=f"discussion:{other.thread_id}")
    assert handle not in thread_doc.body


def test_anonymisation_finds_handles_she_had_before(people, departed, spaces):
    """A mention written under an earlier name (its link names her profile) is rewritten too."""
    old = services.handle_for(departed)
    opening = start(people["lead"], spaces["club"], title="Bienvenue", text=f"Salut @{old} !")
    MemberHandle.objects.filter(user=departed).update(handle="gina.nouveau")
    privacy_services.anonymise_member(departed, by=people["staff"], force=True)
    opening.refresh_from_db()
    assert old not in opening.source and f"@ancien.membre{departed.pk}" in opening.source


def test_a_longer_handle_that_starts_like_hers_is_left_alone(people, departed, spaces):
    handle = services.handle_for(departed)
    longer = f"{handle}.bis"
    text = f"@{handle} et @{longer} et courriel{handle}@x.be"
    opening = start(people["lead"], spaces["club"], title="Deux", text=text)
    personal_data._handles_before[departed.pk] = handle
    personal_data.anonymise(departed)
    opening.refresh_from_db()
    assert opening.source == f"@ancien.membre{departed.pk} et @{longer} et courriel{handle}@x.be"


def test_anonymising_twice_changes_nothing(people, departed, conversation):
    privacy_services.anonymise_member(departed, by=people["staff"], force=True)
    before = list(Post.objects.order_by("pk").values_list("source", "html"))
    personal_data.anonymise(departed)
    assert list(Post.objects.order_by("pk").values_list("source", "html")) == before
