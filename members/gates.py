"""How a refusal of the access policy is answered, for pages, documents and plain views alike."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from . import access


def denial_response(request, decision):
    """The answer DESIGN.md gives a viewer who may not read what they asked for."""
    if decision.outcome == access.Decision.NOT_FOUND:
        raise Http404
    if decision.outcome == access.Decision.LOGIN:
        return redirect_to_login(request.get_full_path())
    if decision.outcome == access.Decision.CHARTER:
        return redirect(f"{reverse('members:charter')}?{urlencode({'next': request.get_full_path()})}")
    return TemplateResponse(
        request,
        "members/forbidden.html",
        {"reason": decision.reason, "message": access.FORBIDDEN_REASONS[decision.reason]},
        status=403,
    )


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
