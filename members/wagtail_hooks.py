from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import access
from .gates import denial_response

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


@hooks.register("before_serve_page")
def enforce_page_access(page, request, serve_args, serve_kwargs):
    decision = access.decide(access.Viewer.for_request(request), page)
    request.page_decision = decision
    if decision.allowed:
        return None
    return denial_response(request, decision)


@hooks.register("before_serve_document")
def enforce_document_access(document, request):
    audience, group_id = access.collection_audience(document.collection_id)
    decision = access.decide_audience(access.Viewer.for_request(request), audience, group_id=group_id)
    return None if decision.full else denial_response(request, decision)


@hooks.register("register_admin_viewset")
def register_members_admin():
    """The staff's "Members" section: organisations, memberships, invitations, charter, import."""
    from .viewsets import MembersViewSetGroup

    return MembersViewSetGroup()
