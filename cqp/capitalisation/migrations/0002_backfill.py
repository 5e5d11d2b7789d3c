"""The blocks of the awards in force delivered before the register existed (as `capitalisation_backfill`)."""

from django.db import migrations


def backfill(apps, schema_editor):
    Award = apps.get_model("awards", "Award")
    HeldBlock = apps.get_model("capitalisation", "HeldBlock")
    pairs = (
        Award.blocks.through.objects.filter(award__revoked_at=None)
        .order_by("award__delivered_on", "award_id", "block_id")
        .values_list(
            "award__candidacy__candidate_id", "block_id", "award_id", "award__delivered_on", "award__delivered_by_id"
        )
    )
    held = set(HeldBlock.objects.values_list("candidate_id", "block_id"))
    rows = []
    for candidate_id, block_id, award_id, delivered_on, delivered_by_id in pairs.iterator(chunk_size=5000):
        if (candidate_id, block_id) in held:
            continue
        held.add((candidate_id, block_id))
        rows.append(
            HeldBlock(
                candidate_id=candidate_id,
                block_id=block_id,
                source="JURY",
                obtained_on=delivered_on,
                award_id=award_id,
                recorded_by_id=delivered_by_id,
            )
        )
    HeldBlock.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("capitalisation", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
