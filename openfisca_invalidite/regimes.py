"""Les régimes qui servent une pension d'invalidité, et le point de routage.

Un régime est une branche de la même chaîne : chaque variable qui diffère
selon le régime (éligibilité, taux, minimum, maximum, majoration pour tierce
personne, cumul, âge de fin) calcule chaque branche sur tout le tableau des
personnes, puis ``selon_regime`` garde pour chacune la branche de son régime
(un ``np.select``, jamais de boucle sur les personnes). Une branche n'est
calculée que si au moins une personne en relève : une population du seul
régime général ne paie pas le calcul des autres régimes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from openfisca_core.indexed_enums import Enum

from openfisca_invalidite.commons import fixe, une_fois, valeur_a_dates

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from openfisca_core.parameters import Parameter
    from openfisca_core.periods import Period
    from openfisca_core.populations import Population


class RegimeInvalidite(Enum):
    __order__ = "regime_general msa_salarie ssi msa_non_salarie"
    regime_general = "Régime général (salariés), code de la sécurité sociale L341-1 et suivants"
    msa_salarie = "Salariés agricoles (MSA) : règles du régime général par le code rural, L742-3 et R742-2"
    ssi = "Travailleurs indépendants artisans et commerçants (SSI), règlement du régime invalidité-décès"
    msa_non_salarie = "Non-salariés agricoles (MSA, AMEXA) : code rural, L732-8 et R732-3 à R732-6"


class StatutNonSalarieAgricole(Enum):
    __order__ = "chef_exploitation collaborateur aide_familial associe_exploitation"
    chef_exploitation = "Chef d'exploitation ou d'entreprise agricole, membre non salarié de société (L722-10 1° et 5°)"
    collaborateur = "Collaborateur d'exploitation ou d'entreprise agricole (L722-10 4° a, L321-5)"
    aide_familial = "Aide familial (L722-10 2°)"
    associe_exploitation = "Associé d'exploitation (L722-10 2°)"


#: Régimes dont la pension est celle du code de la sécurité sociale (livre III, titre IV) :
#: le régime général et, par le renvoi de L742-3 et R742-2 du code rural, les salariés agricoles.
REGIMES_DU_CODE_DE_LA_SECURITE_SOCIALE = (RegimeInvalidite.regime_general, RegimeInvalidite.msa_salarie)


def _personnes_des_groupes(
    individu: Population, period: Period, groupes: tuple[tuple[RegimeInvalidite, ...], ...]
) -> tuple[np.ndarray, ...]:
    """Indices des personnes de chaque groupe de régimes, puis de celles d'aucun
    groupe : fixés une fois par simulation (le régime ne change pas)."""
    regime = fixe(individu, "regime_invalidite", period)

    def calcul() -> tuple[np.ndarray, ...]:
        codes = np.asarray(regime)
        dans_un_groupe = np.zeros(codes.shape, dtype=bool)
        indices = []
        for regimes in groupes:
            qui = np.isin(codes, [r.index for r in regimes])
            dans_un_groupe |= qui
            indices.append(np.flatnonzero(qui))
        return (*indices, np.flatnonzero(~dans_un_groupe))

    return une_fois(individu, ("personnes_des_groupes", groupes), calcul, regime)


class PourSesPersonnes:
    """Branche de :func:`selon_regime` calculée pour les seules personnes de son
    groupe de régimes : ``calcul(qui)`` rend leurs valeurs (``qui`` : leurs
    indices), dans cet ordre. Pour un régime qui ne concerne qu'une petite part
    de la population."""

    def __init__(self, calcul: Callable[[np.ndarray], np.ndarray]) -> None:
        self.calcul = calcul


def selon_regime(
    individu: Population,
    period: Period,
    branches: Mapping[tuple[RegimeInvalidite, ...], Callable[[], np.ndarray] | PourSesPersonnes],
    *,
    defaut: float | bool = 0,
    garder: str | None = None,
    dtype: np.dtype | type | None = None,
) -> np.ndarray:
    """Valeur de la branche du régime de chaque personne (``regime_invalidite``).

    ``branches`` associe un groupe de régimes à une fonction sans argument qui
    rend la valeur de la branche pour toutes les personnes (ou à une branche
    :class:`PourSesPersonnes`, calculée pour les seules personnes du groupe) ;
    elle n'est appelée que si une personne au moins relève d'un régime du
    groupe. Une personne dont le régime n'a pas de branche reçoit ``defaut``.
    ``dtype`` : type du résultat (par défaut celui des branches). ``garder``
    (un nom) : les branches rendent des tableaux gardés par la simulation
    (variables, :func:`une_fois`) ; le résultat l'est aussi, sous ce nom, et
    relu tant que les branches rendent les mêmes tableaux.
    """
    groupes = tuple(branches)
    personnes = _personnes_des_groupes(individu, period, groupes)
    presents = [(regimes, qui) for regimes, qui in zip(groupes, personnes, strict=False) if qui.size]
    if not presents:
        return np.full(individu.count, defaut, dtype=dtype)
    compactes = [isinstance(branches[regimes], PourSesPersonnes) for regimes, _ in presents]
    valeurs = [
        np.asarray(branches[regimes].calcul(qui) if compacte else branches[regimes]())
        for (regimes, qui), compacte in zip(presents, compactes, strict=True)
    ]
    sans_groupe = personnes[-1]

    def combiner() -> np.ndarray:
        type_resultat = dtype or np.result_type(
            *valeurs, defaut if type(defaut) in {int, float} else np.asarray(defaut)
        )
        # Les groupes sont disjoints : chaque personne prend la valeur de sa branche
        # (comme np.select) ; la branche complète du groupe le plus nombreux sert de fond.
        completes = [k for k, compacte in enumerate(compactes) if not compacte]
        if completes:
            fond = max(completes, key=lambda k: presents[k][1].size)
            resultat = np.array(np.broadcast_to(valeurs[fond], individu.count), dtype=type_resultat)
            if sans_groupe.size:
                resultat[sans_groupe] = defaut
        else:
            fond = None
            resultat = np.full(individu.count, defaut, dtype=type_resultat)
        for k, ((_, qui), valeur) in enumerate(zip(presents, valeurs, strict=True)):
            if k != fond:
                resultat[qui] = valeur if compactes[k] or not valeur.ndim else valeur[qui]
        return resultat

    if garder is None:
        return combiner()
    return une_fois(individu, ("selon_regime", garder, dtype), combiner, *valeurs)


def valeur_en_vigueur(parametre: Parameter, instant: str | np.datetime64, defaut: float = 0.0) -> float:
    """Valeur d'un paramètre daté à ``instant``, ``defaut`` après une fin de
    validité (``null``) ; avant la première date d'effet, la première valeur
    (comme ``valeur_a_dates`` : la série commence à la date la plus ancienne
    que le modèle couvre).

    Pour les montants qu'un texte supprime à une date (forfaits des
    non-salariés agricoles, supprimés le 1er janvier 2020) : OpenFisca refuse
    de lire un paramètre hors de sa période de validité.
    """
    valeur = valeur_a_dates(parametre, np.array([np.datetime64(instant, "D")]))[0]
    return defaut if np.isnan(valeur) else float(valeur)


def date_d_effet(individu: Population, period: Period) -> np.ndarray:
    """Date d'effet de la pension de chaque personne (``datetime64[D]``) :
    ``date_effet_pension_invalidite`` si elle est donnée, l'arrêt sinon
    (``date_liquidation_pension_invalidite``). Les autres régimes y apprécient
    leurs conditions et y fixent le montant : pensions des non-salariés
    agricoles liquidées avant ou après 2020, règlement des travailleurs
    indépendants applicable, années de revenus, revalorisations suivantes."""
    return individu("date_liquidation_pension_invalidite", period)


def du_regime(individu: Population, period: Period, regime: RegimeInvalidite) -> np.ndarray:
    """Vrai pour les personnes dont la pension est servie par ``regime``."""
    return np.asarray(individu("regime_invalidite", period)) == regime.index
