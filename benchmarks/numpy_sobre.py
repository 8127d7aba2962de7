"""Référence numpy sobre : la chaîne du modèle pour un mois, sans OpenFisca.

Les mêmes règles que les formules de ``variables/`` (pension d'invalidité du
régime général, des salariés agricoles, des travailleurs indépendants et des
non-salariés agricoles, MTP, ASI, AAH, CSG, CRDS, CASA, pension nette, revenu
disponible), lues dans
les mêmes paramètres datés (``tbs.parameters``), appliquées à une population
au schéma de ``openfisca_invalidite.population`` telle que le moteur de
population la donne au modèle : les entrées mensuelles valent la même chose
sur les ``MOIS_HISTORIQUE`` mois qui précèdent le mois calculé, et leur valeur
par défaut avant.

Sobre : aucun travail évitable.

- Ce qui ne dépend pas du mois est calculé une fois : conditions appréciées à
  l'arrêt, date de liquidation, SAM, termes du seuil de cumul, rang de la
  liquidation dans le calendrier des revalorisations, âges de fin par
  génération (un calcul par barème distinct, non par mois) ; un paramètre
  daté se lit à la date de chaque personne par une seule recherche dans
  l'union des dates d'effet.
- La pension des mois passés n'est calculée que pour qui en a besoin :
  les allocataires possibles de l'AAH, sur les 3 mois précédents s'ils ont des
  revenus d'activité (régime trimestriel), sur les 12 mois de N-2 sinon
  (sans revenus, pas de réduction pour cumul) ; la pension de la section 3
  des 12 mois de la période de référence du cumul, pour les seuls pensionnés
  qui travaillent.
- Le SAM est construit par sous-blocs de personnes, les années de carrière le
  long de l'axe rapide (mémoire bornée).
- Catégories, rôles et zones en codes entiers ; familles par ``bincount`` ;
  aucun objet Python par personne ; float64 partout (les montants au centime
  sont exacts, sans le stockage float32 d'OpenFisca).

Chaque étape est une fonction nommée comme la variable du modèle qu'elle
reproduit. Domaine : un mois ``AAAA-MM`` à partir d'octobre 2023 (ASI
différentielle, AAH déconjugalisée, taux de CSG sur N-2 et N-3) ; un mois
antérieur est refusé.

``reference(population, "2025-06", tbs)`` rend un dictionnaire
{variable: tableau} ; ``simuler_reference`` le même tableau de résultats que
``population.simuler``. Voir docs/benchmark.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from openfisca_invalidite.population.moteur import MOIS_HISTORIQUE, assembler
from openfisca_invalidite.population.schema import (
    CATEGORIES,
    REGIMES,
    ROLES,
    STATUTS_NON_SALARIE_AGRICOLE,
    ZONES,
    colonnes_non_salariees,
    colonnes_rfr,
    colonnes_salaire,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from openfisca_core.parameters import Parameter, ParameterNode

#: Premier mois couvert : ASI différentielle (1/4/2020), AAH déconjugalisée (1/10/2023),
#: taux de CSG sur les revenus fiscaux de N-2 et N-3 (2019).
MOIS_MINIMUM = "2023-10"
JOUR = "datetime64[D]"
#: Valeur par défaut de ``date_debut_invalidite`` (pas d'invalidité).
SANS_ARRET = np.datetime64("9999-12-31", "D")
#: Personnes par sous-bloc du SAM (matrice sous-bloc × années : ~ 15 Mo en float64).
SOUS_BLOC = 1 << 15
#: Rôles de la famille (codes : rang dans ``ROLES``) ; parents : demandeur et conjoint.
DEMANDEUR, CONJOINT, ENFANT = (ROLES.index(r) for r in ("demandeur", "conjoint", "enfant"))
#: Zones de résidence (codes : rang dans ``ZONES``).
METROPOLE, MARTINIQUE_GUADELOUPE_REUNION, GUYANE, MAYOTTE = (
    ZONES.index(z) for z in ("metropole", "martinique_guadeloupe_reunion", "guyane", "mayotte")
)
#: Régimes (codes : rang dans ``REGIMES``). Les salariés agricoles suivent les règles du
#: régime général (code rural L742-3, R742-2) : un seul groupe.
REGIME_GENERAL, MSA_SALARIE, SSI, MSA_NON_SALARIE = (
    REGIMES.index(r) for r in ("regime_general", "msa_salarie", "ssi", "msa_non_salarie")
)
GROUPES_DE_REGIMES = {
    "regime_general": (REGIME_GENERAL, MSA_SALARIE),
    "ssi": (SSI,),
    "msa_non_salarie": (MSA_NON_SALARIE,),
}
#: Qualités des non-salariés agricoles (codes : rang dans ``STATUTS_NON_SALARIE_AGRICOLE``).
CHEF_EXPLOITATION, COLLABORATEUR, AIDE_FAMILIAL, ASSOCIE_EXPLOITATION = (
    STATUTS_NON_SALARIE_AGRICOLE.index(s)
    for s in ("chef_exploitation", "collaborateur", "aide_familial", "associe_exploitation")
)
#: Tranches de CSG (codes : ordre de ``TauxCsgRemplacement`` du modèle).
NON_RENSEIGNE, EXONERE, TAUX_REDUIT, TAUX_INTERMEDIAIRE, TAUX_PLEIN = range(5)
#: Première date de la règle annuelle du cumul (R341-17 II, formule du modèle datée du 1/4/2022).
DEBUT_CUMUL_ANNUEL = "2022-04"
#: Un couple : deux parents dans la famille.
PARENTS_D_UN_COUPLE = 2
#: Quart de part : la plus petite fraction de part de quotient familial.
QUART_DE_PART = 0.25
MOTIF_MOIS = re.compile(r"^\d{4}-\d{2}$")


class HorsDomaine(ValueError):
    """Mois ou population hors du domaine de la référence."""


# --------------------------------------------------------------------------- outils
def rang_du_mois(mois: str) -> int:
    """Rang d'un mois ``AAAA-MM`` (année × 12 + mois − 1), comme ``commons.indice_mois``."""
    return int(mois[:4]) * 12 + int(mois[5:7]) - 1


def mois_du_rang(rang: int) -> str:
    return f"{rang // 12:04d}-{rang % 12 + 1:02d}"


def premier_jour(rang: int) -> np.datetime64:
    return np.datetime64(f"{mois_du_rang(rang)}-01", "D")


def dernier_jour(rang: int) -> np.datetime64:
    return premier_jour(rang + 1) - np.timedelta64(1, "D")


def premiers_janvier(annee: np.ndarray) -> np.ndarray:
    return (np.asarray(annee, dtype=np.int64) - 1970).astype("datetime64[Y]").astype(JOUR)


def serie(parametre: Parameter) -> tuple[np.ndarray, np.ndarray]:
    """Dates d'effet et valeurs d'un paramètre daté, triées ; ``null`` → nan."""
    paires = sorted(
        (np.datetime64(v.instant_str, "D"), np.nan if v.value is None else float(v.value))
        for v in parametre.values_list
    )
    return np.array([d for d, _ in paires], dtype=JOUR), np.array([v for _, v in paires], dtype=np.float64)


def valeur_aux_dates(parametre: Parameter, dates: np.ndarray) -> np.ndarray:
    """Valeur en vigueur à la date propre à chaque personne (la première avant la série)."""
    dates_effet, valeurs = serie(parametre)
    rang = np.searchsorted(dates_effet, np.asarray(dates).astype(JOUR), side="right") - 1
    return valeurs[np.clip(rang, 0, len(valeurs) - 1)]


def produit_des_coefficients(parametre: Parameter) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dates d'effet, coefficients (``null`` → 1) et leur produit cumulé précédé de 1."""
    dates, coefficients = serie(parametre)
    coefficients = np.nan_to_num(coefficients, nan=1.0)
    return dates, coefficients, np.concatenate(([1.0], np.cumprod(coefficients)))


#: Un montant à moins d'un millionième de centime d'une demi-centime en est une
#: (l'erreur d'un calcul en float64, quel que soit l'ordre des opérations).
TOLERANCE_EN_CENTIMES = 1e-6


def au_centime(montant: np.ndarray) -> np.ndarray:
    """Au centime d'euro le plus proche, la demi-centime comptée pour un centime
    (vers le haut) : la règle retenue par le modèle
    (openfisca_invalidite.commons.au_centime, qui en donne les sources), écrite
    ici sans lui. Compté en centimes, arrondi à un millionième de centime près."""
    return np.floor(np.asarray(montant, dtype=np.float64) * 100 + (0.5 + TOLERANCE_EN_CENTIMES)) / 100


def age_en_mois(age_en_annees: np.ndarray) -> np.ndarray:
    return np.round(np.asarray(age_en_annees, dtype=np.float64) * 12).astype(np.int64)


def somme_des_parents(famille: np.ndarray, nombre: int, parent: np.ndarray, valeur: np.ndarray) -> np.ndarray:
    """Somme par famille de ``valeur`` sur ses parents, rendue à chaque membre."""
    return np.bincount(famille, weights=np.where(parent, valeur, 0.0), minlength=nombre)[famille]


def _bareme(bareme: object) -> tuple:
    """Clé d'un barème par génération : ses seuils et ses montants."""
    return tuple(bareme.thresholds), tuple(bareme.amounts)


# --------------------------------------------------------------------------- entrées
@dataclass
class Entrees:
    """Colonnes de la population, en tableaux numpy et codes entiers."""

    famille: np.ndarray
    nombre_familles: int
    role: np.ndarray
    date_naissance: np.ndarray
    rang_mois_naissance: np.ndarray
    jour_naissance: np.ndarray
    ne_apres_le_1er: np.ndarray
    date_debut_invalidite: np.ndarray
    rang_mois_arret: np.ndarray
    date_effet_pension_invalidite: np.ndarray
    date_effet_donnee: bool
    date_liquidation_pension_invalidite: np.ndarray
    rang_mois_liquidation: np.ndarray
    jour_liquidation: np.ndarray
    regime_invalidite: np.ndarray
    statut_non_salarie_agricole: np.ndarray
    indemnites_journalieres_maladie: np.ndarray
    categorie_invalidite: np.ndarray
    reduction_capacite_travail: np.ndarray
    duree_immatriculation: np.ndarray
    heures_travaillees_12_mois: np.ndarray
    salaire_cotise_12_mois: np.ndarray
    revenus_activite: np.ndarray
    taux_incapacite: np.ndarray
    aah_restriction_substantielle_durable_acces_emploi: np.ndarray
    autres_ressources: np.ndarray
    inapte_travail: np.ndarray
    aspa_eligibilite: np.ndarray
    residence_france: np.ndarray
    aah_conjugalise_eligible: np.ndarray
    zone_residence: np.ndarray
    residence_fiscale_france: np.ndarray
    affilie_assurance_maladie_france: np.ndarray
    nbptr: np.ndarray
    salaires: dict[int, np.ndarray]
    rpns: dict[int, np.ndarray]
    rag: dict[int, np.ndarray]
    rfr: dict[int, np.ndarray]

    @property
    def parent(self) -> np.ndarray:
        return self.role <= CONJOINT


#: Entrées facultatives du schéma et leur valeur par défaut (celle du modèle).
DEFAUTS = {
    "salaire_cotise_12_mois": 0.0,
    "revenus_activite": 0.0,
    "taux_incapacite": 0.0,
    "aah_restriction_substantielle_durable_acces_emploi": False,
    "autres_ressources": 0.0,
    "inapte_travail": False,
    "aspa_eligibilite": False,
    "residence_france": True,
    "aah_conjugalise_eligible": False,
    "residence_fiscale_france": True,
    "affilie_assurance_maladie_france": True,
    "nbptr": 1.0,
    "indemnites_journalieres_maladie": 0.0,
}


def _codes(colonne: pd.Series, modalites: tuple[str, ...], nom: str) -> np.ndarray:
    """Codes entiers (rang dans ``modalites``) d'une colonne de texte ou catégorielle :
    une table des valeurs distinctes, pas de comparaison de textes par personne."""
    codes, valeurs = pd.factorize(colonne, sort=False)
    inconnues = [str(v) for v in valeurs if v not in modalites]
    if inconnues or (codes < 0).any():
        msg = f"{nom} : valeur hors de {', '.join(modalites)} ({', '.join(inconnues) or 'vide'})"
        raise HorsDomaine(msg)
    return np.array([modalites.index(v) for v in valeurs], dtype=np.int8)[codes]


def _mois_et_jour(colonne: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dates en ``datetime64[D]``, rang de leur mois (année × 12 + mois − 1) et jour du mois."""
    dates = pd.to_datetime(colonne) if not pd.api.types.is_datetime64_any_dtype(colonne) else colonne
    rang = dates.dt.year.to_numpy(dtype=np.int64) * 12 + dates.dt.month.to_numpy(dtype=np.int64) - 1
    return dates.to_numpy().astype(JOUR), rang, dates.dt.day.to_numpy()


def lire_entrees(population: pd.DataFrame) -> Entrees:
    """Les colonnes d'une population validée (``valider_population``), sans copie
    quand le type convient, les textes en codes entiers."""
    n = len(population)

    def colonne(nom: str, type_numpy: type) -> np.ndarray:
        if nom not in population:
            return np.full(n, DEFAUTS[nom], dtype=type_numpy)
        return population[nom].to_numpy(dtype=type_numpy)

    famille, familles = pd.factorize(population["famille_id"], sort=False)
    naissance, rang_naissance, jour_naissance = _mois_et_jour(population["date_naissance"])
    arret, rang_arret, jour_arret = _mois_et_jour(population["date_debut_invalidite"])
    effet_donnee = "date_effet_pension_invalidite" in population
    if effet_donnee:
        effet, rang_effet, jour_effet = _mois_et_jour(population["date_effet_pension_invalidite"])
        liquidation = date_liquidation_pension_invalidite(arret, effet)
        donnee = effet != SANS_ARRET
        rang_liquidation = np.where(donnee, rang_effet, rang_arret)
        jour_liquidation = np.where(donnee, jour_effet, jour_arret)
    else:
        effet, liquidation, rang_liquidation, jour_liquidation = np.full(n, SANS_ARRET), arret, rang_arret, jour_arret

    def enumeration(nom: str, modalites: tuple[str, ...]) -> np.ndarray:
        return _codes(population[nom], modalites, nom) if nom in population else np.zeros(n, dtype=np.int8)

    non_salariees = colonnes_non_salariees(population)
    return Entrees(
        famille=famille,
        nombre_familles=len(familles),
        role=_codes(population["role_famille"], ROLES, "role_famille"),
        date_naissance=naissance,
        rang_mois_naissance=rang_naissance,
        jour_naissance=jour_naissance,
        ne_apres_le_1er=jour_naissance > 1,
        date_debut_invalidite=arret,
        rang_mois_arret=rang_arret,
        date_effet_pension_invalidite=effet,
        date_effet_donnee=effet_donnee,
        date_liquidation_pension_invalidite=liquidation,
        rang_mois_liquidation=rang_liquidation,
        jour_liquidation=jour_liquidation,
        regime_invalidite=enumeration("regime_invalidite", REGIMES),
        statut_non_salarie_agricole=enumeration("statut_non_salarie_agricole", STATUTS_NON_SALARIE_AGRICOLE),
        indemnites_journalieres_maladie=colonne("indemnites_journalieres_maladie", np.float64),
        categorie_invalidite=_codes(population["categorie_invalidite"], CATEGORIES, "categorie_invalidite"),
        reduction_capacite_travail=colonne("reduction_capacite_travail", np.float64),
        duree_immatriculation=colonne("duree_immatriculation", np.int64),
        heures_travaillees_12_mois=colonne("heures_travaillees_12_mois", np.float64),
        salaire_cotise_12_mois=colonne("salaire_cotise_12_mois", np.float64),
        revenus_activite=colonne("revenus_activite", np.float64),
        taux_incapacite=colonne("taux_incapacite", np.float64),
        aah_restriction_substantielle_durable_acces_emploi=colonne(
            "aah_restriction_substantielle_durable_acces_emploi", bool
        ),
        autres_ressources=colonne("autres_ressources", np.float64),
        inapte_travail=colonne("inapte_travail", bool),
        aspa_eligibilite=colonne("aspa_eligibilite", bool),
        residence_france=colonne("residence_france", bool),
        aah_conjugalise_eligible=colonne("aah_conjugalise_eligible", bool),
        zone_residence=enumeration("zone_residence", ZONES),
        residence_fiscale_france=colonne("residence_fiscale_france", bool),
        affilie_assurance_maladie_france=colonne("affilie_assurance_maladie_france", bool),
        nbptr=colonne("nbptr", np.float64),
        salaires={a: population[c].to_numpy() for a, c in colonnes_salaire(population).items()},
        rpns={a: population[c].to_numpy() for (prefixe, a), c in non_salariees.items() if prefixe == "rpns"},
        rag={a: population[c].to_numpy() for (prefixe, a), c in non_salariees.items() if prefixe == "rag"},
        rfr={a: population[c].to_numpy(dtype=np.float64) for a, c in colonnes_rfr(population).items()},
    )


# --------------------------------------------------------------------------- fixé à l'arrêt
class PositionDesDates:
    """Position de la date propre à chaque personne (arrêt, liquidation) dans le
    calendrier des paramètres qui s'y lisent : une recherche par personne dans
    l'union de leurs dates d'effet, puis, pour chaque paramètre, une petite table
    (pas une recherche par paramètre)."""

    def __init__(self, dates: np.ndarray, parametres: list[Parameter]) -> None:
        series = [serie(p)[0] for p in parametres]
        self.union = np.unique(np.concatenate(series)) if series else np.array([], dtype=JOUR)
        self.position = np.searchsorted(self.union, dates, side="right")

    def sous_ensemble(self, lignes: np.ndarray) -> PositionDesDates:
        copie = object.__new__(PositionDesDates)
        copie.union, copie.position = self.union, self.position[lignes]
        return copie

    def nombre_de_dates(self, dates_effet: np.ndarray) -> np.ndarray:
        """Nombre de ``dates_effet`` au plus tard à la date de chaque personne (toutes dans l'union)."""
        table = np.concatenate(([0], np.searchsorted(dates_effet, self.union, side="right")))
        return table[self.position]

    def valeur(self, parametre: Parameter) -> np.ndarray:
        """Valeur en vigueur à la date de chaque personne (la première avant la série, comme le modèle)."""
        dates, valeurs = serie(parametre)
        return valeurs[np.clip(self.nombre_de_dates(dates) - 1, 0, len(valeurs) - 1)]


def parametres_lus_a_l_arret(p: ParameterNode) -> list[Parameter]:
    conditions = p.pension_invalidite.conditions
    sam = p.pension_invalidite.salaire_annuel_moyen
    return [
        conditions.duree_immatriculation_minimale,
        conditions.heures_travail_minimales,
        conditions.nombre_smic_horaire_cotisations,
        sam.nombre_annees_retenues,
        sam.profondeur_carriere,
    ]


def parametres_lus_a_la_liquidation(p: ParameterNode) -> list[Parameter]:
    revalorisation = p.pension_invalidite.revalorisation
    return [revalorisation.coefficient_salaires, revalorisation.coefficient_pensions]


def par_annee(valeurs_des_annees, annees: np.ndarray) -> np.ndarray:
    """Valeur d'une fonction de l'année pour chaque personne : calculée sur la
    plage des années présentes, puis lue par personne."""
    if annees.size == 0:
        return np.zeros(0)
    premiere = int(annees.min())
    return valeurs_des_annees(np.arange(premiere, int(annees.max()) + 1))[annees - premiere]


def generation(rang_mois_naissance: np.ndarray) -> np.ndarray:
    """Mois de naissance écrit AAAAMM (seuil des barèmes par génération)."""
    return (rang_mois_naissance // 12) * 100 + rang_mois_naissance % 12 + 1


def date_liquidation_pension_invalidite(arret: np.ndarray, effet: np.ndarray) -> np.ndarray:
    """R341-12 : la date d'effet donnée, sinon l'arrêt ; une date d'effet sans arrêt
    ou avant lui est une erreur d'entrée."""
    donnee = effet != SANS_ARRET
    fautive = donnee & ((arret == SANS_ARRET) | (effet < arret))
    if fautive.any():
        msg = f"date_effet_pension_invalidite sans arrêt ou avant lui (lignes {np.flatnonzero(fautive)[:5]})"
        raise HorsDomaine(msg)
    return np.where(donnee, effet, arret)


def pension_invalidite_condition_immatriculation(
    e: Entrees, qui: np.ndarray, a: PositionDesDates, p: ParameterNode
) -> np.ndarray:
    """R313-5 : mois d'immatriculation ≥ ceux exigés à la date de l'arrêt."""
    exigee = a.valeur(p.pension_invalidite.conditions.duree_immatriculation_minimale)
    return e.duree_immatriculation[qui] >= exigee.astype(np.int64)


def pension_invalidite_condition_activite(
    e: Entrees, qui: np.ndarray, a: PositionDesDates, p: ParameterNode
) -> np.ndarray:
    """R313-5 : heures exigées à l'arrêt, ou 2 030 SMIC horaires du 1er janvier
    de l'année où commencent les 12 mois civils précédant l'arrêt."""
    conditions = p.pension_invalidite.conditions
    heures = a.valeur(conditions.heures_travail_minimales)
    nombre_smic = a.valeur(conditions.nombre_smic_horaire_cotisations)
    smic_horaire = p.references_sociales.smic_horaire_brut
    smic = par_annee(
        lambda annees: valeur_aux_dates(smic_horaire, premiers_janvier(annees)), (e.rang_mois_arret[qui] - 12) // 12
    )
    return (e.heures_travaillees_12_mois[qui] >= heures) | (e.salaire_cotise_12_mois[qui] >= nombre_smic * smic)


def revalorisation_des_salaires(
    annees_salaire: np.ndarray, liquidation: PositionDesDates, jusqua: np.ndarray, p: ParameterNode
) -> np.ndarray:
    """L341-6 : coefficients des salaires datés après le 31 décembre de l'année du
    salaire et au plus tard à la liquidation ``jusqua`` ; une revalorisation
    anticipée datée dans l'année (1er juillet 2022) est reçue avec la suivante.
    ``annees_salaire`` et ``jusqua`` se diffusent : une colonne par année de
    carrière (SAM), ou une année par personne (seuil de cumul)."""
    revalorisation = p.pension_invalidite.revalorisation
    dates, coefficients, produit = produit_des_coefficients(revalorisation.coefficient_salaires)
    indice_fin_annee = par_annee(
        lambda annees: produit[np.searchsorted(dates, premiers_janvier(annees + 1) - 1, side="right")], annees_salaire
    )
    indice_liquidation = produit[liquidation.nombre_de_dates(dates)].reshape(np.shape(jusqua))
    coefficient = indice_liquidation / indice_fin_annee
    dates_anticipees, drapeaux = serie(revalorisation.revalorisation_anticipee)
    for date in dates_anticipees[drapeaux == 1]:
        rang = int(np.searchsorted(dates, date, side="left"))
        if rang + 1 >= len(dates) or dates[rang] != date:
            continue
        # L'avance de l'année est reçue quand la revalorisation suivante est passée.
        de_l_annee = annees_salaire == int(str(date)[:4])
        recue = jusqua >= dates[rang + 1]
        if coefficient.ndim == 2:  # une colonne par année : seule celle de l'avance change
            colonnes = np.flatnonzero(de_l_annee)
            coefficient[:, colonnes] = np.where(
                recue, coefficient[:, colonnes] * coefficients[rang], coefficient[:, colonnes]
            )
        else:
            coefficient = np.where(de_l_annee & recue, coefficient * coefficients[rang], coefficient)
    return coefficient


def matrice_des_annees(colonnes: dict[int, np.ndarray], annees: np.ndarray, lignes: np.ndarray) -> np.ndarray:
    """Revenus des ``lignes`` pour chaque année de ``annees`` (0 sans colonne) : une
    ligne par personne, les années le long de l'axe rapide, en float64."""
    matrice = np.zeros((lignes.size, annees.size))
    for j, annee in enumerate(annees):
        if int(annee) in colonnes:
            matrice[:, j] = colonnes[int(annee)][lignes]
    return matrice


def moyenne_des_meilleures_annees(
    n: int,
    retenues: np.ndarray,
    *,
    revenus: Callable[[slice], np.ndarray],
    compte: Callable[[slice, np.ndarray], np.ndarray],
    plafond: np.ndarray | None = None,
    revalorisation: Callable[[slice], np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Le mécanisme commun des meilleures années (SAM, revenu annuel moyen des
    indépendants, revenu professionnel moyen des exploitants), par sous-blocs de
    ``SOUS_BLOC`` personnes : ``revenus(bloc)`` (personnes × années) ; une année
    compte si ``compte(bloc, revenus)`` ; plafond de l'année, revalorisation ;
    somme des ``retenues`` meilleures ÷ années comptées (au plus ``retenues``).
    Rend la moyenne non arrondie et le nombre d'années comptées."""
    plus_grand = int(retenues.max()) if n else 0
    moyenne, comptees = np.zeros(n), np.zeros(n, dtype=np.int64)
    for debut in range(0, n, SOUS_BLOC):
        bloc = slice(debut, debut + SOUS_BLOC)
        valeurs = revenus(bloc)
        retenu = compte(bloc, valeurs)
        if plafond is not None:
            np.minimum(valeurs, plafond, out=valeurs)
        if revalorisation is not None:
            valeurs *= revalorisation(bloc)
        valeurs *= retenu
        if valeurs.shape[1] < plus_grand:
            valeurs = np.pad(valeurs, ((0, 0), (0, plus_grand - valeurs.shape[1])))
        comptees[bloc] = np.count_nonzero(retenu, axis=1)
        meilleures = np.sort(valeurs, axis=1)[:, ::-1]
        nombre = retenues[bloc]
        if (nombre == plus_grand).all():
            somme = meilleures[:, :plus_grand].sum(axis=1)
        else:  # nombre d'années retenues différent d'une personne à l'autre
            somme = np.take_along_axis(np.cumsum(meilleures, axis=1), (nombre - 1)[:, np.newaxis], axis=1)[:, 0]
        moyenne[bloc] = np.where(comptees[bloc] > 0, somme / np.clip(comptees[bloc], 1, np.maximum(nombre, 1)), 0.0)
    return moyenne, comptees


def _dans_la_fenetre(annees: np.ndarray, annee_arret: np.ndarray, profondeur: np.ndarray) -> np.ndarray:
    """Années civiles avant celle de l'arrêt, dans la profondeur de carrière (personnes × années)."""
    return (annees < annee_arret[:, np.newaxis]) & (annees >= (annee_arret - profondeur)[:, np.newaxis])


def salaire_annuel_moyen_a_la_liquidation(
    e: Entrees,
    qui: np.ndarray,
    *,
    arret: PositionDesDates,
    liquidation: PositionDesDates,
    p: ParameterNode,
    details: dict | None = None,
) -> np.ndarray:
    """R341-4, R341-11 : moyenne des 10 meilleures années civiles d'assurance avant
    l'année de l'arrêt (une année compte si son salaire valide un trimestre,
    R351-9), chaque salaire plafonné au PASS de son année et revalorisé jusqu'à
    la liquidation ; au centime."""
    annee_arret = e.rang_mois_arret[qui] // 12
    date_liquidation = e.date_liquidation_pension_invalidite[qui]
    regles = p.pension_invalidite.salaire_annuel_moyen
    retenues = arret.valeur(regles.nombre_annees_retenues).astype(np.int64)
    profondeur = arret.valeur(regles.profondeur_carriere).astype(np.int64)
    plafonds = p.references_sociales.plafond_annuel_securite_sociale
    premiere_annee = min(int(v.instant_str[:4]) for v in plafonds.values_list)
    annees = np.array([annee for annee in e.salaires if annee >= premiere_annee], dtype=np.int64)
    janviers = premiers_janvier(annees)
    # R351-9 : heures de SMIC au 1er janvier qui valident un trimestre.
    seuil_trimestre = valeur_aux_dates(regles.heures_smic_validant_un_trimestre, janviers) * valeur_aux_dates(
        p.references_sociales.smic_horaire_brut, janviers
    )

    def compte(bloc: slice, salaires: np.ndarray) -> np.ndarray:
        retenu = salaires >= seuil_trimestre
        retenu &= salaires > 0
        retenu &= _dans_la_fenetre(annees, annee_arret[bloc], profondeur[bloc])
        return retenu

    exact, _ = moyenne_des_meilleures_annees(
        qui.size,
        retenues,
        revenus=lambda bloc: matrice_des_annees(e.salaires, annees, qui[bloc]),
        compte=compte,
        plafond=np.array([plafonds(f"{annee}-01-01") for annee in annees], dtype=np.float64),
        revalorisation=lambda bloc: revalorisation_des_salaires(
            annees, liquidation.sous_ensemble(np.arange(qui.size)[bloc]), date_liquidation[bloc, np.newaxis], p
        ),
    )
    if details is not None:
        details["salaire_annuel_moyen"] = (qui, exact)
    return au_centime(exact)


def revenu_annuel_moyen_ssi(e: Entrees, qui: np.ndarray, liquidation: PositionDesDates, p: ParameterNode) -> np.ndarray:
    """Règlement SSI, art. 9 et 13 : 10 meilleures années civiles avant l'arrêt, le
    revenu de l'année (revenus non salariés, et salaires depuis le 1er juillet
    2016 : décret 2016-667) plafonné au PASS et revalorisé jusqu'à la date d'effet
    comme les salaires ; une année compte si son revenu est positif ; au centime."""
    effet = e.date_liquidation_pension_invalidite[qui]
    annee_arret = e.rang_mois_arret[qui] // 12
    regles = p.pension_invalidite.ssi.revenu_annuel_moyen
    retenues = valeur_aux_dates(regles.nombre_annees_retenues, effet).astype(np.int64)
    mise_en_commun = valeur_aux_dates(regles.mise_en_commun_des_regimes, effet) > 0
    revalorises = valeur_aux_dates(regles.revenus_revalorises, effet) > 0
    profondeur = valeur_aux_dates(p.pension_invalidite.salaire_annuel_moyen.profondeur_carriere, effet)
    plafonds = p.references_sociales.plafond_annuel_securite_sociale
    premiere_annee = min(int(v.instant_str[:4]) for v in plafonds.values_list)
    annees = np.array(sorted(a for a in {*e.salaires, *e.rpns} if a >= premiere_annee), dtype=np.int64)

    def revenus(bloc: slice) -> np.ndarray:
        lignes = qui[bloc]
        salaires = matrice_des_annees(e.salaires, annees, lignes)
        return matrice_des_annees(e.rpns, annees, lignes) + np.where(mise_en_commun[bloc, np.newaxis], salaires, 0.0)

    def revalorisation(bloc: slice) -> np.ndarray:
        coefficient = revalorisation_des_salaires(
            annees, liquidation.sous_ensemble(np.arange(qui.size)[bloc]), effet[bloc, np.newaxis], p
        )
        return np.where(revalorises[bloc, np.newaxis], coefficient, 1.0)

    moyenne, _ = moyenne_des_meilleures_annees(
        qui.size,
        retenues,
        revenus=revenus,
        compte=lambda bloc, v: (v > 0) & _dans_la_fenetre(annees, annee_arret[bloc], profondeur[bloc]),
        plafond=np.array([plafonds(f"{annee}-01-01") for annee in annees], dtype=np.float64),
        revalorisation=revalorisation,
    )
    return au_centime(moyenne)


def revenu_professionnel_moyen_agricole(e: Entrees, qui: np.ndarray, p: ParameterNode) -> np.ndarray:
    """Code rural R732-4-1 : 3 meilleures années parmi les 7 dernières années
    déclarées avant l'arrêt, déficits retenus pour 0 mais comptés parmi les années
    d'assurance (diviseur) ; ni plafond ni revalorisation ; au centime."""
    arret = e.date_debut_invalidite[qui]
    annee_arret = e.rang_mois_arret[qui] // 12
    regles = p.pension_invalidite.msa_non_salaries.revenus
    retenues = valeur_aux_dates(regles.nombre_annees_retenues, arret).astype(np.int64)
    fenetre = valeur_aux_dates(regles.fenetre_annees, arret).astype(np.int64)
    profondeur = valeur_aux_dates(p.pension_invalidite.salaire_annuel_moyen.profondeur_carriere, arret)
    annees = np.array(sorted(e.rag), dtype=np.int64)
    declarees = np.zeros(qui.size, dtype=np.int64)

    def compte(bloc: slice, revenus: np.ndarray) -> np.ndarray:
        # Les sept dernières années déclarées (déficit compris), en remontant depuis l'arrêt.
        declaree = (revenus != 0) & _dans_la_fenetre(annees, annee_arret[bloc], profondeur[bloc])
        dans_la_fenetre = np.zeros_like(declaree)
        nombre = np.zeros(declaree.shape[0], dtype=np.int64)
        for j in range(annees.size - 1, -1, -1):
            dans_la_fenetre[:, j] = declaree[:, j] & (nombre < fenetre[bloc])
            nombre += dans_la_fenetre[:, j]
        declarees[bloc] = nombre
        return dans_la_fenetre & (revenus > 0)  # un déficit compte pour 0

    moyenne, comptees = moyenne_des_meilleures_annees(
        qui.size,
        retenues,
        revenus=lambda bloc: matrice_des_annees(e.rag, annees, qui[bloc]),
        compte=compte,
    )
    somme = moyenne * np.clip(comptees, 1, retenues)
    return au_centime(somme / np.clip(declarees, 1, retenues))


def par_personne_et_annee(colonnes: dict[int, np.ndarray], annees: np.ndarray, lignes: np.ndarray) -> np.ndarray:
    """Valeur d'une colonne annuelle à l'année propre à chaque personne (0 sans colonne)."""
    resultat = np.zeros(lignes.size)
    for annee in np.unique(annees):
        if int(annee) in colonnes:
            concernes = np.flatnonzero(annees == annee)
            resultat[concernes] = colonnes[int(annee)][lignes[concernes]]
    return resultat


def pension_invalidite_ssi_condition_ouverture(c: Calendrier, e: Entrees, qui: np.ndarray) -> np.ndarray:
    """Règlement SSI, art. 1er : indemnités journalières au mois qui précède la date
    d'effet (données s'il est dans la fenêtre des entrées), ou affiliation de
    12 mois et, depuis le règlement de 2023, revenu moyen des 3 années
    précédant l'effet d'au moins 10 % du PASS moyen de ces années."""
    p = c.parametres
    conditions = p.pension_invalidite.ssi.conditions
    effet = e.date_liquidation_pension_invalidite[qui]
    mois_precedent = e.rang_mois_liquidation[qui] - 1
    donnee = (mois_precedent >= c.premier_connu) & (mois_precedent <= c.rang)
    voie_ij = donnee & (e.indemnites_journalieres_maladie[qui] > 0)
    affiliation = e.duree_immatriculation[qui] >= valeur_aux_dates(conditions.duree_affiliation_minimale, effet)
    nombre = valeur_aux_dates(conditions.nombre_annees_revenu_minimal, effet).astype(np.int64)
    part = valeur_aux_dates(conditions.revenu_minimal_en_part_du_pass, effet)
    annee_effet = e.rang_mois_liquidation[qui] // 12
    revenus, plafonds = np.zeros(qui.size), np.zeros(qui.size)
    for rang in range(1, int(nombre.max(initial=0)) + 1):
        compte = rang <= nombre
        revenus += np.where(compte, par_personne_et_annee(e.rpns, annee_effet - rang, qui), 0.0)
        plafond = valeur_aux_dates(
            p.references_sociales.plafond_annuel_securite_sociale, premiers_janvier(annee_effet - rang)
        )
        plafonds += np.where(compte, plafond, 0.0)
    moyenne = np.where(nombre > 0, revenus / np.maximum(nombre, 1), 0.0)
    exige = np.where(nombre > 0, part * plafonds / np.maximum(nombre, 1), 0.0)
    return voie_ij | (affiliation & (moyenne >= exige))


def pension_invalidite_msa_non_salarie_conditions(e: Entrees, qui: np.ndarray, p: ParameterNode) -> np.ndarray:
    """Code rural L732-8 : l'inaptitude partielle (1re catégorie) n'est ouverte qu'aux
    chefs d'exploitation et aux collaborateurs ; R732-3 III : 12 mois
    d'assujettissement avant le mois de l'arrêt."""
    statut = e.statut_non_salarie_agricole[qui]
    partielle = e.categorie_invalidite[qui] == CATEGORIES.index("categorie_1")
    ouvre_la_partielle = (statut == CHEF_EXPLOITATION) | (statut == COLLABORATEUR)
    exige = valeur_aux_dates(
        p.pension_invalidite.msa_non_salaries.conditions.duree_assujettissement_mois, e.date_debut_invalidite[qui]
    ).astype(np.int64)
    return (~partielle | ouvre_la_partielle) & (e.duree_immatriculation[qui] >= exige)


def age_a_l_effet(e: Entrees, qui: np.ndarray) -> np.ndarray:
    """Âge en années révolues à la date d'effet (fraction de l'aide familial)."""
    mois = e.rang_mois_liquidation[qui] - e.rang_mois_naissance[qui]
    return (mois - (e.jour_liquidation[qui] < e.jour_naissance[qui])) // 12


def salaire_annee_precedant_arret(e: Entrees, qui: np.ndarray) -> np.ndarray:
    """R341-17 2° : salaire de l'année civile précédant l'arrêt (non revalorisé)."""
    return par_personne_et_annee(e.salaires, e.rang_mois_arret[qui] // 12 - 1, qui)


@dataclass
class Pensionnes:
    """Personnes dont la pension est classée et a pris effet au mois calculé :
    leurs entrées et ce qui est fixé à l'arrêt ou à la liquidation (une ligne
    par personne), pour tous les régimes."""

    index: np.ndarray
    regime_invalidite: np.ndarray
    date_liquidation_pension_invalidite: np.ndarray
    rang_mois_liquidation: np.ndarray
    rang_mois_naissance: np.ndarray
    generation: np.ndarray
    categorie_invalidite: np.ndarray
    reduction_capacite_travail: np.ndarray
    revenus_activite: np.ndarray
    #: Conditions du régime qui ne dépendent pas du mois (R313-5 ; SSI art. 1er ; L732-8, R732-3).
    conditions_du_regime: np.ndarray
    #: SAM (régime général), revenu annuel moyen (SSI), revenu professionnel moyen (exploitants).
    revenu_de_reference: np.ndarray
    salaire_annuel_moyen: np.ndarray
    #: Revalorisations des pensions du régime entrées en vigueur au plus tard à la liquidation.
    rang_revalorisation_a_la_liquidation: np.ndarray
    salaire_annee_precedant_arret: np.ndarray
    plafond_securite_sociale_annee_precedant_arret: np.ndarray
    revalorisation_salaire_annee_precedant_arret: np.ndarray
    #: Exploitants : pension au minimum (liquidée avant 2020, ou collaborateur), membre de la
    #: famille (aide familial, associé d'exploitation), âge à la date d'effet.
    msa_au_minimum: np.ndarray
    msa_membre_de_la_famille: np.ndarray
    age_a_l_effet: np.ndarray
    #: Revenus non salariés et agricoles des années que lisent les mois calculés.
    rpns: dict = field(default_factory=dict, repr=False)
    rag: dict = field(default_factory=dict, repr=False)
    #: Résultats qui ne dépendent que de valeurs de paramètres (âges de fin par barème, groupes).
    memo: dict = field(default_factory=dict, repr=False)

    def sous_ensemble(self, lignes: np.ndarray) -> Pensionnes:
        valeurs = {}
        for f in fields(self):
            if f.name == "memo":
                continue
            valeur = getattr(self, f.name)
            valeurs[f.name] = {a: v[lignes] for a, v in valeur.items()} if isinstance(valeur, dict) else valeur[lignes]
        return Pensionnes(**valeurs)

    def groupes(self) -> dict[str, tuple[np.ndarray, Pensionnes]]:
        """Les lignes de chaque groupe de régimes et leur sous-ensemble (une fois)."""
        if "groupes" not in self.memo:
            self.memo["groupes"] = {}
            for nom, codes in GROUPES_DE_REGIMES.items():
                lignes = np.flatnonzero(np.isin(self.regime_invalidite, codes))
                if lignes.size:
                    self.memo["groupes"][nom] = (
                        lignes,
                        self if lignes.size == self.index.size else self.sous_ensemble(lignes),
                    )
        return self.memo["groupes"]


def pensionnes(
    c: Calendrier,
    e: Entrees,
    qui: np.ndarray,
    *,
    arret: PositionDesDates,
    liquidation: PositionDesDates,
    sam: np.ndarray,
) -> Pensionnes:
    """Ce qui, pour la pension, ne dépend pas du mois : une fois par personne, et,
    pour les autres régimes, leur revenu de référence et leurs conditions."""
    p = c.parametres
    annee_arret = e.rang_mois_arret[qui] // 12
    rang_naissance = e.rang_mois_naissance[qui]
    date_liquidation = e.date_liquidation_pension_invalidite[qui]
    regime = e.regime_invalidite[qui]
    pass_annuel = p.references_sociales.plafond_annuel_securite_sociale
    # Régime général et salariés agricoles : R313-5 à l'arrêt ; revenu de référence : le SAM.
    conditions = pension_invalidite_condition_immatriculation(e, qui, arret, p) & pension_invalidite_condition_activite(
        e, qui, arret, p
    )
    revenu = sam.copy()
    dates_pensions, _, _ = produit_des_coefficients(p.pension_invalidite.revalorisation.coefficient_pensions)
    rang_revalorisation = liquidation.nombre_de_dates(dates_pensions)
    ssi = np.flatnonzero(regime == SSI)
    if ssi.size:
        conditions[ssi] = pension_invalidite_ssi_condition_ouverture(c, e, qui[ssi])
        revenu[ssi] = revenu_annuel_moyen_ssi(e, qui[ssi], liquidation.sous_ensemble(ssi), p)
        dates_ssi, _, _ = produit_des_coefficients(p.pension_invalidite.ssi.revalorisation.coefficient)
        rang_revalorisation[ssi] = np.searchsorted(dates_ssi, date_liquidation[ssi], side="right")
    exploitants = np.flatnonzero(regime == MSA_NON_SALARIE)
    au_minimum, membre_de_la_famille = np.zeros(qui.size, dtype=bool), np.zeros(qui.size, dtype=bool)
    if exploitants.size:
        conditions[exploitants] = pension_invalidite_msa_non_salarie_conditions(e, qui[exploitants], p)
        revenu[exploitants] = revenu_professionnel_moyen_agricole(e, qui[exploitants], p)
        statut = e.statut_non_salarie_agricole[qui[exploitants]]
        forfait = valeur_aux_dates(p.pension_invalidite.msa_non_salaries.forfait.totale, date_liquidation[exploitants])
        # Décret 2020-602 et R732-4 II : liquidée avant 2020 (régime du forfait) ou collaborateur ; R732-4 III.
        au_minimum[exploitants] = ~np.isnan(forfait) | (statut == COLLABORATEUR)
        membre_de_la_famille[exploitants] = (statut == AIDE_FAMILIAL) | (statut == ASSOCIE_EXPLOITATION)
    annees_lues = range(c.rang // 12 - 4, c.rang // 12 + 1)  # N-4 à N : activité, cumul des autres régimes
    return Pensionnes(
        index=qui,
        regime_invalidite=regime,
        date_liquidation_pension_invalidite=date_liquidation,
        rang_mois_liquidation=e.rang_mois_liquidation[qui],
        rang_mois_naissance=rang_naissance,
        generation=generation(rang_naissance),
        categorie_invalidite=e.categorie_invalidite[qui],
        reduction_capacite_travail=e.reduction_capacite_travail[qui],
        revenus_activite=e.revenus_activite[qui],
        conditions_du_regime=conditions,
        revenu_de_reference=revenu,
        salaire_annuel_moyen=sam,
        rang_revalorisation_a_la_liquidation=rang_revalorisation,
        salaire_annee_precedant_arret=salaire_annee_precedant_arret(e, qui),
        plafond_securite_sociale_annee_precedant_arret=par_annee(
            lambda annees: valeur_aux_dates(pass_annuel, premiers_janvier(annees)), annee_arret - 1
        ),
        # Salaire de l'année précédant l'arrêt : revalorisé jusqu'à la liquidation comme ceux du SAM.
        revalorisation_salaire_annee_precedant_arret=revalorisation_des_salaires(
            annee_arret - 1, liquidation, date_liquidation, p
        ),
        msa_au_minimum=au_minimum,
        msa_membre_de_la_famille=membre_de_la_famille,
        age_a_l_effet=age_a_l_effet(e, qui),
        rpns={a: e.rpns[a][qui] for a in annees_lues if a in e.rpns},
        rag={a: e.rag[a][qui] for a in annees_lues if a in e.rag},
    )


# --------------------------------------------------------------------------- pension d'un mois
@dataclass
class Calendrier:
    """Contexte d'un calcul : paramètres, mois calculé, premier mois d'entrées connu."""

    parametres: ParameterNode
    rang: int
    premier_connu: int
    #: Diagnostic (facultatif) : montants avant arrondi, par variable.
    details: dict | None = None

    parametres_du_mois: dict = field(default_factory=dict, repr=False)

    def au(self, rang: int) -> ParameterNode:
        """Paramètres en vigueur le mois ``rang`` (lus une fois par mois)."""
        if rang not in self.parametres_du_mois:
            self.parametres_du_mois[rang] = self.parametres(mois_du_rang(rang))
        return self.parametres_du_mois[rang]


def pension_invalidite_age_fin(g: Pensionnes, bareme: object) -> np.ndarray:
    """Dernier mois de la pension (rang du mois où l'âge d'un barème par génération
    est atteint, L341-15, L341-16) : un calcul par barème distinct, pas par mois."""
    cle = _bareme(bareme)
    if cle not in g.memo:
        g.memo[cle] = g.rang_mois_naissance + age_en_mois(bareme.calc(g.generation))
    return g.memo[cle]


def pension_invalidite_en_activite(g: Pensionnes, rang: int, revenus: np.ndarray) -> np.ndarray:
    """Revenus d'activité du mois, ou revenus non salariés ou agricoles de son année."""
    actif = revenus > 0
    for colonnes in (g.rpns, g.rag):
        if rang // 12 in colonnes:
            actif = actif | (colonnes[rang // 12] > 0)
    return actif


def pension_invalidite_eligible(
    c: Calendrier, g: Pensionnes, rang: int, revenus: np.ndarray, groupe: str
) -> np.ndarray:
    """L341-1, L341-3, L341-4, R341-12 (et SSI, L732-8) : pension qui a pris effet et
    classée, capacité réduite des 2/3, conditions du régime, âge de fin non atteint :
    L351-1-5 (régime général, SSI) ou âge légal (exploitants, R732-3 VIII), ou
    maintien en activité jusqu'à l'âge limite si le régime le permet (L341-16 ;
    SSI depuis 2017)."""
    p = c.au(rang)
    fin_de_droit = p.pension_invalidite.fin_de_droit
    commencee = g.date_liquidation_pension_invalidite <= dernier_jour(rang)
    capacite = g.reduction_capacite_travail >= p.pension_invalidite.conditions.reduction_capacite_minimale
    age_fin = p.retraite.age_legal if groupe == "msa_non_salarie" else fin_de_droit.age_fin_pension
    maintien_possible = groupe != "ssi" or bool(p.pension_invalidite.ssi.fin_de_droit.maintien_en_activite_possible)
    maintien = pension_invalidite_en_activite(g, rang, revenus) & maintien_possible
    age = (rang <= pension_invalidite_age_fin(g, age_fin)) | (
        maintien & (rang <= pension_invalidite_age_fin(g, fin_de_droit.age_limite_poursuite_activite))
    )
    return commencee & capacite & g.conditions_du_regime & age


def revalorisation_pension(
    c: Calendrier, g: Pensionnes, montant: np.ndarray, rang: int, coefficients: Parameter, *, differenciee: bool
) -> np.ndarray:
    """L341-6 (et art. 27 du règlement SSI) : coefficients entrés en vigueur après la
    liquidation et au plus tard le 1er du mois ; pour les pensions du régime
    général au-dessus du seuil de la revalorisation différenciée (LFSS 2020
    art. 81), le coefficient réduit à sa date."""
    dates, valeurs, produit = produit_des_coefficients(coefficients)
    jusqua = int(np.searchsorted(dates, premier_jour(rang), side="right"))
    depuis = np.minimum(g.rang_revalorisation_a_la_liquidation, jusqua)
    resultat = montant * (produit[jusqua] / produit[: jusqua + 1])[depuis]
    if not differenciee:
        return resultat
    revalorisation = c.parametres.pension_invalidite.revalorisation
    dates_seuil, limites = serie(revalorisation.seuil_revalorisation_differenciee)
    reduits = valeur_aux_dates(revalorisation.coefficient_au_dela_du_seuil, dates_seuil)
    for date_seuil, limite, reduit in zip(dates_seuil, limites, reduits, strict=True):
        rang_seuil = int(np.searchsorted(dates, date_seuil, side="left"))
        if np.isnan(limite) or rang_seuil >= jusqua or dates[rang_seuil] != date_seuil:
            continue
        concerne = depuis <= rang_seuil
        avant = montant * (produit[rang_seuil] / produit[: rang_seuil + 1])[np.minimum(depuis, rang_seuil)]
        resultat = np.where(concerne & (avant > limite), resultat * (reduit / valeurs[rang_seuil]), resultat)
    return resultat


def _noter_avant_arrondi(c: Calendrier, g: Pensionnes, rang_periode: int, rang: int, borne: np.ndarray) -> None:
    if c.details is not None and rang == rang_periode == c.rang:
        c.details.setdefault("pension_invalidite_avant_cumul", []).append((g.index, borne))


def pension_de_la_section_3(c: Calendrier, g: Pensionnes, rang_periode: int, rang: int) -> np.ndarray:
    """Régime général et salariés agricoles (R341-4 à R341-6, L341-5, L341-6) : montant
    du mois ``rang`` avec le taux et le SAM du mois ``rang_periode`` — taux × SAM / 12
    revalorisé, entre le minimum et le maximum de la catégorie du mois ``rang``, au
    centime ; 0 avant la date d'effet."""
    periode = c.au(rang_periode).pension_invalidite.montant
    taux = np.array([0.0, periode.taux.categorie_1, periode.taux.categorie_2, periode.taux.categorie_3])
    liquidee = g.date_liquidation_pension_invalidite <= dernier_jour(rang_periode)
    sam = np.where(liquidee, g.revenu_de_reference, 0.0)
    categorie = g.categorie_invalidite
    coefficients = c.parametres.pension_invalidite.revalorisation.coefficient_pensions
    revalorise = revalorisation_pension(c, g, taux[categorie] * sam / 12, rang, coefficients, differenciee=True)
    p = c.au(rang)
    parts = p.pension_invalidite.montant.maximum_en_part_du_pmss
    maximum = au_centime(
        np.array([0.0, parts.categorie_1, parts.categorie_2, parts.categorie_3])
        * p.references_sociales.plafond_mensuel_securite_sociale
    )
    borne = np.clip(revalorise, p.pension_invalidite.montant.minimum, maximum[categorie])
    _noter_avant_arrondi(c, g, rang_periode, rang, borne)
    effet = (g.date_liquidation_pension_invalidite <= dernier_jour(rang)) & (taux[categorie] > 0)
    return np.where(effet, au_centime(borne), 0.0)


def partielle_ou_totale(categorie: np.ndarray, partielle: float, totale: float) -> np.ndarray:
    """``partielle`` en 1re catégorie, ``totale`` en 2e et 3e, 0 sans catégorie."""
    return np.array([0.0, partielle, totale, totale])[categorie]


def pension_ssi(c: Calendrier, g: Pensionnes, rang_periode: int, rang: int) -> np.ndarray:
    """Règlement SSI, art. 9, 13 et 27 : PIPM 30 % ou PITD 50 % du revenu annuel moyen
    / 12, revalorisé par les coefficients de la SSI depuis la date d'effet, entre le
    minimum propre et 30 % ou 50 % du PASS / 12, au centime ; 0 avant l'effet."""
    p = c.au(rang)
    ssi = p.pension_invalidite.ssi
    categorie = g.categorie_invalidite
    taux = partielle_ou_totale(categorie, ssi.taux.pipm, ssi.taux.pitd)
    minimum = partielle_ou_totale(categorie, ssi.minimum.pipm, ssi.minimum.pitd)
    parts = partielle_ou_totale(categorie, ssi.maximum_en_part_du_pass.pipm, ssi.maximum_en_part_du_pass.pitd)
    maximum = au_centime(parts * (p.references_sociales.plafond_annuel_securite_sociale / 12))
    coefficients = c.parametres.pension_invalidite.ssi.revalorisation.coefficient
    revalorise = revalorisation_pension(
        c, g, np.round(taux, 6) * g.revenu_de_reference / 12, rang, coefficients, differenciee=False
    )
    borne = np.clip(revalorise, minimum, maximum)
    _noter_avant_arrondi(c, g, rang_periode, rang, borne)
    return np.where((g.date_liquidation_pension_invalidite <= dernier_jour(rang)) & (taux > 0), au_centime(borne), 0.0)


def pension_msa_non_salarie(c: Calendrier, g: Pensionnes, rang_periode: int, rang: int) -> np.ndarray:
    """Code rural R732-4 à R732-4-3 (décret 2020-602) : avant 2020, le forfait du mois ;
    depuis, 30 % ou 50 % du revenu professionnel moyen / 12 revalorisé (L341-6),
    entre le minimum et 15 % ou 25 % du PASS / 12 ; au minimum pour une pension
    liquidée avant 2020 ou un collaborateur, 2/3 (1/3 avant 18 ans) du montant
    d'un chef pour un aide familial ou un associé, jamais sous le minimum ; au
    centime ; 0 avant l'effet."""
    historique = c.parametres.pension_invalidite
    msa = historique.msa_non_salaries
    debut = np.array([premier_jour(rang)])
    categorie = g.categorie_invalidite
    commencee = g.date_liquidation_pension_invalidite <= dernier_jour(rang)
    forfait_total = valeur_aux_dates(msa.forfait.totale, debut)[0]
    if not np.isnan(forfait_total):  # R732-4 ancien : le forfait est à la fois minimum et maximum
        fraction = valeur_aux_dates(msa.forfait.fraction_partielle, debut)[0]
        avts = valeur_aux_dates(historique.montant.minimum, debut)[0]
        forfait = au_centime(
            partielle_ou_totale(categorie, max(fraction * forfait_total / 12, avts), forfait_total / 12)
        )
        return np.where(commencee & (forfait > 0), forfait, 0.0)
    p = c.au(rang)
    msa_mois = p.pension_invalidite.msa_non_salaries
    taux = partielle_ou_totale(categorie, msa_mois.taux.partielle, msa_mois.taux.totale)
    minimum = au_centime(partielle_ou_totale(categorie, msa_mois.minimum.partielle, msa_mois.minimum.totale) / 12)
    parts = partielle_ou_totale(
        categorie, msa_mois.maximum_en_part_du_pass.partielle, msa_mois.maximum_en_part_du_pass.totale
    )
    maximum = au_centime(parts * p.references_sociales.plafond_annuel_securite_sociale / 12)
    commencee = commencee & (minimum > 0)
    if not taux.any():
        return np.where(commencee, minimum, 0.0)
    coefficients = historique.revalorisation.coefficient_pensions
    revalorise = revalorisation_pension(
        c, g, np.round(taux, 6) * g.revenu_de_reference / 12, rang, coefficients, differenciee=False
    )
    chef = np.clip(revalorise, minimum, maximum)  # R732-4 I
    fraction = msa_mois.aide_familial.fraction.calc(g.age_a_l_effet)
    montant = np.select(
        [g.msa_au_minimum, g.msa_membre_de_la_famille],  # décret 2020-602 et R732-4 II ; R732-4 III
        [minimum, np.maximum(fraction * chef, minimum)],
        chef,
    )
    _noter_avant_arrondi(c, g, rang_periode, rang, montant)
    return np.where(commencee, au_centime(montant), 0.0)


#: Montant de la pension d'un mois, par groupe de régimes.
MONTANT_DU_MOIS = {
    "regime_general": pension_de_la_section_3,
    "ssi": pension_ssi,
    "msa_non_salarie": pension_msa_non_salarie,
}


def pension_invalidite_avant_cumul(
    c: Calendrier, g: Pensionnes, rang: int, eligible: np.ndarray, groupe: str
) -> np.ndarray:
    """Le montant du mois selon le régime, si la pension est due ; 0 sinon."""
    return np.where(eligible, MONTANT_DU_MOIS[groupe](c, g, rang, rang), 0.0)


def pension_invalidite_seuil_cumul(c: Calendrier, g: Pensionnes, rang: int) -> np.ndarray:
    """R341-17 I : le plus élevé du SAM et du salaire de l'année précédant l'arrêt
    (plafonné, revalorisé jusqu'à la liquidation), revalorisé comme les pensions."""
    cumul = c.au(rang).pension_invalidite.cumul_revenus
    plafond = cumul.plafond_salaire_reference_en_pass * g.plafond_securite_sociale_annee_precedant_arret
    precedent = np.minimum(g.salaire_annee_precedant_arret, plafond) * g.revalorisation_salaire_annee_precedant_arret
    sam = np.where(g.date_liquidation_pension_invalidite <= dernier_jour(rang), g.salaire_annuel_moyen, 0.0)
    seuil = np.maximum(sam, precedent) if cumul.seuil_inclut_salaire_annuel_moyen else precedent
    coefficients = c.parametres.pension_invalidite.revalorisation.coefficient_pensions
    return revalorisation_pension(c, g, seuil, rang, coefficients, differenciee=False)


def _revenus_connus(c: Calendrier, g: Pensionnes, mois: range, *, depuis_l_effet: bool) -> np.ndarray:
    """Revenus d'activité des ``mois`` (ceux que le moteur donne : la fenêtre des
    entrées), sans les mois antérieurs à la date d'effet si ``depuis_l_effet``."""
    nombre = np.zeros(g.index.size)
    for k in mois:
        if c.premier_connu <= k <= c.rang:
            nombre += (g.rang_mois_liquidation <= k) if depuis_l_effet else 1
    return nombre * g.revenus_activite


def _noter_reduction(c: Calendrier, g: Pensionnes, rang: int, exacte: np.ndarray) -> None:
    if c.details is not None:  # réductions de chaque mois calculé (celui-ci et les mois passés)
        c.details.setdefault("pension_invalidite_reduction_cumul", []).append((rang, g.index, exacte))


def _reduction_sur_la_periode(
    c: Calendrier,
    g: Pensionnes,
    rang: int,
    avant_cumul: np.ndarray,
    *,
    parmi: np.ndarray,
    periode: range,
    non_salaries: np.ndarray | float,
) -> np.ndarray:
    """R341-17 II : pour les personnes ``parmi``, pension de la section 3 de chaque mois
    de la période + revenus des mois (connus) + revenus non salariés − seuil ; la
    mensualité est réduite d'un douzième de 50 % du dépassement, au centime."""
    cumul = c.au(rang).pension_invalidite.cumul_revenus
    reduction = np.zeros(avant_cumul.size)
    revenus = _revenus_connus(c, g, periode, depuis_l_effet=False) + non_salaries
    concernes = np.flatnonzero(parmi & (avant_cumul > 0) & (revenus > 0))
    if concernes.size == 0:
        return reduction
    h = g.sous_ensemble(concernes)
    pensions = sum(pension_de_la_section_3(c, h, rang, k) for k in periode)
    seuil = pension_invalidite_seuil_cumul(c, h, rang) * len(periode) / 12
    duree = int(cumul.duree_periode_reference)
    exacte = cumul.taux_reduction_depassement * np.maximum(pensions + revenus[concernes] - seuil, 0.0) / duree
    reduction[concernes] = np.where(pensions > 0, np.minimum(au_centime(exacte), avant_cumul[concernes]), 0.0)
    _noter_reduction(c, h, rang, exacte)
    return reduction


def _reduction_par_trimestres(c: Calendrier, g: Pensionnes, rang: int, avant_cumul: np.ndarray) -> np.ndarray:
    """R341-17 (rédaction de 2011, jusqu'au 31/3/2022) : si le cumul de la pension et
    des gains (revenus du mois, et un quart des gains non salariés de l'année
    majorés de 25 %) dépasse pendant deux trimestres civils consécutifs le quart
    du seuil (la part de chaque mois), la mensualité est réduite d'un tiers du
    dépassement du trimestre précédent."""
    cumul = c.au(rang).pension_invalidite.cumul_revenus
    debut_trimestre = rang - rang % 3
    trimestres = [
        range(debut_trimestre - 3 * k, debut_trimestre - 3 * k + 3)
        for k in range(1, int(cumul.trimestres_consecutifs_depasses) + 1)
    ]
    revenus = []
    for trimestre in trimestres:
        annee = trimestre[0] // 12
        non_salaries = cumul.majoration_revenus_non_salaries * g.rpns.get(annee, np.zeros(g.index.size)) / 4
        revenus.append(_revenus_connus(c, g, trimestre, depuis_l_effet=False) + non_salaries)
    concernes = np.flatnonzero(np.logical_and.reduce([r > 0 for r in revenus]) & (avant_cumul > 0))
    reduction = np.zeros(avant_cumul.size)
    if concernes.size == 0:
        return reduction
    h = g.sous_ensemble(concernes)
    en_depassement = np.ones(concernes.size, dtype=bool)
    depassements = []
    for trimestre, revenus_du_trimestre in zip(trimestres, revenus, strict=True):
        pensions = sum(pension_de_la_section_3(c, h, rang, k) for k in trimestre)
        seuil = sum(pension_invalidite_seuil_cumul(c, h, k) for k in trimestre) / 12
        depassement = np.maximum(pensions + revenus_du_trimestre[concernes] - seuil, 0.0)
        en_depassement &= (depassement > 0) & (pensions > 0)
        depassements.append(depassement)
    exacte = np.where(en_depassement, cumul.taux_reduction_depassement * depassements[0] / 3, 0.0)
    reduction[concernes] = np.minimum(au_centime(exacte), avant_cumul[concernes])
    _noter_reduction(c, h, rang, exacte)
    return reduction


def pension_invalidite_reduction_cumul_regime_general(
    c: Calendrier, g: Pensionnes, rang: int, avant_cumul: np.ndarray
) -> np.ndarray:
    """R341-17 : jusqu'au 31/3/2022, par trimestres civils ; depuis, sur les 12 mois du
    13e au 2e mois précédent, ou, pour qui exerce une activité non salariée (des
    revenus non salariés l'année précédente), sur l'année civile précédente avec
    ces revenus majorés de 25 % (II, 2e alinéa et 4°)."""
    if not (avant_cumul > 0).any():
        return np.zeros(avant_cumul.size)
    if mois_du_rang(rang) < DEBUT_CUMUL_ANNUEL:
        return _reduction_par_trimestres(c, g, rang, avant_cumul)
    cumul = c.au(rang).pension_invalidite.cumul_revenus
    annee = rang // 12 - int(cumul.decalage_annee_activite_non_salariee)
    non_salaries = g.rpns.get(annee, np.zeros(g.index.size))
    non_salarie = non_salaries > 0
    recul, duree = int(cumul.debut_periode_reference), int(cumul.duree_periode_reference)
    reduction = _reduction_sur_la_periode(
        c, g, rang, avant_cumul, parmi=~non_salarie, periode=range(rang - recul, rang - recul + duree), non_salaries=0.0
    )
    if non_salarie.any():
        reduction += _reduction_sur_la_periode(
            c,
            g,
            rang,
            avant_cumul,
            parmi=non_salarie,
            periode=range(annee * 12, annee * 12 + 12),
            non_salaries=cumul.majoration_revenus_non_salaries * non_salaries,
        )
    return reduction


def pension_invalidite_ssi_reduction_cumul(
    c: Calendrier, g: Pensionnes, rang: int, avant_cumul: np.ndarray
) -> np.ndarray:
    """Règlement SSI, art. 10 et 14 ; décret 2022-257. Depuis le 1/4/2022 : arrérages et
    salaires du 13e au 2e mois précédent, revenus non salariés de N-2 majorés de
    25 %, contre 4 (PIPM) ou 2,4 (PITD) fois les arrérages ; un douzième de 50 % du
    dépassement. Avant : pension de l'année (12 × celle du mois) et revenus de N-1,
    à compter de la 2e année civile de perception ; un douzième du dépassement.
    Seuls comptent les revenus qui ne précèdent pas la date d'effet."""
    cumul = c.au(rang).pension_invalidite.ssi.cumul
    annee = rang // 12
    annuelle = mois_du_rang(rang) < DEBUT_CUMUL_ANNUEL
    annee_non_salariee = annee - int(cumul.decalage_annees_revenus_non_salaries)
    non_salaries = np.where(
        g.rang_mois_liquidation // 12 <= annee_non_salariee, g.rpns.get(annee_non_salariee, np.zeros(g.index.size)), 0.0
    )
    if annuelle:
        periode, nombre = range((annee - 1) * 12, annee * 12), 12
    else:
        nombre = int(cumul.duree_periode_reference)
        periode = range(rang - int(cumul.debut_periode_reference), rang - int(cumul.debut_periode_reference) + nombre)
    revenus = _revenus_connus(c, g, periode, depuis_l_effet=True) + cumul.majoration_revenus_non_salaries * non_salaries
    concerne = (avant_cumul > 0) & (revenus > 0)
    if annuelle:
        concerne &= g.rang_mois_liquidation // 12 < annee  # perçue depuis une année civile au moins
    reduction = np.zeros(avant_cumul.size)
    concernes = np.flatnonzero(concerne)
    if concernes.size == 0:
        return reduction
    h = g.sous_ensemble(concernes)
    pension = avant_cumul[concernes]
    facteur = partielle_ou_totale(
        h.categorie_invalidite, cumul.plafond_en_nombre_de_pensions.pipm, cumul.plafond_en_nombre_de_pensions.pitd
    )
    arrerages = 12 * pension if annuelle else sum(pension_ssi(c, h, rang, k) for k in periode)
    exacte = (
        cumul.taux_reduction_depassement
        * np.maximum(arrerages + revenus[concernes] - facteur * arrerages, 0.0)
        / nombre
    )
    reduction[concernes] = np.where(annuelle | (arrerages > 0), np.minimum(au_centime(exacte), pension), 0.0)
    _noter_reduction(c, h, rang, exacte)
    return reduction


def pension_invalidite_msa_non_salarie_reduction_cumul(
    c: Calendrier, g: Pensionnes, rang: int, avant_cumul: np.ndarray
) -> np.ndarray:
    """Code rural R732-5 : arrérages et revenus (d'activité, et agricoles, un déficit
    pour 0) de l'année civile précédente, contre 2 028 SMIC horaires du 1er janvier ;
    un douzième du dépassement, de 50 % depuis le 1/4/2022. Seuls comptent les
    revenus qui ne précèdent pas la date d'effet."""
    p = c.au(rang)
    cumul = p.pension_invalidite.msa_non_salaries.cumul_revenus
    precedente = rang // 12 - 1
    agricoles = np.where(
        g.rang_mois_liquidation // 12 <= precedente, g.rag.get(precedente, np.zeros(g.index.size)), 0.0
    )
    periode = range(precedente * 12, precedente * 12 + 12)
    revenus = _revenus_connus(c, g, periode, depuis_l_effet=True) + np.maximum(agricoles, 0.0)
    reduction = np.zeros(avant_cumul.size)
    concernes = np.flatnonzero((avant_cumul > 0) & (revenus > 0))
    if concernes.size == 0:
        return reduction
    h = g.sous_ensemble(concernes)
    arrerages = sum(pension_msa_non_salarie(c, h, rang, k) for k in periode)
    smic_janvier = c.au((rang // 12) * 12).references_sociales.smic_horaire_brut
    seuil = cumul.seuil_en_nombre_smic_horaire * smic_janvier
    exacte = cumul.taux_reduction_depassement * np.maximum(arrerages + revenus[concernes] - seuil, 0.0) / 12
    reduction[concernes] = np.minimum(au_centime(exacte), avant_cumul[concernes])
    _noter_reduction(c, h, rang, exacte)
    return reduction


#: Réduction pour cumul, par groupe de régimes.
REDUCTION_CUMUL = {
    "regime_general": pension_invalidite_reduction_cumul_regime_general,
    "ssi": pension_invalidite_ssi_reduction_cumul,
    "msa_non_salarie": pension_invalidite_msa_non_salarie_reduction_cumul,
}


def pension_invalidite(c: Calendrier, g: Pensionnes, rang: int) -> dict:
    """Pension du mois de rang ``rang`` pour les personnes de ``g`` : éligibilité,
    pension avant cumul, réduction pour cumul, pension servie, chaque groupe de
    régimes par sa branche."""
    n = g.index.size
    resultat = {
        "pension_invalidite_eligible": np.zeros(n, dtype=bool),
        "pension_invalidite_avant_cumul": np.zeros(n),
        "pension_invalidite": np.zeros(n),
    }
    if rang < c.premier_connu:  # avant les entrées : catégorie « non_classe », pas de pension
        return resultat
    for groupe, (lignes, h) in g.groupes().items():
        revenus = h.revenus_activite if rang <= c.rang else np.zeros(lignes.size)
        eligible = pension_invalidite_eligible(c, h, rang, revenus, groupe)
        avant_cumul = pension_invalidite_avant_cumul(c, h, rang, eligible, groupe)
        reduction = REDUCTION_CUMUL[groupe](c, h, rang, avant_cumul)
        resultat["pension_invalidite_eligible"][lignes] = eligible
        resultat["pension_invalidite_avant_cumul"][lignes] = avant_cumul
        resultat["pension_invalidite"][lignes] = np.maximum(avant_cumul - reduction, 0.0)
    return resultat


def majoration_tierce_personne(c: Calendrier, g: Pensionnes, du_mois: dict) -> np.ndarray:
    """R341-6 : montant forfaitaire du mois pour les invalides de 3e catégorie dont la
    pension est due ; SSI (art. 17) et exploitants (R732-4 ancien) : 40 % de la
    pension, au moins ce forfait."""
    p = c.au(c.rang).pension_invalidite
    forfait = p.majoration_tierce_personne.montant
    taux = {
        "ssi": p.ssi.majoration_tierce_personne.taux,
        "msa_non_salarie": p.msa_non_salaries.majoration_tierce_personne.taux,
    }
    montant = np.full(g.index.size, forfait)
    for groupe, (lignes, _) in g.groupes().items():
        if groupe in taux:
            montant[lignes] = np.maximum(taux[groupe] * du_mois["pension_invalidite_avant_cumul"][lignes], forfait)
    troisieme = g.categorie_invalidite == CATEGORIES.index("categorie_3")
    return np.where(troisieme & du_mois["pension_invalidite_eligible"], au_centime(montant), 0.0)


# --------------------------------------------------------------------------- ASI, AAH
def age_en_mois_revolus(e: Entrees, rang: int) -> np.ndarray:
    """Mois révolus au 1er du mois ; une naissance après le mois est une erreur."""
    naissance = e.date_naissance
    trop_tard = naissance > dernier_jour(rang)
    if trop_tard.any():
        msg = (
            f"date_naissance postérieure au mois calculé {mois_du_rang(rang)} (lignes {np.flatnonzero(trop_tard)[:5]})"
        )
        raise HorsDomaine(msg)
    return np.maximum(rang - e.rang_mois_naissance - e.ne_apres_le_1er, 0)


def asi_eligibilite(e: Entrees, p: ParameterNode, pension: np.ndarray, age_mois: np.ndarray) -> np.ndarray:
    """L815-24, R815-58 : pension servie, invalidité des 2/3, âge de l'ASPA non
    atteint (65 ans, âge légal si inapte), résidence, pas de droit à l'ASPA."""
    asi = p.asi
    limite = np.full(e.famille.size, age_en_mois(asi.age_limite))
    inaptes = np.flatnonzero(e.inapte_travail)
    if inaptes.size:
        age_legal = age_en_mois(p.retraite.age_legal.calc(generation(e.rang_mois_naissance[inaptes])))
        limite[inaptes] = np.minimum(age_legal, limite[inaptes])
    return (
        (pension > 0)
        & (e.reduction_capacite_travail >= asi.taux_minimum_invalidite)
        & (age_mois < limite)
        & e.residence_france
        & ~e.aspa_eligibilite
    )


def asi(e: Entrees, p: ParameterNode, pension: np.ndarray, eligible: np.ndarray, details: dict | None) -> np.ndarray:
    """D815-19 (depuis le 1/4/2020) : plafond − ressources du couple ; en couple,
    a) conjoint allocataire ou c) titulaire de l'ASPA : moitié du plafond couple
    moins moitié des ressources ; b) sinon au plus plafond seul − minimum de pension."""
    parent = e.parent
    en_couple = np.bincount(e.famille, weights=parent, minlength=e.nombre_familles)[e.famille] >= PARENTS_D_UN_COUPLE
    eligible = eligible & parent
    conjoint_asi = en_couple & (somme_des_parents(e.famille, e.nombre_familles, parent, eligible) - eligible > 0)
    aspa = e.aspa_eligibilite & parent
    conjoint_aspa = en_couple & (somme_des_parents(e.famille, e.nombre_familles, parent, aspa) - aspa > 0)
    ressources = somme_des_parents(
        e.famille, e.nombre_familles, parent, pension + e.revenus_activite + e.autres_ressources
    )
    plafond_seul = p.asi.plafond_ressources.personne_seule / 12
    plafond_couple = p.asi.plafond_ressources.couple / 12
    montant = np.select(
        [~en_couple, conjoint_asi | conjoint_aspa],
        [plafond_seul - ressources, (plafond_couple - ressources) / 2],
        np.minimum(plafond_couple - ressources, plafond_seul - p.pension_invalidite.montant.minimum),
    )
    if details is not None:
        details["asi"] = np.maximum(montant, 0)
    return np.where(eligible, au_centime(np.maximum(montant, 0)), 0.0)


def aah_eligible(e: Entrees, p: ParameterNode, age_mois: np.ndarray) -> np.ndarray:
    """L821-1, L821-2, D821-1 : 80 %, ou 50 % avec RSDAE avant l'âge d'inaptitude ;
    20 ans ; résidence."""
    aah = p.aah
    taux = e.taux_incapacite
    candidats = np.flatnonzero(
        (taux >= aah.taux_incapacite)
        | ((taux >= aah.taux_incapacite_rsdae) & e.aah_restriction_substantielle_durable_acces_emploi)
    )
    eligible = np.zeros(taux.size, dtype=bool)
    inaptitude = age_en_mois(
        p.pension_invalidite.fin_de_droit.age_fin_pension.calc(generation(e.rang_mois_naissance[candidats]))
    )
    age = age_mois[candidats]
    rsdae = (
        (taux[candidats] >= aah.taux_incapacite_rsdae)
        & e.aah_restriction_substantielle_durable_acces_emploi[candidats]
        & (age < inaptitude)
    )
    eligible[candidats] = (
        ((taux[candidats] >= aah.taux_incapacite) | rsdae)
        & (age >= age_en_mois(np.full(candidats.size, aah.age_minimal)))
        & e.residence_france[candidats]
    )
    return eligible


def aah_base_ressources_individu(
    c: Calendrier, e: Entrees, g: Pensionnes, ligne_pension: np.ndarray, qui: np.ndarray
) -> np.ndarray:
    """L821-3, D821-2, R532-3 : revenus de N-2 (activité et pension après 10 %,
    autres ressources), ou des 3 mois précédents × 4 si revenus d'activité ces
    3 mois. La pension des mois passés n'est calculée que pour ``qui``, et
    seulement sur les mois que retient son régime."""
    p = c.au(c.rang)
    abattement = p.aah.ressources.abattement_fiscal_dix_pourcent
    mois = int(p.aah.ressources.mois_regime_trimestriel)
    trois_mois = range(c.rang - mois, c.rang)
    annee_n_2 = c.rang // 12 - 2
    mois_n_2 = range(annee_n_2 * 12, annee_n_2 * 12 + 12)

    def connus(periode: range) -> int:
        return sum(c.premier_connu <= k <= c.rang for k in periode)

    revenus, autres = e.revenus_activite[qui], e.autres_ressources[qui]
    activite_3_mois = connus(trois_mois) * revenus
    trimestriel = activite_3_mois > 0
    # Pension des mois passés : seulement pour les pensionnés, sur les mois de leur régime.
    pension_3_mois, pension_n_2 = np.zeros(qui.size), np.zeros(qui.size)
    ligne = ligne_pension[qui]
    for selection, periode, cumul in ((trimestriel, trois_mois, pension_3_mois), (~trimestriel, mois_n_2, pension_n_2)):
        lignes = np.flatnonzero(selection & (ligne >= 0))
        if lignes.size:
            h = g.sous_ensemble(ligne[lignes])
            cumul[lignes] = sum(pension_invalidite(c, h, k)["pension_invalidite"] for k in periode)
    base_trimestrielle = (12 / mois) * (
        (1 - abattement) * (activite_3_mois + pension_3_mois) + connus(trois_mois) * autres
    )
    base_annuelle = (1 - abattement) * (connus(mois_n_2) * revenus + pension_n_2) + connus(mois_n_2) * autres
    return np.where(trimestriel, base_trimestrielle, base_annuelle)


def aah(
    c: Calendrier,
    e: Entrees,
    g: Pensionnes,
    ligne_pension: np.ndarray,
    *,
    avantage: np.ndarray,
    age_mois: np.ndarray,
) -> np.ndarray:
    """L821-1, D821-2 : min(montant maximal − (pension + ASI) ; (plafond − ressources)
    / 12), borné à [0 ; montant maximal], au centime ; déconjugalisée depuis le
    1/10/2023, le calcul conjugalisé gardé s'il est plus favorable pour qui a l'option."""
    p = c.au(c.rang)
    h = p.aah
    eligible = aah_eligible(e, p, age_mois)
    parent = e.parent
    famille, nombre = e.famille, e.nombre_familles
    option = e.aah_conjugalise_eligible & eligible
    en_couple = np.bincount(famille, weights=parent, minlength=nombre)[famille] >= PARENTS_D_UN_COUPLE
    # Ressources : les allocataires possibles, et les parents des couples où l'option joue.
    avec_option = np.bincount(famille, weights=option, minlength=nombre)[famille] > 0
    qui = np.flatnonzero(eligible | (avec_option & en_couple & parent))
    base = np.zeros(e.famille.size)
    base[qui] = aah_base_ressources_individu(c, e, g, ligne_pension, qui)
    enfants = np.bincount(famille, weights=e.role == ENFANT, minlength=nombre)[famille]

    def montant(ressources: np.ndarray, majoration: np.ndarray) -> np.ndarray:
        sous_plafond = (12 * h.montant_maximum * (1 + majoration) - ressources) / 12
        differentiel = h.montant_maximum - avantage
        return np.clip(np.minimum(differentiel, sous_plafond), 0, h.montant_maximum)

    deconjugalise = montant(base, h.plafond_ressources.majoration_par_enfant * enfants)
    if c.details is not None:
        c.details["aah"] = deconjugalise
    resultat = np.where(eligible, au_centime(deconjugalise), 0.0)
    if option.any():
        propres = np.where(parent, base, 0.0)
        du_conjoint = np.where(en_couple & parent, somme_des_parents(famille, nombre, parent, base) - propres, 0.0)
        r = h.ressources
        conjoint = np.maximum(
            du_conjoint - (r.abattement_conjoint_forfaitaire + r.abattement_conjoint_par_enfant * enfants), 0
        )
        majoration = (
            h.plafond_ressources.majoration_par_enfant * enfants + h.plafond_ressources.majoration_couple * en_couple
        )
        conjugalise = montant(base + conjoint, majoration)
        if c.details is not None:
            c.details["aah_conjugalise"] = conjugalise
        conjugalise = np.where(eligible, au_centime(conjugalise), 0.0)
        resultat = np.where(e.aah_conjugalise_eligible, np.maximum(resultat, conjugalise), resultat)
    return resultat


# --------------------------------------------------------------------------- montants nets
def seuil_par_parts(
    premiere_part: float, premiere_demi_part: float, demi_part_suivante: float, parts: np.ndarray
) -> np.ndarray:
    """L136-8 III : première part, + première demi-part, + chaque demi-part suivante ;
    un quart de part : la moitié de sa demi-part, arrondie à l'euro (la demie vers le haut)."""
    quarts = np.round((np.maximum(parts, 1) - 1) / QUART_DE_PART).astype(np.int64)
    demi_parts, quart = quarts // 2, quarts % 2
    seuil = (
        premiere_part
        + premiere_demi_part * np.minimum(demi_parts, 1)
        + demi_part_suivante * np.maximum(demi_parts - 1, 0)
    )
    quart_de_part = np.where(demi_parts == 0, premiere_demi_part, demi_part_suivante) / 2
    return seuil + quart * np.floor(quart_de_part + 0.5)


def seuil_zone(bareme: ParameterNode, zone: np.ndarray, quarts: np.ndarray) -> np.ndarray:
    """Seuil de la zone (métropole, Martinique-Guadeloupe-La Réunion, Guyane et
    Mayotte) pour ``quarts`` quarts de part au-delà de la première : une table
    zone × quarts, lue par personne."""
    noeuds = (bareme.metropole, bareme.martinique_guadeloupe_reunion, bareme.guyane_mayotte, bareme.guyane_mayotte)
    parts = 1 + QUART_DE_PART * np.arange(int(quarts.max(initial=0)) + 1)
    table = np.array(
        [seuil_par_parts(b.premiere_part, b.premiere_demi_part, b.demi_part_suivante, parts) for b in noeuds]
    )
    return table[zone, quarts]


def seuil_median(bareme: ParameterNode, quarts: np.ndarray) -> np.ndarray:
    """L136-8 III bis : seuil du taux médian, sans montant propre à l'outre-mer."""
    parts = 1 + QUART_DE_PART * np.arange(int(quarts.max(initial=0)) + 1)
    return seuil_par_parts(bareme.premiere_part, bareme.demi_part, bareme.demi_part, parts)[quarts]


def quarts_de_part(parts: np.ndarray) -> np.ndarray:
    """Quarts de part au-delà de la première (au moins une part)."""
    return np.round((np.maximum(parts, 1) - 1) / QUART_DE_PART).astype(np.int64)


def assujetti_csg_remplacement(e: Entrees, p: ParameterNode, asi_servie: np.ndarray) -> np.ndarray:
    """L136-1, L136-1-2 II 1° : domicile fiscal en France, assurance maladie
    française, hors Mayotte (selon le paramètre), ni ASI ni droit à l'ASPA."""
    hors_mayotte = (e.zone_residence != MAYOTTE) | bool(
        p.prelevements_sociaux.csg_remplacement.assujettissement_mayotte
    )
    return (
        e.residence_fiscale_france
        & e.affilie_assurance_maladie_france
        & hors_mayotte
        & ~((asi_servie > 0) | e.aspa_eligibilite)
    )


def taux_csg_remplacement(c: Calendrier, e: Entrees, pension: np.ndarray, asi_servie: np.ndarray) -> np.ndarray:
    """L136-8 (depuis 2019) : exonéré si RFR N-2 ≤ seuil d'exonération ; taux réduit
    si RFR N-2 ou N-3 ≤ seuil du taux réduit ; médian si RFR N-2 < seuil médian ;
    normal sinon. Codes de ``TauxCsgRemplacement``."""
    p = c.au(c.rang)
    seuils = p.prelevements_sociaux.csg_remplacement.seuils
    annee = c.rang // 12
    if annee - 2 not in e.rfr or annee - 3 not in e.rfr:
        msg = f"colonnes rfr_{annee - 2} et rfr_{annee - 3} nécessaires au taux de CSG de {mois_du_rang(c.rang)}"
        raise HorsDomaine(msg)
    rfr_n_2, rfr_n_3 = e.rfr[annee - 2], e.rfr[annee - 3]
    # Le moteur donne les mêmes parts (colonne nbptr) pour chaque année de revenus.
    parts_n_2 = quarts_de_part(np.where(e.nbptr > 0, e.nbptr, 1))
    parts_n_3 = quarts_de_part(np.where(e.nbptr > 0, e.nbptr, 1 + QUART_DE_PART * parts_n_2))
    zone = e.zone_residence
    assujetti = assujetti_csg_remplacement(e, p, asi_servie)
    connu = rfr_n_2 >= 0
    if (assujetti & (pension > 0) & ~connu).any():
        msg = f"revenu fiscal de référence de {annee - 2} manquant pour un pensionné assujetti"
        raise HorsDomaine(msg)
    exonere = rfr_n_2 <= seuil_zone(seuils.exoneration, zone, parts_n_2)
    reduit_n_2 = rfr_n_2 <= seuil_zone(seuils.taux_reduit, zone, parts_n_2)
    reduit_n_3 = (rfr_n_3 >= 0) & (rfr_n_3 <= seuil_zone(seuils.taux_reduit, zone, parts_n_3))
    sous_median = rfr_n_2 < seuil_median(seuils.taux_median, parts_n_2)
    return np.select(
        [~assujetti, ~connu, exonere, reduit_n_2 | reduit_n_3, sous_median],
        [EXONERE, NON_RENSEIGNE, EXONERE, TAUX_REDUIT, TAUX_INTERMEDIAIRE],
        TAUX_PLEIN,
    ).astype(np.int8)


def prelevements_pension_invalidite(
    c: Calendrier, tranche: np.ndarray, pension: np.ndarray, details: dict | None
) -> dict[str, np.ndarray]:
    """CSG déductible et imposable (L136-8), CRDS (ordonnance 96-50), CASA (L137-41)
    sur la pension brute du mois : montants négatifs, au centime."""
    prelevements = c.au(c.rang).prelevements_sociaux
    csg = prelevements.csg_remplacement
    deductible = np.array(
        [0.0, 0.0, csg.deductible.taux_reduit, csg.deductible.taux_median, csg.deductible.taux_normal]
    )
    total = np.array([0.0, 0.0, csg.taux.taux_reduit, csg.taux.taux_median, csg.taux.taux_normal])
    taux = {
        "csg_deductible_pension_invalidite": np.round(deductible, 6),
        "csg_imposable_pension_invalidite": np.round(total - deductible, 6),
        "crds_pension_invalidite": np.array([0.0, 0.0, 1.0, 1.0, 1.0]) * prelevements.crds.taux,
        "casa_pension_invalidite": np.array([0.0, 0.0, 0.0, 1.0, 1.0]) * prelevements.casa.taux,
    }
    resultat = {}
    for nom, bareme in taux.items():
        exact = bareme[tranche] * pension
        if details is not None:
            details[nom] = exact
        resultat[nom] = 0.0 - au_centime(exact)
    return resultat


def pension_invalidite_nette(pension: np.ndarray, prelevements: dict[str, np.ndarray]) -> np.ndarray:
    """Pension brute + CSG, CRDS et CASA (montants négatifs)."""
    return pension + sum(prelevements.values())


def revenu_disponible_invalidite(
    nette: np.ndarray, mtp: np.ndarray, montant_asi: np.ndarray, montant_aah: np.ndarray
) -> np.ndarray:
    """Pension nette + MTP + ASI + AAH."""
    return nette + mtp + montant_asi + montant_aah


# --------------------------------------------------------------------------- la chaîne
def verifier_mois(mois: str) -> int:
    """Rang du mois ; refuse ce qui n'est pas un mois ``AAAA-MM`` ≥ ``MOIS_MINIMUM``."""
    mois = str(mois)
    if not MOTIF_MOIS.match(mois) or not 1 <= int(mois[5:]) <= 12:
        msg = f"mois « {mois} » : la référence calcule un mois AAAA-MM (pas une année)"
        raise HorsDomaine(msg)
    if mois < MOIS_MINIMUM:
        msg = (
            f"mois {mois} hors du domaine de la référence numpy (à partir de {MOIS_MINIMUM} : ASI différentielle, "
            "AAH déconjugalisée, CSG sur N-2 et N-3) ; utiliser population.simuler"
        )
        raise HorsDomaine(msg)
    return rang_du_mois(mois)


def reference(
    population: pd.DataFrame, mois: str, tbs: object, *, details: dict | None = None
) -> dict[str, np.ndarray]:
    """La chaîne du modèle pour le mois ``mois`` sur ``population`` (validée) :
    {variable: tableau par personne}, les variables de ``population.simuler``
    et ``age``. ``details`` (un dictionnaire) reçoit les montants avant arrondi
    du mois calculé (diagnostic des écarts au centime)."""
    rang = verifier_mois(mois)
    e = lire_entrees(population)
    parametres = tbs.parameters
    c = Calendrier(parametres, rang, rang - MOIS_HISTORIQUE, details)
    p = c.au(rang)
    n = e.famille.size

    # Fixé à l'arrêt et à la liquidation, une fois : SAM pour qui a une pension liquidée
    # au mois calculé, le reste pour ceux d'entre eux qui sont classés.
    liquidee = np.flatnonzero(e.date_liquidation_pension_invalidite <= dernier_jour(rang))
    a = PositionDesDates(e.date_debut_invalidite[liquidee], parametres_lus_a_l_arret(parametres))
    if e.date_effet_donnee:
        liquidation = PositionDesDates(
            e.date_liquidation_pension_invalidite[liquidee], parametres_lus_a_la_liquidation(parametres)
        )
    else:  # sans date d'effet, la liquidation est l'arrêt : une seule recherche
        a = liquidation = PositionDesDates(
            e.date_debut_invalidite[liquidee],
            parametres_lus_a_l_arret(parametres) + parametres_lus_a_la_liquidation(parametres),
        )
    sam = salaire_annuel_moyen_a_la_liquidation(
        e, liquidee, arret=a, liquidation=liquidation, p=parametres, details=details
    )
    salaire_annuel_moyen = np.zeros(n)
    salaire_annuel_moyen[liquidee] = sam
    classes = np.flatnonzero(e.categorie_invalidite[liquidee] > 0)
    g = pensionnes(
        c,
        e,
        liquidee[classes],
        arret=a.sous_ensemble(classes),
        liquidation=liquidation.sous_ensemble(classes),
        sam=sam[classes],
    )
    ligne_pension = np.full(n, -1)
    ligne_pension[g.index] = np.arange(g.index.size)

    # Pension et MTP du mois.
    du_mois = pension_invalidite(c, g, rang)
    eligible = np.zeros(n, dtype=bool)
    eligible[g.index] = du_mois["pension_invalidite_eligible"]
    pension = np.zeros(n)
    pension[g.index] = du_mois["pension_invalidite"]
    mtp = np.zeros(n)
    mtp[g.index] = majoration_tierce_personne(c, g, du_mois)

    # ASI puis AAH (différentielle sur pension + ASI).
    age_mois = age_en_mois_revolus(e, rang)
    montant_asi = asi(e, p, pension, asi_eligibilite(e, p, pension, age_mois), details)
    montant_aah = aah(c, e, g, ligne_pension, avantage=pension + montant_asi, age_mois=age_mois)
    resultat = {
        "age": (age_mois // 12).astype(np.int16),
        "pension_invalidite_eligible": eligible,
        "salaire_annuel_moyen": salaire_annuel_moyen,
        "pension_invalidite": pension,
        "majoration_tierce_personne": mtp,
        "asi": montant_asi,
        "aah": montant_aah,
    }
    if not e.rfr:  # comme le moteur : sans revenu fiscal de référence, pas de montants nets
        return resultat

    tranche = taux_csg_remplacement(c, e, pension, montant_asi)
    prelevements = prelevements_pension_invalidite(c, tranche, pension, details)
    nette = pension_invalidite_nette(pension, prelevements)
    resultat.update(prelevements)
    resultat["pension_invalidite_nette"] = nette
    resultat["revenu_disponible_invalidite"] = revenu_disponible_invalidite(nette, mtp, montant_asi, montant_aah)
    return resultat


def simuler_reference(population: pd.DataFrame, mois: str, tbs: object) -> pd.DataFrame:
    """Comme ``population.simuler(population, mois, valider=False)`` : DataFrame
    entrant, même tableau de résultats sortant (mêmes colonnes, même ordre)."""
    calculs = reference(population, mois, tbs)
    return assembler(population, pd.DataFrame(calculs, index=population.index))
