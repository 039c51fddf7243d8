"""Writes of the knowledge app: the watch's rights and review workflow, and members' error reports."""

import datetime

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from members import roles
from members.models import Audience, CollectionAudience
from members.services import absolute_url
from members.tasks import send_email

from .models import ErrorReport

WORKFLOW_NAME = "Relecture veille"
APPROVAL_TASK_NAME = "Validation par la rédaction"
WATCH_COLLECTION_NAME = "Veille technologique"
KNOWLEDGE_COLLECTION_NAME = "Base de connaissances"

# Editors curate and publish; contributors write drafts and submit them to the editors.
PAGE_PERMISSIONS = {
    roles.TECHWATCH_EDITORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    roles.TECHWATCH_CONTRIBUTORS: ["add_page", "change_page"],
}
COLLECTION_PERMISSIONS = {
    roles.TECHWATCH_EDITORS: ["add_document", "change_document", "choose_document"],
    roles.TECHWATCH_CONTRIBUTORS: ["add_document", "choose_document"],
}
# The editors' own admin sections: sources, inbox, error reports, digests.
MODEL_PERMISSIONS = {
    roles.TECHWATCH_EDITORS: [
        "add_watchsource",
        "change_watchsource",
        "view_watchsource",
        "delete_watchsource",
        "view_inboxitem",
        "change_inboxitem",
        "view_errorreport",
        "change_errorreport",
        "view_digestissue",
    ],
    roles.CLUB_STAFF: ["view_errorreport", "change_errorreport", "view_digestissue", "view_watchsource"],
}

# Reports: at most this many per sender per hour, so a slip of the finger cannot flood the editors.
REPORTS_PER_HOUR = 5


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant_model_permissions():
    """The editors' permissions on the knowledge app's models; idempotent, run after every migrate."""
    for role, codenames in MODEL_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="knowledge", codename__in=codenames))


def section_collection(name, audience):
    """A document collection for a section, readable by `audience` (downloads go through the policy)."""
    collection = Collection.objects.filter(name=name, depth=2).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=name)
    CollectionAudience.objects.update_or_create(collection=collection, defaults={"audience": audience})
    return collection


def setup_section(page, collection_name, audience, workflow=True):
    """Give the watch's editors and contributors their rights on a section (its pages and documents), and put
    the section under the review workflow. Idempotent: run when the section is created and after migrate."""
    collection = section_collection(collection_name, audience)
    for role, codenames in PAGE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=page, permission=_permission("wagtailcore", codename)
            )
        for codename in COLLECTION_PERMISSIONS[role]:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=_permission("wagtaildocs", codename)
            )
    if workflow:
        review = review_workflow()
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": review})
    return collection


def review_workflow():
    """ "Relecture veille": one step, approved by the watch's editors."""
    editors, _created = Group.objects.get_or_create(name=roles.TECHWATCH_EDITORS)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    task = GroupApprovalTask.objects.filter(name=APPROVAL_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=APPROVAL_TASK_NAME)
    task.groups.add(editors)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


def setup_watch(index):
    # Attachments of the watch are premium like its articles; editors upload samples' files elsewhere.
    return setup_section(index, WATCH_COLLECTION_NAME, Audience.PREMIUM)


def setup_knowledge_base(index):
    return setup_section(index, KNOWLEDGE_COLLECTION_NAME, Audience.MEMBERS)


# --- "Signaler une erreur" -----------------------------------------------------------------------------


class TooManyReports(Exception):
    """The sender has sent REPORTS_PER_HOUR reports in the last hour."""


def report_error(page, sender, kind, message):
    """File a member's report on a page and tell the editors; refused past the hourly limit."""
    since = timezone.now() - datetime.timedelta(hours=1)
    with transaction.atomic():
        if ErrorReport.objects.filter(sender=sender, created_at__gte=since).count() >= REPORTS_PER_HOUR:
            raise TooManyReports
        report = ErrorReport.objects.create(page=page, sender=sender, kind=kind, message=message)
    transaction.on_commit(lambda: notify_editors(report))
    return report


def notify_editors(report):
    """An e-mail to each editor with the page, the sender and the message (staff may answer the sender)."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    editors = (
        get_user_model()
        .objects.filter(groups__name=roles.TECHWATCH_EDITORS, is_active=True)
        .exclude(email="")
        .distinct()
    )
    recipients = [user.email for user in editors]
    if not recipients:
        return 0
    page = report.page.specific
    with translation.override("fr"):
        context = {
            "report": report,
            "page": page,
            "page_url": absolute_url(page.url or "/"),
            "admin_url": absolute_url(reverse("knowledge_reports:edit", args=[report.pk])),
            "sender": report.sender,
        }
        subject = _("Report on “%(title)s”") % {"title": page.title}
        text = render_to_string("knowledge/email/error_report.txt", context)
    reply_to = [report.sender.email] if report.sender and report.sender.email else None
    send_email.enqueue(subject=subject, to=recipients, text=text, reply_to=reply_to)
    return len(recipients)
