"""Display helpers of the catalogue pages."""

import re

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from cqp.catalogue import enums

register = template.Library()

# The registry flattens bullets and paragraphs into runs of spaces; a line break counts too.
_PIECE_BREAK = re.compile(r"\s*\n\s*|\s{3,}")
_BULLET = re.compile(r"^[-–•·*]\s*")


@register.filter
def level_display(certification) -> str:
    """National framework level and its EQF equivalent: « Niveau 3 (CEC 3) », or « Sans niveau »."""
    if certification.level:
        return _("Niveau %(n)s (CEC %(n)s)") % {"n": certification.level}
    return _("Sans niveau")


@register.filter
def level_description(certification) -> str:
    label = enums.LEVEL_LABELS.get(certification.level)
    return str(label).split("—", 1)[-1].strip() if label else ""


@register.filter
def registry_text(text: str) -> str:
    """A registry text as paragraphs, or as a list when it was written as bullets."""
    pieces = [p for p in (piece.strip() for piece in _PIECE_BREAK.split(text or "")) if p]
    if not pieces:
        return ""
    bullets = [p for p in pieces if _BULLET.match(p)]
    if len(pieces) > 1 and len(bullets) >= len(pieces) - 1:
        intro = [] if _BULLET.match(pieces[0]) else [pieces[0]]
        items = [_BULLET.sub("", p) for p in pieces if _BULLET.match(p)]
        html = format_html_join("", "<p>{}</p>", ((p,) for p in intro))
        return html + format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((i,) for i in items)))
    return format_html_join("", "<p>{}</p>", ((p,) for p in pieces))


@register.filter
def siret_display(siret: str) -> str:
    """775 671 356 00025: the SIREN in threes, then the establishment number."""
    if siret and len(siret) == 14 and siret.isdigit():
        return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    return siret or ""


@register.filter
def lifecycle_label(value) -> str:
    return enums.Lifecycle(value).label if value in enums.Lifecycle.values else ""


@register.filter
def habilitation_label(value) -> str:
    return enums.PartnerHabilitation(value).label if value in enums.PartnerHabilitation.values else value
