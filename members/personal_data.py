"""What each app holds about a person, for "Mes données" (export) and for anonymisation (GDPR).

members cannot import the content apps, so each app that keeps personal data registers a
`PersonalData` here from its `AppConfig.ready()`:

    register_personal_data(PersonalData(
        name="event_registrations",            # the file name in the archive
        label=_("Event registrations"),
        export=lambda user: [{"event": ..., "state": ..., "registered_at": ...}, ...],
        anonymise=lambda user: ...,             # erase free text the person wrote; keep rows and counts
        columns=("event", "state", "registered_at"),  # optional: the CSV's header when there is no row
    ))

`export(user)` returns a list of flat dicts (one row each; values JSON-serialisable: str, int, float, bool,
None, date/datetime, which the archive writes in ISO 8601, or a list of those, which the CSV joins with
"; "). It must cost a fixed number of queries, however many rows it returns. `anonymise(user)` runs inside
the anonymisation's transaction (members.privacy_services.anonymise_member), after the person's own names
and e-mail were erased, and must leave counts intact (a registration stays a registration; only what
names or describes the person goes).

members registers its own parts below, through the same mechanism (one way for every app).
"""

import csv
import dataclasses
import datetime
import decimal
import io
import json
import os
import zipfile

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

_registry = {}


@dataclasses.dataclass(frozen=True)
class PersonalData:
    name: str
    label: object
    export: object  # callable(user) -> list[dict]
    anonymise: object = None  # callable(user) -> None
    columns: tuple = ()  # the CSV's header when there is no row (else the rows' keys, in order)


def register_personal_data(part):
    _registry[part.name] = part
    return part


def registered_parts():
    """Every registered part, in name order (stable archives)."""
    return [_registry[name] for name in sorted(_registry)]


# --- The archive ("Mes données") -----------------------------------------------------------------


def _json_value(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_json_value(item) for item in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)  # a lazy translation, a choice label


def json_rows(rows):
    """The rows as the archive's JSON holds them: plain values, dates in ISO 8601 (UTC)."""
    return [{key: _json_value(value) for key, value in row.items()} for row in rows]


def csv_cell(value):
    """How a JSON value of the archive reads in its CSV: the one rule both files agree by."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(csv_cell(item) for item in value)
    return str(value)


def _csv_text(part, rows):
    columns = list(part.columns)
    for row in rows:
        columns += [key for key in row if key not in columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in columns])
    # With a byte-order mark: Excel, which most members will open it with, then reads UTF-8 correctly.
    return "\ufeff" + out.getvalue()


README_INTRO = {
    "fr": (
        "Cette archive contient tout ce que Cercle, le portail du club, conserve à votre sujet, à la date "
        "du {date}.\n"
        "Chaque partie est donnée deux fois : en JSON (pour un programme) et en CSV (pour un tableur). "
        "Les dates sont au format ISO 8601, en temps universel (UTC).\n"
        "Le secret de vos adresses de flux privés n'y figure jamais : seulement s'il existe.\n"
        "Pour faire corriger ou effacer vos données, écrivez au secrétariat du club.\n"
    ),
    "en": (
        "This archive holds everything Cercle, the club's portal, keeps about you, as of {date}.\n"
        "Each part comes twice: as JSON (for a program) and as CSV (for a spreadsheet). Dates are in "
        "ISO 8601, in universal time (UTC).\n"
        "The secret in your private feed addresses is never included: only whether one exists.\n"
        "To have your data corrected or erased, write to the club's secretariat.\n"
    ),
}


def _readme(parts_rows, today, files):
    lines = []
    for language, title in (("fr", "Mes données — Cercle"), ("en", "My data — Cercle")):
        lines += [title, "=" * len(title), "", README_INTRO[language].format(date=today.isoformat()), ""]
        with translation.override(language):
            for part, rows in parts_rows:
                lines.append(f"- {part.name}.json / {part.name}.csv : {part.label} ({len(rows)})")
        for path in files:
            lines.append(f"- {path}")
        lines += ["", ""]
    return "\n".join(lines)


def _own_files(user):
    """The files that are the person's own (their photo): [(path in the archive, bytes)]."""
    from .models import Profile

    profile = Profile.objects.select_related("photo").filter(user=user).first()
    image = profile.photo if profile else None
    if image is None or not image.file:
        return []
    try:
        with image.file.open("rb") as handle:
            content = handle.read()
    except OSError:  # a file lost from the storage: the archive says so through its absence
        return []
    return [(f"photo/{os.path.basename(image.file.name)}", content)]


def build_archive(user):
    """The person's data as one zip archive (bytes): `<part>.json`, `<part>.csv`, README.txt, their files."""
    parts_rows = [(part, json_rows(part.export(user))) for part in registered_parts()]
    files = _own_files(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme(parts_rows, timezone.localdate(), [path for path, _content in files]))
        for part, rows in parts_rows:
            archive.writestr(f"{part.name}.json", json.dumps(rows, ensure_ascii=False, indent=2))
            archive.writestr(f"{part.name}.csv", _csv_text(part, rows))
        for path, content in files:
            archive.writestr(path, content)
    return buffer.getvalue()


# --- members' own parts --------------------------------------------------------------------------
# Model imports stay inside the functions: apps import this module from their ready().


def _user_model():
    from django.contrib.auth import get_user_model

    return get_user_model()


def export_account(user):
    account = _user_model().objects.select_related("wagtail_userprofile").filter(pk=user.pk).first()
    if account is None:
        return []
    admin = getattr(account, "wagtail_userprofile", None)
    return [
        {
            "username": account.get_username(),
            "email": account.email,
            "first_name": account.first_name,
            "last_name": account.last_name,
            "date_joined": account.date_joined,
            "last_login": account.last_login,
            "is_active": account.is_active,
            "admin_language": admin.preferred_language if admin else "",
            "admin_time_zone": admin.current_time_zone if admin else "",
            "has_admin_avatar": bool(admin and admin.avatar),
        }
    ]


def export_profile(user):
    from .models import DIRECTORY_FIELDS, Profile

    profile = (
        Profile.objects.select_related("organisation", "photo").prefetch_related("expertise").filter(user=user).first()
    )
    if profile is None:
        return []
    row = {
        "display_name": profile.display_name,
        "job_title": profile.job_title,
        "organisation": profile.organisation.name if profile.organisation else "",
        "joined_organisation_at": profile.joined_organisation_at,
        "photo": os.path.basename(profile.photo.file.name) if profile.photo and profile.photo.file else "",
        "bio": profile.bio,
        "expertise": sorted(tag.name for tag in profile.expertise.all()),
        "languages": list(profile.languages or []),
        "linkedin_url": profile.linkedin_url,
        "phone": profile.phone,
    }
    row.update({f"show_{field}": getattr(profile, f"show_{field}") for field in DIRECTORY_FIELDS})
    row.update(
        {
            "notify_digest": profile.notify_digest,
            "notify_group_notes": profile.notify_group_notes,
            "notify_events": profile.notify_events,
            "notify_opportunities": profile.notify_opportunities,
            "notify_discussions": profile.notify_discussions,
            "anonymised_at": profile.anonymised_at,
        }
    )
    return [row]


MEMBERSHIP_COLUMNS = (
    "kind",
    "organisation",
    "category",
    "tier",
    "seats",
    "fee",
    "valid_from",
    "valid_until",
    "created_at",
)


def export_memberships(user):
    """The person's own periods, then those of the organisation whose seats they may hold."""
    from .models import Membership, OrganisationMembership, Profile

    rows = [
        {
            "kind": "own",
            "organisation": m.organisation.name if m.organisation else "",
            "category": m.category,
            "tier": m.tier,
            "seats": None,
            "fee": m.fee,
            "valid_from": m.valid_from,
            "valid_until": m.valid_until,
            "created_at": m.created_at,
        }
        for m in Membership.objects.filter(user=user).select_related("organisation").order_by("valid_from", "pk")
    ]
    organisation_id = Profile.objects.filter(user=user).values_list("organisation_id", flat=True).first()
    periods = OrganisationMembership.objects.none()
    if organisation_id:
        periods = OrganisationMembership.objects.filter(organisation_id=organisation_id).select_related("organisation")
    rows += [
        {
            "kind": "organisation",
            "organisation": p.organisation.name,
            "category": "",
            "tier": p.tier,
            "seats": p.seats,
            "fee": p.fee,
            "valid_from": p.valid_from,
            "valid_until": p.valid_until,
            "created_at": None,
        }
        for p in periods.order_by("valid_from", "pk")
    ]
    return rows


def export_charter_signatures(user):
    from .models import CharterSignature

    signatures = CharterSignature.objects.filter(user=user).select_related("charter").order_by("signed_at", "pk")
    return [
        {
            "version": s.charter.version,
            "title": s.charter.title,
            "effective_date": s.charter.effective_date,
            "signed_at": s.signed_at,
        }
        for s in signatures
    ]


INVITATION_COLUMNS = (
    "direction",
    "email",
    "invited_by",
    "category",
    "tier",
    "organisation",
    "message",
    "state",
    "sent_at",
    "expires_at",
    "accepted_at",
)


def export_invitations(user):
    """The invitations the person sent, and the one that brought them in."""
    from django.db.models import Q

    from .models import Invitation
    from .services import person_name

    invitations = (
        Invitation.objects.filter(Q(invited_by=user) | Q(accepted_by=user))
        .select_related("organisation", "invited_by__profile")
        .order_by("sent_at", "pk")
    )
    return [
        {
            "direction": "received" if i.accepted_by_id == user.pk else "sent",
            "email": i.email,
            "invited_by": person_name(i.invited_by) if i.invited_by else "",
            "category": i.category,
            "tier": i.tier,
            "organisation": i.organisation.name if i.organisation else "",
            "message": i.message,
            "state": i.state,
            "sent_at": i.sent_at,
            "expires_at": i.expires_at,
            "accepted_at": i.accepted_at,
        }
        for i in invitations
    ]


MEMBERSHIP_REQUEST_COLUMNS = ("kind", "tier", "message", "state", "created_at", "handled_at", "staff_note")


def export_membership_requests(user):
    from .models import MembershipRequest

    return [
        {
            "kind": r.kind,
            "tier": r.tier,
            "message": r.message,
            "state": r.state,
            "created_at": r.created_at,
            "handled_at": r.handled_at,
            # GDPR's right of access covers what the staff noted about the person too.
            "staff_note": r.staff_note,
        }
        for r in MembershipRequest.objects.filter(user=user).order_by("created_at", "pk")
    ]


def export_feed_token(user):
    """Whether the person has private feed addresses, and when they last renewed them; never the secret."""
    from wagtail.models import ModelLogEntry

    from .models import Profile

    profile = Profile.objects.filter(user=user).only("pk", "feed_token").first()
    last_reset = None
    if profile is not None:
        last_reset = (
            ModelLogEntry.objects.filter(
                content_type__app_label="members",
                content_type__model="profile",
                object_id=str(profile.pk),
                action="cercle.feed.reset",
            )
            .order_by("-timestamp")
            .values_list("timestamp", flat=True)
            .first()
        )
    return [{"has_feed_token": bool(profile and profile.feed_token), "last_reset_at": last_reset}]


def anonymise_invitations(user):
    """The invitation that brought the person in named them (its address, the inviter's message to them)."""
    from .models import Invitation

    Invitation.objects.filter(accepted_by=user).update(email=user.email, message="")


def anonymise_membership_requests(user):
    """What the person wrote to the secretariat, and what the staff noted about them, goes; the requests stay."""
    from .models import MembershipRequest

    MembershipRequest.objects.filter(user=user).update(message="", staff_note="")


def export_pages(user):
    """The pages of the site the person created (Wagtail's page owner)."""
    from wagtail.models import Page

    pages = (
        Page.objects.filter(owner=user)
        .order_by("path")
        .values("pk", "title", "url_path", "live", "first_published_at", "last_published_at")
    )
    return [
        {
            "id": page["pk"],
            "title": page["title"],
            "url_path": page["url_path"],
            "live": page["live"],
            "first_published_at": page["first_published_at"],
            "last_published_at": page["last_published_at"],
        }
        for page in pages
    ]


for _part in (
    PersonalData("account", _("Account"), export_account),
    PersonalData("profile", _("Profile, directory choices and notification preferences"), export_profile),
    PersonalData(
        "memberships",
        _("Memberships (own and through the organisation)"),
        export_memberships,
        columns=MEMBERSHIP_COLUMNS,
    ),
    PersonalData(
        "charter_signatures",
        _("Ethics charter signatures"),
        export_charter_signatures,
        columns=("version", "title", "effective_date", "signed_at"),
    ),
    PersonalData(
        "invitations",
        _("Invitations sent and received"),
        export_invitations,
        anonymise=anonymise_invitations,
        columns=INVITATION_COLUMNS,
    ),
    PersonalData(
        "membership_requests",
        _("Requests to the secretariat"),
        export_membership_requests,
        anonymise=anonymise_membership_requests,
        columns=MEMBERSHIP_REQUEST_COLUMNS,
    ),
    PersonalData("feed_token", _("Private feed addresses (whether they exist, never the secret)"), export_feed_token),
    PersonalData(
        "pages",
        _("Pages created"),
        export_pages,
        columns=("id", "title", "url_path", "live", "first_published_at", "last_published_at"),
    ),
):
    register_personal_data(_part)
