"""Forms of the profile page and of the members' directory."""

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from modelcluster.forms import ClusterForm
from PIL import Image
from taggit.forms import TagField

from ..interests import clusters as cluster_provider
from ..models import DIRECTORY_FIELDS, LANGUAGES, Organisation, Profile

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


class PhotoField(forms.ImageField):
    """Django's image field, refusing an image whose header declares more pixels than the site accepts.

    A few hundred kilobytes of PNG can declare 12,000 × 12,000 pixels, which take seconds and hundreds of
    megabytes to resize. Django's field reads the header only (Pillow's open and verify, no decoding), so
    the size is known before anything is kept or resized.
    """

    def to_python(self, data):
        try:
            upload = super().to_python(data)
        except forms.ValidationError as error:
            # Pillow refuses outright an image far beyond its limit (config/settings.py sets it).
            if isinstance(error.__cause__, Image.DecompressionBombError):
                raise self.too_many_pixels() from None
            raise
        if upload is not None:
            width, height = upload.image.size
            if width * height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
                raise self.too_many_pixels(width, height)
        return upload

    def too_many_pixels(self, width=None, height=None):
        limit = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS // 1_000_000
        if width is None:
            message = _("This image has too many pixels; the limit is %(limit)d megapixels. Choose a smaller image.")
        else:
            message = _(
                "This image is %(width)d × %(height)d pixels; the limit is %(limit)d megapixels. "
                "Choose a smaller image."
            )
        return forms.ValidationError(
            message, code="too_many_pixels", params={"width": width, "height": height, "limit": limit}
        )


MAX_EXPERTISE_TAGS = 15
MAX_TAG_LENGTH = 50


class AccountForm(forms.ModelForm):
    """The person's name as the club's records hold it (the e-mail address is their login: not here)."""

    class Meta:
        model = get_user_model()
        fields = ["first_name", "last_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].required = True
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"


def validate_linkedin_url(value):
    host = (urlsplit(value).hostname or "").lower()
    if host != "linkedin.com" and not host.endswith(".linkedin.com"):
        raise forms.ValidationError(
            _("Enter the address of a LinkedIn profile, such as https://www.linkedin.com/in/your-name."),
            code="not_linkedin",
        )


validate_phone = RegexValidator(
    r"^\+?[0-9 ().\-/]{6,30}$",
    _("Enter a phone number with digits, spaces and an optional leading +, such as +32 2 123 45 67."),
    code="invalid_phone",
)


class ProfileForm(ClusterForm):
    """What a person shows the club about themselves, and how they want to hear from it."""

    photo_upload = PhotoField(
        label=_("Photo"),
        required=False,
        help_text=_("A JPEG, PNG, GIF or WebP image of at most 5 MB and 40 megapixels."),
        error_messages={
            "invalid_image": _("This file is not an image we can read. Choose a JPEG, PNG, GIF or WebP image."),
            "invalid_extension": _("Choose a JPEG, PNG, GIF or WebP image."),
            "empty": _("The file you chose is empty."),
        },
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)
    expertise = TagField(
        label=_("Areas of expertise"),
        required=False,
        help_text=_("Separate them with commas, for example: cloud, cybersecurity, ERP."),
    )
    clusters = forms.MultipleChoiceField(
        label=_("Clusters of interest"),
        choices=[],  # the live cluster pages this member may know of: see __init__
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages I speak"),
        choices=LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    linkedin_url = forms.URLField(
        label=_("LinkedIn profile"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a complete web address, such as https://www.linkedin.com/in/your-name.")},
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40, validators=[validate_phone])

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "job_title",
            "bio",
            "expertise",
            "languages",
            "linkedin_url",
            "phone",
            *(f"show_{name}" for name in DIRECTORY_FIELDS),
            "notify_digest",
            "notify_group_notes",
            "notify_events",
            "notify_discussions",
        ]
        labels = {
            "display_name": _("Display name"),
            "job_title": _("Job title"),
            "bio": _("Short bio"),
            "notify_digest": _("The technology-watch digest"),
            "notify_group_notes": _("New meeting notes in my working groups"),
            "notify_events": _("Upcoming events"),
            "notify_discussions": _("Discussions I follow and mentions of me"),
        }
        help_texts = {
            "display_name": _("How the club's directory names you; leave empty to use your first and last name."),
            "bio": _("At most 1,000 characters."),
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 5, "maxlength": 1000}), "notify_discussions": forms.RadioSelect}

    # The page shows the fields in these groups, each directory field beside the switch that shows it to
    # other members: (field, its switch). A switch alone stands for what the member does not type here
    # (the organisation is the secretariat's, the groups are joined on their pages, the e-mail is the login).
    SECTIONS = [
        (
            _("About you"),
            [
                ("display_name", None),
                ("job_title", "show_job_title"),
                (None, "show_organisation"),
                ("photo_upload", "show_photo"),
                ("remove_photo", None),
                ("bio", "show_bio"),
            ],
        ),
        (
            _("Expertise and interests"),
            [
                ("expertise", "show_expertise"),
                ("clusters", "show_clusters"),
                (None, "show_groups"),
                ("languages", "show_languages"),
            ],
        ),
        (
            _("Contact details"),
            [(None, "show_email"), ("linkedin_url", "show_linkedin"), ("phone", "show_phone")],
        ),
        (
            _("Notifications"),
            [
                ("notify_digest", None),
                ("notify_group_notes", None),
                ("notify_events", None),
                ("notify_discussions", None),
            ],
        ),
    ]

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.photo_id:
            del self.fields["remove_photo"]
        # A form sent without the choice (an older page, a script) keeps the member's current one.
        self.fields["notify_discussions"].required = False
        self.fields["clusters"].choices = cluster_provider().choices(viewer)
        self.fields["clusters"].initial = cluster_provider().chosen_by(self.instance)
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["linkedin_url"].widget.attrs["placeholder"] = "https://www.linkedin.com/in/…"

    def save_interests(self):
        """The clusters chosen are kept by the app that owns the clusters; after the profile is saved."""
        cluster_provider().set_interests(self.instance, self.cleaned_data.get("clusters") or [])

    def sections(self):
        """(legend, rows) for each group of fields; a row is (bound field or None, bound switch or None)."""
        return [
            (
                legend,
                [
                    (self[name] if name else None, self[switch] if switch else None)
                    for name, switch in rows
                    if (name is None or name in self.fields) and (name or switch)
                ],
            )
            for legend, rows in self.SECTIONS
        ]

    def clean_photo_upload(self):
        upload = self.cleaned_data.get("photo_upload")
        if not upload:
            return None
        if upload.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(
                _("This photo weighs %(size)s; the limit is 5 MB. Choose a smaller image."),
                code="too_large",
                params={"size": filesizeformat(upload.size)},
            )
        # Django's ImageField has opened the file with Pillow and kept what it found.
        image_format = getattr(getattr(upload, "image", None), "format", None)
        if image_format not in PHOTO_FORMATS:
            raise forms.ValidationError(_("Choose a JPEG, PNG, GIF or WebP image."), code="invalid_format")
        return upload

    def clean_notify_discussions(self):
        return self.cleaned_data.get("notify_discussions") or self.instance.notify_discussions

    def clean_linkedin_url(self):
        # Here rather than in the field's validators: a malformed address gets one message, not two.
        value = self.cleaned_data.get("linkedin_url")
        if value:
            validate_linkedin_url(value)
        return value

    def clean_expertise(self):
        tags = [tag.strip() for tag in self.cleaned_data.get("expertise") or [] if tag.strip()]
        if len(tags) > MAX_EXPERTISE_TAGS:
            raise forms.ValidationError(
                _("Keep to %(max)d areas of expertise at most."), code="too_many", params={"max": MAX_EXPERTISE_TAGS}
            )
        too_long = [tag for tag in tags if len(tag) > MAX_TAG_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _("Each area of expertise has at most %(max)d characters."),
                code="tag_too_long",
                params={"max": MAX_TAG_LENGTH},
            )
        return tags


class DirectoryFilterForm(forms.Form):
    """The directory's search box and filters; every field is optional."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("A name, a job title, an organisation or an area of expertise."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        required=False,
        choices=[("", _("All kinds"))] + list(Organisation.Kind.choices),
    )
    cluster = forms.ChoiceField(label=_("Cluster of interest"), required=False)
    # The two facets: offered as links with their counts, kept here so that a search keeps them.
    group = forms.ChoiceField(label=_("Working group"), required=False, widget=forms.HiddenInput)
    expertise = forms.CharField(
        label=_("Area of expertise"), required=False, max_length=MAX_TAG_LENGTH, widget=forms.HiddenInput
    )

    FACETS = ("group", "expertise")

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].choices = [("", _("All clusters"))] + cluster_provider().choices(viewer)
        # Only the groups this viewer may know of: a private group's id is refused, never confirmed.
        self.fields["group"].choices = [("", "")] + cluster_provider().group_choices(viewer)

    def clean_expertise(self):
        return (self.cleaned_data.get("expertise") or "").strip()
