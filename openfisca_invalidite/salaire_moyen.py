"""Moteur du revenu annuel moyen des meilleures années, commun aux régimes.

Le régime général (R341-4, R341-11) retient les 10 meilleures années civiles
d'assurance antérieures à l'arrêt de travail, chaque salaire plafonné au PASS
de son année puis revalorisé, une année ne comptant que si son salaire valide
au moins un trimestre (R351-9). D'autres régimes changent les ingrédients,
pas le mécanisme : les indépendants (revenus salariés et non salariés cumulés,
10 meilleures années), les non-salariés agricoles (3 meilleures des 7
dernières années). Chaque régime fournit donc, par année de la fenêtre :

- le revenu de l'année (déjà sommé ou pondéré selon ses règles) ;
- le plafond de l'année (PASS) ;
- le coefficient de revalorisation de l'année jusqu'à la date de calcul ;
- le revenu minimal pour que l'année compte ;
- l'appartenance de l'année à la fenêtre de chaque personne ;

et le nombre d'années retenues par personne. La fonction boucle sur les
années (jamais sur les personnes) et choisit les meilleures par
``np.partition``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    Valeur = float | np.ndarray


class MoyenneDesMeilleuresAnnees(NamedTuple):
    """Résultat du calcul : la moyenne (0 sans année comptée) et le nombre
    d'années comptées de chaque personne (avant la limite du nombre retenu)."""

    moyenne: np.ndarray
    annees_comptees: np.ndarray


#: Personnes par sous-bloc de :func:`_somme_des_meilleures` (années × personnes : 800 ko sur 50 ans).
SOUS_BLOC = 2048


def _somme_des_meilleures(valeurs: np.ndarray, nombre: int) -> np.ndarray:
    """Somme des ``nombre`` plus grandes valeurs de chaque colonne de ``valeurs``
    (années × personnes), en float64 : ``np.partition(valeurs, …, axis=0)[-nombre:]``
    sommé ligne après ligne. Par sous-blocs de personnes, les années de chacune
    contiguës (la sélection lit alors des années qui se suivent en mémoire, et
    non une année par ligne du tableau) ; la sélection et l'ordre de la somme
    sont les mêmes : le même résultat, au bit près."""
    annees, personnes = valeurs.shape
    somme = np.empty(personnes, dtype=np.float64)
    for debut in range(0, personnes, SOUS_BLOC):
        bloc = np.ascontiguousarray(valeurs[:, debut : debut + SOUS_BLOC].T)
        bloc.partition(annees - nombre, axis=1)
        meilleures = bloc[:, annees - nombre :]
        somme_du_bloc = meilleures[:, 0].copy()
        for rang in range(1, nombre):
            somme_du_bloc += meilleures[:, rang]
        somme[debut : debut + SOUS_BLOC] = somme_du_bloc
    return somme


def moyenne_des_meilleures_annees(
    annees: Sequence[int],
    nombre_retenu: np.ndarray,
    *,
    revenu: Callable[[int], np.ndarray],
    plafond: Callable[[int], Valeur],
    revalorisation: Callable[[int], Valeur],
    seuil_validation: Callable[[int], Valeur],
    dans_la_fenetre: Callable[[int], np.ndarray | bool],
) -> MoyenneDesMeilleuresAnnees:
    """Moyenne des ``nombre_retenu`` meilleures années parmi ``annees``.

    Pour chaque année ``a`` : l'année compte si ``dans_la_fenetre(a)`` et si
    ``revenu(a) >= seuil_validation(a)`` (revenu de l'année, non plafonné,
    non revalorisé) ; elle vaut alors ``min(revenu(a), plafond(a)) ×
    revalorisation(a)``. La moyenne est la somme des ``nombre_retenu``
    meilleures valeurs divisée par le nombre d'années comptées, limité à
    ``nombre_retenu`` (moins d'années : moyenne des années accomplies). Calcul
    en float64, non arrondi (l'arrondi est une règle du régime).

    ``nombre_retenu`` a une valeur par personne ; les fonctions rendent un
    scalaire ou un tableau par personne, dans l'ordre des personnes.
    """
    nombre_retenu = np.asarray(nombre_retenu, dtype=np.int64)
    personnes = nombre_retenu.shape[0]
    plus_grand = int(nombre_retenu.max(initial=0))
    if personnes == 0 or plus_grand == 0:
        vide = np.zeros(personnes, dtype=np.float64)
        return MoyenneDesMeilleuresAnnees(vide, np.zeros(personnes, dtype=np.int64))
    # Une ligne par année (au moins autant de lignes que d'années retenues).
    valeurs = np.zeros((max(len(annees), plus_grand), personnes), dtype=np.float64)
    comptees = np.zeros(personnes, dtype=np.int64)
    for ligne, annee in enumerate(annees):
        montant = np.asarray(revenu(annee), dtype=np.float64)
        compte = dans_la_fenetre(annee) & (montant >= seuil_validation(annee)) & (montant > 0)
        if not np.any(compte):
            continue
        valeur = valeurs[ligne]
        np.minimum(montant, plafond(annee), out=valeur)
        valeur *= revalorisation(annee)
        valeur *= compte  # 0 pour une année qui ne compte pas (les valeurs sont finies et positives)
        comptees += compte
    if (nombre_retenu == plus_grand).all():
        somme = _somme_des_meilleures(valeurs, plus_grand)
    else:  # nombre d'années différent selon la personne : somme des k premières
        meilleures = np.partition(valeurs, valeurs.shape[0] - plus_grand, axis=0)[-plus_grand:]
        cumul = np.cumsum(np.sort(meilleures, axis=0)[::-1], axis=0, dtype=np.float64)
        somme = np.take_along_axis(cumul, np.maximum(nombre_retenu - 1, 0)[np.newaxis, :], axis=0)[0]
        somme = np.where(nombre_retenu > 0, somme, 0.0)
    diviseur = np.clip(comptees, 1, np.maximum(nombre_retenu, 1))
    moyenne = np.where(comptees > 0, somme / diviseur, 0.0)
    return MoyenneDesMeilleuresAnnees(moyenne, comptees)
