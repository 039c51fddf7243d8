"""Importing members from a CSV file: read and check everything first, write only what staff confirmed.

`parse_members_csv(text)` reads the file and tells, line by line, what importing it would do (create the
person and their membership, add a membership period, or nothing) and what is wrong with it; it only reads
the database. `apply_import(report, by=...)` writes a report without errors, all of it or nothing.
A renewal adds a period: earlier memberships are never overwritten.
"""

import csv
import dataclasses
import datetime
import hashlib
import io
import secrets
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from . import services
from .models import Category, Membership, Organisation, Profile, Tier

MAX_FILE_SIZE = 1024 * 1024  # bytes

COLUMNS = ["email", "first_name", "last_name", "category", "tier", "valid_from", "valid_until", "organisation", "fee"]
REQUIRED_COLUMNS = ["email", "tier", "valid_from"]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
MAX_FEE = Decimal("9999999.99")  # Membership.fee: 9 digits, 2 of them decimals

CREATE = "create"
RENEW = "renew"
UNCHANGED = "unchanged"
ACTION_LABELS = {
    CREATE: _("Create the person and their membership"),
    RENEW: _("Add a membership period"),
    UNCHANGED: _("No change: this period is already recorded"),
}


class ImportRefused(Exception):
    """A report with errors was asked to be applied."""


@dataclasses.dataclass
class ImportRow:
    line: int
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    category: str = Category.ADHERENT
    tier: str = ""
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    organisation: Organisation | None = None
    fee: Decimal = Decimal("0")
    user: object = None
    action: str = ""
    errors: list = dataclasses.field(default_factory=list)
    notes: list = dataclasses.field(default_factory=list)

    @property
    def action_label(self):
        return ACTION_LABELS.get(self.action, "")

    @property
    def tier_label(self):
        return Tier(self.tier).label if self.tier else ""

    @property
    def name(self):
        if self.user is not None:
            return self.user.get_full_name()
        return f"{self.first_name} {self.last_name}".strip()


@dataclasses.dataclass
class ImportReport:
    text: str
    rows: list = dataclasses.field(default_factory=list)
    file_errors: list = dataclasses.field(default_factory=list)

    @property
    def has_errors(self):
        return bool(self.file_errors) or any(row.errors for row in self.rows)

    @property
    def error_rows(self):
        return [row for row in self.rows if row.errors]

    def count(self, action):
        return sum(1 for row in self.rows if not row.errors and row.action == action)

    @property
    def counts(self):
        return {
            "create": self.count(CREATE),
            "renew": self.count(RENEW),
            "unchanged": self.count(UNCHANGED),
            "errors": len(self.error_rows),
        }

    @property
    def changes(self):
        return self.count(CREATE) + self.count(RENEW)

    def fingerprint(self):
        """What was shown to staff: the file and what it would do. Confirming checks it has not changed."""
        digest = hashlib.sha256(self.text.encode())
        for row in self.rows:
            digest.update(f"|{row.line}:{row.action}:{row.user.pk if row.user else ''}".encode())
        return digest.hexdigest()


# --- Reading -------------------------------------------------------------------------------------


COLUMN_ALIASES = {"e_mail": "email", "mail": "email"}


def _column_name(header):
    name = header.strip().lower().replace(" ", "_").replace("-", "_")
    return COLUMN_ALIASES.get(name, name)


def _dialect(text):
    """Spreadsheets set to French save CSV with semicolons; take whichever the header line uses most."""
    first_line = text.split("\n", 1)[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _parse_date(value):
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _choice(value, choices):
    """The code of a choice, given its code or its label (any case)."""
    wanted = value.strip().lower()
    for code, label in choices:
        if wanted in (str(code).lower(), str(label).lower()):
            return code
    return None


def _parse_fee(value):
    text = value.replace("€", "").replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        fee = Decimal(text)
    except InvalidOperation:
        return None
    if not fee.is_finite() or fee < 0 or fee > MAX_FEE or fee != fee.quantize(Decimal("0.01")):
        return None
    return fee.quantize(Decimal("0.01"))


def parse_members_csv(text):
    """Read a members' CSV file (already decoded) and say what importing it would do. Writes nothing."""
    # Browsers send a form's text back with CRLF line ends: normalise, so the confirmed file is the checked one.
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    report = ImportReport(text=text)
    delimiter = _dialect(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
        if header is None:
            report.file_errors.append(_("The file is empty."))
            return report
        columns = [_column_name(cell) for cell in header]
        unknown = [header[i].strip() for i, name in enumerate(columns) if name not in COLUMNS and name]
        if unknown:
            report.file_errors.append(
                _("Unknown column(s): %(columns)s. The columns are: %(expected)s.")
                % {"columns": ", ".join(unknown), "expected": ", ".join(COLUMNS)}
            )
        duplicated = sorted({name for name in columns if name and columns.count(name) > 1})
        if duplicated:
            report.file_errors.append(_("Column(s) given twice: %(columns)s.") % {"columns": ", ".join(duplicated)})
        missing = [name for name in REQUIRED_COLUMNS if name not in columns]
        if missing:
            report.file_errors.append(_("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})
        if report.file_errors:
            return report

        raw_rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            raw_rows.append((reader.line_num, cells))
    except csv.Error as error:
        report.file_errors.append(
            _("The file could not be read as CSV near line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": error}
        )
        return report

    if not raw_rows:
        report.file_errors.append(_("The file has no line to import under its header."))
        return report

    organisations = {org.name.strip().lower(): org for org in Organisation.objects.all()}
    seen = {}
    for line, cells in raw_rows:
        row = ImportRow(line=line)
        if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
            row.errors.append(_("This line has more values than the header has columns."))
        values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(columns) if name}
        _check_row(row, values, organisations)
        if row.email:
            if row.email in seen:
                row.errors.append(
                    _("This e-mail address is already on line %(line)s of the file.") % {"line": seen[row.email]}
                )
            else:
                seen[row.email] = line
        report.rows.append(row)

    _plan(report)
    return report


def _check_row(row, values, organisations):
    User = get_user_model()
    email = values.get("email", "").lower()
    row.email = email
    if not email:
        row.errors.append(_("The e-mail address is missing."))
    else:
        try:
            validate_email(email)
        except ValidationError:
            row.errors.append(_("“%(value)s” is not a valid e-mail address.") % {"value": email})
        else:
            if len(email) > User._meta.get_field("username").max_length:
                row.errors.append(_("This e-mail address is too long to be used as a login."))

    row.first_name = values.get("first_name", "")[:150]
    row.last_name = values.get("last_name", "")[:150]

    category = values.get("category", "")
    if category:
        row.category = _choice(category, Category.choices)
        if row.category is None:
            row.errors.append(
                _("Unknown category “%(value)s”: use %(choices)s.")
                % {"value": category, "choices": " / ".join(Category.values)}
            )

    tier = values.get("tier", "")
    row.tier = _choice(tier, Tier.choices) if tier else None
    if not tier:
        row.errors.append(_("The tier is missing."))
    elif row.tier is None:
        row.errors.append(
            _("Unknown tier “%(value)s”: use %(choices)s.") % {"value": tier, "choices": " / ".join(Tier.values)}
        )

    valid_from = values.get("valid_from", "")
    if not valid_from:
        row.errors.append(_("The start date (valid_from) is missing."))
    else:
        row.valid_from = _parse_date(valid_from)
        if row.valid_from is None:
            row.errors.append(
                _("“%(value)s” is not a date: write it as YYYY-MM-DD or DD/MM/YYYY.") % {"value": valid_from}
            )
    valid_until = values.get("valid_until", "")
    if valid_until:
        row.valid_until = _parse_date(valid_until)
        if row.valid_until is None:
            row.errors.append(
                _("“%(value)s” is not a date: write it as YYYY-MM-DD or DD/MM/YYYY.") % {"value": valid_until}
            )
    elif row.valid_from is not None:
        row.valid_until = services.membership_period(row.valid_from)[1]  # one year, as a new membership
    if row.valid_from and row.valid_until and row.valid_until < row.valid_from:
        row.errors.append(_("The membership ends (valid_until) before it starts (valid_from)."))

    organisation = values.get("organisation", "")
    if organisation:
        row.organisation = organisations.get(organisation.lower())
        if row.organisation is None:
            row.errors.append(
                _("Unknown organisation “%(value)s”: create it in the admin first, or check its name.")
                % {"value": organisation}
            )

    fee = values.get("fee", "")
    if fee:
        parsed = _parse_fee(fee)
        if parsed is None:
            row.errors.append(_("“%(value)s” is not a fee: write an amount such as 250 or 250.00.") % {"value": fee})
        else:
            row.fee = parsed


def _plan(report):
    """Decide, for each correct line, what importing it would do, from what the database holds now."""
    User = get_user_model()
    emails = {row.email for row in report.rows if row.email}
    users = {}
    matching = (
        User.objects.annotate(email_lower=Lower("email"), username_lower=Lower("username"))
        .filter(Q(email_lower__in=emails) | Q(username_lower__in=emails))
        .order_by("pk")
    )
    for user in matching:
        for key in {(user.email or "").lower(), user.username.lower()} & emails:
            users.setdefault(key, []).append(user)
    user_ids = {user.pk for found in users.values() for user in found}
    periods = {}
    for membership in Membership.objects.filter(user_id__in=user_ids):
        periods.setdefault(membership.user_id, []).append(membership)

    for row in report.rows:
        if row.errors:
            continue
        found = {user.pk: user for user in users.get(row.email, [])}
        if len(found) > 1:
            row.errors.append(_("Several accounts use this e-mail address; record this membership by hand."))
            continue
        if not found:
            row.action = CREATE
            continue
        row.user = next(iter(found.values()))
        same = [
            m
            for m in periods.get(row.user.pk, [])
            if (m.valid_from, m.valid_until, m.tier, m.category, m.organisation_id)
            == (
                row.valid_from,
                row.valid_until,
                row.tier,
                row.category,
                row.organisation.pk if row.organisation else None,
            )
        ]
        if same:
            row.action = UNCHANGED
            if all(m.fee != row.fee for m in same):
                row.notes.append(_("The fee differs from the one recorded; it is not changed."))
            continue
        row.action = RENEW
        for m in periods.get(row.user.pk, []):
            overlaps = (m.valid_until is None or m.valid_until >= row.valid_from) and m.valid_from <= row.valid_until
            if overlaps:
                row.notes.append(
                    _("Overlaps the period %(start)s – %(end)s already recorded (%(tier)s), which is kept.")
                    % {"start": m.valid_from, "end": m.valid_until or "…", "tier": m.get_tier_display()}
                )


# --- Writing -------------------------------------------------------------------------------------


def _create_person(row):
    User = get_user_model()
    existing = User.objects.filter(Q(email__iexact=row.email) | Q(username__iexact=row.email)).first()
    if existing is not None:  # created since the report was made
        return existing
    user = User(username=row.email, email=row.email, first_name=row.first_name, last_name=row.last_name)
    # A usable but unknown password: the person sets their own through "forgotten password", which
    # Django refuses to accounts without a usable password.
    user.set_password(secrets.token_urlsafe(32))
    user.save()
    Profile.objects.get_or_create(
        user=user,
        defaults={
            "organisation": row.organisation,
            "joined_organisation_at": timezone.now() if row.organisation else None,
        },
    )
    return user


@transaction.atomic
def apply_import(report, *, by):
    """Write a report without errors: every line or none. Returns the memberships created."""
    if report.has_errors:
        raise ImportRefused(report)
    created = []
    touched = {}
    for row in report.rows:
        if row.action == UNCHANGED:
            continue
        user = row.user if row.action == RENEW else _create_person(row)
        membership = Membership.objects.create(
            user=user,
            category=row.category,
            tier=row.tier,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            fee=row.fee,
            organisation=row.organisation,
        )
        log(
            membership,
            "cercle.membership.import",
            user=by,
            data={
                "email": row.email,
                "line": row.line,
                "action": row.action,
                "tier": row.tier,
                "from": str(row.valid_from),
                "until": str(row.valid_until),
            },
        )
        created.append(membership)
        touched[user.pk] = user
    for user in touched.values():
        services.sync_user_groups(user)
    return created
