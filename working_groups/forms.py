from django.contrib.auth import get_user_model
from wagtail.admin.forms import WagtailAdminPageForm


class MeetingNoteForm(WagtailAdminPageForm):
    """Attendees are chosen among the members of the group the note belongs to."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = self.parent_page or (self.instance.get_parent() if self.instance.pk else None)
        if parent is not None and "attendees" in self.fields:
            self.fields["attendees"].queryset = (
                get_user_model()
                .objects.filter(group_memberships__group_id=parent.pk, group_memberships__state="active")
                .order_by("last_name", "first_name")
            )
