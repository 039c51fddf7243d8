from django.db import migrations


class Migration(migrations.Migration):
    """The clusters of interest now live with the clusters (working_groups.ClusterInterest): the old list
    of slugs is dropped once the working groups have copied it over."""

    dependencies = [
        ("members", "0004_membership_request"),
        ("working_groups", "0004_cluster_interests"),
    ]

    operations = [
        migrations.RemoveField(model_name="profile", name="clusters"),
    ]
