"""Members' reports on an article ("Signaler une erreur"): asked of the policy, rate-limited, never lost."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from members import access
from members.access import Decision, Viewer, decide
from members.gates import denial_response

from . import services
from .models import ErrorReport, KnowledgeArticlePage, TechWatchArticlePage

REPORTABLE = (TechWatchArticlePage, KnowledgeArticlePage)


class ErrorReportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What is it about?"), choices=ErrorReport.Kind.choices)
    message = forms.CharField(
        label=gettext_lazy("Your message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        min_length=10,
        help_text=gettext_lazy("The editors receive it with your name, and may answer you by e-mail."),
    )


@require_http_methods(["GET", "POST"])
def report_error(request, page_id):
    """A member who may know an article (a teaser is enough) may report on it."""
    viewer = Viewer.for_request(request)
    page = Page.objects.live().filter(pk=page_id).specific().first()
    if page is None or not isinstance(page, REPORTABLE):
        return denial_response(request, Decision(Decision.NOT_FOUND))
    decision = decide(viewer, page)
    if not decision.allowed:
        return denial_response(request, decision)
    if not viewer.is_member:  # a public article: visitors read it, only members report on it
        return denial_response(request, access.decide_audience(viewer, access.Audience.MEMBERS))

    form = ErrorReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.report_error(page, request.user, form.cleaned_data["kind"], form.cleaned_data["message"])
        except services.TooManyReports:
            form.add_error(None, _("You have sent several reports in the last hour. Please try again later."))
            status = 429
        else:
            messages.success(request, _("Thank you: the editors have received your report."))
            return redirect(page.url)
    elif request.method == "POST":
        status = 400
    return TemplateResponse(request, "knowledge/report_error.html", {"page": page, "form": form}, status=status)
