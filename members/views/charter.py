"""The ethics charter: public to read, signed by every member, re-signed at each new version."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import services
from ..access import Viewer
from ..models import Charter


class CharterAcceptanceForm(forms.Form):
    accept = forms.BooleanField(
        label=gettext_lazy("I have read the ethics charter and I commit to respecting it."),
        error_messages={"required": gettext_lazy("Tick the box to accept the charter.")},
    )


def safe_next(request, default="/"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def charter(request):
    viewer = Viewer.for_request(request)
    current = viewer.current_charter
    if current is None:
        return render(request, "members/charter.html", {"charter": None}, status=404)
    signed = viewer.is_authenticated and viewer.has_signed_charter
    form = None
    if viewer.is_authenticated and not signed:
        form = CharterAcceptanceForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.sign_charter(request.user, current)
            messages.success(request, _("Thank you: you have signed the ethics charter."))
            return redirect(safe_next(request))
    elif request.method == "POST":
        return redirect(safe_next(request))
    return render(
        request,
        "members/charter.html",
        {
            "charter": current,
            "form": form,
            "signed": signed,
            "next": safe_next(request, default=""),
            "previous_versions": Charter.objects.in_force(current.effective_date).exclude(pk=current.pk),
        },
        status=400 if form is not None and form.errors else 200,
    )


urlpatterns = [path("charte/", charter, name="charter")]
