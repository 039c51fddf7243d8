"""Demo accounts of the club. The membership issue adds members, tiers and organisations."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from . import roles


def ensure_user(context, username, role, *, groups=(), **fields):
    """Create the account if missing and (re)set its demo password, so `--password` always holds."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    user.set_password(context.password)
    user.save()
    user.groups.add(*Group.objects.filter(name__in=groups))
    (context.created if created else context.kept)(f"compte « {username} »")
    context.accounts.append((username, role))
    return user


def load(context):
    ensure_user(
        context,
        "admin",
        "gestion du club (tous les droits)",
        groups=[roles.CLUB_STAFF],
        email="admin@cercle.example",
        first_name="Anne",
        last_name="Dumont",
        is_staff=True,
        is_superuser=True,
    )
