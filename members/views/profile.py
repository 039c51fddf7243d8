"""A person's own profile and preferences, the members' directory and a member's profile page."""

import copy
from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, CharField, Count, F, Prefetch, Q, Value, When
from django.db.models.functions import Concat, Lower
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.images import get_image_model
from wagtail.models import Collection

from .. import roles, services
from ..access import AnotherMember, Viewer, profile_field_q, visible_profile_fields
from ..converters import DatabaseIdConverter  # noqa: F401 (registers <id:...>)
from ..forms.profile import AccountForm, DirectoryFilterForm, ProfileForm
from ..gates import member_required
from ..interests import clusters as cluster_provider
from ..models import DIRECTORY_FIELDS, LANGUAGES, Organisation, Profile, ProfileExpertise, Tier
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
    names = [(account_form["first_name"], None), (account_form["last_name"], None)]
    sections[0] = (sections[0][0], names + sections[0][1])
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


# --- What search engines and caches are told ---------------------------------------------------------


def noindex(view):
    """The directory, profiles and organisation pages are never indexed, whatever a crawler got hold of:
    the header covers every answer (a refusal too), the templates add the matching <meta>."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


# --- The directory -------------------------------------------------------------------------------

EXPERTISE_FACET_SIZE = 20


def _sort_name():
    return Lower(
        Case(
            When(display_name="", then=Concat("user__last_name", Value(" "), "user__first_name")),
            default=F("display_name"),
            output_field=CharField(),
        )
    )


def directory_members():
    """The directory's people: current members, never an anonymised profile (it names nobody)."""
    return current_members().filter(anonymised_at__isnull=True)


def _matching(viewer, queryset, words):
    """Every word must appear in a name, or in the job title, organisation or an area of expertise of a
    profile that shows it to this viewer: a hidden field is never found by searching for it."""
    for word in words:
        tagged = ProfileExpertise.objects.filter(tag__name__icontains=word).values("content_object_id")
        queryset = queryset.filter(
            Q(display_name__icontains=word)
            | Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | (Q(job_title__icontains=word) & profile_field_q(viewer, "job_title"))
            | (Q(organisation__name__icontains=word) & profile_field_q(viewer, "organisation"))
            | (Q(pk__in=tagged) & profile_field_q(viewer, "expertise"))
        )
    return queryset


def _with_expertise(queryset, name):
    tagged = ProfileExpertise.objects.filter(tag__name__iexact=name).values("content_object_id")
    return queryset.filter(pk__in=tagged)


def filtered_members(viewer, filters, skip=None):
    """The directory's people matching `filters`, each filter honouring the visibility of its field;
    `skip` leaves out one facet's own filter, to count that facet's values."""
    queryset = directory_members()
    if filters.get("q"):
        queryset = _matching(viewer, queryset, filters["q"].split()[:10])
    if filters.get("kind"):
        queryset = queryset.filter(Q(organisation__kind=filters["kind"]) & profile_field_q(viewer, "organisation"))
    if filters.get("cluster"):
        queryset = cluster_provider().interested_in(queryset, filters["cluster"])
        queryset = queryset.filter(profile_field_q(viewer, "clusters"))
    if filters.get("group") and skip != "group":
        queryset = cluster_provider().in_group(queryset, filters["group"]).filter(profile_field_q(viewer, "groups"))
    if filters.get("expertise") and skip != "expertise":
        queryset = _with_expertise(queryset, filters["expertise"]).filter(profile_field_q(viewer, "expertise"))
    return queryset


def directory_queryset(viewer, filters):
    Image = get_image_model()
    return (
        filtered_members(viewer, filters)
        .select_related("user", "organisation")
        .prefetch_related(
            "expertise",
            Prefetch("photo", queryset=Image.objects.prefetch_renditions(CARD_PHOTO)),
        )
        .annotate(sort_name=_sort_name())
        .order_by("sort_name", "pk")
    )


def expertise_counts(viewer, profiles):
    """[(name, count)] of the commonest areas of expertise among `profiles` that show them: one query."""
    shown = profiles.filter(profile_field_q(viewer, "expertise")).values("pk")
    rows = (
        ProfileExpertise.objects.filter(content_object__in=shown)
        .values("tag__name")
        .annotate(count=Count("content_object_id", distinct=True))
        .order_by("-count", "tag__name")[:EXPERTISE_FACET_SIZE]
    )
    return [(row["tag__name"], row["count"]) for row in rows]


def _facet_url(request, name, value):
    """The directory's address with this facet value chosen, or dropped if it was chosen already."""
    params = request.GET.copy()
    params.pop("page", None)
    if params.get(name) == str(value):
        params.pop(name)
    else:
        params[name] = str(value)
    query = params.urlencode()
    return reverse("members:directory") + (f"?{query}" if query else "")


def _facets(request, viewer, filters, total):
    """The working-group and expertise facets, counted in SQL under the other filters (one query each)."""
    facets = []
    chosen_group = str(filters.get("group") or "")
    groups = [
        (str(group_id), title, count)
        for group_id, title, count in cluster_provider().group_counts(
            viewer, filtered_members(viewer, filters, skip="group").filter(profile_field_q(viewer, "groups"))
        )
    ]
    facets.append(
        {
            "name": "group",
            "title": _("Working groups"),
            "options": [
                {
                    "label": title,
                    "count": count,
                    "active": group_id == chosen_group,
                    "url": _facet_url(request, "group", group_id),
                }
                for group_id, title, count in groups
            ],
        }
    )
    chosen_tag = filters.get("expertise") or ""
    tags = expertise_counts(viewer, filtered_members(viewer, filters, skip="expertise"))
    if chosen_tag and not any(name.lower() == chosen_tag.lower() for name, _count in tags):
        tags.append((chosen_tag, total))  # the chosen value is always offered, to be dropped again
    facets.append(
        {
            "name": "expertise",
            "title": _("Areas of expertise"),
            "options": [
                {
                    "label": name,
                    "count": count,
                    "active": name.lower() == chosen_tag.lower(),
                    "url": _facet_url(request, "expertise", chosen_tag if name.lower() == chosen_tag.lower() else name),
                }
                for name, count in tags
            ],
        }
    )
    return [facet for facet in facets if facet["options"]]


@noindex
@no_store
@member_required
def directory(request):
    viewer = Viewer.for_request(request)
    form = DirectoryFilterForm(request.GET or None, viewer=viewer)
    filters = {}
    if form.is_bound:
        form.is_valid()
        filters = form.cleaned_data  # holds the valid fields only: a wrong filter is dropped, not fatal
    page = Paginator(directory_queryset(viewer, filters), DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    profiles = list(page.object_list)
    interests = cluster_provider().interests_of(viewer, profiles)  # those this viewer may know of
    for profile in profiles:
        profile.shows = visible_profile_fields(viewer, profile)
        profile.cluster_labels = interests.get(profile.pk, []) if "clusters" in profile.shows else []
    return render(
        request,
        "members/directory.html",
        {
            "form": form,
            "page_obj": page,
            "profiles": profiles,
            "facets": _facets(request, viewer, filters, page.paginator.count),
            "filtered": any(filters.values()),
        },
        status=400 if form.errors else 200,
    )


# --- A member's profile --------------------------------------------------------------------------


@noindex
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
    if profile.is_anonymised and not viewer.is_staff:
        raise Http404
    is_owner = person.pk == request.user.pk
    # The owner may look at their page through another member's eyes: exactly what such a member gets.
    preview = is_owner and request.GET.get("as") == "member"
    seen_by = AnotherMember() if preview else viewer
    shown = visible_profile_fields(seen_by, profile)
    language_names = dict(LANGUAGES)
    provider = cluster_provider()
    clusters = provider.interests_of(seen_by, [profile]) if profile.pk and "clusters" in shown else {}
    groups = provider.groups_of(seen_by, [profile]) if profile.pk and "groups" in shown else {}
    return render(
        request,
        "members/profile_detail.html",
        {
            "person": person,
            "profile": profile,
            "is_owner": is_owner,
            "preview": preview,
            "shown": shown,
            # Whoever sees every field (the owner, staff) is told which ones other members do not see.
            "hidden_from_members": (set(DIRECTORY_FIELDS) - profile.shown_fields) if not preview else set(),
            "sees_all": shown == frozenset(DIRECTORY_FIELDS) and not preview,
            "show_email": bool(person.email) and "email" in shown,
            "show_phone": bool(profile.phone) and "phone" in shown,
            "show_linkedin": bool(profile.linkedin_url) and "linkedin" in shown,
            "clusters": clusters.get(profile.pk, []),
            "groups": groups.get(profile.pk, []),
            "languages": [language_names[code] for code in profile.languages if code in language_names]
            if "languages" in shown
            else [],
        },
    )


# --- An organisation's page ----------------------------------------------------------------------

ORGANISATION_LOGO = "max-240x120"


@noindex
@no_store
@member_required
def organisation_detail(request, organisation_id):
    """An organisation of the club: what it is, its tier today, and those of its people who show it."""
    viewer = Viewer.for_request(request)
    Image = get_image_model()
    organisation = get_object_or_404(
        Organisation.objects.prefetch_related(
            Prefetch("logo", queryset=Image.objects.prefetch_renditions(ORGANISATION_LOGO))
        ),
        pk=organisation_id,
    )
    period = (
        organisation.memberships.valid_on(viewer.day).order_by("-tier", "-seats").first()
    )  # "premium" sorts after "basic", hence -tier
    people = (
        directory_members()
        .filter(organisation=organisation)
        .filter(profile_field_q(viewer, "organisation"))
        .select_related("user", "organisation")
        .prefetch_related(Prefetch("photo", queryset=Image.objects.prefetch_renditions(CARD_PHOTO)))
        .annotate(sort_name=_sort_name())
        .order_by("sort_name", "pk")
    )
    # A large member organisation (a corporate with many seats) gets pages, as the directory does.
    page = Paginator(people, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    people = list(page.object_list)
    for profile in people:
        profile.shows = visible_profile_fields(viewer, profile)
    return render(
        request,
        "members/organisation_detail.html",
        {"organisation": organisation, "period": period, "people": people, "page_obj": page},
    )


urlpatterns = [
    path("compte/profil/", profile_edit, name="profile"),
    path("compte/flux/nouvelle-adresse/", reset_feed_token, name="reset_feed_token"),
    path("membres/annuaire/", directory, name="directory"),
    path("membres/organisations/<id:organisation_id>/", organisation_detail, name="organisation"),
    path("membres/<id:user_id>/", profile_detail, name="profile_detail"),
]
