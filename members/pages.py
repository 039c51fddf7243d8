"""What content pages borrow from members: a declared audience that the access policy reads."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Audience

AUDIENCE_CHOICES = [
    ("", _("As its section")),
    (Audience.PUBLIC, _("Everyone (public)")),
    (Audience.MEMBERS, _("Members")),
    (Audience.PREMIUM, _("Premium members")),
]


class AudienceMixin(models.Model):
    """A page whose editors may open it to everyone or keep it for members or premium members."""

    audience = models.CharField(
        _("audience"),
        max_length=10,
        choices=AUDIENCE_CHOICES,
        blank=True,
        default="",
        help_text=_("Who may read this page. By default, the same people as its section."),
    )

    class Meta:
        abstract = True

    def get_declared_audience(self):
        return (self.audience, self.audience, None) if self.audience else None
