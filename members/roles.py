"""The club's roles, kept as Django groups so that Wagtail's permissions can hang on them.

The groups are created by a data migration (a fresh install has them) and refined by
`manage.py sync_roles`-style services in later issues. Names are the French ones staff see in the
admin; code refers to them through these constants only.
"""

MEMBERS = "Membres"
PREMIUM_MEMBERS = "Membres premium"
GROUP_LEADS = "Responsables de groupe"
TECHWATCH_EDITORS = "Rédaction veille"
TECHWATCH_CONTRIBUTORS = "Contributeurs veille"
CLUB_STAFF = "Gestion du club"

ALL = [MEMBERS, PREMIUM_MEMBERS, GROUP_LEADS, TECHWATCH_EDITORS, TECHWATCH_CONTRIBUTORS, CLUB_STAFF]

# What each role may do in the Wagtail admin. Page permissions on subtrees (a lead's own group, the
# technology watch) are granted by the apps that own those subtrees; these are the global ones.
ADMIN_ACCESS = ("wagtailadmin", "access_admin")
# Promoted search results: the editors who read the search reports pick what a query should find first.
PROMOTIONS = [("wagtailsearchpromotions", f"{action}_searchpromotion") for action in ("add", "change", "delete")]
GLOBAL_PERMISSIONS = {
    MEMBERS: [],
    PREMIUM_MEMBERS: [],
    # discussions.view_report: the admin menu's way to the reports' queue of the spaces they moderate.
    GROUP_LEADS: [ADMIN_ACCESS, ("discussions", "view_report")],
    TECHWATCH_EDITORS: [ADMIN_ACCESS, *PROMOTIONS],
    TECHWATCH_CONTRIBUTORS: [ADMIN_ACCESS],
    CLUB_STAFF: [
        ADMIN_ACCESS,
        *PROMOTIONS,
        ("auth", "add_user"),
        ("auth", "change_user"),
        ("auth", "view_user"),
        ("auth", "view_group"),
        ("wagtailcore", "view_logentry"),
        ("home", "change_clubsettings"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        # The "Members" section of the admin (members/viewsets.py).
        *[
            ("members", f"{action}_{model}")
            for model in ("organisation", "organisationmembership", "membership")
            for action in ("add", "change", "view", "delete")
        ],
        ("members", "add_invitation"),
        ("members", "change_invitation"),
        ("members", "view_invitation"),
        ("members", "add_charter"),
        ("members", "change_charter"),
        ("members", "view_charter"),
        ("members", "view_chartersignature"),
        ("members", "view_profile"),
        ("members", "change_profile"),
        ("members", "view_membershiprequest"),
        ("members", "change_membershiprequest"),
        # The discussions' spaces (discussions/admin_spaces.py): created and edited, never deleted there.
        ("discussions", "add_space"),
        ("discussions", "change_space"),
        ("discussions", "view_space"),
        ("discussions", "view_report"),
    ],
}

# Staff see and edit everything in the page tree and every collection.
STAFF_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
    "bulk_delete_page",
]
STAFF_COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
]


def sync_role_permissions(using="default"):
    """Give each role the permissions above; idempotent, run after every migrate."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    # On a fresh database this runs in members' post_migrate, before Django has created the other
    # apps' permissions: create them now so that every grant below finds its permission.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)

    def permission(app_label, codename):
        return Permission.objects.using(using).filter(content_type__app_label=app_label, codename=codename).first()

    for name in ALL:
        group, _created = Group.objects.using(using).get_or_create(name=name)
        for app_label, codename in GLOBAL_PERMISSIONS[name]:
            perm = permission(app_label, codename)
            if perm:
                group.permissions.add(perm)

    staff = Group.objects.using(using).get(name=CLUB_STAFF)
    root_page = Page.objects.using(using).filter(depth=1).first()
    if root_page:
        for codename in STAFF_PAGE_PERMISSIONS:
            perm = permission("wagtailcore", codename)
            if perm:
                GroupPagePermission.objects.using(using).get_or_create(group=staff, page=root_page, permission=perm)
    root_collection = Collection.objects.using(using).filter(depth=1).first()
    if root_collection:
        for app_label, codename in STAFF_COLLECTION_PERMISSIONS:
            perm = permission(app_label, codename)
            if perm:
                GroupCollectionPermission.objects.using(using).get_or_create(
                    group=staff, collection=root_collection, permission=perm
                )
