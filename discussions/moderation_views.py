"""Moderation and reports: the moderators' buttons on a thread, the forms to move a thread, hide a post and
report one, and the moderators' queue of reports.

Each view asks the access policy first: whoever may not read the space is answered as the policy says
(log in, 403, or 404 for a private group's outsiders); a reader who may not moderate gets a 403 that says
so. The work itself is in discussions/moderation.py; its refusals (DiscussionError) come back as the form
again, with the message and the error's status. Nothing here is cached (members.privacy.no_store)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from members.access import Viewer
from members.gates import refusal
from members.privacy import no_store

from . import markup, moderation, services
from .lookups import gate, post_or_404, thread_or_404
from .models import Report
from .services import DiscussionError

PAGE_SIZE = 25
HANDLED_TAB = "traites"


# --- Finding things and asking the policy --------------------------------------------------------------


def _reader_gate(request, space, next_url):
    return gate(request, Viewer.for_request(request), space, next_url)


def _moderator_gate(request, space, next_url):
    refused = _reader_gate(request, space, next_url)
    if refused is not None:
        return refused
    if not services.may_moderate(Viewer.for_request(request), space):
        return refusal(request, "leads", _("Only the leads of this group and the club's staff moderate this space."))
    return None


def _refused(request, error):
    """A service's refusal, as a page with its status (404 as the site's 404)."""
    if error.status == 404:
        raise Http404
    return refusal(request, "moderation", str(error), status=error.status)


# --- Forms ----------------------------------------------------------------------------------------------


class HideForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is this message hidden?"),
        help_text=gettext_lazy("Its author receives this reason by e-mail; moderators see it in the thread."),
        max_length=moderation.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MoveForm(forms.Form):
    space = forms.ModelChoiceField(
        label=gettext_lazy("Move to"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("Choose one of the spaces you moderate.")},
    )

    def __init__(self, targets, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = targets


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("What is wrong with this message?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose why you report this message.")},
    )
    message = forms.CharField(
        label=gettext_lazy("A word for the moderators (optional)"),
        required=False,
        max_length=moderation.MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


# --- A thread: pin, lock, move --------------------------------------------------------------------------

THREAD_DONE = {
    "pin": gettext_lazy("The thread is pinned at the top of its space."),
    "unpin": gettext_lazy("The thread is no longer pinned."),
    "lock": gettext_lazy("The thread is locked: it takes no more replies."),
    "unlock": gettext_lazy("The thread is unlocked: members may reply again."),
}


@no_store
@require_POST
def moderate_thread(request, thread_id):
    thread = thread_or_404(thread_id)
    back = thread.get_absolute_url()
    refused = _moderator_gate(request, thread.space, back)
    if refused is not None:
        return refused
    action = moderation.THREAD_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return refusal(request, "moderation", _("This action is not understood. Nothing has been changed."), status=400)
    try:
        action(Viewer.for_request(request), thread)
    except DiscussionError as error:
        return _refused(request, error)
    messages.success(request, THREAD_DONE[request.POST["action"]])
    return redirect(back)


@no_store
@require_http_methods(["GET", "POST"])
def move_thread(request, thread_id):
    thread = thread_or_404(thread_id)
    refused = _moderator_gate(request, thread.space, request.get_full_path())
    if refused is not None:
        return refused
    viewer = Viewer.for_request(request)
    source = thread.space
    targets = moderation.move_targets(viewer, thread)
    status = 200
    if request.method == "POST":
        form = MoveForm(targets, request.POST)
        if form.is_valid():
            target = form.cleaned_data["space"]
            try:
                moderation.move(viewer, thread, target)
            except DiscussionError as error:
                if error.status == 404:
                    raise Http404 from error
                form.add_error(None, str(error))
                status = error.status
            else:
                messages.success(
                    request,
                    _("The thread has been moved from %(source)s to %(target)s.")
                    % {"source": source.title, "target": target.title},
                )
                return redirect(thread.get_absolute_url())
        else:
            status = 400
    else:
        form = MoveForm(targets)
    return TemplateResponse(
        request,
        "discussions/move_form.html",
        {"thread": thread, "space": source, "form": form, "has_targets": targets.exists()},
        status=status,
    )


# --- A post: hide, show again, report -------------------------------------------------------------------


@no_store
@require_http_methods(["GET", "POST"])
def hide_post(request, post_id):
    post = post_or_404(post_id)
    thread = post.thread
    refused = _moderator_gate(request, thread.space, request.get_full_path())
    if refused is not None:
        return refused
    status = 200
    if request.method == "POST":
        form = HideForm(request.POST)
        if form.is_valid():
            try:
                moderation.hide(Viewer.for_request(request), post, form.cleaned_data["reason"])
            except DiscussionError as error:
                if error.status == 404:
                    raise Http404 from error
                form.add_error(None, str(error))
                status = error.status
            else:
                messages.success(request, _("The message is hidden; its author is told why."))
                return redirect(post.get_absolute_url())
        else:
            status = 400
    else:
        form = HideForm()
    return TemplateResponse(
        request,
        "discussions/hide_form.html",
        {"post": post, "thread": thread, "space": thread.space, "form": form, "excerpt": markup.excerpt(post.html)},
        status=status,
    )


@no_store
@require_POST
def unhide_post(request, post_id):
    post = post_or_404(post_id)
    refused = _moderator_gate(request, post.thread.space, post.thread.get_absolute_url())
    if refused is not None:
        return refused
    try:
        moderation.unhide(Viewer.for_request(request), post)
    except DiscussionError as error:
        return _refused(request, error)
    messages.success(request, _("The message is shown again."))
    return redirect(post.get_absolute_url())


@no_store
@require_http_methods(["GET", "POST"])
def report_post(request, post_id):
    post = post_or_404(post_id)
    thread = post.thread
    refused = _reader_gate(request, thread.space, request.get_full_path())
    if refused is not None:
        return refused
    viewer = Viewer.for_request(request)
    if post.author_id == viewer.user.pk:
        return refusal(
            request, "moderation", _("You cannot report your own message: edit or delete it instead."), status=400
        )
    if not post.is_shown:
        return refusal(
            request, "moderation", _("This message is no longer shown: there is nothing to report."), status=409
        )
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                moderation.report(viewer, post, form.cleaned_data["reason"], form.cleaned_data["message"])
            except DiscussionError as error:
                if error.status == 404:
                    raise Http404 from error
                form.add_error(None, str(error))
                status = error.status
            else:
                messages.success(
                    request, _("Thank you: the moderators of this space have received your report and will look at it.")
                )
                return redirect(post.get_absolute_url())
        else:
            status = 413 if len(request.POST.get("message", "")) > moderation.MESSAGE_MAX_LENGTH else 400
    else:
        form = ReportForm()
    return TemplateResponse(
        request,
        "discussions/report_form.html",
        {"post": post, "thread": thread, "space": thread.space, "form": form, "excerpt": markup.excerpt(post.html)},
        status=status,
    )


# --- The moderators' queue ------------------------------------------------------------------------------


def _queue_gate(request):
    viewer = Viewer.for_request(request)
    if not viewer.is_authenticated:
        return redirect_to_login(reverse("discussions:reports"))
    if not moderation.moderates_any(viewer):
        return refusal(
            request,
            "moderation",
            _("The reports are for the leads of a working group and the club's staff, who moderate the discussions."),
        )
    return None


def _queue_page(request, *, failed=None, error="", status=200):
    viewer = Viewer.for_request(request)
    handled = request.GET.get("etat") == HANDLED_TAB
    queue = moderation.report_queue(viewer, Report.State.HANDLED if handled else Report.State.OPEN)
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page", "1"))
    page.object_list = list(page.object_list)
    for item in page.object_list:
        item.excerpt = markup.excerpt(item.post.html, 400)
    return TemplateResponse(
        request,
        "discussions/reports.html",
        {
            "reports": page,
            "handled_tab": handled,
            "handled_param": HANDLED_TAB,
            "open_count": queue.count() if not handled else moderation.report_queue(viewer).count(),
            "failed": failed,
            "error": error,
        },
        status=status,
    )


@no_store
@require_http_methods(["GET"])
def reports(request):
    refused = _queue_gate(request)
    if refused is not None:
        return refused
    return _queue_page(request)


@no_store
@require_POST
def handle_report(request, report_id):
    refused = _queue_gate(request)
    if refused is not None:
        return refused
    viewer = Viewer.for_request(request)
    the_report = (
        Report.objects.select_related("post", "post__thread", "post__thread__space").filter(pk=report_id).first()
    )
    if the_report is None:
        raise Http404
    space = the_report.post.thread.space
    if not services.may_read(viewer, space):
        raise Http404
    if not services.may_moderate(viewer, space):
        return refusal(request, "leads", _("Only the leads of this group and the club's staff moderate this space."))
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    try:
        moderation.handle_report(viewer, the_report, action, reason)
    except DiscussionError as error:
        if error.status == 404:
            raise Http404 from error
        failed = {"report": the_report.pk, "reason": reason[: moderation.REASON_MAX_LENGTH * 2]}
        return _queue_page(request, failed=failed, error=str(error), status=error.status)
    if action == "hide":
        messages.success(request, _("The message is hidden and the report is handled."))
    else:
        messages.success(request, _("The report is dismissed."))
    return redirect("discussions:reports")
