"""Barème et montant mensuel de la pension d'invalidité des travailleurs
indépendants (SSI) et des non-salariés agricoles, pour un mois donné.

La chaîne est celle du régime général : taux de la catégorie × revenu de
référence / 12, revalorisé de la date d'effet au mois, porté au minimum ou
ramené au maximum du mois, arrondi au centime. Ce qui change d'un régime à
l'autre : le revenu de référence (revenu annuel moyen des 10 meilleures années
pour la SSI, revenu professionnel moyen des 3 meilleures des 7 dernières
années pour les non-salariés agricoles), les coefficients de revalorisation,
les minima et maxima, et, pour les non-salariés agricoles, les forfaits des
pensions liquidées avant 2020 et la qualité de l'assuré.

Les fonctions prennent le mois ``mois`` à part de la période ``period`` de la
variable qui les appelle : le cumul additionne la pension de mois passés.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from openfisca_invalidite.commons import (
    ANNEE_SANS_ARRET,
    annee,
    debut,
    fin,
    indice_mois,
    parametres_historiques,
    revalorisation_depuis,
    valeur_a_dates,
)
from openfisca_invalidite.regimes import date_d_effet, valeur_en_vigueur

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from openfisca_core.indexed_enums import EnumArray
    from openfisca_core.parameters import ParameterNodeAtInstant
    from openfisca_core.periods import Period
    from openfisca_core.populations import Population

    #: ``parameters`` d'une formule : les barèmes lus apparaissent dans /trace.
    Parametres = Callable[[Period], ParameterNodeAtInstant]


class Bareme(NamedTuple):
    """Taux (part du revenu de référence), minimum et maximum mensuels d'un mois."""

    taux: np.ndarray
    minimum: np.ndarray
    maximum: np.ndarray


def partielle_ou_totale(categorie: EnumArray, partielle: float, totale: float) -> np.ndarray:
    """``partielle`` en 1re catégorie (PIPM, inaptitude partielle), ``totale`` en
    2e et 3e (PITD, inaptitude totale), 0 sans catégorie."""
    categories = categorie.possible_values
    return np.select(
        [
            categorie == categories.categorie_1,
            (categorie == categories.categorie_2) | (categorie == categories.categorie_3),
        ],
        [partielle, totale],
        0.0,
    )


def bareme_ssi(categorie: EnumArray, mois: Period, parameters: Parametres) -> Bareme:
    """Règlement du régime invalidité-décès des travailleurs indépendants : PIPM
    30 % (art. 9), PITD 50 % (art. 13) du revenu annuel moyen ; minimum mensuel
    propre à la SSI (art. 9 a et 13 a) ; maximum 30 % / 50 % du PASS (art. 9 b
    et 13 b), mensualisé."""
    p = parameters(mois)
    ssi = p.pension_invalidite.ssi
    taux = partielle_ou_totale(categorie, ssi.taux.pipm, ssi.taux.pitd)
    minimum = partielle_ou_totale(categorie, ssi.minimum.pipm, ssi.minimum.pitd)
    parts = partielle_ou_totale(categorie, ssi.maximum_en_part_du_pass.pipm, ssi.maximum_en_part_du_pass.pitd)
    plafond_mensuel = p.references_sociales.plafond_annuel_securite_sociale / 12
    return Bareme(taux, minimum, np.round(parts * plafond_mensuel, 2))


def _lecteur(individu: Population, period: Period, qui: np.ndarray | None) -> Callable[[str], np.ndarray]:
    """Lit une variable à ``period``, pour les seules personnes ``qui`` (indices) si donné."""

    def lire(variable: str) -> np.ndarray:
        valeurs = individu(variable, period)
        return valeurs if qui is None else valeurs[qui]

    return lire


def pensions_ssi(
    individu: Population,
    period: Period,
    mois: Sequence[Period],
    parameters: Parametres,
    qui: np.ndarray | None = None,
) -> np.ndarray:
    """Somme sur ``mois`` de la pension SSI du mois (catégorie de ``period``) :
    taux × revenu annuel moyen / 12, revalorisé (art. 27) de la date d'effet
    au 1er du mois, entre le minimum et le maximum du mois ; 0 avant la date
    d'effet. ``qui`` (indices) limite le calcul à ces personnes, dans cet ordre."""
    lire = _lecteur(individu, period, qui)
    categorie = lire("categorie_invalidite")
    revenu = np.round(lire("revenu_annuel_moyen_ssi").astype(np.float64), 2)
    effet = lire("date_liquidation_pension_invalidite")
    coefficients = parametres_historiques(individu).pension_invalidite.ssi.revalorisation.coefficient
    total = np.zeros(revenu.shape, dtype=np.float64)
    for m in mois:
        bareme = bareme_ssi(categorie, m, parameters)
        revalorise = revalorisation_depuis(np.round(bareme.taux, 6) * revenu / 12, effet, debut(m), coefficients)
        montant = np.round(np.clip(revalorise, bareme.minimum, bareme.maximum), 2)
        total += np.where((effet <= fin(m)) & (bareme.taux > 0), montant, 0.0)
    return total


def pension_ssi_du_mois(
    individu: Population, period: Period, mois: Period, parameters: Parametres, qui: np.ndarray | None = None
) -> np.ndarray:
    """Pension SSI du seul mois ``mois`` (voir :func:`pensions_ssi`)."""
    return pensions_ssi(individu, period, [mois], parameters, qui)


def bareme_msa_non_salarie(individu: Population, categorie: EnumArray, mois: Period, parameters: Parametres) -> Bareme:
    """Code rural, mois ``mois`` : avant le 1er janvier 2020, le forfait annuel
    (R732-4 ancien : totale, et partielle = 3/5 de la totale sans descendre
    sous l'AVTS, soit le minimum de L341-5) est à la fois le minimum et le
    maximum, le taux est nul ; depuis, taux 30 % / 50 % du revenu professionnel
    moyen, minimum annuel (R732-4-2, R732-4-3) et maximum 15 % / 25 % du PASS,
    mensualisés."""
    historique = parametres_historiques(individu)
    msa = historique.pension_invalidite.msa_non_salaries
    instant = np.datetime64(str(mois.start), "D")
    forfait_total = valeur_en_vigueur(msa.forfait.totale, instant, np.nan)
    if not np.isnan(forfait_total):
        fraction = valeur_en_vigueur(msa.forfait.fraction_partielle, instant)
        avts = valeur_en_vigueur(historique.pension_invalidite.montant.minimum, instant)
        forfait = partielle_ou_totale(categorie, max(fraction * forfait_total / 12, avts), forfait_total / 12)
        forfait = np.round(forfait, 2)
        return Bareme(np.zeros(forfait.shape), forfait, forfait)
    p = parameters(mois)
    msa_mois = p.pension_invalidite.msa_non_salaries
    taux = partielle_ou_totale(categorie, msa_mois.taux.partielle, msa_mois.taux.totale)
    minimum = partielle_ou_totale(categorie, msa_mois.minimum.partielle, msa_mois.minimum.totale) / 12
    parts = partielle_ou_totale(
        categorie, msa_mois.maximum_en_part_du_pass.partielle, msa_mois.maximum_en_part_du_pass.totale
    )
    maximum = parts * p.references_sociales.plafond_annuel_securite_sociale / 12
    return Bareme(taux, np.round(minimum, 2), np.round(maximum, 2))


def age_a_la_date(naissance: np.ndarray, date: np.ndarray) -> np.ndarray:
    """Âge en années révolues à une date propre à chaque personne."""
    mois = indice_mois(date) - indice_mois(naissance)
    jour = (date.astype("datetime64[D]") - date.astype("datetime64[M]")).astype(int)
    jour_naissance = (naissance.astype("datetime64[D]") - naissance.astype("datetime64[M]")).astype(int)
    return (mois - (jour < jour_naissance)) // 12


def pensions_msa_non_salarie(
    individu: Population,
    period: Period,
    mois: Sequence[Period],
    parameters: Parametres,
    qui: np.ndarray | None = None,
) -> np.ndarray:
    """Somme sur ``mois`` de la pension des non-salariés agricoles du mois
    (catégorie et qualité de ``period``), selon la date d'effet :

    - liquidée avant le 1er janvier 2020 (R732-4 ancien) : le forfait du mois
      jusqu'en décembre 2019, puis le minimum du mois (décret 2020-602 : les
      nouveaux minima « s'appliqueront notamment aux titulaires d'une pension
      d'invalidité liquidée avant le 1er janvier 2020 ») ;
    - liquidée depuis (R732-4, R732-4-1 à R732-4-3) : chef d'exploitation ou
      membre non salarié de société (I), taux × revenu professionnel moyen / 12
      revalorisé (L341-6), entre le minimum et le maximum du mois ;
      collaborateur (II), le minimum ; aide familial et associé d'exploitation
      (III), 2/3 (1/3 pour un aide familial de moins de 18 ans à la date
      d'effet) du montant d'un chef, jamais sous le minimum.

    ``qui`` (indices) limite le calcul à ces personnes, dans cet ordre.
    """
    lire = _lecteur(individu, period, qui)
    categorie = lire("categorie_invalidite")
    effet = lire("date_liquidation_pension_invalidite")
    historique = parametres_historiques(individu)
    msa = historique.pension_invalidite.msa_non_salaries
    statut = lire("statut_non_salarie_agricole")
    statuts = statut.possible_values
    au_minimum = ~np.isnan(valeur_a_dates(msa.forfait.totale, effet)) | (statut == statuts.collaborateur)
    membre_de_la_famille = (statut == statuts.aide_familial) | (statut == statuts.associe_exploitation)
    # Un montant au centime : relu en float64 au centime (stocké en float32 par OpenFisca, 16 000,59 y vaut
    # 16 000,5898), pour qu'une demi-centime ne bascule pas du mauvais côté de l'arrondi.
    revenu = np.round(lire("revenu_professionnel_moyen_agricole").astype(np.float64), 2)
    naissance = lire("date_naissance")
    age = age_a_la_date(naissance, np.where(annee(effet) < ANNEE_SANS_ARRET, effet, naissance))
    total = np.zeros(revenu.shape, dtype=np.float64)
    for m in mois:
        bareme = bareme_msa_non_salarie(individu, categorie, m, parameters)
        commencee = (effet <= fin(m)) & (bareme.minimum > 0)
        if not bareme.taux.any():  # mois du régime forfaitaire : tout le monde au forfait
            total += np.where(commencee, bareme.minimum, 0.0)
            continue
        revalorise = revalorisation_depuis(
            np.round(bareme.taux, 6) * revenu / 12,
            effet,
            debut(m),
            historique.pension_invalidite.revalorisation.coefficient_pensions,
        )
        montant_chef = np.clip(revalorise, bareme.minimum, bareme.maximum)
        fraction = parameters(m).pension_invalidite.msa_non_salaries.aide_familial.fraction.calc(age)
        montant = np.select(
            [au_minimum, membre_de_la_famille],  # décret 2020-602 et R732-4 II ; R732-4 III
            [bareme.minimum, np.maximum(fraction * montant_chef, bareme.minimum)],
            montant_chef,  # R732-4 I
        )
        total += np.where(commencee, np.round(montant, 2), 0.0)
    return total


def pension_msa_non_salarie_du_mois(
    individu: Population, period: Period, mois: Period, parameters: Parametres, qui: np.ndarray | None = None
) -> np.ndarray:
    """Pension des non-salariés agricoles du seul mois ``mois`` (voir :func:`pensions_msa_non_salarie`)."""
    return pensions_msa_non_salarie(individu, period, [mois], parameters, qui)


def revenus_des_mois_depuis_l_effet(
    individu: Population, period: Period, variable: str, mois: Sequence[Period]
) -> np.ndarray:
    """Somme d'une variable mensuelle sur ``mois``, sans les mois antérieurs à
    celui de la date d'effet de la pension : les revenus d'avant l'invalidité
    ne se cumulent pas avec elle."""
    effet = indice_mois(date_d_effet(individu, period))
    total = np.zeros(individu.count, dtype=np.float64)
    for m in mois:
        rang = m.start.year * 12 + m.start.month - 1
        total += np.where(effet <= rang, individu(variable, m), 0.0)
    return total


def revenu_annuel_depuis_l_effet(
    individu: Population, period: Period, variable: str, annee_des_revenus: Period
) -> np.ndarray:
    """Revenu annuel d'une année qui n'est pas antérieure à celle de la date
    d'effet de la pension (0 sinon)."""
    effet = annee(date_d_effet(individu, period))
    return np.where(effet <= annee_des_revenus.start.year, individu(variable, annee_des_revenus), 0.0)
