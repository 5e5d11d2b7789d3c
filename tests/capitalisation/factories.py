"""Held blocks and equivalences for the capitalisation tests, written through the real services."""

from datetime import date

from cqp.capitalisation import services
from cqp.catalogue.models import BlockEquivalence
from tests.candidacies.factories import admin_user, certification_with_blocks


def hold(candidate, *blocks, obtained_on=date(2024, 6, 1), expires_on=None, by=None):
    by = by or admin_user()
    return [
        services.held_block_record_earlier(
            candidate=candidate,
            block=block,
            obtained_on=obtained_on,
            expires_on=expires_on,
            reference="Certificat n° 42, CPNE de la métallurgie",
            by=by,
        )
        for block in blocks
    ]


def link(block, target, kind="EQUIVALENT"):
    return BlockEquivalence.objects.create(
        certification=block.certification,
        block=block,
        target_certification_code=target.certification.code,
        target_block_code=target.code,
        target_block=target,
        kind=kind,
    )


def blocks_of(certification):
    return list(certification.blocks.order_by("position"))


def cqp(blocks=3, **kwargs):
    certification = certification_with_blocks(blocks=blocks, **kwargs)
    return certification, blocks_of(certification)
