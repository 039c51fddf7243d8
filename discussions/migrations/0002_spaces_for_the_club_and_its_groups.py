"""The club-wide space "Questions aux pairs", a space for every existing group, and members' handles.

Groups saved from now on get theirs from discussions.signals; this gives an existing club the same."""

from django.db import migrations
from django.utils.text import slugify


def forwards(apps, schema_editor):
    Space = apps.get_model("discussions", "Space")
    WorkingGroupPage = apps.get_model("working_groups", "WorkingGroupPage")
    PageAudience = apps.get_model("members", "PageAudience")
    MemberHandle = apps.get_model("discussions", "MemberHandle")
    User = apps.get_model("auth", "User")
    Profile = apps.get_model("members", "Profile")

    if not Space.objects.filter(group__isnull=True).exists():
        Space.objects.create(
            title="Questions aux pairs",
            slug="questions-aux-pairs",
            description="Posez une question aux autres membres du club : quelqu'un l'a peut-être déjà résolue.",
            position=0,
        )
    taken = set(Space.objects.values_list("slug", flat=True))
    for group in WorkingGroupPage.objects.filter(discussion_space__isnull=True).order_by("path"):
        audience = PageAudience.objects.filter(page_id=group.pk).first()
        slug, n = slugify(group.title)[:70] or "espace", 1
        base = slug
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        thematic_for_members = group.kind == "thematic" and group.visibility == "members"
        Space.objects.create(
            group=group,
            title=group.title,
            slug=slug,
            posting="group" if thematic_for_members else "readers",
            know=audience.know if audience else "members",
            read=audience.read if audience else "members",
            audience_group_id=audience.group_id if audience else None,
        )

    used = set(MemberHandle.objects.values_list("handle", flat=True))
    names = dict(Profile.objects.values_list("user_id", "display_name"))
    for user in User.objects.filter(discussion_handle__isnull=True).order_by("pk"):
        name = names.get(user.pk) or f"{user.first_name} {user.last_name}".strip()
        base = slugify(name).replace("-", ".")[:50].strip(".") or f"membre{user.pk}"
        handle, n = base, 1
        while handle in used:
            n += 1
            handle = f"{base}{n}"
        used.add(handle)
        MemberHandle.objects.create(user=user, handle=handle)


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0001_initial"),
        ("working_groups", "0004_cluster_interests"),
        ("members", "0007_profile_notify_discussions"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
