"""Joining, leaving and the leads' management of members.

Who may see a group is the access policy's answer (members/access.py), asked first on every view, so a
private group answers 404 here exactly as its page does. Successful writes redirect (PRG) with a
message; refusals answer 4xx with the reason, and change nothing.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from members import roles
from members.access import Audience, Viewer, decide
from members.converters import DatabaseIdConverter, database_id  # noqa: F401 (registers <id:...>)
from members.gates import denial_response, refusal
from members.services import person_name

from . import services
from .models import GroupMembership, WorkingGroupPage, without_teaser

Role, State = GroupMembership.Role, GroupMembership.State


# --- Finding the group and asking the policy ---------------------------------------------------------


def _group_or_404(viewer, group_id):
    groups = WorkingGroupPage.objects.all() if viewer.is_staff else WorkingGroupPage.objects.live()
    group = groups.filter(pk=group_id).first()
    if group is None:
        raise Http404
    return group


def group_page_url(request, group):
    return group.get_url(request) or "/"


def members_url(group):
    return reverse("working_groups:members", args=[group.pk])


def _gate(request, group, next_url):
    """None if the viewer may enter the group's space, else the response that refuses them; after logging
    in or signing the charter, people come back to `next_url` (a POST-only address would answer 405 to
    the browser coming back)."""
    decision = without_teaser(decide(Viewer.for_request(request), group))
    if not decision.full:
        return denial_response(request, decision, next_url)
    return None


# --- Joining and leaving -----------------------------------------------------------------------------


@require_POST
def join(request, group_id):
    viewer = Viewer.for_request(request)
    group = _group_or_404(viewer, group_id)
    back = group_page_url(request, group)
    refused = _gate(request, group, back)
    if refused is not None:
        return refused

    existing = GroupMembership.objects.filter(group=group, user=request.user).first()
    if existing is not None:
        if existing.state == State.REQUESTED:
            messages.info(request, _("Your request to join is already waiting for the leads' answer."))
        else:
            messages.info(request, _("You are already a member of this group."))
        return redirect(back)

    if not services.may_join(viewer, group) or group.join_policy == WorkingGroupPage.JoinPolicy.INVITATION:
        return refusal(
            request,
            "invitation",
            _("%(group)s is joined by invitation of its leads only: ask one of them to add you.")
            % {"group": group.title},
        )
    try:
        membership = services.join(group, request.user)
    except services.GroupError as error:
        return refusal(request, "invitation", str(error))

    if membership.state == State.ACTIVE:
        messages.success(request, _("Welcome to %(group)s: you are now a member.") % {"group": group.title})
    else:
        messages.success(
            request,
            _("Your request to join %(group)s has been sent to its leads. You will be told of their answer by e-mail.")
            % {"group": group.title},
        )
    return redirect(back)


@require_POST
def leave(request, group_id):
    """Leave the group, or withdraw a request to join it."""
    viewer = Viewer.for_request(request)
    group = _group_or_404(viewer, group_id)
    back = group_page_url(request, group)
    refused = _gate(request, group, back)
    if refused is not None:
        return refused

    membership = GroupMembership.objects.filter(group=group, user=request.user).first()
    if membership is None:  # left in another tab already: nothing to do
        messages.info(request, _("You are not a member of this group."))
        return redirect(back)
    try:
        services.leave(membership)
    except services.GroupError as error:
        # The last lead: shown the group's members, where they can promote someone first.
        messages.error(request, str(error))
        return _management_page(request, group, status=409)
    if membership.state == State.REQUESTED:
        messages.success(request, _("Your request to join %(group)s has been withdrawn.") % {"group": group.title})
    else:
        messages.success(request, _("You have left %(group)s.") % {"group": group.title})
    return redirect(back)


# --- The leads' management page ------------------------------------------------------------------


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{person_name(user)} ({user.email})" if user.email else person_name(user)


class AddMemberForm(forms.Form):
    """A current member of the club who is not in the group yet (premium members only for clusters)."""

    user = MemberChoiceField(
        label=gettext_lazy("Member of the club"),
        queryset=get_user_model().objects.none(),
        empty_label=gettext_lazy("Choose a member…"),
        error_messages={
            "required": gettext_lazy("Choose the member to add."),
            "invalid_choice": gettext_lazy(
                "This person cannot be added: they are already in the group, or no longer a member of the club."
            ),
        },
    )

    def __init__(self, group, *args, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = (
            get_user_model()
            .objects.filter(is_active=True, groups__name=roles.MEMBERS)
            .exclude(group_memberships__group=group)
            .select_related("profile")  # each choice is labelled by the person's name
            .order_by("last_name", "first_name", "username")
        )
        if group.audience.read == Audience.PREMIUM:
            candidates = candidates.filter(groups__name=roles.PREMIUM_MEMBERS)
        self.fields["user"].queryset = candidates


def _management_page(request, group, form=None, status=200):
    memberships = list(group.memberships.select_related("user__profile").order_by("role", "joined_at", "pk"))
    members = [m for m in memberships if m.state == State.ACTIVE]
    response = TemplateResponse(
        request,
        "working_groups/members.html",
        {
            "group": group,
            "group_url": group_page_url(request, group),
            "requests": [m for m in memberships if m.state == State.REQUESTED],
            "members": members,
            "lead_count": sum(1 for m in members if m.role == Role.LEAD),
            "form": form or AddMemberForm(group),
        },
        status=status,
    )
    add_never_cache_headers(response)  # who is in a private group is confidential
    return response


# action -> (state the membership must be in, what is done)
MEMBERSHIP_ACTIONS = {
    "approve": State.REQUESTED,
    "decline": State.REQUESTED,
    "promote": State.ACTIVE,
    "demote": State.ACTIVE,
    "remove": State.ACTIVE,
}


def _act(request, membership, action):
    """Do one action on one membership; returns the success message (or raises GroupError)."""
    name = person_name(membership.user)
    if action in ("approve", "decline"):
        services.decide_request(membership, approve=action == "approve", by=request.user)
        if action == "approve":
            return _("%(name)s is now a member of the group, and has been told by e-mail.") % {"name": name}
        return _("The request of %(name)s has been declined, and they have been told by e-mail.") % {"name": name}
    if action == "promote":
        services.set_role(membership, Role.LEAD, by=request.user)
        return _("%(name)s is now a lead of the group.") % {"name": name}
    if action == "demote":
        services.set_role(membership, Role.MEMBER, by=request.user)
        return _("%(name)s is no longer a lead, and stays a member of the group.") % {"name": name}
    services.remove_member(membership, by=request.user)
    return _("%(name)s has been removed from the group.") % {"name": name}


@require_http_methods(["GET", "POST"])
def manage_members(request, group_id):
    viewer = Viewer.for_request(request)
    group = _group_or_404(viewer, group_id)
    refused = _gate(request, group, request.get_full_path())
    if refused is not None:
        return refused
    if not (viewer.is_staff or group.pk in viewer.led_group_ids):
        return refusal(request, "leads", _("Only the leads of this group and the club's staff manage its members."))
    if request.method == "GET":
        return _management_page(request, group)

    action = request.POST.get("action")
    if action == "add":
        form = AddMemberForm(group, request.POST)
        if form.is_valid():
            user = form.cleaned_data["user"]
            try:
                services.add_member(group, user, by=request.user)
            except services.GroupError as error:
                form.add_error("user", str(error))
            else:
                messages.success(request, _("%(name)s has been added to the group.") % {"name": person_name(user)})
                return redirect(members_url(group))
        return _management_page(request, group, form=form, status=400)

    membership_id = database_id(request.POST.get("membership"))
    if action not in MEMBERSHIP_ACTIONS or membership_id is None:
        messages.error(request, _("This action is not understood. Nothing has been changed."))
        return _management_page(request, group, status=400)
    membership = (
        group.memberships.select_related("user__profile")
        .filter(pk=membership_id, state=MEMBERSHIP_ACTIONS[action])
        .first()
    )
    if membership is None:  # answered, removed or changed meanwhile, in another tab or by another lead
        messages.error(
            request, _("This has changed meanwhile: here is the group as it is now. Nothing has been changed.")
        )
        return _management_page(request, group, status=409)
    try:
        message = _act(request, membership, action)
    except services.GroupError as error:
        messages.error(request, str(error))
        return _management_page(request, group, status=409)
    messages.success(request, message)

    stepped_down = membership.user_id == request.user.pk and action in ("demote", "remove")
    if stepped_down and not viewer.is_staff:  # no longer allowed on this page
        return redirect(group_page_url(request, group))
    return redirect(members_url(group))


urlpatterns = [
    path("groupes/<id:group_id>/rejoindre/", join, name="join"),
    path("groupes/<id:group_id>/quitter/", leave, name="leave"),
    path("groupes/<id:group_id>/membres/", manage_members, name="members"),
]
