"""Montant de la pension d'invalidité du régime général « calculée conformément
aux dispositions de la section 3 » (R341-4 à R341-6, L341-5, L341-6).

Fonctions partagées par les variables du montant (``pension_invalidite_avant_cumul``)
et du cumul (R341-17 additionne la pension des mois d'une période).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from openfisca_invalidite.commons import (
    au_centime,
    debut,
    deja_calcule,
    fin,
    fixe,
    nombre_de_mois_depuis,
    parametres_historiques,
    revalorisation_depuis,
    si,
    une_fois,
    valeur_gardee,
    valeurs_datees,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from openfisca_core.indexed_enums import EnumArray
    from openfisca_core.parameters import ParameterNodeAtInstant
    from openfisca_core.periods import Period
    from openfisca_core.populations import Population


def selon_categorie(categorie: EnumArray, non_classe: float, valeurs: tuple[float, float, float]) -> np.ndarray:
    """Valeur de la catégorie de chaque personne : ``non_classe`` sans catégorie,
    ``valeurs`` pour les catégories 1, 2 et 3 (une table lue au code de la
    catégorie)."""
    categories = categorie.possible_values
    table = np.empty(len(categories), dtype=np.float64)
    for cle, valeur in zip(
        (categories.non_classe, categories.categorie_1, categories.categorie_2, categories.categorie_3),
        (non_classe, *valeurs),
        strict=True,
    ):
        table[cle.index] = valeur
    return table[np.asarray(categorie)]


def par_categorie(categorie: EnumArray, bareme: ParameterNodeAtInstant) -> np.ndarray:
    """Valeur du paramètre de la catégorie de chaque personne (0 si non classée)."""
    return selon_categorie(categorie, 0.0, (bareme.categorie_1, bareme.categorie_2, bareme.categorie_3))


def pension_commencee(individu: Population, period: Period) -> np.ndarray:
    """Vrai pour les personnes dont la date d'effet de la pension
    (``date_liquidation_pension_invalidite``) est au plus tard le dernier jour
    de ``period``. Deux mois où autant de pensions ont commencé ont le même
    tableau (les dates sont fixes : l'ensemble ne fait que croître), ce qui
    permet aux calculs qui en dépendent d'être relus (:func:`une_fois`)."""
    date_liquidation = fixe(individu, "date_liquidation_pension_invalidite", period)

    def du_mois() -> np.ndarray:
        commencee = date_liquidation <= fin(period)
        return une_fois(
            individu, ("pension_commencee", int(np.count_nonzero(commencee))), lambda: commencee, date_liquidation
        )

    # Lu par plusieurs variables du même mois : comparé une fois par mois.
    return valeur_gardee(individu, ("pension_commencee", period), du_mois)


def salaire_annuel_moyen_des_pensions_commencees(
    individu: Population, commencee: np.ndarray, salaire_annuel_moyen_a_la_liquidation: np.ndarray
) -> np.ndarray:
    """Le SAM fixé à la liquidation pour les pensions ``commencee``, 0 pour les
    autres (la formule de ``salaire_annuel_moyen``). Le même tableau pour les
    mois où les mêmes pensions ont commencé ; le SAM à la liquidation dont il
    vient reste connu (:func:`_sam_a_la_liquidation`)."""
    sam = une_fois(
        individu,
        "salaire_annuel_moyen",
        lambda: si(commencee, salaire_annuel_moyen_a_la_liquidation, 0.0),
        commencee,
        salaire_annuel_moyen_a_la_liquidation,
    )
    une_fois(individu, "origine_du_sam", lambda: (commencee, salaire_annuel_moyen_a_la_liquidation), sam)
    return sam


def origine_du_sam(individu: Population, salaire_annuel_moyen: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Les pensions commencées et le SAM à la liquidation dont ``salaire_annuel_moyen``
    (la variable d'un mois) est tiré par :func:`salaire_annuel_moyen_des_pensions_commencees` ;
    ``None`` s'il ne l'est pas (SAM donné en entrée, réforme)."""
    return deja_calcule(individu, "origine_du_sam", salaire_annuel_moyen)


def _sam_a_la_liquidation(individu: Population, salaire_annuel_moyen: np.ndarray) -> np.ndarray:
    """Le SAM à la liquidation dont ``salaire_annuel_moyen`` (la variable d'un mois)
    est tiré, s'il l'est par :func:`salaire_annuel_moyen_des_pensions_commencees` ;
    sinon (SAM donné en entrée, réforme), ``salaire_annuel_moyen`` lui-même.

    Les deux ne diffèrent que pour les pensions pas encore commencées au mois
    du SAM, dont le montant de la section 3 n'est compté pour aucun mois
    jusqu'à celui-là : le montant calculé sur le SAM à la liquidation sert donc
    à tous ces mois, quel que soit le nombre de pensions commencées."""
    origine = origine_du_sam(individu, salaire_annuel_moyen)
    return salaire_annuel_moyen if origine is None else origine[1]


class ParametresDuMois(NamedTuple):
    """Ce qui, dans les paramètres d'un mois, fixe le montant de la section 3 :
    revalorisations des pensions entrées en vigueur au plus tard le 1er du mois
    (leur nombre), minimum (L341-5), parts du PMSS de chaque catégorie et PMSS
    (R341-5). Deux mois qui les partagent ont le même montant."""

    revalorisations: int
    minimum: float
    parts: tuple[float, float, float]
    plafond: float


def parametres_de_la_section_3(
    individu: Population, mois: Period, parameters: Callable[[Period], ParameterNodeAtInstant]
) -> ParametresDuMois:
    """Les :class:`ParametresDuMois` de ``mois``, lus une fois par simulation."""

    def lire() -> ParametresDuMois:
        coefficients = parametres_historiques(individu).pension_invalidite.revalorisation.coefficient_pensions
        p = parameters(mois)
        parts = p.pension_invalidite.montant.maximum_en_part_du_pmss
        return ParametresDuMois(
            int(np.searchsorted(valeurs_datees(coefficients)[0], debut(mois), side="right")),
            p.pension_invalidite.montant.minimum,
            (parts.categorie_1, parts.categorie_2, parts.categorie_3),
            p.references_sociales.plafond_mensuel_securite_sociale,
        )

    return valeur_gardee(individu, ("parametres_de_la_section_3", mois), lire)


def montants_de_la_section_3(
    individu: Population,
    period: Period,
    parameters: Callable[[Period], ParameterNodeAtInstant],
) -> Callable[[Period], np.ndarray]:
    """La fonction qui rend, pour un mois, le montant mensuel de la section 3 de
    ce mois pour les personnes dont la pension a commencé au plus tard ce mois,
    avec le SAM, le taux et la catégorie du mois ``period`` : taux × SAM / 12
    revalorisé par les coefficients des pensions datés après la liquidation et
    au plus tard le 1er du mois (L341-6), porté au minimum (L341-5) ou ramené au
    maximum de la catégorie (R341-5) du mois, arrondi au centime. Pour les
    autres personnes, la valeur n'a pas de sens : :func:`pensions_de_la_section_3`
    ne la compte pas.

    Le montant ne dépend du mois que par ses paramètres
    (:class:`ParametresDuMois`) : il est calculé une fois par jeu de paramètres
    et par SAM, taux et catégorie (:func:`une_fois`), puis relu pour les autres
    mois de ce jeu (tous les mois d'une année entre deux revalorisations, par
    exemple). Les variables sont lues une fois, pour tous les mois demandés.
    """
    salaire_du_mois = individu("salaire_annuel_moyen", period)
    # Les pensions commencées en un mois qui précède ``period`` l'étaient en ``period``.
    salaire_des_mois_passes = _sam_a_la_liquidation(individu, salaire_du_mois)
    taux = individu("taux_pension_invalidite", period)
    categorie = individu("categorie_invalidite", period)
    rang_liquidation = fixe(individu, "rang_revalorisation_pension_a_la_liquidation", period)
    date_liquidation = fixe(individu, "date_liquidation_pension_invalidite", period)
    revalorisation = parametres_historiques(individu).pension_invalidite.revalorisation

    def du_mois(mois: Period) -> np.ndarray:
        salaire_annuel_moyen = salaire_des_mois_passes if mois.start <= period.start else salaire_du_mois
        parametres = parametres_de_la_section_3(individu, mois, parameters)

        def calcul() -> np.ndarray:
            def initial() -> np.ndarray:
                # Le SAM est un montant au centime ; le relire en float64 évite qu'une
                # demi-centime bascule à cause du stockage float32 d'OpenFisca.
                sam = au_centime(salaire_annuel_moyen.astype(np.float64))
                return np.round(taux.astype(np.float64), 6) * sam / 12  # 0,3 et non 0,30000001

            # Taux × SAM / 12, et qui dépasse le seuil d'une revalorisation différenciée :
            # les mêmes pour tous les mois, gardés.
            montant = une_fois(individu, "montant_initial_section_3", initial, salaire_annuel_moyen, taux)
            revalorise = revalorisation_depuis(
                montant,
                date_liquidation,
                debut(mois),
                revalorisation.coefficient_pensions,
                seuil=revalorisation.seuil_revalorisation_differenciee,
                coefficient_au_dela=revalorisation.coefficient_au_dela_du_seuil,
                rang_depuis=rang_liquidation,
                garder=lambda cle, calcul: une_fois(individu, cle, calcul, montant, rang_liquidation),
            )
            maximum = selon_categorie(
                categorie, 0.0, tuple(au_centime(np.array(parametres.parts) * parametres.plafond))
            )
            return au_centime(np.clip(revalorise, parametres.minimum, maximum))

        return une_fois(
            individu, ("section_3", parametres), calcul, salaire_annuel_moyen, taux, categorie, rang_liquidation
        )

    return du_mois


def montant_de_la_section_3_du_mois(
    individu: Population,
    period: Period,
    mois: Period,
    parameters: Callable[[Period], ParameterNodeAtInstant],
) -> np.ndarray:
    """Montant mensuel de la section 3 du mois ``mois`` (voir :func:`montants_de_la_section_3`)."""
    return montants_de_la_section_3(individu, period, parameters)(mois)


def pensions_de_la_section_3(
    individu: Population,
    period: Period,
    mois: Sequence[Period],
    parameters: Callable[[Period], ParameterNodeAtInstant],
    qui: np.ndarray | None = None,
) -> np.ndarray:
    """Somme, sur les ``mois`` donnés, du montant mensuel de la pension « calculée
    conformément aux dispositions de la section 3 » (R341-4 à R341-6, L341-5,
    L341-6), avec la catégorie et le taux du mois ``period``
    (:func:`montant_de_la_section_3_du_mois`) ; 0 avant le mois de la date
    d'effet et sans catégorie.

    Sert au mois calculé et aux mois passés que le cumul de R341-17
    additionne ; ne lit aucune entrée mensuelle des mois passés. ``qui``
    (indices de personnes) limite la somme à ces personnes, dans cet ordre.
    ``parameters`` est celui de la formule appelante : les barèmes lus
    apparaissent dans /trace.
    """
    taux = individu("taux_pension_invalidite", period)
    classe = une_fois(individu, "taux_positif", lambda: taux > 0, taux)
    montants = montants_de_la_section_3(individu, period, parameters)
    if qui is None and len(mois) == 1:  # un seul mois pour tous : le montant là où la pension est due
        (m,) = mois
        commencee = pension_commencee(individu, m)
        due = une_fois(individu, "pension_due", lambda: commencee & classe, commencee, classe)
        return si(due, montants(m), 0.0)
    date_liquidation = individu("date_liquidation_pension_invalidite", period)
    if qui is not None:
        date_liquidation, classe = date_liquidation[qui], classe[qui]
    # Les mois de mêmes paramètres ont le même montant (le même tableau) : il est compté
    # une fois, multiplié par le nombre de ces mois où la pension a commencé.
    fins_par_montant: dict[int, tuple[np.ndarray, list[np.datetime64]]] = {}
    for m in mois:
        montant = montants(m)
        fins_par_montant.setdefault(id(montant), (montant, []))[1].append(fin(m))
    total = np.zeros(date_liquidation.shape, dtype=np.float64)
    for montant, fins in fins_par_montant.values():
        mois_dus = nombre_de_mois_depuis(date_liquidation, fins)
        total += np.where(classe, (montant if qui is None else montant[qui]) * mois_dus, 0.0)
    return total


def pension_de_la_section_3(
    individu: Population, period: Period, mois: Period, parameters: Callable[[Period], ParameterNodeAtInstant]
) -> np.ndarray:
    """Montant de la section 3 du seul mois ``mois`` (voir ``pensions_de_la_section_3``)."""
    return pensions_de_la_section_3(individu, period, [mois], parameters)
