"""Montant de la pension d'invalidité du régime général « calculée conformément
aux dispositions de la section 3 » (R341-4 à R341-6, L341-5, L341-6).

Fonctions partagées par les variables du montant (``pension_invalidite_avant_cumul``)
et du cumul (R341-17 additionne la pension des mois d'une période).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from openfisca_invalidite.commons import debut, fin, parametres_historiques, revalorisation_depuis

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from openfisca_core.indexed_enums import EnumArray
    from openfisca_core.parameters import ParameterNodeAtInstant
    from openfisca_core.periods import Period
    from openfisca_core.populations import Population


def par_categorie(categorie: EnumArray, bareme: ParameterNodeAtInstant) -> np.ndarray:
    """Valeur du paramètre de la catégorie de chaque personne (0 si non classée)."""
    categories = categorie.possible_values
    return np.select(
        [categorie == categories.categorie_1, categorie == categories.categorie_2, categorie == categories.categorie_3],
        [bareme.categorie_1, bareme.categorie_2, bareme.categorie_3],
        0.0,
    )


def pensions_de_la_section_3(
    individu: Population,
    period: Period,
    mois: Sequence[Period],
    parameters: Callable[[Period], ParameterNodeAtInstant],
    qui: np.ndarray | None = None,
) -> np.ndarray:
    """Somme, sur les ``mois`` donnés, du montant mensuel de la pension « calculée
    conformément aux dispositions de la section 3 » (R341-4 à R341-6, L341-5,
    L341-6), avec la catégorie et le taux du mois ``period`` : taux × SAM / 12
    revalorisé par les coefficients des pensions datés après la liquidation et
    au plus tard le 1er du mois, porté au minimum ou ramené au maximum du mois,
    arrondi au centime ; 0 avant le mois de la date d'effet et sans catégorie.

    Sert au mois calculé et aux mois passés que le cumul de R341-17
    additionne ; ne lit aucune entrée mensuelle des mois passés. ``qui``
    (indices de personnes) limite le calcul à ces personnes, dans cet ordre.
    ``parameters`` est celui de la formule appelante : les barèmes lus
    apparaissent dans /trace.
    """
    historique = parametres_historiques(individu)

    def lire(variable: str) -> np.ndarray:
        valeurs = individu(variable, period)
        return valeurs if qui is None else valeurs[qui]

    # Le SAM (celui du mois calculé : il ne change pas après la liquidation) est
    # un montant au centime ; le relire en float64 évite qu'une demi-centime
    # bascule à cause du stockage float32 d'OpenFisca.
    salaire_annuel_moyen = np.round(lire("salaire_annuel_moyen").astype(np.float64), 2)
    taux = np.round(lire("taux_pension_invalidite").astype(np.float64), 6)  # 0,3 et non 0,30000001
    categorie = np.asarray(lire("categorie_invalidite")).astype(np.int64)
    date_liquidation = lire("date_liquidation_pension_invalidite")
    rang_liquidation = lire("rang_revalorisation_pension_a_la_liquidation")
    revalorisation = historique.pension_invalidite.revalorisation
    montant_initial = taux * salaire_annuel_moyen / 12
    classe = taux > 0
    total = np.zeros(montant_initial.shape, dtype=np.float64)
    for m in mois:
        revalorise = revalorisation_depuis(
            montant_initial,
            date_liquidation,
            debut(m),
            revalorisation.coefficient_pensions,
            seuil=revalorisation.seuil_revalorisation_differenciee,
            coefficient_au_dela=revalorisation.coefficient_au_dela_du_seuil,
            rang_depuis=rang_liquidation,
        )
        p = parameters(m)
        parts = p.pension_invalidite.montant.maximum_en_part_du_pmss
        # Part du PMSS par rang de catégorie (non_classe, categorie_1, _2, _3).
        part = np.array([0.0, parts.categorie_1, parts.categorie_2, parts.categorie_3])[categorie]
        maximum = np.round(part * p.references_sociales.plafond_mensuel_securite_sociale, 2)
        montant = np.round(np.clip(revalorise, p.pension_invalidite.montant.minimum, maximum), 2)
        total += np.where((date_liquidation <= fin(m)) & classe, montant, 0.0)
    return total


def pension_de_la_section_3(
    individu: Population, period: Period, mois: Period, parameters: Callable[[Period], ParameterNodeAtInstant]
) -> np.ndarray:
    """Montant de la section 3 du seul mois ``mois`` (voir ``pensions_de_la_section_3``)."""
    return pensions_de_la_section_3(individu, period, [mois], parameters)
