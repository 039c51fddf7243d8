"""The invitation journey: a member invites someone, the invited person follows the link and joins."""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from .. import services
from ..access import Viewer, may_invite
from ..forms.invitations import AcceptInvitationForm, InvitationForm, account_exists, account_exists_error
from ..gates import charter_redirect, refusal
from ..models import Charter, Invitation


def inviter_name(invitation):
    inviter = invitation.invited_by if invitation else None
    return services.person_name(inviter) if inviter else ""


def _refused(request, error):
    return render(
        request,
        "members/invitation_refused.html",
        {"kind": error.kind, "invitation": error.invitation, "inviter": inviter_name(error.invitation)},
        status=error.status,
    )


def _keep_the_link_private(view):
    """The token is in the URL: never cached, never sent on as a Referer to other sites.

    "same-origin", not "no-referrer": with no-referrer browsers send `Origin: null` on the form's POST,
    which Django's CSRF check rightly refuses.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        return response

    return never_cache(wrapper)


@_keep_the_link_private
@sensitive_post_parameters("password1", "password2")
def accept_invitation(request, token):
    try:
        invitation = services.find_invitation(token)
    except services.InvitationError as error:
        return _refused(request, error)

    charter = Charter.current()
    context = {"invitation": invitation, "inviter": inviter_name(invitation), "charter": charter}
    if request.user.is_authenticated:
        # Accepting would switch the browser to a new account: the person logs out first, on purpose.
        context["logged_in_as"] = request.user
        return render(
            request, "members/invitation_accept.html", context, status=409 if request.method == "POST" else 200
        )

    form = AcceptInvitationForm(
        request.POST if request.method == "POST" else None,
        invitation=invitation,
        charter=charter,
        read_version=request.POST.get("charter_version"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                token,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
                charter=charter,
            )
        except services.InvitationError as error:  # accepted or revoked in another tab meanwhile
            return _refused(request, error)
        except IntegrityError:  # an account with this address was created meanwhile
            form.add_error(None, account_exists_error())
        else:
            login(request, user, backend="members.backends.MemberBackend")
            messages.success(
                request, _("Welcome to the club, %(name)s: your account is ready.") % {"name": user.first_name}
            )
            return redirect("/")

    context["form"] = form
    context["account_exists"] = not form.is_bound and account_exists(invitation.email)
    return render(request, "members/invitation_accept.html", context, status=400 if form.errors else 200)


@login_required
def invite(request):
    viewer = Viewer.for_request(request)
    if not may_invite(viewer):
        if settings.CERCLE_EFFECTIVE_MEMBERS_MAY_INVITE:
            message = _("Only the club's staff and its effective members may invite someone.")
        else:
            message = _("Invitations are sent by the club's staff.")
        return refusal(request, "members", message)
    if viewer.needs_charter:
        return charter_redirect(request.get_full_path())

    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation, _token = services.invite(
            form.cleaned_data["email"],
            invited_by=request.user,
            tier=form.cleaned_data["tier"],
            category=form.cleaned_data["category"],
            organisation=form.cleaned_data["organisation"],
            message=form.cleaned_data["message"],
        )
        messages.success(
            request,
            _("Your invitation is on its way to %(email)s. The link is valid until %(date)s.")
            % {
                "email": invitation.email,
                "date": formats.date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT"),
            },
        )
        return redirect("members:invite")

    sent = Invitation.objects.filter(invited_by=request.user).select_related("organisation")[:20]
    return render(
        request,
        "members/invite.html",
        {"form": form, "sent": sent, "days": settings.CERCLE_INVITATION_DAYS},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("invitation/<str:token>/", accept_invitation, name="accept_invitation"),
    path("membres/inviter/", invite, name="invite"),
]
