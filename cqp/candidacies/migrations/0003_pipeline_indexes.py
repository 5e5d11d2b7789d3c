from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("candidacies", "0002_candidacy_newest_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="candidacy",
            index=models.Index(fields=["certifier", "-created_at", "-id"], name="candidacy_certifier_newest"),
        ),
        migrations.AddIndex(
            model_name="candidacy",
            index=models.Index(fields=["certifier", "-state_changed_at", "-id"], name="candidacy_certifier_changed"),
        ),
    ]
