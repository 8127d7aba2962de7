"""Entités du modèle : l'individu et la famille (au sens des CAF).

Les noms, rôles et sous-rôles sont ceux d'OpenFisca-France, pour que les
situations passent d'un paquet à l'autre.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from openfisca_core.entities import build_entity

if TYPE_CHECKING:
    import numpy as np
    from openfisca_core.populations import Population

Individu = build_entity(
    key="individu",
    plural="individus",
    label="Individu",
    doc="""
    Une personne : l'assuré social (pension d'invalidité, ASI) et l'allocataire
    (AAH) sont des individus.
    """,
    is_person=True,
)

Famille = build_entity(
    key="famille",
    plural="familles",
    label="Famille",
    doc="""
    La famille au sens des prestations : les parents (au plus deux, le
    demandeur et son conjoint) et les enfants à charge. Sert au plafond de
    ressources de l'ASI (couple) et de l'AAH (couple, enfants).
    """,
    roles=[
        {
            "key": "parent",
            "plural": "parents",
            "label": "Parents",
            "subroles": ["demandeur", "conjoint"],
            "max": 2,
        },
        {
            "key": "enfant",
            "plural": "enfants",
            "label": "Enfants",
        },
    ],
)

entities = [Individu, Famille]


def parents(individu: Population) -> np.ndarray:
    """Vrai pour les parents de leur famille (demandeur et conjoint), faux pour
    les enfants : ``individu.has_role(Famille.PARENT)``, lu une fois par
    simulation (OpenFisca compare pour cela un objet rôle par personne)."""
    from openfisca_invalidite.commons import une_fois

    return une_fois(individu, "parents", lambda: individu.has_role(Famille.PARENT))
