"""Brute-force protection: django-axes' database handler, with a second, higher limit per address.

One account locks after AXES_FAILURE_LIMIT failures from one address (someone guessing one person's
password); one address locks after CERCLE_ADDRESS_FAILURE_LIMIT failures across all accounts (someone trying
a few passwords on many accounts). The address limit is higher because a company's offices share one
address, and one colleague's typos must not lock out the others.

AXES_LOCKOUT_PARAMETERS lists the account (username and address) first and the address alone second; axes
sums the failures of each and this handler weighs each against its own limit.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum

from .backends import canonical_username


def lockout_username(request, credentials=None):
    """The name axes counts failures under: the account's own username, however the login was typed.

    A person may log in by address or username, in any case; without this, "Anne@…", "anne@…" and "admin"
    would each get their own five tries (on the admin's log-in form, which does not tidy the login first).
    """
    typed = credentials.get("username") if credentials else getattr(request, "POST", {}).get("username")
    return canonical_username(typed) if typed else typed


def _failures(attempts):
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class MemberLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None):
        per_account, *per_address = [_failures(attempts) for attempts in self.get_user_attempts(request, credentials)]
        if any(failures >= settings.CERCLE_ADDRESS_FAILURE_LIMIT for failures in per_address):
            # Reported as the account's limit, which is what axes compares with.
            return max(per_account, get_failure_limit(request, credentials))
        return per_account

    def reset_user_attempts(self, request, credentials=None):
        # A success clears that account's failures only: logging into one's own account must not wipe
        # the failures the same address piled up against other accounts.
        account_attempts, *_per_address = self.filter_user_attempts(request, credentials)
        count, _ = account_attempts.delete()
        return count
