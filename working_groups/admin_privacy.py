"""The admin names no page and no document to an admin user who may not know it exists.

Wagtail's admin lists pages by editing rights, not by who may know them: its page chooser, the explorer
reached by id, the bulk actions reached by id and some reports name every page and document of the site.
A private group's title, its notes and its minutes would reach the leads, editors and contributors of
other groups. Each place asks the access policy (`members.access`) instead: listings and choosers are
filtered with `filter_pages` / `filter_documents`, and a view addressed by the id of something the person
may not know answers 404, as the page itself does. Staff see everything, as the policy says.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.cache import add_never_cache_headers
from django.views.defaults import page_not_found
from wagtail import hooks
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction as DeletePagesBulkAction
from wagtail.admin.views.pages.bulk_actions.move import MoveBulkAction as MovePagesBulkAction
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction as PublishPagesBulkAction
from wagtail.admin.views.pages.bulk_actions.unpublish import UnpublishBulkAction as UnpublishPagesBulkAction
from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.views.bulk_actions.add_tags import AddTagsBulkAction as TagDocumentsBulkAction
from wagtail.documents.views.bulk_actions.add_to_collection import (
    AddToCollectionBulkAction as MoveDocumentsBulkAction,
)
from wagtail.documents.views.bulk_actions.delete import DeleteBulkAction as DeleteDocumentsBulkAction
from wagtail.models import Page, TaskState

from members.access import Viewer, filter_documents, filter_pages

# ---------------------------------------------------------------------------------------------
# What the person behind a request may know of
# ---------------------------------------------------------------------------------------------


def known_pages(request, pages):
    """The pages of `pages` this person may know exist. The tree's root names nothing and stays, so
    that the explorer and the chooser can start from it."""
    viewer = Viewer.for_request(request)
    if viewer.is_staff:
        return pages
    # A subquery on ids, not a join: Wagtail's search backends accept it after the hook has run.
    known = filter_pages(viewer, Page.objects.all()).values("pk")
    return pages.filter(Q(depth=1) | Q(pk__in=known))


def known_documents(request, documents):
    """The documents of `documents` this person may know of: those they may download."""
    viewer = Viewer.for_request(request)
    if viewer.is_staff:
        return documents
    return documents.filter(pk__in=filter_documents(viewer, get_document_model().objects.all()).values("pk"))


def _ids(values):
    """Ids from a URL or a query string; anything else is a page that does not exist."""
    try:
        ids = {int(value) for value in values}
    except (TypeError, ValueError):
        raise Http404 from None
    if any(not 0 < pk < 2**63 for pk in ids):  # beyond what the database stores: no such page
        raise Http404
    return ids


def _names_unknown(request, queryset, known, ids):
    """Whether some of the existing objects of `queryset` with these ids are unknown to this person."""
    existing = queryset.filter(pk__in=_ids(ids))
    return existing.exclude(pk__in=known(request, queryset).values("pk")).exists()


# ---------------------------------------------------------------------------------------------
# Listings and choosers
# ---------------------------------------------------------------------------------------------


@hooks.register("construct_explorer_page_queryset")
def explorer_lists_known_pages(parent_page, pages, request):
    return known_pages(request, pages)


@hooks.register("construct_page_chooser_queryset")
def page_chooser_lists_known_pages(pages, request):
    return known_pages(request, pages)


@hooks.register("construct_document_chooser_queryset")
def document_chooser_lists_known_documents(documents, request):
    return known_documents(request, documents)


class KnownDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    """The admin's document API (listing and detail) answers only with documents the person may know of."""

    def get_queryset(self):
        return known_documents(self.request, super().get_queryset())


@hooks.register("construct_admin_api", order=1)  # after wagtail.documents registers its own endpoint
def admin_api_names_known_documents(router):
    router.register_endpoint("documents", KnownDocumentsAdminAPIViewSet)


class KnownObjectsToModeratePanel(WorkflowObjectsToModeratePanel):
    """Wagtail's "Awaiting your review" lists every task a reviewer may answer, a private page's too: it
    keeps the pages the reviewer may know of."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        pages = [state["obj"].pk for state in context["states"] if isinstance(state["obj"], Page)]
        if pages:
            known = known_pages(parent_context["request"], Page.objects.filter(pk__in=pages))
            known = set(known.values_list("pk", flat=True))
            context["states"] = [
                state for state in context["states"] if not isinstance(state["obj"], Page) or state["obj"].pk in known
            ]
        return context


@hooks.register("construct_homepage_panels")
def dashboard_lists_known_tasks(request, panels):
    panels[:] = [
        KnownObjectsToModeratePanel() if type(panel) is WorkflowObjectsToModeratePanel else panel for panel in panels
    ]


# ---------------------------------------------------------------------------------------------
# Bulk actions: their confirmation page lists the chosen objects, including those one may not act on
# ---------------------------------------------------------------------------------------------


class KnownObjectsOnly:
    """A bulk action that names and acts on only what the person may know of, whether the objects were
    chosen by id or as "all" the children of a page. Nothing known left: 404, as for an unknown id."""

    known = None  # known_pages or known_documents

    def get_all_objects_in_listing_query(self, parent_id):
        if parent_id is not None and not Page.objects.filter(pk__in=_ids([parent_id])).exists():
            raise Http404
        return super().get_all_objects_in_listing_query(parent_id)

    def get_actionable_objects(self):
        chosen_ids = self.request.GET.getlist("id")
        if "all" not in chosen_ids:
            _ids(chosen_ids)  # a 404 for anything but ids, where Wagtail would fail
        objects, extra = super().get_actionable_objects()
        no_access = extra["items_with_no_access"]
        chosen = self.model.objects.filter(pk__in=[obj.pk for obj in objects + no_access])
        known = set(type(self).known(self.request, chosen).values_list("pk", flat=True))
        objects = [obj for obj in objects if obj.pk in known]
        no_access = [obj for obj in no_access if obj.pk in known]
        if not objects and not no_access:
            raise Http404
        return objects, {**extra, "items_with_no_access": no_access}


def _register_bulk_actions(actions, known):
    for action in actions:
        private = type(
            action.__name__, (KnownObjectsOnly, action), {"known": staticmethod(known), "__module__": __name__}
        )
        # Registered after Wagtail's own (order 0): the registry keeps the last one for each action.
        hooks.register("register_bulk_action", private, order=1)


_register_bulk_actions(
    [DeletePagesBulkAction, MovePagesBulkAction, PublishPagesBulkAction, UnpublishPagesBulkAction], known_pages
)
_register_bulk_actions([DeleteDocumentsBulkAction, MoveDocumentsBulkAction, TagDocumentsBulkAction], known_documents)


# ---------------------------------------------------------------------------------------------
# The page types report: counts and the last edited page among the pages one may know
# ---------------------------------------------------------------------------------------------

PAGE_TYPES_REPORT = {"wagtailadmin_reports:page_types_usage", "wagtailadmin_reports:page_types_usage_results"}


def known_page_types_usage(request, page_types):
    """Wagtail's report counts every page of each type and names the last edited one; give the same
    columns over the pages this person may know of."""
    known = known_pages(request, Page.objects.filter(depth__gt=1, content_type=OuterRef("pk")))
    counted = known.order_by().values("content_type").annotate(n=Count("pk")).values("n")
    latest = known.order_by(F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk").values("pk")[:1]
    stats = ContentType.objects.filter(pk__in=[page_type.pk for page_type in page_types]).annotate(
        known_count=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)),
        last_known_id=Subquery(latest),
    )
    stats = {row.pk: row for row in stats}
    pages = Page.objects.specific().in_bulk([row.last_known_id for row in stats.values() if row.last_known_id])
    for page_type in page_types:
        row = stats[page_type.pk]
        page_type.count = row.known_count
        page_type.last_edited_page = pages.get(row.last_known_id)
    return page_types


# ---------------------------------------------------------------------------------------------
# Views addressed by id: 404 for what the person may not know exists
# ---------------------------------------------------------------------------------------------

# URL keyword arguments that hold a page's id in Wagtail's page views.
PAGE_ID_ARGUMENTS = ("parent_page_id", "page_id", "page_to_move_id", "destination_id")
PAGE_VIEWS_OUTSIDE_NAMESPACE = {
    "wagtailadmin_explore",
    "wagtailadmin_explore_results",
    "wagtailadmin_choose_page_child",
}
PAGE_VIEWS_BY_PK = {"wagtailadmin_pages:revisions_compare"}
PAGE_VIEWS_BY_QUERY = {"wagtailadmin_choose_page_chosen_multiple"}
DOCUMENT_ID_ARGUMENTS = ("document_id", "doc_id")
DOCUMENT_VIEWS_BY_PK = {"wagtaildocs_chooser:chosen"}


def _addressed_pages(match, request):
    if match.view_name in PAGE_VIEWS_BY_QUERY:
        return request.GET.getlist("id")
    ids = []
    if match.namespace == "wagtailadmin_pages" or match.view_name in PAGE_VIEWS_OUTSIDE_NAMESPACE:
        ids = [match.kwargs[name] for name in PAGE_ID_ARGUMENTS if name in match.kwargs]
        if "task_state_id" in match.kwargs:
            ids += _task_state_pages(match.kwargs["task_state_id"])
    if match.view_name in PAGE_VIEWS_BY_PK:
        ids.append(match.kwargs["pk"])
    return ids


def _task_state_pages(task_state_id):
    """The page a moderation task is about. Wagtail's workflow actions find the task by its id alone and
    act on it, whichever page the URL names: a known page's id must not reach a private page's task."""
    return list(
        TaskState.objects.filter(
            pk__in=_ids([task_state_id]), workflow_state__base_content_type=ContentType.objects.get_for_model(Page)
        ).values_list("workflow_state__object_id", flat=True)
    )


def _addressed_documents(match):
    ids = []
    if match.namespace == "wagtaildocs":
        ids = [match.kwargs[name] for name in DOCUMENT_ID_ARGUMENTS if name in match.kwargs]
    if match.view_name in DOCUMENT_VIEWS_BY_PK:
        ids.append(match.kwargs["pk"])
    return ids


def admin_not_found(request):
    """Exactly the answer Wagtail gives for an id that does not exist (its `display_custom_404`), so that
    a private page cannot be told apart from a missing one."""
    response = page_not_found(request, "", template_name="wagtailadmin/404.html")
    add_never_cache_headers(response)
    return response


class AdminPrivacyMiddleware:
    """Answers 404 to an admin view addressed by the id of a page or a document the person may not know
    exists (the explorer, the chooser, the edit, history and revision views...), before Wagtail puts its
    title on the page; and gives the page types report the pages the person may know of."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not request.user.is_authenticated:
            return None
        try:
            page_ids = _ids(_addressed_pages(match, request))  # 404 for a malformed id, staff's too
            document_ids = _ids(_addressed_documents(match))
            if not (page_ids or document_ids) or Viewer.for_request(request).is_staff:
                return None  # most requests stop here, without a query
            if page_ids and _names_unknown(request, Page.objects.filter(depth__gt=1), known_pages, page_ids):
                raise Http404
            if document_ids and _names_unknown(
                request, get_document_model().objects.all(), known_documents, document_ids
            ):
                raise Http404
        except Http404:
            return admin_not_found(request)
        return None

    def process_template_response(self, request, response):
        match = request.resolver_match
        context = getattr(response, "context_data", None) or {}
        if match is None or match.view_name not in PAGE_TYPES_REPORT or "object_list" not in context:
            return response
        if not Viewer.for_request(request).is_staff:
            context["object_list"] = known_page_types_usage(request, list(context["object_list"]))
        return response
