"""Group leads publish their notes directly: Wagtail's default "Moderators approval" workflow, which its
own migration attaches to the root page and so to every page of the site, is taken off the root.

Sections that want a review attach their own workflow to their index (the technology watch's "Relecture
veille", knowledge/services.py); everything else, the working groups first, publishes without one."""

from django.db import migrations

DEFAULT_WORKFLOW = "Moderators approval"


def detach_default_workflow(apps, schema_editor):
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowPage.objects.filter(page__depth=1, workflow__name=DEFAULT_WORKFLOW).delete()


def attach_default_workflow(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    workflow = Workflow.objects.filter(name=DEFAULT_WORKFLOW).first()
    root = Page.objects.filter(depth=1).first()
    if workflow is not None and root is not None:
        WorkflowPage.objects.get_or_create(page=root, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("working_groups", "0002_leads_first"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(detach_default_workflow, attach_default_workflow)]
