"""The database takes the admin's concurrent writes.

A lead who clicks "Publish" on a new meeting note does so while Wagtail's autosave and its
editing-session pings write from the same browser, and other leads publish in their own groups. On the
embedded profile (SQLite) this used to answer `OperationalError: database is locked` and leave drafts
behind. Here several threads, each with its own database connection, do what those browsers do at
the same moment, on a real database file (tests/conftest.py) and on PostgreSQL (`DATABASE_URL`).

Only transactional tests belong in this module: pytest-django runs them after the others, and under
xdist a test file goes to one worker whole, so a test here never flushes the database under another
test that expects what the migrations put there.
"""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils.text import slugify
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from tests.factories.members import make_member
from tests.factories.working_groups import MeetingNotePageFactory, WorkingGroupIndexPageFactory, make_group
from working_groups.models import MeetingNotePage

NOTES_PER_LEAD = 3
AUTOSAVES = 8
PINGS = 10


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def note_form(title, **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": slugify(title),
            "meeting_date": datetime.date(2026, 3, 12).isoformat(),
            "place": "Namur",
            "video_link": "",
            "agenda": rich_text(f"<p>{title} : tour de table.</p>"),
            "outcomes": streamfield([("decision", {"text": "Le groupe adopte la grille d'évaluation."})]),
            "attachments": streamfield([]),
            **extra,
        }
    )


class Browser(threading.Thread):
    """One person's browser tab: its own client, its own database connection, closed at the end."""

    def __init__(self, user, steps, failures):
        super().__init__()
        self.user, self.steps, self.failures = user, steps, failures
        self.start_line = None  # a barrier, so that every tab starts writing at the same moment

    def run(self):
        try:
            client = Client()
            client.force_login(self.user)
            self.start_line.wait(timeout=30)
            for step in self.steps:
                step(client)
        except Exception as error:  # noqa: BLE001 - a failure in a thread must reach the test's thread
            self.failures.append(f"{self.user.username}: {error!r}")
        finally:
            connection.close()


def publish_note(group, title, failures):
    def step(client):
        response = client.post(
            f"/admin/pages/add/working_groups/meetingnotepage/{group.pk}/",
            note_form(title, **{"action-publish": "action-publish"}),
        )
        if response.status_code != 302:
            failures.append(f"publishing {title!r} answered {response.status_code}")
        return response.status_code

    return step


class Autosave:
    """What Wagtail's editor sends every half second: the form as JSON, overwriting its own revision."""

    def __init__(self, draft, failures):
        self.draft, self.failures, self.revision_id = draft, failures, None

    def step(self, number):
        def save(client):
            extra = {"overwrite_revision_id": str(self.revision_id)} if self.revision_id else {}
            response = client.post(
                f"/admin/pages/{self.draft.pk}/edit/",
                note_form(f"Brouillon, version {number}", slug=self.draft.slug, **extra),
                HTTP_ACCEPT="application/json",
            )
            answer = response.json() if response.status_code == 200 else {}
            if not answer.get("success"):
                self.failures.append(f"autosave {number} answered {response.status_code} {answer}")
                return None
            self.revision_id = answer["revision_id"]
            return self.revision_id

        return save


class EditingSessionPing:
    """The editor's "who else is here" ping, which writes the session's last_seen_at each time."""

    def __init__(self, page, failures):
        self.page, self.failures, self.session_id = page, failures, 0

    def step(self, client):
        response = client.post(
            f"/admin/editing-sessions/ping/wagtailcore/page/{self.page.pk}/{self.session_id}/",
            {"is_editing": "1"},
        )
        if response.status_code != 200:
            self.failures.append(f"editing-session ping answered {response.status_code}")
            return None
        self.session_id = response.json()["session_id"]
        return self.session_id


def run_together(browsers):
    start_line = threading.Barrier(len(browsers))
    for browser in browsers:
        browser.start_line = start_line
        browser.start()
    for browser in browsers:
        browser.join(timeout=240)
        assert not browser.is_alive(), f"{browser.user.username}'s browser never finished"


def test_leads_publish_while_autosave_and_editing_sessions_write(club):
    index = WorkingGroupIndexPageFactory(parent=club)
    first_lead, second_lead, member = make_member(), make_member(), make_member()
    governance = make_group(index, title="Gouvernance IT", leads=[first_lead], members=[member])
    procurement = make_group(index, title="Marchés publics", leads=[second_lead], members=[member])
    draft = MeetingNotePageFactory(parent=governance, live=False, title="Brouillon")
    draft.save_revision(user=first_lead)

    failures = []
    autosave, ping = Autosave(draft, failures), EditingSessionPing(draft, failures)
    publishing = {
        lead: [publish_note(group, f"{group.title} : réunion {n}", failures) for n in range(1, NOTES_PER_LEAD + 1)]
        for lead, group in [(first_lead, governance), (second_lead, procurement)]
    }
    run_together(
        [Browser(lead, steps, failures) for lead, steps in publishing.items()]
        + [
            Browser(first_lead, [autosave.step(n) for n in range(1, AUTOSAVES + 1)], failures),
            Browser(first_lead, [ping.step] * PINGS, failures),
        ]
    )

    assert failures == []
    for group in (governance, procurement):
        published = MeetingNotePage.objects.child_of(group).live()
        assert {note.title for note in published} == {
            f"{group.title} : réunion {n}" for n in range(1, NOTES_PER_LEAD + 1)
        }
    # No draft lost: the draft stays a draft, and its latest revision is the last autosave.
    draft.refresh_from_db()
    assert not draft.live
    latest = draft.get_latest_revision()
    assert latest.pk == autosave.revision_id
    assert latest.as_object().title == f"Brouillon, version {AUTOSAVES}"
    # The e-mails left after each commit: one per published note to each member of its group.
    subjects = [message.subject for message in mail.outbox if member.email in message.to]
    assert len(subjects) == 2 * NOTES_PER_LEAD
