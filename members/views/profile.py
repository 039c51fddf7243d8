"""A person's own profile and preferences, the members' directory and a member's profile page."""

import copy

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, CharField, F, Prefetch, Q, Value, When
from django.db.models.functions import Concat, Lower
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.images import get_image_model
from wagtail.models import Collection

from .. import roles, services
from ..access import Viewer, visible_profile_fields
from ..converters import DatabaseIdConverter  # noqa: F401 (registers <id:...>)
from ..forms.profile import AccountForm, DirectoryFilterForm, ProfileForm
from ..gates import member_required
from ..interests import clusters as cluster_provider
from ..models import LANGUAGES, Profile, ProfileExpertise, Tier
from ..privacy import no_store

DIRECTORY_PAGE_SIZE = 24
# The templates' {% image %} tags use these specs too (the tag takes no variable): keep them in step.
CARD_PHOTO = "fill-96x96-c100"
PROFILE_PHOTO = "fill-240x240-c100"


def current_members(queryset=None):
    """Profiles of people whose membership is valid today (the "Membres" group follows memberships)."""
    queryset = Profile.objects.all() if queryset is None else queryset
    return queryset.filter(user__is_active=True, user__groups__name=roles.MEMBERS)


# --- My profile ----------------------------------------------------------------------------------


def _membership_status(viewer):
    """What the profile page says about the person's membership: tier, end date, and whether it ended."""
    if not viewer.has_valid_membership:
        return {"tier": None, "valid_until": None, "through_organisation": False, "expired": viewer.is_expired}
    own = viewer.membership
    return {
        "tier": Tier(viewer.tier).label,
        "valid_until": viewer.valid_until,
        "through_organisation": own is None or own.tier != viewer.tier,
        "expired": False,
    }


def _save_photo(request, profile, upload):
    """Store an uploaded photo as a Wagtail image in the root collection and put it on the profile."""
    Image = get_image_model()
    previous = profile.photo
    image = Image(
        title=profile.name,
        file=upload,
        collection=Collection.get_first_root_node(),
        uploaded_by_user=request.user,
    )
    image._set_image_file_metadata()
    image.save()
    profile.photo = image
    _forget_photo(request, previous)


def _forget_photo(request, image):
    # Only the photos the person uploaded themselves go; one staff chose from the library stays there.
    if image is not None and image.uploaded_by_user_id == request.user.pk:
        transaction.on_commit(image.delete)


@no_store
def profile_edit(request):
    """Anyone with an account edits their own profile, even after their membership ended."""
    viewer = Viewer.for_request(request)
    if not viewer.is_authenticated:
        return redirect_to_login(request.get_full_path())
    profile, _created = Profile.objects.select_related("organisation", "photo").get_or_create(user=request.user)
    # A copy: names refused by the form must not reach the page's header through request.user.
    account = copy.copy(request.user)
    profile.user = account  # one object: the names typed in the account form name the photo too
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    account_form = AccountForm(data, instance=account)
    profile_form = ProfileForm(data, files, instance=profile, viewer=viewer)
    if request.method == "POST":
        valid = [account_form.is_valid(), profile_form.is_valid()]
        if all(valid):
            with transaction.atomic():
                account_form.save()
                profile = profile_form.save(commit=False)
                upload = profile_form.cleaned_data.get("photo_upload")
                if upload:
                    _save_photo(request, profile, upload)
                elif profile_form.cleaned_data.get("remove_photo"):
                    _forget_photo(request, profile.photo)
                    profile.photo = None
                profile.save()
                profile_form.save_m2m()
                profile_form.save_interests()
            messages.success(request, _("Your profile has been saved."))
            return redirect("members:profile")
        messages.error(request, _("Your profile was not saved: please correct the fields marked below."))
    sections = profile_form.sections()
    sections[0] = (sections[0][0], [account_form["first_name"], account_form["last_name"]] + sections[0][1])
    return render(
        request,
        "members/profile_form.html",
        {
            "account_form": account_form,
            "form": profile_form,
            "sections": sections,
            "has_errors": bool(account_form.errors or profile_form.errors),
            "profile": profile,
            "status": _membership_status(viewer),
            "photo_lost": bool(request.method == "POST" and request.FILES.get("photo_upload")),
            # The secret itself stays off this page: the feed addresses that carry it are on the groups' pages.
            "private_feeds": {"active": bool(profile.feed_token), "token": profile.feed_token},
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def reset_feed_token(request):
    """A new secret in the person's private feed addresses; the old addresses stop working at once."""
    if not Viewer.for_request(request).is_authenticated:
        return redirect_to_login(reverse("members:profile"))
    services.reset_feed_token(request.user)
    messages.success(request, _("Your feeds have new addresses: the old ones no longer work. Update your feed reader."))
    return redirect("members:profile")


# --- The directory -------------------------------------------------------------------------------


def _sort_name():
    return Lower(
        Case(
            When(display_name="", then=Concat("user__last_name", Value(" "), "user__first_name")),
            default=F("display_name"),
            output_field=CharField(),
        )
    )


def _matching(queryset, words):
    """Every word must appear in a name, the job title, the organisation or an area of expertise."""
    for word in words:
        tagged = ProfileExpertise.objects.filter(tag__name__icontains=word).values("content_object_id")
        queryset = queryset.filter(
            Q(display_name__icontains=word)
            | Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(job_title__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(pk__in=tagged)
        )
    return queryset


def directory_queryset(filters):
    Image = get_image_model()
    queryset = current_members()
    if filters.get("q"):
        queryset = _matching(queryset, filters["q"].split()[:10])
    if filters.get("kind"):
        queryset = queryset.filter(organisation__kind=filters["kind"])
    if filters.get("cluster"):
        queryset = cluster_provider().interested_in(queryset, filters["cluster"])
    return (
        queryset.select_related("user", "organisation")
        .prefetch_related(
            "expertise",
            Prefetch("photo", queryset=Image.objects.prefetch_renditions(CARD_PHOTO)),
        )
        .annotate(sort_name=_sort_name())
        .order_by("sort_name", "pk")
    )


@no_store
@member_required
def directory(request):
    viewer = Viewer.for_request(request)
    form = DirectoryFilterForm(request.GET or None, viewer=viewer)
    filters = {}
    if form.is_bound:
        form.is_valid()
        filters = form.cleaned_data  # holds the valid fields only: a wrong filter is dropped, not fatal
    page = Paginator(directory_queryset(filters), DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    profiles = list(page.object_list)
    interests = cluster_provider().interests_of(viewer, profiles)  # those this viewer may know of
    for profile in profiles:
        profile.cluster_labels = interests.get(profile.pk, [])
    return render(
        request,
        "members/directory.html",
        {
            "form": form,
            "page_obj": page,
            "profiles": profiles,
            "filtered": any(filters.values()),
        },
        status=400 if form.errors else 200,
    )


# --- A member's profile --------------------------------------------------------------------------


@no_store
@member_required
def profile_detail(request, user_id):
    viewer = Viewer.for_request(request)
    Image = get_image_model()
    users = get_user_model().objects.all()
    if not viewer.is_staff:
        users = users.filter(is_active=True, groups__name=roles.MEMBERS)
    person = get_object_or_404(users, pk=user_id)
    profile = (
        Profile.objects.filter(user=person)
        .select_related("user", "organisation")
        .prefetch_related("expertise", Prefetch("photo", queryset=Image.objects.prefetch_renditions(PROFILE_PHOTO)))
        .first()
    )
    if profile is None:
        if not viewer.is_staff and person != request.user:
            raise Http404
        profile = Profile(user=person)
    is_owner = person.pk == request.user.pk
    language_names = dict(LANGUAGES)
    interests = cluster_provider().interests_of(viewer, [profile]) if profile.pk else {}
    return render(
        request,
        "members/profile_detail.html",
        {
            "person": person,
            "profile": profile,
            "is_owner": is_owner,
            "show_email": bool(person.email) and "email" in visible_profile_fields(viewer, profile),
            "show_phone": bool(profile.phone) and "phone" in visible_profile_fields(viewer, profile),
            "clusters": interests.get(profile.pk, []),
            "languages": [language_names[code] for code in profile.languages if code in language_names],
        },
    )


urlpatterns = [
    path("compte/profil/", profile_edit, name="profile"),
    path("compte/flux/nouvelle-adresse/", reset_feed_token, name="reset_feed_token"),
    path("membres/annuaire/", directory, name="directory"),
    path("membres/<id:user_id>/", profile_detail, name="profile_detail"),
]
