"""The jury's signed decision on a candidacy, for its page: per block, the opinion, the motivation of a
partial award or a refusal, and the numbers of what was delivered. Three queries."""

from django import template

from cqp.awards.models import Award
from cqp.juries.models import DeliberationBlock
from cqp.juries.selectors import current_deliberation

register = template.Library()


@register.inclusion_tag("www/jurysession/_candidacy_decision.html")
def jury_decision(candidacy):
    deliberation = current_deliberation(candidacy)
    if deliberation is None:
        return {"deliberation": None}
    blocks = list(
        DeliberationBlock.objects.filter(deliberation=deliberation)
        .select_related("block")
        .order_by("block__position", "block__code")
    )
    awards = list(Award.objects.filter(deliberation=deliberation).order_by("kind"))
    return {"deliberation": deliberation, "blocks": blocks, "awards": awards}
