"""Wagtail's user bar for those who work in the admin (staff, the watch's editors and contributors, group
leads), at no more than 4 queries (issue 13).

Wagtail's own `{% wagtailuserbar %}` cost 5 to 7 queries on every page such a member opened: the user's
permissions twice (their own, then their groups'), their admin profile twice (the bar's language, then
its theme), the page's parent for "Show in Explorer" even when that link is not offered, and the
page's moderation state once or twice whenever the member may not edit the page (a lead on another
group's page, an editor on a group's page). This bar offers the same items and pays for each answer once:

1. the user's permissions, in one query, kept where Django's ModelBackend keeps them for the rest of
   the request (`_perm_cache`), for `wagtailadmin.access_admin`;
2. the admin profile (language and theme), kept on the user for the bar's template;
3. the page permissions of the user's groups, kept on the user by Wagtail's page permission policy
   (not for superusers, who need none);
4. the parent page, only when "Show in Explorer" is offered.

What it leaves out: a moderator who may not edit a page but reviews it in a workflow gets no "Edit
this page" link on the site (the admin's dashboard lists what awaits their review). The club's only
workflow ("Relecture veille") asks the watch's editors, who may edit the watch anyway.

A preview or a revision shown from the admin gets Wagtail's own bar: those are the admin's pages.
"""

from django.contrib.auth import get_backends
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.forms import Media
from django.utils import translation
from wagtail.admin.userbar import (
    AddPageItem,
    AdminItem,
    ContentCheckerItem,
    EditPageItem,
    ExplorePageItem,
    Userbar,
    apply_userbar_hooks,
)
from wagtail.admin.utils import get_admin_base_url
from wagtail.models import AbstractPage
from wagtail.permissions import policy_registry
from wagtail.users.models import UserProfile

ADMIN_ACCESS = "wagtailadmin.access_admin"


# ---------------------------------------------------------------------------------------------
# Permissions, loaded once a request
# ---------------------------------------------------------------------------------------------


def _permissions_come_from_model_backend():
    """Whether Django's ModelBackend (the club's MemberBackend) is the only backend answering has_perm:
    only then may its cache be filled for it."""
    answering = [backend for backend in get_backends() if hasattr(backend, "has_perm")]
    return bool(answering) and all(isinstance(backend, ModelBackend) for backend in answering)


def load_permissions(user):
    """Put the user's permissions where ModelBackend looks for them, in one query instead of its two
    (the user's own, then their groups'). Every later `has_perm` of the request is free."""
    if not user.is_active or user.is_superuser or hasattr(user, "_perm_cache"):
        return
    if not _permissions_come_from_model_backend():
        return
    fields = ("content_type__app_label", "codename")
    # Permission is ordered by default: SQLite refuses an ORDER BY inside a UNION.
    own = Permission.objects.filter(user=user).order_by().values_list(*fields)
    through_groups = Permission.objects.filter(group__user=user).order_by().values_list(*fields)
    user._perm_cache = {f"{app_label}.{codename}" for app_label, codename in own.union(through_groups)}


def may_use_admin(user):
    load_permissions(user)
    return user.has_perm(ADMIN_ACCESS)


def page_actions(user, page, path=None):
    """What `user` may do at `path` (a page's, by default): "add", "change", "publish"... from the page
    permissions Wagtail's policy loads once a request and keeps on the user (none for superusers, who
    need none: the items ask `is_superuser` first)."""
    path = path or page.path
    policy = policy_registry.get(page)
    return {
        permission.permission.codename.rsplit("_", maxsplit=1)[0]
        for permission in policy.get_cached_permissions_for_user(user)
        if path.startswith(permission.page.path)
    }


def admin_profile(user):
    """The user's admin preferences (language, theme), read once and kept on the user, where the bar's
    template looks for them; a user who never saved any gets the defaults, and nothing is written."""
    try:
        return user.wagtail_userprofile  # Django keeps the answer (even "none") on the user
    except UserProfile.DoesNotExist:
        return UserProfile(user=user)


# ---------------------------------------------------------------------------------------------
# The items: Wagtail's, answered from the permissions loaded above
# ---------------------------------------------------------------------------------------------


def _can_edit(user, page, actions):
    """Wagtail's PagePermissionTester.can_edit without its last resort (a workflow task's reviewer)."""
    if page.depth == 1:  # the tree's root is not a page
        return False
    if user.is_superuser:
        return True
    return "change" in actions or ("add" in actions and page.owner_id == user.pk)


def _may_create_under(page):
    specific_class = page.specific_class
    if specific_class is None:
        return False
    return any(model.can_create_at(page) for model in specific_class.creatable_subpage_models())


class ExploreParentItem(ExplorePageItem):
    """Wagtail's "Show in Explorer" (the page among its siblings), fetching the parent page only when offered."""

    def __init__(self, page):
        self.page = page

    @property
    def parent_page(self):
        return self.page.get_parent()  # treebeard keeps it on the page

    def render_html(self, parent_context):
        user = parent_context["request"].user
        if self.page.depth <= 1:
            return ""
        if not user.is_superuser:
            # Wagtail offers it to whoever may edit the parent or publish under it.
            actions = page_actions(user, self.page, path=self.page.path[: -self.page.steplen])
            if not ({"change", "publish"} & actions):
                return ""
        return super(ExplorePageItem, self).render_html(parent_context)


class EditItem(EditPageItem):
    def render_html(self, parent_context):
        user = parent_context["request"].user
        if not _can_edit(user, self.page, page_actions(user, self.page)):
            return ""
        return super(EditPageItem, self).render_html(parent_context)


class AddChildItem(AddPageItem):
    def __init__(self, page):
        self.page = page

    def render_html(self, parent_context):
        user = parent_context["request"].user
        # The permission first: whether a kind of page may be created here may count pages.
        if not user.is_superuser and "add" not in page_actions(user, self.page):
            return ""
        if not _may_create_under(self.page):
            return ""
        return super(AddPageItem, self).render_html(parent_context)


def items_for(page):
    if isinstance(page, AbstractPage) and page.pk:
        return [AdminItem(), ExploreParentItem(page), EditItem(page), AddChildItem(page), ContentCheckerItem()]
    return [AdminItem(), ContentCheckerItem()]


# ---------------------------------------------------------------------------------------------
# The bar
# ---------------------------------------------------------------------------------------------


class ClubUserbar(Userbar):
    def get_context_data(self, parent_context):
        request = parent_context.get("request")
        if getattr(request, "in_preview_panel", False) or getattr(request, "revision_id", None):
            return super().get_context_data(parent_context)
        profile = admin_profile(request.user)
        with translation.override(profile.get_preferred_language()):
            items = items_for(self.object)
            apply_userbar_hooks(request, items, self.object)  # other apps' items still come in
            rendered, media = [], Media()
            for item in items:
                content = item.render_html(parent_context)
                if content:
                    rendered.append(content)
                if hasattr(item, "media"):
                    media += item.media
        return {
            "request": request,
            "origin": f"//{request.get_host()}" if request else (get_admin_base_url() or ""),
            "items": rendered,
            "media": media,
            "position": self.position,
            "page": self.object,
            "revision_id": None,
        }


def render_userbar(context, page, position="bottom-right"):
    """The bar's HTML for the request in `context`, or "" for whoever may not use the admin."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not may_use_admin(user):
        return ""
    return ClubUserbar(object=page, position=position).render_html(context)
