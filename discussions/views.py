"""Reading and writing the discussions: the spaces, a space's threads, a thread and its replies, and the
forms that start a thread, reply, edit, delete and mark a solution.

Every view asks the access policy first, through the services (decision, may_write, may_reply…): a
private group's space and threads are 404 to outsiders, visitors are sent to log in, a basic member at a
cluster's space gets the premium refusal (members.gates.denial_response). Every page is personal
(unread markers, the viewer's rights), so none is kept by a cache. A refusal of a write is a
DiscussionError: the form comes back with its message and its status, and the text typed is kept."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members import access
from members.access import Audience, Viewer
from members.gates import denial_response, refusal
from members.privacy import no_store
from members.services import person_name

from . import attachments, markup, services, unread
from .forms import EditForm, ReplyForm, ThreadForm
from .lookups import gate, post_or_404, thread_or_404
from .models import Follow, Post, PostRevision, Space, Thread

THREADS_PER_PAGE = 20
QUESTIONS_PER_PAGE = 20


# --- Finding things and asking the policy ------------------------------------------------------------


def _club_gate(request, viewer):
    """The discussions are for members: visitors log in, expired members are asked to renew."""
    decision = access.decide_conversation(viewer, Audience.MEMBERS, Audience.MEMBERS)
    return None if decision.full else denial_response(request, decision)


def _space_or_404(slug):
    space = Space.objects.select_related("group").filter(slug=slug).first()
    if space is None:
        raise Http404
    return space


def _page_number(request):
    try:
        number = int(request.GET.get("page", "1"))
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else 1


def reply_page(number):
    """The page of a thread where post `number` is shown (the opening post heads every page)."""
    if number <= 1:
        return 1
    return (number - 2) // settings.CERCLE_DISCUSSION_REPLIES_PER_PAGE + 1


def post_url(post):
    page = reply_page(post.number)
    query = f"?page={page}" if page > 1 else ""
    return f"{reverse('discussions:thread', args=[post.thread_id])}{query}#post-{post.number}"


def _is_following(viewer, **target):
    return viewer.is_authenticated and Follow.objects.filter(user=viewer.user, **target).exists()


def _space_order(space):
    """Club-wide spaces first, then the thematic groups', then the clusters'."""
    if space.group_id is None:
        rank = 0
    else:
        rank = 2 if space.group.kind == "cluster" else 1
    return rank, space.position, space.title.lower()


def _error_status(error):
    return getattr(error, "status", 400) or 400


# --- The spaces ---------------------------------------------------------------------------------------


@no_store
def index(request):
    viewer = Viewer.for_request(request)
    refused = _club_gate(request, viewer)
    if refused is not None:
        return refused
    spaces = sorted(Space.objects.readable_by(viewer).select_related("group"), key=_space_order)
    counts = unread.unread_counts(viewer, spaces)
    for space in spaces:
        space.unread = counts.get(space.pk, 0)
    sections = [
        ("club", _("Club-wide"), [s for s in spaces if s.group_id is None]),
        ("groups", _("Working groups"), [s for s in spaces if s.group_id and s.group.kind != "cluster"]),
        ("clusters", _("Technology clusters"), [s for s in spaces if s.group_id and s.group.kind == "cluster"]),
    ]
    return TemplateResponse(
        request,
        "discussions/index.html",
        {
            "sections": [section for section in sections if section[2]],
            "clusters_for_premium": not viewer.is_premium and not viewer.is_staff,
        },
    )


@no_store
def space(request, slug):
    viewer = Viewer.for_request(request)
    space = _space_or_404(slug)
    refused = gate(request, viewer, space)
    if refused is not None:
        return refused
    threads = (
        Thread.objects.filter(space=space)
        .select_related("author__profile", "last_author__profile")
        .order_by("-pinned", "-last_activity_at", "-pk")
    )
    page = Paginator(threads, THREADS_PER_PAGE).get_page(_page_number(request))
    rows = list(page.object_list)
    unread_ids = unread.unread_thread_ids(viewer, rows)
    for row in rows:
        row.is_unread = row.pk in unread_ids
    return TemplateResponse(
        request,
        "discussions/space.html",
        {
            "space": space,
            "page_obj": page,
            "threads": rows,
            "may_write": services.may_write(viewer, space),
            "may_moderate": services.may_moderate(viewer, space),
            "is_following_space": _is_following(viewer, space=space),
        },
    )


@no_store
@require_http_methods(["GET", "HEAD", "POST"])
def new_thread(request, slug):
    viewer = Viewer.for_request(request)
    space = _space_or_404(slug)
    refused = gate(request, viewer, space)
    if refused is not None:
        return refused
    if not services.may_write(viewer, space):
        return refusal(request, "discussion", _("You may read this space but not write in it."))
    if request.method != "POST":
        return _thread_form(request, space, ThreadForm())
    form = ThreadForm(request.POST)
    if not form.is_valid():
        return _thread_form(request, space, form, status=400)
    data = form.cleaned_data
    existing = _submitted_already(viewer, data["submission_key"])
    if existing is not None:
        return redirect(existing.thread.get_absolute_url())
    try:
        post = _write_with_files(
            request,
            space,
            lambda documents: services.start_thread(
                viewer,
                space,
                title=data["title"],
                source=data["source"],
                is_question=data["is_question"],
                attachments=documents,
                submission_key=data["submission_key"],
            ),
        )
    except services.DiscussionError as error:
        return _thread_form(request, space, form, error=str(error), status=_error_status(error))
    unread.mark_read(request.user, post.thread, post.number)
    return redirect(post.thread.get_absolute_url())


def _submitted_already(viewer, submission_key):
    """The post this same submission already wrote (a double click, a resent form), if any."""
    if not submission_key:
        return None
    return Post.objects.filter(author=viewer.user, submission_key=submission_key).first()


def _write_with_files(request, space, write):
    """Check the files, then store them and write the post in one transaction: a refused post (429, 409…)
    leaves no document behind."""
    files = attachments.check_uploads(request.FILES.getlist("attachments"))
    documents = []
    try:
        with transaction.atomic():
            documents = attachments.save_uploads(space, files, request.user)
            return write(documents)
    except services.DiscussionError:
        for document in documents:
            document.file.delete(save=False)
        raise


def _thread_form(request, space, form, error=None, status=200):
    return TemplateResponse(
        request,
        "discussions/new_thread.html",
        {"space": space, "form": form, "error": error, **_upload_limits()},
        status=status,
    )


def _upload_limits():
    return {
        "max_attachments": settings.CERCLE_DISCUSSION_MAX_ATTACHMENTS,
        "max_attachment_mb": settings.CERCLE_DISCUSSION_MAX_ATTACHMENT_MB,
        "attachment_accept": ",".join("." + e for e in attachments.allowed_extensions()),
    }


@no_store
def unanswered(request):
    viewer = Viewer.for_request(request)
    refused = _club_gate(request, viewer)
    if refused is not None:
        return refused
    questions = (
        Thread.objects.readable_by(viewer)
        .filter(is_question=True, solution__isnull=True)
        .select_related("space", "author__profile")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(questions, QUESTIONS_PER_PAGE).get_page(_page_number(request))
    return TemplateResponse(request, "discussions/unanswered.html", {"page_obj": page, "threads": list(page)})


# --- A thread -----------------------------------------------------------------------------------------


@no_store
def thread(request, thread_id):
    viewer = Viewer.for_request(request)
    thread = thread_or_404(thread_id)
    refused = gate(request, viewer, thread.space)
    if refused is not None:
        return refused
    form = None
    quoted_id = request.GET.get("citer")
    if quoted_id and services.may_reply(viewer, thread):
        form = _quoting_form(thread, quoted_id)
    return _thread_page(request, viewer, thread, form=form)


def _quoting_form(thread, quoted_id):
    try:
        quoted_id = int(quoted_id)
    except (TypeError, ValueError):
        return None
    quoted = (
        Post.objects.select_related("author__profile")
        .filter(pk=quoted_id, thread=thread, deleted_at__isnull=True, hidden_at__isnull=True)
        .first()
    )
    if quoted is None:
        return None
    name = person_name(quoted.author) if quoted.author else _("A former member")
    return ReplyForm(initial={"source": markup.quote(quoted.source, name), "quoted": quoted.pk})


def _thread_page(request, viewer, thread, form=None, error=None, status=200, page_number=None):
    space = thread.space
    may_moderate = services.may_moderate(viewer, space)
    replies = (
        Post.objects.filter(thread=thread, number__gte=2)
        .select_related("author__profile", "quoted__author__profile", "hidden_by__profile")
        .order_by("number")
    )
    paginator = Paginator(replies, settings.CERCLE_DISCUSSION_REPLIES_PER_PAGE)
    if page_number is None:
        page_number = _page_number(request)
    page = paginator.get_page(page_number)
    posts = list(page.object_list)
    opening = (
        Post.objects.select_related("author__profile", "hidden_by__profile").filter(thread=thread, number=1).first()
    )
    solution = thread.solution if thread.solution_id and thread.solution.is_shown else None
    shown = [p for p in [opening, solution, *posts] if p is not None]
    prefetch_related_objects(shown, "attachments")
    may_reply = services.may_reply(viewer, thread)
    may_write = services.may_write(viewer, space)
    for post in shown:
        post.thread = thread  # already fetched with its space: no query per post
        post.may_edit = services.may_edit(viewer, post) if post.author_id else False
    if may_reply and form is None:
        form = ReplyForm()
    last_number = posts[-1].number if posts else 1
    if viewer.is_authenticated and request.method in ("GET", "HEAD") and status == 200:
        unread.mark_read(request.user, thread, last_number)
    return TemplateResponse(
        request,
        "discussions/thread.html",
        {
            "space": space,
            "thread": thread,
            "opening": opening,
            "solution": solution,
            "posts": posts,
            "page_obj": page,
            "form": form,
            "error": error,
            "may_reply": may_reply,
            "may_write": may_write,
            "may_moderate": may_moderate,
            "may_mark_solution": services.may_mark_solution(viewer, thread),
            "is_following_thread": _is_following(viewer, thread=thread),
            **_upload_limits(),
        },
        status=status,
    )


@no_store
@require_http_methods(["GET", "HEAD", "POST"])
def reply(request, thread_id):
    viewer = Viewer.for_request(request)
    thread = thread_or_404(thread_id)
    refused = gate(request, viewer, thread.space, next_url=thread.get_absolute_url())
    if refused is not None:
        return refused
    if request.method != "POST":
        return redirect(thread.get_absolute_url())
    if not services.may_write(viewer, thread.space):
        return refusal(request, "discussion", _("You may read this space but not write in it."))
    form = ReplyForm(request.POST)
    last_page = reply_page(thread.post_count)
    if not form.is_valid():
        return _thread_page(request, viewer, thread, form=form, status=400, page_number=last_page)
    data = form.cleaned_data
    quoted = None
    if data["quoted"]:
        quoted = Post.objects.filter(pk=data["quoted"], thread=thread).first()
    try:
        if data["quoted"] and quoted is None:
            raise services.DiscussionError(_("That message cannot be quoted."), 400)
        existing = _submitted_already(viewer, data["submission_key"])
        if existing is not None:
            return redirect(post_url(existing))
        post = _write_with_files(
            request,
            thread.space,
            lambda documents: services.reply(
                viewer,
                thread,
                source=data["source"],
                quoted=quoted,
                attachments=documents,
                submission_key=data["submission_key"],
            ),
        )
    except services.DiscussionError as error:
        return _thread_page(
            request, viewer, thread, form=form, error=str(error), status=_error_status(error), page_number=last_page
        )
    thread.refresh_from_db(fields=["post_count", "last_activity_at"])
    unread.mark_read(request.user, thread, post.number)
    return redirect(post_url(post))


# --- One post -----------------------------------------------------------------------------------------


@no_store
def post_permalink(request, post_id):
    viewer = Viewer.for_request(request)
    post = post_or_404(post_id)
    refused = gate(request, viewer, post.thread.space)
    if refused is not None:
        return refused
    return redirect(post_url(post))


def _own_post(request, post_id, refused_message):
    """(viewer, post, refusal or None) for the pages where authors change their own post."""
    viewer = Viewer.for_request(request)
    post = post_or_404(post_id)
    refused = gate(request, viewer, post.thread.space)
    if refused is None and not services.may_edit(viewer, post):
        refused = refusal(request, "discussion", refused_message)
    return viewer, post, refused


@no_store
@require_http_methods(["GET", "HEAD", "POST"])
def edit_post(request, post_id):
    viewer, post, refused = _own_post(request, post_id, _("Only its author may change this message."))
    if refused is not None:
        return refused
    thread = post.thread
    if request.method != "POST":
        form = EditForm(initial={"source": post.source, "title": thread.title})
        return _edit_form(request, post, form)
    form = EditForm(request.POST)
    if not form.is_valid():
        return _edit_form(request, post, form, status=400)
    data = form.cleaned_data
    try:
        services.edit_post(viewer, post, source=data["source"], title=data["title"] if post.is_opening else None)
    except services.DiscussionError as error:
        return _edit_form(request, post, form, error=str(error), status=_error_status(error))
    messages.success(request, _("Your message has been changed."))
    return redirect(post_url(post))


def _edit_form(request, post, form, error=None, status=200):
    return TemplateResponse(
        request,
        "discussions/edit_post.html",
        {"post": post, "thread": post.thread, "space": post.thread.space, "form": form, "error": error},
        status=status,
    )


@no_store
@require_http_methods(["GET", "HEAD", "POST"])
def delete_post(request, post_id):
    viewer, post, refused = _own_post(request, post_id, _("Only its author may delete this message."))
    if refused is not None:
        return refused
    thread = post.thread
    if request.method != "POST":
        return TemplateResponse(
            request, "discussions/delete_post.html", {"post": post, "thread": thread, "space": thread.space}
        )
    try:
        services.delete_post(viewer, post)
    except services.DiscussionError as error:
        return refusal(request, "discussion", str(error), status=_error_status(error))
    messages.success(request, _("Your message has been deleted."))
    return redirect(post_url(post))


@no_store
def post_history(request, post_id):
    viewer = Viewer.for_request(request)
    post = post_or_404(post_id)
    thread = post.thread
    refused = gate(request, viewer, thread.space)
    if refused is not None:
        return refused
    may_moderate = services.may_moderate(viewer, thread.space)
    if not post.is_shown and not may_moderate:
        raise Http404
    revisions = PostRevision.objects.filter(post=post).select_related("replaced_by__profile").order_by("-replaced_at")
    return TemplateResponse(
        request,
        "discussions/post_history.html",
        {"post": post, "thread": thread, "space": thread.space, "revisions": list(revisions)},
    )


@no_store
@require_POST
def mark_solution(request, post_id):
    viewer = Viewer.for_request(request)
    post = post_or_404(post_id)
    thread = post.thread
    refused = gate(request, viewer, thread.space, next_url=thread.get_absolute_url())
    if refused is not None:
        return refused
    action = request.POST.get("action", "mark")
    try:
        if action == "unmark":
            services.unmark_solution(viewer, thread)
            messages.success(request, _("The question is open again."))
        elif action == "mark":
            services.mark_solution(viewer, post)
            messages.success(request, _("This reply is marked as the solution."))
        else:
            raise services.DiscussionError(_("Unknown action."), 400)
    except services.DiscussionError as error:
        return refusal(request, "discussion", str(error), status=_error_status(error))
    return redirect(post_url(post))

