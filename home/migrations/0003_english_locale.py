from django.db import migrations


def add_english(apps, schema_editor):
    """English is the second content language: its locale holds the translations of the club's pages."""
    Locale = apps.get_model("wagtailcore", "Locale")
    Locale.objects.get_or_create(language_code="en")


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_remove_clubsettings_charter_page_and_more"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [migrations.RunPython(add_english, migrations.RunPython.noop)]
