"""Mécanisme de cumul d'une pension d'invalidité avec des revenus, commun aux régimes.

Le régime général (R341-17) compare « le montant cumulé de la pension … et
des revenus » d'une période à un seuil et réduit la pension d'une part du
dépassement. Les deux rédactions successives ne diffèrent que par la période
et la part :

- jusqu'au 31 mars 2022 : par trimestre ; dépassement pendant deux trimestres
  consécutifs, la pension du trimestre suivant réduite du dépassement entier
  du trimestre précédent ;
- depuis le 1er avril 2022 : sur les 12 mois du 13e au 2e mois avant le
  contrôle ; chaque mensualité réduite d'un douzième de 50 % du dépassement.

Les fonctions prennent des tableaux (une valeur par personne) : la pension de
chaque période, les revenus de chaque période et le seuil de chaque période.
Un régime qui pondère ses revenus (revenus non salariés comptés à 125 %,
R341-17 II 4°) les pondère avant de les passer ; un régime qui a son propre
seuil le calcule et le passe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from openfisca_invalidite.commons import au_mois, somme_au_centime, une_fois

if TYPE_CHECKING:
    from collections.abc import Sequence

    from openfisca_core.periods import Period
    from openfisca_core.populations import Population

#: Mois d'un trimestre civil (calendrier, non une règle).
MOIS_PAR_TRIMESTRE = 3


def depassement(pension: np.ndarray, revenus: np.ndarray, seuil: np.ndarray) -> np.ndarray:
    """Dépassement du seuil par la pension et les revenus cumulés d'une période (0 si aucun)."""
    return np.maximum(np.asarray(pension) + np.asarray(revenus) - np.asarray(seuil), 0.0)


def reduction_apres_trimestres_consecutifs(
    depassements: Sequence[np.ndarray], cumuls: Sequence[np.ndarray], part: float
) -> np.ndarray:
    """Réduction mensuelle de la règle trimestrielle.

    ``depassements[0]`` est le dépassement du trimestre civil précédent,
    ``depassements[1]`` celui d'avant, etc. ; ``cumuls[k]`` dit si le trimestre
    ``k`` est un trimestre de cumul (pension et revenus). La pension est
    réduite si chacun de ces trimestres est un trimestre de cumul en
    dépassement ; les arrérages du trimestre en cours sont alors réduits de
    ``part`` × le dépassement du trimestre précédent, réparti sur ses trois
    mois.
    """
    tous = np.ones(np.shape(depassements[0]), dtype=bool)
    for dep, cumul in zip(depassements, cumuls, strict=True):
        tous &= (dep > 0) & cumul
    return np.where(tous, part * depassements[0] / MOIS_PAR_TRIMESTRE, 0.0)


def reduction_sur_periode_de_reference(dep: np.ndarray, part: float, mois_de_la_periode: int) -> np.ndarray:
    """Réduction mensuelle de la règle annuelle : ``part`` du dépassement de la
    période de référence, réparti sur ses mois (« un douzième de 50 % »)."""
    return part * np.asarray(dep) / mois_de_la_periode


def mois_precedents(period: Period, debut: int, nombre: int) -> list[Period]:
    """Les ``nombre`` mois qui commencent ``debut`` mois avant le mois de ``period``."""
    premier = period.first_month.offset(-debut)
    return [premier.offset(k) for k in range(nombre)]


def trimestre_civil_precedent(period: Period, rang: int) -> list[Period]:
    """Les trois mois du ``rang``-ième trimestre civil avant celui du mois de ``period``
    (rang 1 : le trimestre précédent)."""
    mois = period.first_month
    debut_trimestre = mois.offset(-((mois.start.month - 1) % MOIS_PAR_TRIMESTRE))
    premier = debut_trimestre.offset(-MOIS_PAR_TRIMESTRE * rang)
    return [premier.offset(k) for k in range(MOIS_PAR_TRIMESTRE)]


def somme_sur_mois(individu: Population, variable: str, mois: Sequence[Period]) -> np.ndarray:
    """Somme d'un montant mensuel au centime sur des mois consécutifs, comme l'option
    ``ADD`` d'OpenFisca mais en float64, relue au centime : chaque mois stocké en
    float32 n'est exact qu'à 1e-4 € près, et une somme float32 perd davantage,
    assez pour faire tomber une réduction à une demi-centime du mauvais côté de
    l'arrondi. Gardée (:func:`une_fois`) pour les périodes dont chaque mois a
    le même tableau : les périodes de référence de mois voisins, quand les
    revenus ne changent pas d'un mois à l'autre. Partagée : en lecture seule."""
    valeurs = [au_mois(individu, variable, m) for m in mois]
    return une_fois(individu, ("somme_sur_mois", variable), lambda: somme_au_centime(valeurs, individu.count), *valeurs)
