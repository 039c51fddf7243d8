"""A member asks the secretariat for the premium tier or a renewal, in one click from where they stand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .. import services
from ..access import Viewer
from ..forms.membership_requests import MembershipRequestForm
from ..models import MembershipRequest, Profile, Tier


def _requested_kind(request, viewer):
    """The kind named in the address (the teaser's "upgrade", the notice's "renewal") if this person may
    ask for it, else the likeliest they may: an expired member following a teaser is offered a renewal."""
    asked = request.POST.get("kind") or request.GET.get("kind")
    asked = asked if asked in MembershipRequest.Kind.values else None
    kinds = services.membership_request_kinds(viewer)
    if asked in kinds or not kinds:
        return asked
    return kinds[0]


def _member_summary(user, viewer):
    """What the secretariat will read about the member, shown to them before they send."""
    profile = Profile.objects.filter(user=user).select_related("organisation").first()
    tier = viewer.tier or services.last_tier(user)
    return {
        "name": services.person_name(user),
        "organisation": profile.organisation.name if profile and profile.organisation else "",
        "tier": Tier(tier).label if tier else "",
        "valid_until": viewer.valid_until,
        "expired": viewer.is_expired,
    }


@never_cache
@login_required
def membership_request(request):
    viewer = Viewer.for_request(request)
    if viewer.needs_charter:
        return redirect(f"{reverse('members:charter')}?{urlencode({'next': request.get_full_path()})}")
    open_request = services.open_membership_request(request.user)
    if open_request is not None:
        return render(request, "members/membership_request_open.html", {"open_request": open_request})

    refusal = services.why_no_membership_request(viewer, request.POST.get("kind") or request.GET.get("kind"))
    kind = _requested_kind(request, viewer)
    if refusal is not None:
        context = {"reason": refusal, "renewal_due": services.renewal_due(viewer)}
        # Nothing to ask is a polite page; sending anyway is refused.
        status = 403 if request.method == "POST" else 200
        return render(request, "members/membership_request_none.html", context, status=status)

    form = MembershipRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.ask_for_membership_change(request.user, kind=kind, message=form.cleaned_data["message"])
        messages.success(request, _("Your request has been sent."))
        return redirect("members:membership_request")
    context = {
        "form": form,
        "kind": kind,
        "other_kinds": [k for k in services.membership_request_kinds(viewer) if k != kind],
        "summary": _member_summary(request.user, viewer),
    }
    return render(request, "members/membership_request.html", context, status=400 if form.errors else 200)


urlpatterns = [path("membres/formule/", membership_request, name="membership_request")]
