"""How a refusal of the access policy is answered, for pages, documents and plain views alike."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from . import access


def refusal(request, reason, message=None, status=403):
    """The page that tells a viewer why they may not, and what to do about it: every refusal of the club
    (the policy's, a lead-only page, an invitation) is this one response. `message` defaults to the
    policy's wording of `reason`."""
    return TemplateResponse(
        request,
        "members/forbidden.html",
        {"reason": reason, "message": message or access.FORBIDDEN_REASONS[reason]},
        status=status,
    )


def charter_redirect(next_url):
    """To the charter, coming back to `next_url` once it is signed."""
    return redirect(f"{reverse('members:charter')}?{urlencode({'next': next_url})}")


def denial_response(request, decision, next_url=None):
    """The answer DESIGN.md gives a viewer who may not read what they asked for. After logging in or
    signing the charter, people come back to `next_url` (the address asked for, by default)."""
    next_url = next_url or request.get_full_path()
    if decision.outcome == access.Decision.NOT_FOUND:
        raise Http404
    if decision.outcome == access.Decision.LOGIN:
        return redirect_to_login(next_url)
    if decision.outcome == access.Decision.CHARTER:
        return charter_redirect(next_url)
    return refusal(request, decision.reason)


def audience_required(audience):
    """A view for one audience: everyone else is answered as the policy says (login, charter, 403…)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            decision = access.decide_audience(access.Viewer.for_request(request), audience)
            if not decision.full:
                return denial_response(request, decision)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


member_required = audience_required(access.Audience.MEMBERS)
