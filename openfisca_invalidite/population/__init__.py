"""Simulations de population : schéma, lecture des fichiers, population synthétique,
moteur par blocs (local ou Dask), projections pluriannuelles, agrégats pondérés,
déciles, écarts de réformes, graphiques, sorties.

Depuis un notebook ::

    from openfisca_invalidite import population as pop

    personnes = pop.generer_population(50_000, "2025-06")  # ou pop.lire_population("fichier.csv")
    resultats = pop.simuler(personnes, "2025-06", reformes=["nom_de_reforme"])
    pop.agreger(resultats)  # bénéficiaires, coûts par prestation, catégorie, âge
    pop.ecarts_reformes(resultats)  # gagnants, perdants, écarts de coût
    pop.gains_par_decile(resultats)  # déciles pondérés

    projection = pop.projeter(annees="2026-2035", reformes=["nom_de_reforme"])
    projection.budget  # écart de coût année par année

La comparaison sur une période en une ligne :
:func:`openfisca_invalidite.comparaison.comparer`. Voir docs/population.md.
"""

from openfisca_invalidite.population.agregats import (
    ColonneInconnue,
    agreger,
    ecarts_reformes,
    gains,
    resume,
    revenu,
)
from openfisca_invalidite.population.distribution import deciles, gains_par_decile
from openfisca_invalidite.population.moteur import (
    LOI_EN_VIGUEUR,
    PRESTATIONS,
    REVENU_DISPONIBLE,
    VARIABLES,
    PeriodeInvalide,
    ReformeInconnue,
    calculer_bloc,
    reformes_disponibles,
    resoudre_reforme,
    simuler,
    simuler_par_morceaux,
)
from openfisca_invalidite.population.projection import Projection, projeter
from openfisca_invalidite.population.revalorisation import Revalorisation, hypotheses_publiees
from openfisca_invalidite.population.schema import (
    PopulationInvalide,
    carriere_longue_en_colonnes,
    lire_population,
    valider_population,
)
from openfisca_invalidite.population.sorties import SortieInvalide
from openfisca_invalidite.population.synthetique import CIBLES, generer_population

__all__ = [
    "CIBLES",
    "LOI_EN_VIGUEUR",
    "PRESTATIONS",
    "REVENU_DISPONIBLE",
    "VARIABLES",
    "ColonneInconnue",
    "PeriodeInvalide",
    "PopulationInvalide",
    "Projection",
    "ReformeInconnue",
    "Revalorisation",
    "SortieInvalide",
    "agreger",
    "calculer_bloc",
    "carriere_longue_en_colonnes",
    "deciles",
    "ecarts_reformes",
    "gains",
    "gains_par_decile",
    "generer_population",
    "hypotheses_publiees",
    "lire_population",
    "projeter",
    "reformes_disponibles",
    "resoudre_reforme",
    "resume",
    "revenu",
    "simuler",
    "simuler_par_morceaux",
    "valider_population",
]
