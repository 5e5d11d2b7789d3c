"""What the public verification pages read."""

from django.db.models import Prefetch

from cqp.awards.models import Award
from cqp.catalogue.models import Block
from cqp.credentials.models import AwardDocument, Credential, StatusList


def award_for_verification(*, uuid) -> Award | None:
    """The award with what its public page shows, in two queries whatever it holds (blocks prefetched).
    The credential's text is not loaded: the page only links to it."""
    return (
        Award.objects.select_related("certification", "certifier", "candidacy__candidate", "credential", "document")
        .defer("credential__signed_json")
        .prefetch_related(Prefetch("blocks", queryset=Block.objects.order_by("position", "code")))
        .filter(uuid=uuid)
        .first()
    )


def credential_for_download(*, uuid) -> Credential | None:
    return Credential.objects.select_related("award").filter(award__uuid=uuid).first()


def document_for_download(*, uuid) -> AwardDocument | None:
    return AwardDocument.objects.select_related("award").filter(award__uuid=uuid).first()


def published_status_list(*, number: int) -> StatusList | None:
    return StatusList.objects.exclude(signed_json="").filter(pk=number).first()
