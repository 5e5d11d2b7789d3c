from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("candidacies", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="candidacy",
            index=models.Index(fields=["-created_at", "-id"], name="candidacy_newest"),
        ),
    ]
