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
    au_centime,
    au_mois,
    debut,
    fin,
    fixe,
    indice_mois,
    nombre_de_mois_depuis,
    parametres_historiques,
    revalorisation_depuis,
    une_fois,
    valeur_a_dates,
    valeur_gardee,
    valeurs_datees,
)
from openfisca_invalidite.pension import selon_categorie
from openfisca_invalidite.regimes import RegimeInvalidite, valeur_en_vigueur

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


class BaremeDuMois(NamedTuple):
    """Taux, minimum et maximum mensuels d'un mois pour chaque catégorie (non
    classé, 1re, 2e, 3e) : quelques nombres, qui servent aussi de clé aux
    montants gardés pour les mois qui ont le même barème."""

    taux: tuple[float, float, float, float]
    minimum: tuple[float, float, float, float]
    maximum: tuple[float, float, float, float]

    def pour(self, categorie: EnumArray) -> Bareme:
        """Le barème de la catégorie de chaque personne."""
        return Bareme(*(selon_categorie(categorie, valeurs[0], valeurs[1:]) for valeurs in self))


def partielle_ou_totale(categorie: EnumArray, partielle: float, totale: float) -> np.ndarray:
    """``partielle`` en 1re catégorie (PIPM, inaptitude partielle), ``totale`` en
    2e et 3e (PITD, inaptitude totale), 0 sans catégorie."""
    return selon_categorie(categorie, 0.0, (partielle, totale, totale))


def _par_categorie(partielle: float, totale: float) -> tuple[float, float, float, float]:
    """(non classé, 1re, 2e, 3e) : ``partielle`` en 1re catégorie, ``totale`` en 2e et 3e."""
    return (0.0, float(partielle), float(totale), float(totale))


def _arrondi(valeurs: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(float(v) for v in au_centime(np.array(valeurs)))


def bareme_ssi_du_mois(mois: Period, parameters: Parametres) -> BaremeDuMois:
    """Règlement du régime invalidité-décès des travailleurs indépendants : PIPM
    30 % (art. 9), PITD 50 % (art. 13) du revenu annuel moyen ; minimum mensuel
    propre à la SSI (art. 9 a et 13 a) ; maximum 30 % / 50 % du PASS (art. 9 b
    et 13 b), mensualisé."""
    p = parameters(mois)
    ssi = p.pension_invalidite.ssi
    plafond_mensuel = p.references_sociales.plafond_annuel_securite_sociale / 12
    parts = _par_categorie(ssi.maximum_en_part_du_pass.pipm, ssi.maximum_en_part_du_pass.pitd)
    return BaremeDuMois(
        _par_categorie(ssi.taux.pipm, ssi.taux.pitd),
        _par_categorie(ssi.minimum.pipm, ssi.minimum.pitd),
        _arrondi(tuple(np.array(parts) * plafond_mensuel)),
    )


def bareme_ssi(categorie: EnumArray, mois: Period, parameters: Parametres) -> Bareme:
    """Le barème SSI du mois (:func:`bareme_ssi_du_mois`) de la catégorie de chaque personne."""
    return bareme_ssi_du_mois(mois, parameters).pour(categorie)


def membres_du_regime(individu: Population, period: Period, regime: RegimeInvalidite) -> tuple[np.ndarray, np.ndarray]:
    """Indices des personnes du régime, et pour chaque personne son rang parmi
    elles (−1 hors du régime) : fixés une fois par simulation."""
    regimes = fixe(individu, "regime_invalidite", period)
    membres = une_fois(
        individu, ("membres_du_regime", regime.index), lambda: np.flatnonzero(regimes == regime.index), regimes
    )

    def rangs() -> np.ndarray:
        rang = np.full(individu.count, -1, dtype=np.int64)
        rang[membres] = np.arange(membres.size)
        return rang

    return membres, une_fois(individu, ("rangs_dans_le_regime", regime.index), rangs, membres)


def _sommer_sur_les_mois(
    individu: Population,
    period: Period,
    regime: RegimeInvalidite,
    mois: Sequence[Period],
    qui: np.ndarray | None,
    *,
    montants_du_mois: Callable[[Period, np.ndarray], tuple[np.ndarray, np.ndarray]],
    cle_du_mois: Callable[[Period], tuple],
    entrees: tuple[np.ndarray, ...],
) -> np.ndarray:
    """Somme sur ``mois`` du montant du régime versé chaque mois aux personnes
    ``qui`` (indices ; toutes si ``None``), à partir de la date d'effet.

    ``montants_du_mois(m, lignes)`` rend, pour les personnes ``lignes``, le
    montant du mois ``m`` et s'il est versé (classé, au-dessus de 0) ; il ne
    dépend du mois que par ``cle_du_mois(m)`` (barème et revalorisations du
    mois) et des ``entrees`` : calculé une fois par clé pour toutes les
    personnes du régime, puis relu pour les mois qui ont la même clé.
    """
    effet = fixe(individu, "date_liquidation_pension_invalidite", period)
    membres, rangs = membres_du_regime(individu, period, regime)
    lignes = None if qui is None else rangs[qui]
    if qui is None or (lignes < 0).any():  # des personnes hors du régime : calcul direct, sans garde
        lignes_personnes = np.arange(individu.count) if qui is None else qui
        total = np.zeros(lignes_personnes.size, dtype=np.float64)
        for m in mois:
            montant, verse = montants_du_mois(m, lignes_personnes)
            total += np.where((effet[lignes_personnes] <= fin(m)) & verse, montant, 0.0)
        return total
    effet = effet[qui]
    # Les mois de même clé ont les mêmes montants (le même tableau) : comptés une fois,
    # multipliés par le nombre de ces mois à partir de la date d'effet.
    fins_par_montants: dict[int, tuple[tuple[np.ndarray, np.ndarray], list[np.datetime64]]] = {}
    for m in mois:
        montants = une_fois(
            individu, (regime.name, *cle_du_mois(m)), lambda m=m: montants_du_mois(m, membres), *entrees, membres
        )
        fins_par_montants.setdefault(id(montants), (montants, []))[1].append(fin(m))
    total = np.zeros(qui.size, dtype=np.float64)
    for (montant, verse), fins in fins_par_montants.values():
        total += np.where(verse[lignes], montant[lignes] * nombre_de_mois_depuis(effet, fins), 0.0)
    return total


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
    categorie = individu("categorie_invalidite", period)
    revenu_annuel_moyen = individu("revenu_annuel_moyen_ssi", period)
    effet = individu("date_liquidation_pension_invalidite", period)
    coefficients = parametres_historiques(individu).pension_invalidite.ssi.revalorisation.coefficient
    dates_coefficients = valeurs_datees(coefficients)[0]

    def montants_du_mois(m: Period, lignes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        bareme = bareme_ssi(categorie[lignes], m, parameters)
        revenu = au_centime(revenu_annuel_moyen[lignes].astype(np.float64))
        revalorise = revalorisation_depuis(
            np.round(bareme.taux, 6) * revenu / 12, effet[lignes], debut(m), coefficients
        )
        return au_centime(np.clip(revalorise, bareme.minimum, bareme.maximum)), bareme.taux > 0

    def cle_du_mois(m: Period) -> tuple:
        def lire() -> tuple:
            revalorisations = int(np.searchsorted(dates_coefficients, debut(m), side="right"))
            return (bareme_ssi_du_mois(m, parameters), revalorisations)

        return valeur_gardee(individu, ("pension_ssi", m), lire)

    return _sommer_sur_les_mois(
        individu,
        period,
        RegimeInvalidite.ssi,
        mois,
        qui,
        montants_du_mois=montants_du_mois,
        cle_du_mois=cle_du_mois,
        entrees=(categorie, revenu_annuel_moyen, effet),
    )


def pension_ssi_du_mois(
    individu: Population, period: Period, mois: Period, parameters: Parametres, qui: np.ndarray | None = None
) -> np.ndarray:
    """Pension SSI du seul mois ``mois`` (voir :func:`pensions_ssi`)."""
    return pensions_ssi(individu, period, [mois], parameters, qui)


def bareme_msa_non_salarie_du_mois(individu: Population, mois: Period, parameters: Parametres) -> BaremeDuMois:
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
        forfait = _arrondi(_par_categorie(max(fraction * forfait_total / 12, avts), forfait_total / 12))
        return BaremeDuMois((0.0, 0.0, 0.0, 0.0), forfait, forfait)
    p = parameters(mois)
    msa_mois = p.pension_invalidite.msa_non_salaries
    minimum = np.array(_par_categorie(msa_mois.minimum.partielle, msa_mois.minimum.totale)) / 12
    parts = _par_categorie(msa_mois.maximum_en_part_du_pass.partielle, msa_mois.maximum_en_part_du_pass.totale)
    maximum = np.array(parts) * p.references_sociales.plafond_annuel_securite_sociale / 12
    return BaremeDuMois(
        _par_categorie(msa_mois.taux.partielle, msa_mois.taux.totale),
        _arrondi(tuple(minimum)),
        _arrondi(tuple(maximum)),
    )


def bareme_msa_non_salarie(individu: Population, categorie: EnumArray, mois: Period, parameters: Parametres) -> Bareme:
    """Le barème des non-salariés agricoles du mois (:func:`bareme_msa_non_salarie_du_mois`)
    de la catégorie de chaque personne."""
    return bareme_msa_non_salarie_du_mois(individu, mois, parameters).pour(categorie)


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
    categorie = individu("categorie_invalidite", period)
    effet = individu("date_liquidation_pension_invalidite", period)
    statut = individu("statut_non_salarie_agricole", period)
    revenu_professionnel = individu("revenu_professionnel_moyen_agricole", period)
    naissance = individu("date_naissance", period)
    historique = parametres_historiques(individu)
    msa = historique.pension_invalidite.msa_non_salaries
    coefficients = historique.pension_invalidite.revalorisation.coefficient_pensions
    dates_coefficients = valeurs_datees(coefficients)[0]

    def montants_du_mois(m: Period, lignes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        bareme = bareme_msa_non_salarie(individu, categorie[lignes], m, parameters)
        verse = bareme.minimum > 0
        if not bareme.taux.any():  # mois du régime forfaitaire : tout le monde au forfait
            return bareme.minimum, verse
        effet_lignes = effet[lignes]
        statut_lignes = statut[lignes]
        statuts = statut_lignes.possible_values
        au_minimum = ~np.isnan(valeur_a_dates(msa.forfait.totale, effet_lignes)) | (
            statut_lignes == statuts.collaborateur
        )
        membre_de_la_famille = (statut_lignes == statuts.aide_familial) | (
            statut_lignes == statuts.associe_exploitation
        )
        # Un montant au centime : relu en float64 au centime (stocké en float32 par OpenFisca, 16 000,59 y vaut
        # 16 000,5898), pour qu'une demi-centime ne bascule pas du mauvais côté de l'arrondi.
        revenu = au_centime(revenu_professionnel[lignes].astype(np.float64))
        naissance_lignes = naissance[lignes]
        age = age_a_la_date(
            naissance_lignes, np.where(annee(effet_lignes) < ANNEE_SANS_ARRET, effet_lignes, naissance_lignes)
        )
        revalorise = revalorisation_depuis(np.round(bareme.taux, 6) * revenu / 12, effet_lignes, debut(m), coefficients)
        montant_chef = np.clip(revalorise, bareme.minimum, bareme.maximum)
        fraction = parameters(m).pension_invalidite.msa_non_salaries.aide_familial.fraction.calc(age)
        montant = np.select(
            [au_minimum, membre_de_la_famille],  # décret 2020-602 et R732-4 II ; R732-4 III
            [bareme.minimum, np.maximum(fraction * montant_chef, bareme.minimum)],
            montant_chef,  # R732-4 I
        )
        return au_centime(montant), verse

    def cle_du_mois(m: Period) -> tuple:
        def lire() -> tuple:
            bareme = bareme_msa_non_salarie_du_mois(individu, m, parameters)
            if not any(bareme.taux):
                return (bareme,)
            fraction = parameters(m).pension_invalidite.msa_non_salaries.aide_familial.fraction
            revalorisations = int(np.searchsorted(dates_coefficients, debut(m), side="right"))
            return (bareme, tuple(fraction.thresholds), tuple(fraction.amounts), revalorisations)

        return valeur_gardee(individu, ("pension_msa_non_salarie", m), lire)

    return _sommer_sur_les_mois(
        individu,
        period,
        RegimeInvalidite.msa_non_salarie,
        mois,
        qui,
        montants_du_mois=montants_du_mois,
        cle_du_mois=cle_du_mois,
        entrees=(categorie, effet, statut, revenu_professionnel, naissance),
    )


def pension_msa_non_salarie_du_mois(
    individu: Population, period: Period, mois: Period, parameters: Parametres, qui: np.ndarray | None = None
) -> np.ndarray:
    """Pension des non-salariés agricoles du seul mois ``mois`` (voir :func:`pensions_msa_non_salarie`)."""
    return pensions_msa_non_salarie(individu, period, [mois], parameters, qui)


def _lecteur(individu: Population, period: Period, qui: np.ndarray | None) -> Callable[[str], np.ndarray]:
    """Lit une variable à ``period``, pour les seules personnes ``qui`` (indices) si donné."""

    def lire(variable: str) -> np.ndarray:
        valeurs = individu(variable, period)
        return valeurs if qui is None else valeurs[qui]

    return lire


def revenus_des_mois_depuis_l_effet(
    individu: Population, period: Period, variable: str, mois: Sequence[Period], qui: np.ndarray | None = None
) -> np.ndarray:
    """Somme d'un montant mensuel au centime sur ``mois``, sans les mois antérieurs à
    celui de la date d'effet de la pension : les revenus d'avant l'invalidité
    ne se cumulent pas avec elle. ``qui`` (indices) limite le calcul à ces
    personnes, dans cet ordre. En float64, relue au centime (chaque mois stocké
    en float32 n'est exact qu'à 1e-4 € près)."""
    lire = _lecteur(individu, period, qui)
    effet = indice_mois(lire("date_liquidation_pension_invalidite"))
    total = np.zeros(effet.shape, dtype=np.float64)
    for m in mois:
        rang = m.start.year * 12 + m.start.month - 1
        valeurs = au_mois(individu, variable, m)
        total += np.where(effet <= rang, valeurs if qui is None else valeurs[qui], 0.0)
    return au_centime(total)


def revenu_annuel_depuis_l_effet(
    individu: Population,
    period: Period,
    variable: str,
    annee_des_revenus: Period,
    qui: np.ndarray | None = None,
) -> np.ndarray:
    """Revenu annuel d'une année qui n'est pas antérieure à celle de la date
    d'effet de la pension (0 sinon). ``qui`` (indices) limite le calcul à ces
    personnes, dans cet ordre."""
    lire = _lecteur(individu, period, qui)
    effet = annee(lire("date_liquidation_pension_invalidite"))
    revenus = individu(variable, annee_des_revenus)
    # Un montant au centime, relu au centime depuis son stockage float32.
    return np.where(effet <= annee_des_revenus.start.year, au_centime(revenus if qui is None else revenus[qui]), 0.0)
