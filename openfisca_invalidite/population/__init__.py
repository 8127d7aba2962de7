"""Simulations de population : schéma, population synthétique, moteur par blocs
(local ou Dask), agrégats pondérés, écarts de réformes, graphiques.

Depuis un notebook ::

    from openfisca_invalidite import population as pop

    personnes = pop.generer_population(50_000, "2025-06")  # ou pop.lire_population("fichier.parquet")
    resultats = pop.simuler(personnes, "2025-06", reformes=["nom_de_reforme"])
    pop.agreger(resultats)  # bénéficiaires, coûts par prestation, catégorie, âge
    pop.ecarts_reformes(resultats)  # gagnants, perdants, écarts de coût

La comparaison en une ligne : :func:`openfisca_invalidite.comparaison.comparer`.
Voir docs/population.md.
"""

from openfisca_invalidite.population.agregats import agreger, ecarts_reformes, gains, resume
from openfisca_invalidite.population.moteur import (
    LOI_EN_VIGUEUR,
    PRESTATIONS,
    VARIABLES,
    ReformeInconnue,
    calculer_bloc,
    reformes_disponibles,
    resoudre_reforme,
    simuler,
)
from openfisca_invalidite.population.schema import (
    PopulationInvalide,
    carriere_longue_en_colonnes,
    lire_population,
    valider_population,
)
from openfisca_invalidite.population.synthetique import CIBLES, generer_population

__all__ = [
    "CIBLES",
    "LOI_EN_VIGUEUR",
    "PRESTATIONS",
    "VARIABLES",
    "PopulationInvalide",
    "ReformeInconnue",
    "agreger",
    "calculer_bloc",
    "carriere_longue_en_colonnes",
    "ecarts_reformes",
    "gains",
    "generer_population",
    "lire_population",
    "reformes_disponibles",
    "resoudre_reforme",
    "resume",
    "simuler",
    "valider_population",
]
