from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import access

AUDIT_ACTIONS = [
    ("cercle.invitation.send", _("Invitation sent"), _("Invitation sent")),
    ("cercle.invitation.resend", _("Invitation sent again"), _("Invitation sent again")),
    ("cercle.invitation.revoke", _("Invitation revoked"), _("Invitation revoked")),
    ("cercle.invitation.accept", _("Invitation accepted"), _("Invitation accepted")),
    ("cercle.membership.create", _("Membership created"), _("Membership created")),
    ("cercle.membership.renew", _("Membership renewed"), _("Membership renewed")),
    ("cercle.membership.import", _("Membership imported"), _("Membership imported")),
    ("cercle.charter.publish", _("Charter version published"), _("Charter version published")),
    ("cercle.charter.sign", _("Charter signed"), _("Charter signed")),
    ("cercle.roles.change", _("Roles changed"), _("Roles changed")),
]


@hooks.register("register_log_actions")
def register_membership_actions(actions):
    for action, label, message in AUDIT_ACTIONS:
        actions.register_action(action, label, message)


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


@hooks.register("before_serve_page")
def enforce_page_access(page, request, serve_args, serve_kwargs):
    decision = access.decide(access.Viewer.for_request(request), page)
    request.page_decision = decision
    if decision.allowed:
        return None
    return denial_response(request, decision)


@hooks.register("before_serve_document")
def enforce_document_access(document, request):
    viewer = access.Viewer.for_request(request)
    if access.can_download(viewer, document):
        return None
    audience, _group = access.collection_audience(document.collection_id)
    if audience in (access.Audience.GROUP, access.Audience.STAFF):
        raise Http404
    if not viewer.is_authenticated:
        return redirect_to_login(request.get_full_path())
    reason = "renewal" if viewer.is_expired else ("premium" if audience == access.Audience.PREMIUM else "members")
    return denial_response(request, access.Decision(access.Decision.FORBIDDEN, reason))


@hooks.register("register_admin_viewset")
def register_members_admin():
    """The staff's "Members" section: organisations, memberships, invitations, charter, import."""
    from .viewsets import MembersViewSetGroup

    return MembersViewSetGroup()
