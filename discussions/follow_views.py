"""Following threads and spaces, the one-click unfollow link of the e-mails, and the `@` suggestions.

Following is for whoever may read: the policy is asked (services.follow refuses a space the member may not
read). Unfollowing never needs it: anyone may remove their own row, even after losing access, and the
signed link of an e-mail works without logging in (its GET changes nothing: mail scanners open links).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.access import Viewer
from members.gates import denial_response
from members.privacy import no_store
from members.services import person_name

from . import notifications, services
from .models import Follow, MemberHandle, Space, Thread

FOLLOWED_PER_PAGE = 50
MENTION_CANDIDATES = 8
MENTION_EXAMINED = 40


def _back(request, fallback):
    """The `next` the form sent, if it is an address of this site; else `fallback`."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _toggle(request, viewer, *, thread=None, space=None):
    target_space = thread.space if thread is not None else space
    decision = services.decision(viewer, target_space)
    if not decision.full:
        return denial_response(request, decision, next_url=(thread or space).get_absolute_url())
    action = request.POST.get("action")
    if action == "unfollow":
        services.unfollow(viewer.user, thread=thread, space=space)
        messages.success(request, _("You no longer follow it."))
    elif action == "follow":
        try:
            services.follow(viewer, thread=thread, space=space)
        except services.DiscussionError as error:
            return render(
                request, "discussions/unfollow_invalid.html", {"state": "refused", "message": str(error)},
                status=error.status,
            )
        messages.success(request, _("You follow it: you will be told of what is new, as your profile says."))
    else:
        return render(request, "discussions/unfollow_invalid.html", {"state": "bad_request"}, status=400)
    return _back(request, (thread or space).get_absolute_url())


@require_POST
def follow_thread(request, thread_id):
    thread = get_object_or_404(Thread.objects.select_related("space__group"), pk=thread_id)
    return _toggle(request, Viewer.for_request(request), thread=thread)


@require_POST
def follow_space(request, slug):
    space = get_object_or_404(Space.objects.select_related("group"), slug=slug)
    return _toggle(request, Viewer.for_request(request), space=space)


@require_GET
@no_store
def following(request):
    """The threads and spaces the member follows and may still read, each with its unfollow button."""
    viewer = Viewer.for_request(request)
    if not viewer.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = viewer.user
    spaces = list(
        Space.objects.readable_by(viewer).filter(Exists(Follow.objects.filter(user=user, space=OuterRef("pk"))))
    )
    threads = (
        Thread.objects.readable_by(viewer)
        .filter(Exists(Follow.objects.filter(user=user, thread=OuterRef("pk"))))
        .select_related("space", "last_author__profile")
        .order_by("-last_activity_at", "-pk")
    )
    page = Paginator(threads, FOLLOWED_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "discussions/following.html",
        {"spaces": spaces, "page_obj": page, "threads": page.object_list, "viewer": viewer},
    )


# --- The one-click unfollow link ----------------------------------------------------------------------


@csrf_exempt  # RFC 8058: the mail client's one-click POST carries no CSRF token; the signed token is the authority
@never_cache
@require_http_methods(["GET", "POST"])
def unfollow_by_token(request, token):
    """GET: a page with one button, changing nothing. POST (the button, or the mail client's one-click):
    the follow is removed. The thread's or space's title is shown only to someone who may still read it."""
    template = "discussions/unfollow.html"
    try:
        found = notifications.read_unfollow_token(token)
    except notifications.LinkExpired:
        found, state = None, "expired"
    else:
        state = "invalid"
    user = target = None
    if found is not None:
        user_id, kind, target_id = found
        user = get_user_model().objects.filter(pk=user_id).first()
        target = notifications.target_of(kind, target_id)
    if user is None or target is None:
        response = render(request, "discussions/unfollow_invalid.html", {"state": state}, status=400)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    space = target.space if kind == "thread" else target
    may_read = user.is_active and services.may_read(Viewer(user), space)
    follows = Follow.objects.filter(user=user, **{kind: target})
    context = {"kind": kind, "target": target if may_read else None}
    if request.method == "POST":
        services.unfollow(user, **{kind: target})
        context["state"] = "done"
    else:
        context["state"] = "confirm" if follows.exists() else "not_following"
    response = render(request, template, context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- `@` suggestions ----------------------------------------------------------------------------------


def _json_error(message, status):
    return JsonResponse({"error": message}, status=status)


def _space_asked(request):
    """The space of ?sujet=<thread id> or ?espace=<space id>: (space, None) or (None, error response)."""
    for name, model in (("sujet", Thread), ("espace", Space)):
        value = request.GET.get(name)
        if value is None:
            continue
        if not value.isdigit() or len(value) > 12:
            return None, _json_error(_("Not a valid number."), 400)
        if model is Thread:
            thread = Thread.objects.select_related("space__group").filter(pk=int(value)).first()
            return (thread.space, None) if thread else (None, _json_error(_("Not found."), 404))
        space = Space.objects.select_related("group").filter(pk=int(value)).first()
        return (space, None) if space else (None, _json_error(_("Not found."), 404))
    return None, _json_error(_("Say in which thread or space."), 400)


@require_GET
@no_store
def mention_candidates(request):
    """Up to 8 members whose handle or name starts with `q`, among those who may read the space; asked by
    someone who may write there (else 404, as for a space they may not see). Never an e-mail address."""
    viewer = Viewer.for_request(request)
    space, error = _space_asked(request)
    if error is not None:
        return error
    if not viewer.is_authenticated or not services.may_write(viewer, space):
        return _json_error(_("Not found."), 404)
    q = " ".join((request.GET.get("q") or "").replace("\x00", "").split()).lstrip("@")[:60]
    if len(q) < 1:
        return JsonResponse([], safe=False)
    candidates = MemberHandle.objects.filter(
        Q(handle__istartswith=q)
        | Q(user__first_name__istartswith=q)
        | Q(user__last_name__istartswith=q)
        | Q(user__profile__display_name__istartswith=q),
        user__is_active=True,
        user__profile__anonymised_at__isnull=True,
    ).exclude(user=viewer.user)
    if space.read == "group" and space.audience_group_id is not None:
        # Only a narrowing, so that the examined candidates are likely readers; the policy still decides.
        from members import roles
        from working_groups.models import GroupMembership

        insiders = GroupMembership.objects.filter(
            group_id=space.audience_group_id, state=GroupMembership.State.ACTIVE
        ).values("user_id")
        candidates = candidates.filter(
            Q(user__in=insiders) | Q(user__is_superuser=True) | Q(user__groups__name=roles.CLUB_STAFF)
        ).distinct()
    found = []
    for row in candidates.select_related("user__profile").order_by("handle")[:MENTION_EXAMINED]:
        if services.may_read(Viewer(row.user), space):
            found.append({"handle": row.handle, "name": person_name(row.user)})
            if len(found) == MENTION_CANDIDATES:
                break
    return JsonResponse(found, safe=False)
