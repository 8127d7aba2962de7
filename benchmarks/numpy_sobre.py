"""Référence numpy sobre : la chaîne du modèle pour un mois, sans OpenFisca.

Les mêmes règles que les formules de ``variables/`` (pension d'invalidité,
MTP, ASI, AAH, CSG, CRDS, CASA, pension nette, revenu disponible), lues dans
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
from openfisca_invalidite.population.schema import CATEGORIES, ROLES, ZONES, colonnes_rfr, colonnes_salaire

if TYPE_CHECKING:
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


def au_centime(montant: np.ndarray) -> np.ndarray:
    """Au centime le plus proche, la demie vers le haut (règle des formules de l'ASI,
    de l'AAH et des prélèvements sociaux)."""
    return np.round(np.asarray(montant, dtype=np.float64) + 1e-9, 2)


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
    ne_apres_le_1er: np.ndarray
    date_debut_invalidite: np.ndarray
    rang_mois_arret: np.ndarray
    date_effet_pension_invalidite: np.ndarray
    date_effet_donnee: bool
    date_liquidation_pension_invalidite: np.ndarray
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
    arret, rang_arret, _ = _mois_et_jour(population["date_debut_invalidite"])
    effet_donnee = "date_effet_pension_invalidite" in population
    effet = (
        population["date_effet_pension_invalidite"].to_numpy().astype(JOUR) if effet_donnee else np.full(n, SANS_ARRET)
    )
    zone = (
        _codes(population["zone_residence"], ZONES, "zone_residence")
        if "zone_residence" in population
        else np.zeros(n, dtype=np.int8)
    )
    return Entrees(
        famille=famille,
        nombre_familles=len(familles),
        role=_codes(population["role_famille"], ROLES, "role_famille"),
        date_naissance=naissance,
        rang_mois_naissance=rang_naissance,
        ne_apres_le_1er=jour_naissance > 1,
        date_debut_invalidite=arret,
        rang_mois_arret=rang_arret,
        date_effet_pension_invalidite=effet,
        date_effet_donnee=effet_donnee,
        date_liquidation_pension_invalidite=date_liquidation_pension_invalidite(arret, effet)
        if effet_donnee
        else arret,
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
        zone_residence=zone,
        residence_fiscale_france=colonne("residence_fiscale_france", bool),
        affilie_assurance_maladie_france=colonne("affilie_assurance_maladie_france", bool),
        nbptr=colonne("nbptr", np.float64),
        salaires={a: population[c].to_numpy() for a, c in colonnes_salaire(population).items()},
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
        recue = (annees_salaire == int(str(date)[:4])) & (jusqua >= dates[rang + 1])
        coefficient = np.where(recue, coefficient * coefficients[rang], coefficient)
    return coefficient


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
    la liquidation ; au centime. Par sous-blocs de ``SOUS_BLOC`` personnes, les
    années le long de l'axe rapide."""
    annee_arret = e.rang_mois_arret[qui] // 12
    date_liquidation = e.date_liquidation_pension_invalidite[qui]
    regles = p.pension_invalidite.salaire_annuel_moyen
    retenues = arret.valeur(regles.nombre_annees_retenues).astype(np.int64)
    profondeur = arret.valeur(regles.profondeur_carriere).astype(np.int64)
    plafonds = p.references_sociales.plafond_annuel_securite_sociale
    premiere_annee = min(int(v.instant_str[:4]) for v in plafonds.values_list)
    carriere = {annee: s for annee, s in e.salaires.items() if annee >= premiere_annee}
    colonnes = list(carriere.values())
    annees_carriere = np.array(list(carriere), dtype=np.int64)
    janviers = premiers_janvier(annees_carriere)
    plafond_annee = np.array([plafonds(f"{annee}-01-01") for annee in annees_carriere], dtype=np.float64)
    # R351-9 : heures de SMIC au 1er janvier qui valident un trimestre.
    seuil_trimestre = valeur_aux_dates(regles.heures_smic_validant_un_trimestre, janviers) * valeur_aux_dates(
        p.references_sociales.smic_horaire_brut, janviers
    )
    plus_grand = int(retenues.max()) if qui.size else 0
    largeur = max(len(colonnes), plus_grand)
    sam = np.zeros(qui.size)
    exact = np.zeros(qui.size)
    for debut in range(0, qui.size, SOUS_BLOC):
        bloc = slice(debut, debut + SOUS_BLOC)
        lignes = qui[bloc]
        matrice = np.zeros((lignes.size, largeur))
        valeurs = matrice[:, : len(colonnes)]
        for j, salaire in enumerate(colonnes):
            valeurs[:, j] = salaire[lignes]
        # Une année compte si son salaire valide un trimestre, avant l'année de l'arrêt, dans la profondeur.
        a_arret = annee_arret[bloc, np.newaxis]
        retenu = valeurs >= seuil_trimestre
        retenu &= valeurs > 0
        retenu &= annees_carriere < a_arret
        retenu &= annees_carriere >= a_arret - profondeur[bloc, np.newaxis]
        np.minimum(valeurs, plafond_annee, out=valeurs)
        valeurs *= revalorisation_des_salaires(
            annees_carriere,
            liquidation.sous_ensemble(np.arange(qui.size)[bloc]),
            date_liquidation[bloc, np.newaxis],
            p,
        )
        valeurs *= retenu
        comptees = np.count_nonzero(retenu, axis=1)
        meilleures = np.sort(matrice, axis=1)[:, ::-1]
        nombre = retenues[bloc]
        if (nombre == plus_grand).all():
            somme = meilleures[:, :plus_grand].sum(axis=1)
        else:  # nombre d'années retenues différent selon la date de l'arrêt
            somme = np.take_along_axis(np.cumsum(meilleures, axis=1), (nombre - 1)[:, np.newaxis], axis=1)[:, 0]
        exact[bloc] = np.where(comptees > 0, somme / np.clip(comptees, 1, nombre), 0.0)
        sam[bloc] = np.round(exact[bloc], 2)
    if details is not None:
        details["salaire_annuel_moyen"] = (qui, exact)
    return sam


def salaire_annee_precedant_arret(e: Entrees, qui: np.ndarray) -> np.ndarray:
    """R341-17 2° : salaire de l'année civile précédant l'arrêt (non revalorisé)."""
    precedente = e.rang_mois_arret[qui] // 12 - 1
    resultat = np.zeros(qui.size)
    for annee, salaire in e.salaires.items():
        concernes = np.flatnonzero(precedente == annee)
        resultat[concernes] = salaire[qui[concernes]]
    return resultat


@dataclass
class Pensionnes:
    """Personnes dont la pension est classée et a pris effet au mois calculé :
    leurs entrées et ce qui est fixé à l'arrêt ou à la liquidation (une ligne
    par personne)."""

    index: np.ndarray
    date_liquidation_pension_invalidite: np.ndarray
    rang_mois_naissance: np.ndarray
    generation: np.ndarray
    categorie_invalidite: np.ndarray
    reduction_capacite_travail: np.ndarray
    revenus_activite: np.ndarray
    conditions_a_l_arret: np.ndarray
    salaire_annuel_moyen: np.ndarray
    rang_revalorisation_pension_a_la_liquidation: np.ndarray
    salaire_annee_precedant_arret: np.ndarray
    plafond_securite_sociale_annee_precedant_arret: np.ndarray
    revalorisation_salaire_annee_precedant_arret: np.ndarray
    #: Résultats qui ne dépendent que de valeurs de paramètres (âges de fin par barème).
    memo: dict = field(default_factory=dict, repr=False)

    def sous_ensemble(self, lignes: np.ndarray) -> Pensionnes:
        return Pensionnes(**{f.name: getattr(self, f.name)[lignes] for f in fields(self) if f.name != "memo"})


def pensionnes(
    e: Entrees,
    qui: np.ndarray,
    *,
    arret: PositionDesDates,
    liquidation: PositionDesDates,
    sam: np.ndarray,
    p: ParameterNode,
) -> Pensionnes:
    """Ce qui, pour la pension, ne dépend pas du mois : une fois par personne."""
    annee_arret = e.rang_mois_arret[qui] // 12
    rang_naissance = e.rang_mois_naissance[qui]
    date_liquidation = e.date_liquidation_pension_invalidite[qui]
    dates_pensions, _, _ = produit_des_coefficients(p.pension_invalidite.revalorisation.coefficient_pensions)
    pass_annuel = p.references_sociales.plafond_annuel_securite_sociale
    return Pensionnes(
        index=qui,
        date_liquidation_pension_invalidite=date_liquidation,
        rang_mois_naissance=rang_naissance,
        generation=generation(rang_naissance),
        categorie_invalidite=e.categorie_invalidite[qui],
        reduction_capacite_travail=e.reduction_capacite_travail[qui],
        revenus_activite=e.revenus_activite[qui],
        conditions_a_l_arret=pension_invalidite_condition_immatriculation(e, qui, arret, p)
        & pension_invalidite_condition_activite(e, qui, arret, p),
        salaire_annuel_moyen=sam,
        rang_revalorisation_pension_a_la_liquidation=liquidation.nombre_de_dates(dates_pensions),
        salaire_annee_precedant_arret=salaire_annee_precedant_arret(e, qui),
        plafond_securite_sociale_annee_precedant_arret=par_annee(
            lambda annees: valeur_aux_dates(pass_annuel, premiers_janvier(annees)), annee_arret - 1
        ),
        # Salaire de l'année précédant l'arrêt : revalorisé jusqu'à la liquidation comme ceux du SAM.
        revalorisation_salaire_annee_precedant_arret=revalorisation_des_salaires(
            annee_arret - 1, liquidation, date_liquidation, p
        ),
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


def pension_invalidite_eligible(c: Calendrier, g: Pensionnes, rang: int, revenus: np.ndarray) -> np.ndarray:
    """L341-1, L341-3, L341-4, R313-5, R341-12, L341-15, L341-16 : pension qui a pris
    effet et classée, capacité réduite des 2/3, conditions à l'arrêt, âge de fin non
    atteint (ou activité jusqu'à l'âge limite)."""
    p = c.au(rang)
    fin_de_droit = p.pension_invalidite.fin_de_droit
    commencee = g.date_liquidation_pension_invalidite <= dernier_jour(rang)
    capacite = g.reduction_capacite_travail >= p.pension_invalidite.conditions.reduction_capacite_minimale
    age = (rang <= pension_invalidite_age_fin(g, fin_de_droit.age_fin_pension)) | (
        (revenus > 0) & (rang <= pension_invalidite_age_fin(g, fin_de_droit.age_limite_poursuite_activite))
    )
    return commencee & capacite & g.conditions_a_l_arret & age


def revalorisation_pension(c: Calendrier, g: Pensionnes, montant: np.ndarray, rang: int) -> np.ndarray:
    """L341-6 : coefficients des pensions entrés en vigueur après la liquidation et au
    plus tard le 1er du mois ; au-dessus du seuil de la revalorisation différenciée
    (LFSS 2020 art. 81), le coefficient réduit à sa date."""
    revalorisation = c.parametres.pension_invalidite.revalorisation
    dates, coefficients, produit = produit_des_coefficients(revalorisation.coefficient_pensions)
    jusqua = int(np.searchsorted(dates, premier_jour(rang), side="right"))
    depuis = np.minimum(g.rang_revalorisation_pension_a_la_liquidation, jusqua)
    resultat = montant * (produit[jusqua] / produit[: jusqua + 1])[depuis]
    dates_seuil, limites = serie(revalorisation.seuil_revalorisation_differenciee)
    reduits = valeur_aux_dates(revalorisation.coefficient_au_dela_du_seuil, dates_seuil)
    for date_seuil, limite, reduit in zip(dates_seuil, limites, reduits, strict=True):
        rang_seuil = int(np.searchsorted(dates, date_seuil, side="left"))
        if np.isnan(limite) or rang_seuil >= jusqua or dates[rang_seuil] != date_seuil:
            continue
        concerne = depuis <= rang_seuil
        avant = montant * (produit[rang_seuil] / produit[: rang_seuil + 1])[np.minimum(depuis, rang_seuil)]
        resultat = np.where(concerne & (avant > limite), resultat * (reduit / coefficients[rang_seuil]), resultat)
    return resultat


def pension_de_la_section_3(
    c: Calendrier, g: Pensionnes, rang_periode: int, rang: int, *, details: bool = False
) -> np.ndarray:
    """R341-4 à R341-6, L341-5, L341-6 : montant du mois ``rang`` avec le taux et le SAM
    du mois ``rang_periode`` — taux × SAM / 12 revalorisé, entre le minimum et le
    maximum de la catégorie du mois ``rang``, au centime ; 0 avant la date d'effet."""
    periode = c.au(rang_periode).pension_invalidite.montant
    taux = np.array([0.0, periode.taux.categorie_1, periode.taux.categorie_2, periode.taux.categorie_3])
    liquidee = g.date_liquidation_pension_invalidite <= dernier_jour(rang_periode)
    sam = np.where(liquidee, g.salaire_annuel_moyen, 0.0)
    categorie = g.categorie_invalidite
    revalorise = revalorisation_pension(c, g, taux[categorie] * sam / 12, rang)
    p = c.au(rang)
    parts = p.pension_invalidite.montant.maximum_en_part_du_pmss
    maximum = np.round(
        np.array([0.0, parts.categorie_1, parts.categorie_2, parts.categorie_3])
        * p.references_sociales.plafond_mensuel_securite_sociale,
        2,
    )
    borne = np.clip(revalorise, p.pension_invalidite.montant.minimum, maximum[categorie])
    if details and c.details is not None:
        c.details["pension_invalidite_avant_cumul"] = (g.index, borne)
    effet = (g.date_liquidation_pension_invalidite <= dernier_jour(rang)) & (taux[categorie] > 0)
    return np.where(effet, np.round(borne, 2), 0.0)


def pension_invalidite_avant_cumul(c: Calendrier, g: Pensionnes, rang: int, eligible: np.ndarray) -> np.ndarray:
    """Le montant de la section 3 du mois, si la pension est due ; 0 sinon."""
    return np.where(eligible, pension_de_la_section_3(c, g, rang, rang, details=rang == c.rang), 0.0)


def pension_invalidite_seuil_cumul(c: Calendrier, g: Pensionnes, rang: int) -> np.ndarray:
    """R341-17 I : le plus élevé du SAM et du salaire de l'année précédant l'arrêt
    (plafonné, revalorisé jusqu'à la liquidation), revalorisé comme les pensions."""
    cumul = c.au(rang).pension_invalidite.cumul_revenus
    plafond = cumul.plafond_salaire_reference_en_pass * g.plafond_securite_sociale_annee_precedant_arret
    precedent = np.minimum(g.salaire_annee_precedant_arret, plafond) * g.revalorisation_salaire_annee_precedant_arret
    sam = np.where(g.date_liquidation_pension_invalidite <= dernier_jour(rang), g.salaire_annuel_moyen, 0.0)
    seuil = np.maximum(sam, precedent) if cumul.seuil_inclut_salaire_annuel_moyen else precedent
    dates, _, produit = produit_des_coefficients(c.parametres.pension_invalidite.revalorisation.coefficient_pensions)
    jusqua = int(np.searchsorted(dates, premier_jour(rang), side="right"))
    depuis = np.minimum(g.rang_revalorisation_pension_a_la_liquidation, jusqua)
    return seuil * (produit[jusqua] / produit[: jusqua + 1])[depuis]


def pension_invalidite_reduction_cumul(c: Calendrier, g: Pensionnes, rang: int, avant_cumul: np.ndarray) -> np.ndarray:
    """R341-17 II (depuis le 1/4/2022) : sur les 12 mois du 13e au 2e mois précédent,
    pension de la section 3 de chaque mois + revenus (des mois connus) − seuil ; la
    mensualité est réduite d'un douzième de 50 % du dépassement, au centime."""
    reduction = np.zeros(avant_cumul.size)
    if not ((avant_cumul > 0) & (g.revenus_activite > 0)).any():  # sans revenus, pas de cumul
        return reduction
    if mois_du_rang(rang) < DEBUT_CUMUL_ANNUEL:  # règle trimestrielle : hors du domaine de la référence
        msg = f"réduction pour cumul de {mois_du_rang(rang)} (règle trimestrielle d'avant avril 2022) non reproduite"
        raise HorsDomaine(msg)
    cumul = c.au(rang).pension_invalidite.cumul_revenus
    duree, recul = int(cumul.duree_periode_reference), int(cumul.debut_periode_reference)
    periode = range(rang - recul, rang - recul + duree)
    connus = sum(c.premier_connu <= k <= c.rang for k in periode)  # mois où les revenus sont donnés
    concernes = np.flatnonzero((avant_cumul > 0) & (g.revenus_activite > 0)) if connus else np.array([], int)
    if concernes.size == 0:
        return reduction
    h = g.sous_ensemble(concernes)
    pensions = sum(pension_de_la_section_3(c, h, rang, k) for k in periode)
    revenus = connus * h.revenus_activite
    seuil = pension_invalidite_seuil_cumul(c, h, rang) * duree / 12
    exacte = cumul.taux_reduction_depassement * np.maximum(pensions + revenus - seuil, 0.0) / duree
    pension = avant_cumul[concernes]
    reduction[concernes] = np.where(pensions > 0, np.minimum(np.round(exacte, 2), pension), 0.0)
    if c.details is not None:  # réductions de chaque mois calculé (celui-ci et les mois passés)
        c.details.setdefault("pension_invalidite_reduction_cumul", []).append((rang, h.index, exacte))
    return reduction


def pension_invalidite(c: Calendrier, g: Pensionnes, rang: int) -> dict:
    """Pension du mois de rang ``rang`` pour les personnes de ``g`` : éligibilité,
    pension avant cumul, réduction pour cumul, pension servie."""
    if rang < c.premier_connu:  # avant les entrées : catégorie « non_classe », pas de pension
        zero = np.zeros(g.index.size)
        return {"pension_invalidite_eligible": zero > 0, "pension_invalidite": zero}
    revenus = g.revenus_activite if rang <= c.rang else np.zeros(g.index.size)
    eligible = pension_invalidite_eligible(c, g, rang, revenus)
    avant_cumul = pension_invalidite_avant_cumul(c, g, rang, eligible)
    reduction = pension_invalidite_reduction_cumul(c, g, rang, avant_cumul)
    return {"pension_invalidite_eligible": eligible, "pension_invalidite": np.maximum(avant_cumul - reduction, 0.0)}


def majoration_tierce_personne(e: Entrees, p: ParameterNode, eligible: np.ndarray) -> np.ndarray:
    """R341-6 : montant forfaitaire du mois pour les invalides de 3e catégorie dont la pension est due."""
    troisieme = e.categorie_invalidite == CATEGORIES.index("categorie_3")
    return np.where(eligible & troisieme, p.pension_invalidite.majoration_tierce_personne.montant, 0.0)


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
        e,
        liquidee[classes],
        arret=a.sous_ensemble(classes),
        liquidation=liquidation.sous_ensemble(classes),
        sam=sam[classes],
        p=parametres,
    )
    ligne_pension = np.full(n, -1)
    ligne_pension[g.index] = np.arange(g.index.size)

    # Pension et MTP du mois.
    du_mois = pension_invalidite(c, g, rang)
    eligible = np.zeros(n, dtype=bool)
    eligible[g.index] = du_mois["pension_invalidite_eligible"]
    pension = np.zeros(n)
    pension[g.index] = du_mois["pension_invalidite"]
    mtp = majoration_tierce_personne(e, p, eligible)

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
