"""Outils vectoriels partagés par les formules : dates, paramètres datés.

Toutes les fonctions travaillent sur des tableaux numpy entiers (une valeur par
personne) : aucune boucle Python sur les personnes, seulement, au besoin, sur
les dates distinctes d'un paramètre ou les années d'une carrière.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from openfisca_core.parameters import Parameter, ParameterNode
    from openfisca_core.periods import Period
    from openfisca_core.populations import Population

JOUR = "datetime64[D]"

#: Mois d'une année civile (calendrier, non une règle).
MOIS_PAR_AN = 12


def annee(dates: np.ndarray) -> np.ndarray:
    """Année civile d'un tableau de dates ``datetime64``."""
    return dates.astype("datetime64[Y]").astype(np.int64) + 1970


def indice_mois(dates: np.ndarray) -> np.ndarray:
    """Rang du mois d'une date (année × 12 + mois − 1), pour comparer des mois."""
    return dates.astype("datetime64[M]").astype(np.int64) + 1970 * 12


def mois_aaaamm(dates: np.ndarray) -> np.ndarray:
    """Mois de naissance écrit AAAAMM, seuil des barèmes par génération."""
    rang = indice_mois(dates)
    return (rang // 12) * 100 + rang % 12 + 1


def age_en_mois(bareme_age: np.ndarray) -> np.ndarray:
    """Âge d'un barème (années, mois en fraction) arrondi au mois entier."""
    return np.round(np.asarray(bareme_age, dtype=np.float64) * 12).astype(np.int64)


def debut(period: Period) -> np.datetime64:
    """Premier jour d'une période OpenFisca, en ``datetime64[D]``."""
    return np.datetime64(str(period.start), "D")


def fin(period: Period) -> np.datetime64:
    """Dernier jour d'une période OpenFisca, en ``datetime64[D]``."""
    return np.datetime64(str(period.stop), "D")


def valeurs_datees(parametre: Parameter) -> tuple[np.ndarray, np.ndarray]:
    """Dates d'effet et valeurs d'un paramètre (non instancié), triées par date.

    Une valeur ``null`` (fin de validité) est rendue ``nan``.
    """
    valeurs = sorted(
        (np.datetime64(v.instant_str, "D"), np.nan if v.value is None else float(v.value))
        for v in parametre.values_list
    )
    return (
        np.array([d for d, _ in valeurs], dtype=JOUR),
        np.array([v for _, v in valeurs], dtype=np.float64),
    )


def valeur_a_dates(parametre: Parameter, dates: np.ndarray) -> np.ndarray:
    """Valeur d'un paramètre daté à la date propre à chaque personne.

    Avant la première date d'effet de la série, la première valeur est rendue
    (la série commence à la date la plus ancienne que le modèle couvre ; la
    documentation du paramètre le dit).
    """
    dates_effet, valeurs = valeurs_datees(parametre)
    rang = np.searchsorted(dates_effet, dates.astype(JOUR), side="right") - 1
    return valeurs[np.clip(rang, 0, len(valeurs) - 1)]


def indice_cumule(parametre: Parameter, dates: np.ndarray) -> np.ndarray:
    """Produit des coefficients de revalorisation entrés en vigueur jusqu'à chaque date incluse.

    ``indice_cumule(p, fin) / indice_cumule(p, debut)`` est la revalorisation
    appliquée entre ``debut`` (exclu) et ``fin`` (inclus).
    """
    dates_effet, coefficients = valeurs_datees(parametre)
    cumul = np.concatenate(([1.0], np.cumprod(np.nan_to_num(coefficients, nan=1.0))))
    rang = np.searchsorted(dates_effet, np.asarray(dates).astype(JOUR), side="right")
    return cumul[rang]


def parametres_historiques(population: Population) -> ParameterNode:
    """Arbre complet des paramètres (toutes dates) du système de la simulation.

    À utiliser quand une valeur dépend d'une date propre à chaque personne
    (date de l'arrêt, année d'un salaire) ; suit les réformes appliquées.
    """
    return population.simulation.tax_benefit_system.parameters


def premier_janvier(annees: np.ndarray) -> np.ndarray:
    """1er janvier de chaque année d'un tableau d'années."""
    return (np.asarray(annees, dtype=np.int64) - 1970).astype("datetime64[Y]").astype(JOUR)


def revalorisation_depuis(
    montant: np.ndarray,
    depuis: np.ndarray,
    jusqua: np.datetime64,
    coefficients: Parameter,
    *,
    seuil: Parameter | None = None,
    coefficient_au_dela: Parameter | None = None,
    rang_depuis: np.ndarray | None = None,
) -> np.ndarray:
    """Revalorise ``montant`` par chaque coefficient entré en vigueur après ``depuis``
    (date propre à chaque personne, exclue) et au plus tard ``jusqua`` (incluse).

    Produit des coefficients par indice cumulé (deux recherches dichotomiques par
    personne, quel que soit le nombre de dates). Où ``seuil`` a une valeur à une
    date d'effet (revalorisation différenciée, LFSS 2020 art. 81), le
    ``coefficient_au_dela`` remplace le coefficient pour les montants qui
    dépassent le seuil juste avant cette date. ``rang_depuis`` (nombre de
    dates d'effet au plus tard à ``depuis``), s'il est déjà connu, évite de le
    rechercher à chaque mois.
    """
    dates, valeurs = valeurs_datees(coefficients)
    valeurs = np.nan_to_num(valeurs, nan=1.0)
    cumul = np.concatenate(([1.0], np.cumprod(valeurs)))
    montant = np.asarray(montant, dtype=np.float64)
    if rang_depuis is None:
        rang_depuis = np.searchsorted(dates, np.asarray(depuis).astype(JOUR), side="right")
    rang_jusqua = int(np.searchsorted(dates, np.datetime64(jusqua, "D"), side="right"))
    rang_depuis = np.minimum(rang_depuis, rang_jusqua)
    resultat = montant * (cumul[rang_jusqua] / cumul[rang_depuis])
    if seuil is None:
        return resultat
    dates_seuil, limites = valeurs_datees(seuil)
    reduits = valeur_a_dates(coefficient_au_dela, dates_seuil)
    for date_seuil, limite, reduit in zip(dates_seuil, limites, reduits, strict=True):
        rang = int(np.searchsorted(dates, date_seuil, side="left"))
        if np.isnan(limite) or rang >= rang_jusqua or dates[rang] != date_seuil:
            continue
        concerne = rang_depuis <= rang  # date d'effet postérieure à ``depuis``
        avant = montant * (cumul[rang] / cumul[np.minimum(rang_depuis, rang)])
        resultat = np.where(concerne & (avant > limite), resultat * (reduit / valeurs[rang]), resultat)
    return resultat


def date_naissance_verifiee(individu: Population, period: Period) -> np.ndarray:
    """``date_naissance`` de chaque personne ; une naissance postérieure au
    dernier jour de la période est une erreur d'entrée (jamais un âge négatif)."""
    from openfisca_invalidite.validation import EntreeInvalide

    naissance = individu("date_naissance", period)
    trop_tard = naissance > fin(period)
    if trop_tard.any():
        raise EntreeInvalide(
            individu,
            "date_naissance",
            "ETERNITY",
            np.flatnonzero(trop_tard),
            f"date de naissance postérieure à la période calculée ({period})",
        )
    return naissance


#: Année de la date par défaut de ``date_debut_invalidite`` (31/12/9999) : pas d'invalidité.
ANNEE_SANS_ARRET = 9999


def revalorisation_des_salaires(
    annee_salaire: int,
    jusqua: np.ndarray,
    coefficients: Parameter,
    anticipees: Parameter,
    *,
    indice_jusqua: np.ndarray | None = None,
) -> np.ndarray:
    """Coefficient qui revalorise le salaire de ``annee_salaire`` jusqu'à ``jusqua``
    (date propre à chaque personne, incluse).

    Produit des ``coefficients`` datés après le 31 décembre de l'année (L341-6
    revalorise au 1er avril « les salaires servant de base au calcul des
    pensions » : un salaire ne sert de base qu'une fois son année civile close,
    R341-4). Une revalorisation anticipée datée dans l'année (``anticipees``
    vrai à sa date d'effet : +4 % au 1er juillet 2022) est une avance imputée
    sur la revalorisation suivante ; le salaire de l'année, qui ne l'a pas
    reçue, en reçoit le montant avec cette revalorisation suivante (1er avril
    2023 : 1,04 × 1,056 / 1,04 = 1,056 pour un salaire de 2022).
    ``indice_jusqua`` (``indice_cumule(coefficients, jusqua)``), s'il est déjà
    connu, évite de le rechercher pour chaque année de la carrière.
    """
    jusqua = np.asarray(jusqua).astype(JOUR)
    if indice_jusqua is None:
        indice_jusqua = indice_cumule(coefficients, jusqua)
    fin_annee = np.datetime64(f"{annee_salaire}-12-31", "D")
    coefficient = indice_jusqua / indice_cumule(coefficients, fin_annee)
    dates, valeurs = valeurs_datees(coefficients)
    dates_anticipees, drapeaux = valeurs_datees(anticipees)
    for date in dates_anticipees[(drapeaux == 1) & (annee(dates_anticipees) == annee_salaire)]:
        rang = int(np.searchsorted(dates, date, side="left"))
        if rang >= len(dates) or dates[rang] != date or rang + 1 >= len(dates):
            continue
        coefficient = np.where(jusqua >= dates[rang + 1], coefficient * valeurs[rang], coefficient)
    return coefficient
