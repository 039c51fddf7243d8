"""Views of the opportunities that are not pages: "I'm interested" and its withdrawal.

The policy is asked first, exactly as the opportunity's page asks it (members.access.decide): a visitor is
sent to log in, a member without the charter to sign it, a basic member is told about the premium tier.
Successful writes redirect back to the page (PRG) with a message; refusals answer 4xx and change nothing.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import Decision, Viewer, decide
from members.converters import DatabaseIdConverter  # noqa: F401 (registers <id:...>)
from members.gates import denial_response, refusal

from . import services
from .forms import InterestForm
from .models import OpportunityPage


def _opportunity_or_refusal(request, page_id):
    """(the live opportunity, None) if this viewer may say they are interested, else (it or None, the refusal)."""
    viewer = Viewer.for_request(request)
    opportunity = OpportunityPage.objects.live().filter(pk=page_id).select_related("cercle_audience").first()
    if opportunity is None:
        return None, denial_response(request, Decision(Decision.NOT_FOUND))
    page_url = opportunity.get_url(request) or "/"
    decision = decide(viewer, opportunity)
    if decision.teaser:  # a basic member: the same answer as a premium section gives
        return opportunity, refusal(request, "premium")
    if not decision.full:
        # After logging in or signing the charter, people come back to the page (this address is POST-only).
        return opportunity, denial_response(request, decision, next_url=page_url)
    if not viewer.is_member:  # staff without a membership, an editor whose membership ended
        return opportunity, refusal(request, "members")
    return opportunity, None


def _closed(request, opportunity):
    return refusal(
        request,
        "closed",
        _(
            "This opportunity closed on %(date)s: interest can no longer be recorded. "
            "Its contact may still be reached directly."
        )
        % {"date": formats.date_format(opportunity.deadline, "DATE_FORMAT")},
        status=409,
    )


@require_POST
def interest(request, page_id):
    opportunity, refused = _opportunity_or_refusal(request, page_id)
    if refused is not None:
        return refused
    if opportunity.is_closed:
        return _closed(request, opportunity)
    form = InterestForm(request.POST)
    if not form.is_valid():
        return TemplateResponse(
            request, "opportunities/interest_form.html", {"page": opportunity, "form": form}, status=400
        )
    try:
        _interest, created = services.record_interest(opportunity, request.user, form.cleaned_data["message"])
    except services.InterestError as error:  # closed or changed in the meantime
        if error.reason == "closed":
            return _closed(request, opportunity)
        return refusal(request, "premium")
    if created:
        messages.success(request, _("Your interest has been recorded and the contact has been told by e-mail."))
    else:
        messages.success(request, _("Your interest is recorded: your message has been updated."))
    return redirect(f"{opportunity.get_url(request)}#interest")


@require_POST
def withdraw_interest(request, page_id):
    opportunity, refused = _opportunity_or_refusal(request, page_id)
    if refused is not None:
        return refused
    if services.withdraw_interest(opportunity, request.user):
        messages.success(request, _("Your interest has been withdrawn."))
    else:  # withdrawn in another tab already
        messages.info(request, _("You had not recorded an interest in this opportunity."))
    return redirect(f"{opportunity.get_url(request)}#interest")


urlpatterns = [
    path("opportunites/<id:page_id>/interet/", interest, name="interest"),
    path("opportunites/<id:page_id>/interet/retirer/", withdraw_interest, name="withdraw_interest"),
]
