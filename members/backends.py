"""Log-in and the session's user: Django's ModelBackend, loading with the user what the access policy
reads on every request.

A member logs in with their e-mail address or their username, in any case (`find_account`).

The member's profile (the organisation giving a seat) and whether they signed the charter in force come
in the same query as the user: two queries saved on every page a member opens.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone


def with_charter_state(users, day):
    """Annotate users with the charter in force on `day` and whether each signed it (members.access)."""
    from .models import Charter, CharterSignature

    in_force = Charter.objects.in_force(day).values("pk")[:1]
    signed = CharterSignature.objects.filter(user=OuterRef("pk"), charter_id=Subquery(in_force))
    return users.annotate(cercle_charter_id=Subquery(in_force), cercle_signed_charter=Exists(signed))


class SharedAddress(Exception):
    """The typed address is the e-mail of more than one account: which one is meant cannot be told."""


def find_account(login):
    """The one account a typed login names: its username first, else its e-mail address, in any case.

    None when no account matches; SharedAddress when an address belongs to several accounts, so that a
    person is never logged into another person's account.
    """
    users = get_user_model()._default_manager
    login = (login or "").strip()
    if not login:
        return None
    by_username = list(users.filter(username__iexact=login)[:2])
    if len(by_username) == 1:
        return by_username[0]
    exact = [user for user in by_username if user.username == login]  # two usernames differing in case only
    if exact:
        return exact[0]
    if "@" not in login:
        return None
    by_email = list(users.filter(email__iexact=login)[:2])
    if len(by_email) > 1:
        raise SharedAddress(login)
    return by_email[0] if by_email else None


def accounts_at(address):
    """The active accounts whose e-mail is this address, in any case (at most the two that make it shared)."""
    return list(get_user_model()._default_manager.filter(email__iexact=address.strip(), is_active=True)[:2])


def canonical_username(login):
    """The username of the account a typed login names, or the login as typed when none (or several) match.

    django-axes counts failures by the username it is given: one spelling per account keeps the count whole.
    """
    try:
        account = find_account(login)
    except SharedAddress:
        account = None
    return account.get_username() if account else (login or "").strip()


class MemberBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        # The club's log-in form already turned the login into a username; the admin's form did not.
        if username is not None:
            username = canonical_username(username)
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        user_model = get_user_model()
        day = timezone.localdate()
        # The admin profile too: Wagtail's user bar reads it on every page for those with an admin role.
        users = with_charter_state(user_model._default_manager.select_related("profile", "wagtail_userprofile"), day)
        try:
            user = users.get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        user.cercle_charter_day = day  # the annotations hold for this day only
        return user if self.user_can_authenticate(user) else None
