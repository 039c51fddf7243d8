"""Staff anonymise a departed member from the Wagtail admin: a button on each user of the users' list, a
confirmation page that says what will happen, then members.privacy_services.anonymise_member.

Only club staff (the policy's `Viewer.is_staff`) may: editors and group leads work in the admin too, and are
answered 403. Wired from members/wagtail_hooks.py (importing this module registers its hooks).
"""

from django import forms
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.widgets.button import Button

from . import privacy_services
from .access import Viewer
from .admin_views import refused
from .converters import DatabaseIdConverter  # noqa: F401 (registers <id:...>)
from .services import person_name

LOG_ACTIONS = [
    (privacy_services.ACTION, _("Member anonymised"), _("Member anonymised")),
    (privacy_services.EXPORT_ACTION, _("Personal data downloaded"), _("Personal data downloaded")),
]


@hooks.register("register_log_actions")
def register_privacy_actions(actions):
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action, label, message)


def _is_staff(request_user):
    # The users' list asks once per row: the answer is kept on the request's user.
    answer = getattr(request_user, "_cercle_is_staff", None)
    if answer is None:
        answer = request_user._cercle_is_staff = Viewer(request_user).is_staff
    return answer


@hooks.register("register_user_listing_buttons")
def anonymise_button(user, request_user):
    # Superusers and accounts already anonymised get no button (costs no query); other staff accounts
    # are refused on the confirmation page, which says why.
    if user.is_superuser or user.email.endswith("@" + privacy_services.ANONYMOUS_DOMAIN) or not _is_staff(request_user):
        return []
    return [
        Button(
            _("Anonymise"),
            reverse("members_anonymise", args=[user.pk]),
            icon_name="user",
            attrs={"data-testid": "anonymise-member"},
            priority=900,
        )
    ]


class ConfirmForm(forms.Form):
    force = forms.BooleanField(
        required=False,
        label=_("This person has a valid membership; they asked to leave the club and to be anonymised now."),
    )


def _forbidden(request):
    return refused(
        request,
        _("Only the club's staff may anonymise a member."),
        status=403,
        title=_("Not allowed"),
    )


def anonymise_view(request, user_id):
    if not Viewer.for_request(request).is_staff:
        return _forbidden(request)
    person = get_object_or_404(get_user_model().objects.select_related("profile"), pk=user_id)
    back_url = reverse("wagtailusers_users:index")
    profile = getattr(person, "profile", None)
    if profile is not None and profile.anonymised_at is not None:
        messages.info(request, _("This account was already anonymised: nothing changed."))
        return redirect(back_url)
    reason = privacy_services.refusal(person, force=True)
    if reason:
        return refused(request, privacy_services.REFUSALS[reason], back_url=back_url)
    has_valid_membership = privacy_services.refusal(person) == "valid_membership"
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        force = form.cleaned_data["force"]
        if has_valid_membership and not force:
            form.add_error("force", privacy_services.REFUSALS["valid_membership"])
        else:
            try:
                privacy_services.anonymise_member(person, by=request.user, force=force)
            except privacy_services.AnonymisationRefused as error:  # a membership added meanwhile
                return refused(request, privacy_services.REFUSALS[error.reason], back_url=back_url)
            messages.success(request, _("The account was anonymised. It now reads “Ancien membre”."))
            return redirect(back_url)
    return TemplateResponse(
        request,
        "members/admin/anonymise.html",
        {
            "page_title": _("Anonymise a member"),
            "header_title": _("Anonymise a member"),
            "header_icon": "user",
            "person": person,
            "name": person_name(person),
            "has_valid_membership": has_valid_membership,
            "form": form,
            "action_url": request.path,
            "back_url": back_url,
        },
        status=400 if form.errors else 200,
    )


@hooks.register("register_admin_urls")
def register_anonymise_url():
    return [path("members/anonymise/<id:user_id>/", anonymise_view, name="members_anonymise")]
