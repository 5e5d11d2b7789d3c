import json

import pytest

from cqp.catalogue.enums import CertificationKind as Kind
from cqp.catalogue.registry.kinds import detect_kind
from tests.conftest import SHARED_DATA

UIMM = "UNION DES INDUSTRIES ET DES METIERS DE LA METALLURGIE (UIMM)"
CPNE_METALLURGY = "Commission paritaire nationale de l'emploi de la métallurgie"


@pytest.mark.parametrize(
    ("title", "kwargs", "kind"),
    [
        # Titles of real registry fiches.
        ("CQP Tourier", {"registry": "RS"}, Kind.CQP),
        ("CQP Tourier", {"registry": "RNCP"}, Kind.CQP),
        (
            "CQP Agent de maintenance",
            {"certifiers": ["OCAPIAT", "CPNEFP interbranche du secteur alimentaire"]},
            Kind.CQP,
        ),
        ("CQP clerc assistant", {}, Kind.CQP),
        (
            "CQP : Certificat de qualification professionnelle Conducteur de machines du secteur alimentaire",
            {},
            Kind.CQP,
        ),
        (
            "CQP Pilotage de procédé de conditionnement",
            {"certifiers": ["Les Entreprises du Médicament (Leem)"]},
            Kind.CQP,
        ),
        ("CQP Ajusteur assembleur de structures aéronefs", {"certifiers": [UIMM, CPNE_METALLURGY]}, Kind.CQPM),
        ("CQPM Technicien de maintenance industrielle", {}, Kind.CQPM),
        ("Certificat de qualification paritaire de la métallurgie Opérateur régleur", {}, Kind.CQPM),
        ("Certificat de qualification professionnelle de la métallurgie - Soudeur", {}, Kind.CQPM),
        ("CQPI Agent logistique", {}, Kind.CQPI),
        ("Certificat de qualification professionnelle interbranches Conducteur d'équipements", {}, Kind.CQPI),
        ("Certificat de qualification professionnelle inter-branches Opérateur de production", {}, Kind.CQPI),
        ("Certificat de qualification professionnelle interbranche Technicien de maintenance", {}, Kind.CQPI),
        # CQPM named by the job only, known by their certifier.
        (
            "Opérateur (trice) en Maintenance Industrielle",
            {
                "registry": "RNCP",
                "certifiers": [
                    "Commission paritaire nationale de l’emploi et de la formation professionnelle de la métallurgie"
                ],
            },
            Kind.CQPM,
        ),
        ("Monteur câbleur en équipements électriques", {"registry": "RNCP", "certifiers": [UIMM]}, Kind.CQPM),
        # Branch CQPs named by the job only, certified by a CPNE.
        (
            "Conducteur de machine à Imprimer d'Exploitation Complexe Offset Feuilles",
            {"registry": "RNCP", "certifiers": ["CPNE de l'Imprimerie et des Industries Graphiques"]},
            Kind.CQP,
        ),
        (
            "Agent logistique",
            {"registry": "RNCP", "certifiers": ["CPNEFP interbranche du secteur alimentaire"]},
            Kind.CQPI,
        ),
        (
            "Tourier",
            {
                "registry": "RNCP",
                "abbreviation": "CQP",
                "abbreviation_label": "Certificat de qualification professionnelle",
            },
            Kind.CQP,
        ),
        # Everything else.
        ("Développeur web et web mobile", {"registry": "RNCP", "abbreviation": "TP"}, Kind.OTHER),
        ("Finition, aménagement des bâtiments : conception et réalisation", {"abbreviation": "BTS"}, Kind.OTHER),
        (
            "Programme Grande Ecole – Diplôme d’études supérieures en management",
            {"abbreviation": "DipViGrM"},
            Kind.OTHER,
        ),
        ("Assistant en ressources humaines", {"registry": "RNCP", "certifiers": ["CCI FRANCE"]}, Kind.OTHER),
        ("Premiers secours en équipe de niveau 1", {"registry": "RS"}, Kind.OTHER),
        # An RS certificate of the metallurgy is not a CQPM.
        ("Animer une équipe de production", {"registry": "RS", "certifiers": [UIMM]}, Kind.OTHER),
        # A CPNE co-certifying a state diploma does not make it a CQP.
        (
            "Technicien supérieur",
            {"registry": "RNCP", "abbreviation": "BTS", "certifiers": ["CPNE de la chimie"]},
            Kind.OTHER,
        ),
        # Words that only look like the acronym.
        ("Technicien CQPX et méthodes", {}, Kind.OTHER),
    ],
)
def test_kind_of_real_titles(title, kwargs, kind):
    assert detect_kind(title=title, **kwargs) == kind


def test_real_cqp_fiches_named_by_a_branch_body_are_found():
    """The fiches of ../shared/data/cqp-fiches whose title or certifiers name a branch body.

    A CQP titled by the job alone and certified by an employers' federation only (the ceramics
    one, say) is not recognised: federations also certify titles that are not CQPs.
    """
    path = SHARED_DATA / "cqp-fiches" / "fiches.json"
    if not path.exists():
        pytest.skip("shared CQP fiches not found")
    checked = 0
    for fiche in json.loads(path.read_text()):
        certifiers = [c["name"] for c in fiche.get("certifiers") or []]
        named = " ".join([fiche.get("title") or "", *certifiers]).lower()
        if not any(marker in named for marker in ("cqp", "paritaire", "cpne", "uimm", "metallurgi")):
            continue
        kind = detect_kind(title=fiche.get("title") or "", certifiers=certifiers, registry="RNCP")
        assert kind in {Kind.CQP, Kind.CQPI, Kind.CQPM}, fiche
        if any("metallurg" in name.lower() or "métallurgie" in name.lower() for name in certifiers):
            assert kind == Kind.CQPM, fiche
        checked += 1
    assert checked >= 25
