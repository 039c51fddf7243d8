from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import access, page_cache
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
    ("cercle.feed.reset", _("Personal feed address reset"), _("Personal feed address reset")),
    ("cercle.membership_request.send", _("Membership request sent"), _("Membership request sent")),
    ("cercle.membership_request.answer", _("Membership request answered"), _("Membership request answered")),
]


@hooks.register("register_log_actions")
def register_membership_actions(actions):
    for action, label, message in AUDIT_ACTIONS:
        actions.register_action(action, label, message)


@hooks.register("on_serve_page")
def enforce_page_access(serve):
    """Every page is served through the policy; restricted ones are never cached by browsers or proxies."""

    def inner(page, request, serve_args, serve_kwargs):
        viewer = access.Viewer.for_request(request)
        decision = access.decide(viewer, page)
        request.page_decision = decision
        if not decision.allowed:
            response = denial_response(request, decision)
        else:
            page_cache.offer(request, page, viewer)
            response = serve(page, request, serve_args, serve_kwargs)
        if access.page_audience(page).read != access.Audience.PUBLIC:
            add_never_cache_headers(response)
        return response

    return inner


def replace_wagtails_restriction_check():
    """The policy already reads Wagtail's privacy settings (access.compute_page_audience); Wagtail's own
    check would answer first, sending a logged-in member who lacks a group to the log-in page instead
    of the 403/404 of DESIGN.md, and costs two queries on every page."""
    from wagtail.wagtail_hooks import check_view_restrictions

    hooks.search_for_hooks()
    registered = hooks._hooks.get("on_serve_page", [])
    hooks._hooks["on_serve_page"] = [(fn, order) for fn, order in registered if fn is not check_view_restrictions]


@hooks.register("before_serve_document")
def enforce_document_access(document, request):
    decision = access.decide_document(access.Viewer.for_request(request), document)
    return None if decision.full else denial_response(request, decision)


@hooks.register("register_admin_viewset")
def register_members_admin():
    """The staff's "Members" section: organisations, memberships, invitations, charter, import."""
    from .viewsets import MembersViewSetGroup

    return MembersViewSetGroup()


from . import admin_anonymise  # noqa: E402, F401 (registers its hooks: anonymising a member, its log actions)
