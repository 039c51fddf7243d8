"""The organisers' view of an event in the Wagtail admin: its attendees, its waiting list, and the
attendees exported as CSV or XLSX.

Who may see them: club staff, and whoever may edit the event's page in the admin (Wagtail's page
permissions, e.g. a lead's rights on a group's section). Anyone else is refused with a 403 and sees no
name: a participants list is personal data.
"""

import csv
import io

from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.access import Viewer
from members.admin_views import refused
from members.converters import DatabaseIdConverter  # noqa: F401 (registers <id:...>)
from members.models import Tier
from members.services import person_name

from .models import EventPage, Registration

State = Registration.State

EXPORT_COLUMNS = [
    gettext_lazy("Name"),
    gettext_lazy("E-mail"),
    gettext_lazy("Organisation"),
    gettext_lazy("Tier"),
    gettext_lazy("State"),
    gettext_lazy("Registered at"),
]


def may_manage(user, event):
    """Staff, and those who may edit this event's page."""
    if not user.is_authenticated:
        return False
    # Wagtail's page permissions first: staff hold "change" on the whole tree, so most answers cost no
    # more than the admin's own (cached) permission check.
    return event.permissions_for_user(user).can_edit() or Viewer(user).is_staff


def _event_or_404(event_id):
    event = EventPage.objects.filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event


def _refuse(request):
    return refused(
        request,
        _("Only the club's staff and the editors of this event see its participants."),
        status=403,
        title=_("Participants"),
    )


def registrations(event):
    """The event's registrations, confirmed first, then the waiting list in its order, then cancellations;
    each with the person, their profile and organisation in the same query."""
    order = Case(
        When(state=State.CONFIRMED, then=Value(0)),
        When(state=State.WAITING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        Registration.objects.filter(event=event)
        .select_related("user__profile__organisation")
        .annotate(state_order=order)
        .order_by("state_order", "registered_at", "pk")
    )


def _tiers(users):
    """{user pk: tier} for these people, as the policy reads it today (their own or their organisation's)."""
    return {user.pk: Viewer(user).tier for user in users}


def _rows(event):
    rows = []
    regs = list(registrations(event))
    tiers = _tiers([r.user for r in regs])
    for registration in regs:
        user = registration.user
        profile = getattr(user, "profile", None)
        organisation = profile.organisation.name if profile is not None and profile.organisation_id else ""
        rows.append(
            {
                "registration": registration,
                "name": person_name(user),
                "email": user.email,
                "organisation": organisation,
                "tier": str(Tier(tiers[user.pk]).label) if tiers[user.pk] else "",
                "state": registration.get_state_display(),
                "registered_at": timezone.localtime(registration.registered_at),
            }
        )
    return rows


def attendees(request, event_id):
    event = _event_or_404(event_id)
    if not may_manage(request.user, event):
        return _refuse(request)
    rows = _rows(event)
    confirmed = [row for row in rows if row["registration"].state == State.CONFIRMED]
    waiting = [row for row in rows if row["registration"].state == State.WAITING]
    cancelled = [row for row in rows if row["registration"].state == State.CANCELLED]
    title = _("Participants: %(title)s") % {"title": event.title}
    return TemplateResponse(
        request,
        "events/admin/attendees.html",
        {
            "page_title": title,
            "header_title": title,
            "header_icon": "group",
            "event": event,
            "confirmed": confirmed,
            "waiting": waiting,
            "cancelled": cancelled,
            "csv_url": reverse("events_attendees_export", args=[event.pk, "csv"]),
            "xlsx_url": reverse("events_attendees_export", args=[event.pk, "xlsx"]),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[event.pk]),
        },
    )


def _export_values(event):
    """Confirmed and waiting people (cancellations are not attendees), as rows of plain values."""
    for row in _rows(event):
        if row["registration"].state == State.CANCELLED:
            continue
        yield [
            row["name"],
            row["email"],
            row["organisation"],
            row["tier"],
            row["state"],
            row["registered_at"].replace(tzinfo=None, microsecond=0),
        ]


# A name typed by a member ("=HYPERLINK(…)") must reach the organiser's spreadsheet as text, never as a
# formula (CSV injection, OWASP): CSV cells that would start one are quoted, XLSX cells kept as strings.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ")
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export(request, event_id, fmt):
    event = _event_or_404(event_id)
    if not may_manage(request.user, event):
        return _refuse(request)
    filename = f"participants-{slugify(event.title)[:50] or event.pk}-{event.start_date.isoformat()}"
    header = [str(column) for column in EXPORT_COLUMNS]
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        response.write("\ufeff")  # a byte-order mark, so that spreadsheet programs read the accents right
        writer = csv.writer(response)
        writer.writerow(header)
        for values in _export_values(event):
            writer.writerow([csv_safe(value) for value in values])
        return response
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Participants")[:31]
        sheet.append(header)
        for values in _export_values(event):
            sheet.append(values)
            for cell in sheet[sheet.max_row]:
                if cell.data_type == "f":
                    cell.data_type = "s"
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    raise Http404


urlpatterns = [
    path("events/<id:event_id>/participants/", attendees, name="events_attendees"),
    path("events/<id:event_id>/participants/export/<str:fmt>/", export, name="events_attendees_export"),
]
