"""Log-in and the session's user: Django's ModelBackend, loading with the user what the access policy
reads on every request.

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

    in_force = Charter.objects.filter(effective_date__lte=day).order_by("-effective_date", "-pk").values("pk")[:1]
    signed = CharterSignature.objects.filter(user=OuterRef("pk"), charter_id=Subquery(in_force))
    return users.annotate(cercle_charter_id=Subquery(in_force), cercle_signed_charter=Exists(signed))


class MemberBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        day = timezone.localdate()
        users = with_charter_state(user_model._default_manager.select_related("profile"), day)
        try:
            user = users.get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        user.cercle_charter_day = day  # the annotations hold for this day only
        return user if self.user_can_authenticate(user) else None
