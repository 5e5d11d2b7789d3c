"""The demonstration catalogue: real facts where the project has them, labelled inventions elsewhere.

Real facts (titles, RNCP numbers, levels, NSF, certifiers and their SIRET, registration end
dates, activities, capacities, unit titles, the common units of the Leem CQPs) are read from
facts.json, a copy of the project's shared data (see SOURCES.md). Everything else — blocks cut
for the demonstration, evaluation criteria, access routes, the CQPI's content — is invented for
the journeys of the platform, and each certification's objectives say so with the words
« Contenu de démonstration ».
"""

import json
from functools import cache
from pathlib import Path

DEMO = "Contenu de démonstration"
FACTS_FILE = Path(__file__).with_name("facts.json")


@cache
def facts() -> dict:
    return json.loads(FACTS_FILE.read_text(encoding="utf-8"))["fiches"]


def fiche(key):
    return facts()[key]["fiche"]


def extras(key):
    return facts()[key]["extras"]


def _sources(key) -> str:
    return " ; ".join(fiche(key)["source_url"])


def _level(key):
    level = fiche(key)["level"]
    return int(level[3:]) if level and level.startswith("NIV") else None


def _nsf(key):
    return [(n["code"], n["libelle"] or "") for n in fiche(key)["nsf"] or ()]


def _truncated(title: str) -> str:
    """A title the source cuts: keep what it shows, mark the cut, drop the source's note."""
    if "[…]" not in title:
        return title
    return title.split("[…]")[0].rstrip() + "[…]"


def _unit_title(label: str) -> str:
    """« 4. Analyser l application … » → « Analyser l'application … » (apostrophes lost in the source)."""
    number, _, title = label.partition(". ")
    title = title if number.isdigit() else label
    return title.replace(" l application", " l'application").replace(" d hygiène", " d'hygiène")


# --------------------------------------------------------------------------- branches and certifiers

BRANCHES = [
    {
        "slug": "metallurgie",
        "name": "Métallurgie",
        "opco_name": "OPCO 2i",
        "opco_url": "https://www.opco2i.fr/",
        # The number the registry fiches give (« 3109 - Métallurgie ») and the IDCC of the national agreement.
        "agreements": [("3109", "3248", "Métallurgie")],
    },
    {
        "slug": "industrie-pharmaceutique",
        "name": "Industrie pharmaceutique",
        "opco_name": "OPCO 2i",
        "opco_url": "https://www.opco2i.fr/",
        "agreements": [("3104", "0176", "Industrie pharmaceutique")],
    },
    {
        "slug": "industries-alimentaires",
        "name": "Industries alimentaires",
        "opco_name": "OCAPIAT",
        "opco_url": "https://www.ocapiat.fr/",
        "agreements": [("3092", "", "Industries alimentaires diverses")],
    },
    {
        "slug": "eaux-boissons-bieres",
        "name": "Eaux embouteillées, boissons rafraîchissantes sans alcool et bières",
        "opco_name": "OCAPIAT",
        "opco_url": "https://www.ocapiat.fr/",
        "agreements": [],
    },
    {
        "slug": "boulangerie-artisanale",
        "name": "Boulangerie-pâtisserie artisanale",
        "opco_name": "OPCO EP",
        "opco_url": "https://www.opcoep.fr/",
        # 3117 is the number the registry gives; IDCC 843 from avenant n° 103 (CQP Tourier).
        "agreements": [("3117", "0843", "Boulangerie-pâtisserie (entreprises artisanales)")],
    },
]


def certifiers():
    """Key → certifier facts, as the fiches name them."""
    return {
        "uimm": {
            "siret": "78471719100018",
            "name": fiche("RNCP41789")["certifiers"][0]["name"],
            "branches": ["metallurgie"],
        },
        "ocapiat": {
            "siret": "84475200600024",
            "name": fiche("RNCP41679")["certifiers"][0]["name"],
            "branches": ["industries-alimentaires"],
        },
        "leem": {
            "siret": "78466854300027",
            "name": fiche("RNCP35412")["certifiers"][0]["name"],
            "branches": ["industrie-pharmaceutique"],
        },
        "cpnefp-boissons": {
            "siret": None,
            "name": fiche("CQP Conducteur de process")["certifiers"][0]["name"],
            "branches": ["eaux-boissons-bieres"],
        },
    }


# The registry fiches of the shipped samples that belong to a demo branch.
IMPORTED_BRANCHES = {"RNCP19468": ["boulangerie-artisanale"], "RS6117": ["boulangerie-artisanale"]}


# --------------------------------------------------------------------------- certifications


def _block(title, competencies=(), criteria=(), methods=""):
    return {
        "title": title,
        "competencies": list(competencies),
        "criteria": list(criteria),
        "assessment_methods": methods
        or f"{DEMO} : mise en situation professionnelle observée par un évaluateur "
        "habilité, suivie d'un entretien technique.",
    }


def _aircraft():
    key = "RNCP36086"
    activities = extras(key)["activites_visees"]
    capacities = extras(key)["capacites_attestees"]
    return {
        "key": key,
        "code": key,
        "registry": "RNCP",
        "kind": "CQPM",
        "title": fiche(key)["title"],
        "level": _level(key),
        "active": bool(fiche(key)["active"]),
        "registration_end": fiche(key)["dates"]["echeance_enregistrement"],
        "access_routes": ["FC", "CQ", "CL", "VAE"],
        "certifiers": ["uimm"],
        "branches": ["metallurgie"],
        "nsf": _nsf(key),
        "activities": "\n".join(f"- {a}" for a in activities),
        "abilities": "\n".join(f"- {c}" for c in capacities),
        "objectives": (
            f"Fiche RNCP36086 (sources : {_sources(key)}) : intitulé, niveau, NSF, certificateur, échéance, "
            f"activités visées et capacités attestées sont ceux de la fiche. {DEMO} : le découpage en blocs "
            "(un bloc par activité visée, avec les capacités qui s'y rapportent), leurs codes, les critères "
            "d'évaluation et les voies d'accès sont construits pour la démonstration ; les blocs officiels ne "
            "sont pas repris."
        ),
        "blocks": [
            _block(
                activities[0],
                capacities[0:1],
                [
                    ("Le dossier de fabrication est lu et les écarts d'approvisionnement sont signalés", True),
                    ("Les outillages sont vérifiés (étalonnage, état) avant usage", True),
                    ("Le poste est organisé pour limiter les manipulations", False),
                ],
            ),
            _block(
                activities[1],
                capacities[1:5],
                [
                    ("Les pièces sont positionnées et ajustées dans les tolérances du plan", True),
                    ("Le rivetage respecte la gamme (diamètre, pas, pince, sertissage)", True),
                    ("Les règles de prévention des corps étrangers (FOD) sont appliquées", True),
                    ("L'autocontrôle est enregistré sur la fiche suiveuse", False),
                ],
            ),
            _block(
                activities[2],
                capacities[5:7],
                [
                    ("Les produits d'interposition et d'étanchéité sont appliqués selon la spécification", True),
                    ("La continuité électrique (métallisation) est contrôlée", True),
                ],
            ),
            _block(
                activities[3],
                capacities[7:9],
                [
                    ("La dépose ne dégrade pas la structure", True),
                    ("La réparation cosmétique est conforme au manuel de réparation", True),
                    ("Le compte rendu d'intervention est complet", False),
                ],
            ),
        ],
    }


def _foundry(key, *, active):
    melting = "Opérateur de fusion en fonderie"
    return {
        "key": key,
        "code": key,
        "registry": "RNCP",
        "kind": "CQPM",
        "title": f"CQPM {melting}",
        "level": _level(key),
        "active": active,
        "registration_end": fiche(key)["dates"]["echeance_enregistrement"],
        "access_routes": ["FC", "CQ", "VAE"],
        "certifiers": ["uimm"],
        "branches": ["metallurgie"],
        "nsf": _nsf(key),
        "objectives": (
            f"Fiche {key} (source : {_sources(key)}) : niveau, NSF, certificateur et échéance sont ceux de la "
            "fiche ; l'intitulé officiel n'est pas dans les données du projet, il est repris de la désignation "
            f"du métier dans le texte de la fiche (« opérateur de fusion »). {DEMO} : blocs, critères, voies "
            "d'accès et la filiation RNCP38116 → RNCP41789 (même métier, échéance postérieure ; la filiation "
            "n'est pas affichée par France compétences) sont supposés pour la démonstration."
        ),
        "blocks": [
            _block(
                "Préparer la fusion",
                ["Préparer les charges selon la nuance à élaborer", "Mettre en chauffe le four en sécurité"],
                [
                    ("La composition de la charge respecte la fiche de coulée", True),
                    ("Les équipements de protection individuelle adaptés au métal en fusion sont portés", True),
                ],
            ),
            _block(
                "Conduire la fusion et la coulée",
                ["Conduire le four et suivre la température", "Prélever un échantillon et ajuster la composition"],
                [
                    ("La température de coulée est dans la plage prescrite", True),
                    ("Les écarts de composition sont corrigés et tracés", True),
                    ("Les consommations d'énergie sont relevées", False),
                ],
            ),
        ],
    }


def _food_maintenance():
    key = "RNCP41679"
    return {
        "key": key,
        "code": key,
        "registry": "RNCP",
        "kind": "CQP",
        "title": fiche(key)["title"],
        "level": _level(key),
        "active": True,
        "registration_end": fiche(key)["dates"]["echeance_enregistrement"],
        "access_routes": ["FC", "CQ", "VAE"],
        "certifiers": ["ocapiat"],
        "branches": ["industries-alimentaires"],
        "nsf": _nsf(key),
        "objectives": (
            f"Fiche RNCP41679 (source : {_sources(key)}) : intitulé, niveau, NSF, certificateurs et échéance "
            f"sont ceux de la fiche. {DEMO} : blocs, compétences, critères et voies d'accès sont inventés pour la "
            "démonstration ; les blocs officiels de la fiche ne sont pas repris."
        ),
        "blocks": [
            _block(
                "Réaliser la maintenance préventive des équipements de production",
                ["Appliquer le plan de maintenance préventive", "Consigner et déconsigner un équipement"],
                [
                    ("La consignation est réalisée selon la procédure du site", True),
                    ("Les règles d'hygiène alimentaire sont respectées pendant l'intervention", True),
                    ("L'intervention est tracée dans la GMAO", False),
                ],
            ),
            _block(
                "Diagnostiquer et réparer une panne de premier niveau",
                ["Identifier l'origine d'un dysfonctionnement", "Remplacer un organe défectueux"],
                [
                    ("Le diagnostic s'appuie sur une méthode structurée", True),
                    ("L'équipement est remis en service après essais", True),
                ],
            ),
        ],
    }


CQPI_SOURCES = (
    "https://www.info-socialrh.fr/bibliotheque-numerique/entreprise-et-carrieres/793/lactualite/"
    "reconnaissance-des-cqp-industriels-482949.php"
)


def _cqpi():
    return {
        "key": "CQPI-CEI",
        "code": None,
        "registry": "NONE",
        "kind": "CQPI",
        "title": "CQPI Conducteur d'équipements industriels",
        "level": None,
        "active": True,
        "access_routes": ["FC", "CQ"],
        "certifiers": ["uimm", "leem"],
        "branches": ["metallurgie", "industrie-pharmaceutique"],
        "objectives": (
            "Le CQPI Conducteur d'équipements industriels est l'un des deux premiers CQP interbranches, créés par "
            f"la charte CQPI de janvier 2006 (Leem, UIMM, UIT, Unipas ; source : {CQPI_SOURCES}). Sa fiche RNCP "
            f"n'est pas dans les données du projet. {DEMO} : il figure ici sans enregistrement, avec des blocs, "
            "compétences et critères construits pour la démonstration ; ses blocs « informations » et « système "
            "informatisé » sont déclarés communs avec les unités transverses des CQP du Leem, qui reconnaît les "
            "unités non spécifiques au médicament d'un CQPI par réciprocité."
        ),
        "blocks": [
            _block(
                "Préparer et conduire une production sur un équipement industriel",
                ["Préparer l'équipement et les matières", "Conduire l'équipement en respectant les consignes"],
                [
                    ("Les réglages respectent le dossier de fabrication", True),
                    ("Les règles de sécurité du poste sont appliquées", True),
                ],
            ),
            _block(
                "Contrôler la qualité des produits et traiter les aléas",
                ["Réaliser les autocontrôles", "Réagir à une dérive du procédé"],
                [
                    ("Les non-conformités sont détectées et isolées", True),
                    ("Une action corrective est proposée", False),
                ],
            ),
            _block(
                "Traiter des informations écrites et orales",
                ["Renseigner les documents de production", "Transmettre les consignes à la relève"],
                [("Les informations transmises sont exactes et complètes", True)],
            ),
            _block(
                "Utiliser un système informatisé",
                ["Saisir et consulter les données de production"],
                [("Les données saisies sont exactes", True)],
            ),
        ],
    }


def _leem(key, *, units, title_suffix_note=""):
    return {
        "key": key,
        "code": None,
        "registry": "NONE",
        "kind": "CQP",
        "title": fiche(key)["title"],
        "level": None,
        "active": True,
        "access_routes": ["FC", "CQ"],
        "certifiers": ["leem"],
        "branches": ["industrie-pharmaceutique"],
        "objectives": (
            f"CQP de l'industrie du médicament (Leem ; sources : {_sources(key)}). Les unités de compétences "
            "ci-dessous et leur caractère commun (unités transverses n° 4 à 7, communes aux CQP de pilotage de "
            f"procédé) sont ceux du référentiel. {title_suffix_note}{DEMO} : son enregistrement n'est pas connu, "
            "il figure sans enregistrement ; les critères d'évaluation sont inventés pour la démonstration."
        ),
        "blocks": units,
    }


def _leem_units(key):
    return {int(b["libelle"].split(".", 1)[0]): b["libelle"] for b in fiche(key)["blocs"]}


def _packaging():
    key = "LEEM:Pilotage conditionnement"
    labels = _leem_units(key)
    criteria = {
        1: [("Les articles de conditionnement sont identifiés sans erreur", True)],
        2: [("La ligne est démarrée après vide de ligne", True), ("Les rendements sont suivis", False)],
        3: [("L'intervention technique est réalisée en sécurité", True)],
        4: [("Les Bonnes Pratiques de Fabrication sont appliquées", True)],
        5: [("Les données sont saisies dans le système sans erreur", True)],
        6: [("Les informations sont transmises à l'écrit et à l'oral", True)],
        7: [("L'action de progrès est argumentée et mesurée", False)],
    }
    units = []
    for number, label in sorted(labels.items()):
        units.append(_block(_truncated(_unit_title(label)), criteria=criteria[number]))
    return _leem(
        key,
        units=units,
        title_suffix_note="L'intitulé de l'unité 7 est tronqué dans la source. ",
    )


def _liquids():
    key = "LEEM:Pilotage formes liquides et pâteuses"
    own = _leem_units(key)
    common = _leem_units("LEEM:Pilotage conditionnement")
    units = [
        _block(
            _unit_title(own[1]),
            criteria=[("Les matières premières sont identifiées sans erreur", True)],
        ),
        _block(
            _truncated(_unit_title(own[2])),
            criteria=[("Les paramètres du procédé restent dans les limites validées", True)],
        ),
    ]
    for number in (4, 5, 6, 7):
        title = _truncated(_unit_title(common[number]))
        units.append(_block(title, criteria=[("Critère de l'unité commune, évalué comme pour les autres CQP", True)]))
    return _leem(
        key,
        units=units,
        title_suffix_note=(
            "Seules les unités 1 et 2 de ce CQP sont lisibles dans la source (intitulé de l'unité 2 tronqué) ; "
            "l'unité 3 n'est pas reprise. "
        ),
    )


def _process():
    key = "CQP Conducteur de process"
    return {
        "key": key,
        "code": None,
        "registry": "NONE",
        "kind": "CQP",
        "title": f"CQP {fiche(key)['title']}",
        "level": None,
        "active": True,
        "access_routes": ["FC", "CQ"],
        "certifiers": ["cpnefp-boissons"],
        "branches": ["eaux-boissons-bieres"],
        "objectives": (
            f"CQP validé par la CPNEFP de la branche le 16/06/2011 (source : {_sources(key)}). Évaluation décrite "
            "par la branche : activités évaluées par un tuteur (en continu et par une épreuve finale), "
            "connaissances par les formateurs (en continu et par une épreuve écrite), synthèse par un jury. "
            f"{DEMO} : CQP présenté comme enregistré nulle part (code de la plateforme) ; blocs, compétences et "
            "critères inventés pour la démonstration."
        ),
        "blocks": [
            _block(
                "Conduire un process de fabrication de boissons",
                ["Démarrer et arrêter l'installation", "Surveiller les paramètres du process"],
                [
                    ("Les paramètres sont maintenus dans les tolérances", True),
                    ("Le nettoyage en place est réalisé selon le plan", True),
                ],
                methods=f"{DEMO} : évaluation des activités par le tuteur, synthèse par le jury.",
            ),
            _block(
                "Assurer la qualité et la sécurité alimentaire",
                ["Réaliser les prélèvements et contrôles", "Appliquer les règles d'hygiène"],
                [("Les contrôles sont réalisés à la fréquence prévue", True), ("Les écarts sont tracés", False)],
                methods=f"{DEMO} : épreuve écrite de connaissances et observation en situation.",
            ),
        ],
    }


def certifications():
    """In creation order: platform codes (CQP-00001…) follow it on a fresh database."""
    return [
        _aircraft(),
        _foundry("RNCP38116", active=False),
        _foundry("RNCP41789", active=True),
        _food_maintenance(),
        _cqpi(),
        _packaging(),
        _liquids(),
        _process(),
    ]


# (certification key, block number from 1, target key, target block number, kind)
EQUIVALENCES = [
    # The four transverse units common to the Leem's process CQPs (a fact of their referential).
    *[
        ("LEEM:Pilotage formes liquides et pâteuses", n, "LEEM:Pilotage conditionnement", n + 1, "COMMON")
        for n in (3, 4, 5, 6)
    ],
    # The CQPI's blocks recognised by the Leem (demonstration, after the reciprocity the Leem states).
    ("CQPI-CEI", 3, "LEEM:Pilotage conditionnement", 6, "COMMON"),
    ("CQPI-CEI", 4, "LEEM:Pilotage conditionnement", 5, "COMMON"),
    # Between the two versions of the foundry CQPM (demonstration).
    ("RNCP41789", 1, "RNCP38116", 1, "VERSION"),
    ("RNCP41789", 2, "RNCP38116", 2, "VERSION"),
]

LINEAGE = [("RNCP38116", "RNCP41789")]


# --------------------------------------------------------------------------- accounts

PASSWORD = "demo-cqp-2026"  # noqa: S105 — demo accounts only, printed by load_demo

ACCOUNTS = [
    # (e-mail, first name, last name, role or "platform_admin", certifier key)
    ("admin@cqp.example", "Alex", "Admin", "platform_admin", None),
    ("certificateur.uimm@cqp.example", "Claire", "Lambert", "certifier_staff", "uimm"),
    ("certificateur.ocapiat@cqp.example", "Hugo", "Moreau", "certifier_staff", "ocapiat"),
    ("candidat@cqp.example", "Camille", "Martin", "candidate", None),
    ("employeur@cqp.example", "Nadia", "Benali", "employer", None),
    ("formation@cqp.example", "Julien", "Petit", "training_org", None),
    ("evaluateur@cqp.example", "Sophie", "Garnier", "assessor", None),
    # The president and the vice-president of the demo juries (see juries.py).
    ("jury@cqp.example", "Marc", "Roux", "jury_member", None),
    ("jury.salaries@cqp.example", "Isabelle", "Fournier", "jury_member", None),
]
