from django.contrib.auth import get_user_model
from wagtail.admin.forms import WagtailAdminPageForm

from members.services import person_name


class MeetingNoteForm(WagtailAdminPageForm):
    """Attendees are chosen by name among the members of the group the note belongs to."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = self.parent_page or (self.instance.get_parent() if self.instance.pk else None)
        if parent is not None and "attendees" in self.fields:
            field = self.fields["attendees"]
            field.queryset = (
                get_user_model()
                .objects.filter(group_memberships__group_id=parent.pk, group_memberships__state="active")
                .select_related("profile")
                # Only what names a person (members.services.person_name): not the password hash, nor a profile.
                .only("pk", "username", "first_name", "last_name", "profile__display_name")
                .order_by("last_name", "first_name")
            )
            field.label_from_instance = person_name
