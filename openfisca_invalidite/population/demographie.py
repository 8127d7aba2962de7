"""La population d'une année à la suivante (projections pluriannuelles).

:func:`evoluer` fait passer une population (au schéma, déjà validée) de
l'année N − 1 à l'année N, avec un générateur aléatoire à graine :

1. **décès** au cours de N − 1, tirés selon les quotients de
   ``data/mortalite.csv`` (sexe, âge atteint dans l'année ; sexe inconnu :
   moyenne des deux). Le conjoint d'un demandeur décédé devient le demandeur ;
   sans conjoint, le foyer sort de la population ;
2. **sortie du champ** des foyers dont le demandeur dépasse l'âge de
   ``sortie_du_champ`` (la pension s'arrête d'elle-même à l'âge de L341-15 :
   c'est la chaîne OpenFisca qui le calcule, chaque année, selon la loi ou la
   réforme) ;
3. **entrées** : nouveaux pensionnés de l'année N au taux publié (part de
   l'effectif des pensionnés en service), tirés par
   :func:`.synthetique.generer_entrants`, pondérés pour que le flux pondéré soit
   le flux publié ;
4. **revenus et carrières** : revenus d'activité et salaire des 12 mois ×
   (1 + croissance du salaire moyen de N), autres ressources × (1 + inflation
   de N), et une colonne ``salaire_<N − 1>`` (12 × revenus d'activité) pour qui
   n'en a pas.

Les âges avancent d'eux-mêmes : les dates de naissance ne changent pas, la
période calculée avance. Les hypothèses et leurs sources sont dans
``data/hypotheses_projection.yaml`` ; :func:`table_mortalite` régénère
``data/mortalite.csv`` depuis elles (un test vérifie qu'ils concordent).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import yaml

from openfisca_invalidite.population.schema import (
    colonnes_non_salariees,
    colonnes_rfr,
    colonnes_salaire,
    valider_population,
)
from openfisca_invalidite.population.synthetique import generer_entrants

if TYPE_CHECKING:
    from openfisca_invalidite.population.revalorisation import Revalorisation

journal = logging.getLogger(__name__)

DONNEES = Path(__file__).resolve().parent / "data"
FICHIER_MORTALITE = DONNEES / "mortalite.csv"
AGE_MAXIMUM_TABLE = 110
#: Âge à partir duquel on ne compte plus une personne parmi les pensionnés en service (L341-15).
AGE_FIN_PENSION = 62
JOURS_PAR_AN = 365.25


@functools.cache
def hypotheses() -> dict:
    with (DONNEES / "hypotheses_projection.yaml").open(encoding="utf-8") as fichier:
        return yaml.safe_load(fichier)


def table_mortalite() -> pd.DataFrame:
    """Quotients annuels de décès (âge 0 à 110) de la loi de Gompertz calée sur
    l'espérance de vie à la naissance publiée (voir ``hypotheses_projection.yaml``)."""
    h = hypotheses()["mortalite"]
    ages = np.arange(AGE_MAXIMUM_TABLE + 1)
    colonnes = {"age": ages}
    for sexe in ("femme", "homme"):
        pente = float(h["pente_gompertz"][sexe])
        niveau = _niveau_gompertz(float(h["esperance_de_vie_naissance"][sexe]), pente)
        quotient = 1 - np.exp(-niveau / pente * np.exp(pente * ages) * (np.exp(pente) - 1))
        quotient[-1] = 1.0
        colonnes[f"quotient_{sexe}"] = np.round(quotient, 6)
    return pd.DataFrame(colonnes)


def _niveau_gompertz(esperance: float, pente: float) -> float:
    """Niveau a tel que l'espérance de vie à la naissance de la loi a·exp(pente·x) vaille ``esperance``."""
    x = np.arange(0, 140, 0.01)

    def esperance_de(a: float) -> float:
        return float(np.exp(-a / pente * (np.exp(pente * x) - 1)).sum() * 0.01)

    bas, haut = 1e-9, 1e-1
    for _ in range(200):  # dichotomie sur une échelle logarithmique
        milieu = np.sqrt(bas * haut)
        if esperance_de(milieu) > esperance:
            bas = milieu
        else:
            haut = milieu
    return float(np.sqrt(bas * haut))


@functools.cache
def quotients() -> pd.DataFrame:
    return pd.read_csv(FICHIER_MORTALITE).set_index("age")


@dataclass
class Mouvements:
    annee: int
    deces: float = 0.0
    sorties: float = 0.0
    entrees: float = 0.0
    personnes_entrees: int = 0

    def en_dict(self) -> dict:
        return {
            "annee": self.annee,
            "deces_ponderes": self.deces,
            "sorties_du_champ_ponderees": self.sorties,
            "entrees_ponderees": self.entrees,
            "lignes_entrees": self.personnes_entrees,
        }


def quotient_de_deces(population: pd.DataFrame, annee: int) -> np.ndarray:
    table = quotients()
    age = np.clip(
        annee - population["date_naissance"].to_numpy().astype("datetime64[Y]").astype(np.int64) - 1970,
        0,
        AGE_MAXIMUM_TABLE,
    )
    femme = table["quotient_femme"].to_numpy()[age]
    homme = table["quotient_homme"].to_numpy()[age]
    if "sexe" not in population:
        return (femme + homme) / 2
    sexe = population["sexe"].astype(object).to_numpy()
    return np.select([sexe == "femme", sexe == "homme"], [femme, homme], (femme + homme) / 2)


def en_service(population: pd.DataFrame, annee: int) -> np.ndarray:
    """Pensionnés en service au 1er janvier de ``annee`` : classés, invalidité commencée, moins de 62 ans."""
    debut = np.datetime64(f"{annee}-01-01", "D")
    age = (debut - population["date_naissance"].to_numpy().astype("datetime64[D]")).astype(np.int64) / JOURS_PAR_AN
    return (
        (population["categorie_invalidite"].astype(str).to_numpy() != "non_classe")
        & (population["date_debut_invalidite"].to_numpy().astype("datetime64[D]") < debut)
        & (age < AGE_FIN_PENSION)
    )


def evoluer(
    population: pd.DataFrame,
    annee: int,
    rng: np.random.Generator,
    revalorisation: Revalorisation | None,
    *,
    deces: bool = True,
    entrees: bool = True,
) -> tuple[pd.DataFrame, Mouvements]:
    """La population de ``annee`` à partir de celle de ``annee − 1`` (voir le module)."""
    h = hypotheses()
    mouvements = Mouvements(annee)
    population = population.reset_index(drop=True)
    poids = population["poids"].to_numpy()
    roles = population["role_famille"].to_numpy().astype(str)
    famille = population["famille_id"].to_numpy()

    # 1. Décès au cours de l'année précédente.
    meurt = (
        rng.uniform(size=len(population)) < quotient_de_deces(population, annee - 1)
        if deces
        else np.zeros(len(population), dtype=bool)
    )
    mouvements.deces = float(poids[meurt].sum())
    demandeur_decede = pd.Series(meurt & (roles == "demandeur")).groupby(famille).transform("any").to_numpy()
    conjoint_vivant = pd.Series(~meurt & (roles == "conjoint")).groupby(famille).transform("any").to_numpy()
    roles = np.where(demandeur_decede & conjoint_vivant & (roles == "conjoint"), "demandeur", roles)
    garde = ~meurt & ~(demandeur_decede & ~conjoint_vivant)

    # 2. Sortie du champ des foyers âgés.
    age_sortie = float(h["sortie_du_champ"]["age"]["valeur"])
    debut = np.datetime64(f"{annee}-01-01", "D")
    age = (debut - population["date_naissance"].to_numpy().astype("datetime64[D]")).astype(np.int64) / JOURS_PAR_AN
    trop_age = (
        pd.Series((roles == "demandeur") & garde & (age > age_sortie)).groupby(famille).transform("any").to_numpy()
    )
    mouvements.sorties = float(poids[garde & trop_age].sum())
    garde &= ~trop_age
    suivante = population[garde].copy()
    suivante["role_famille"] = roles[garde]

    # 4. Revenus et carrières (avant les entrées, qui sont tirées pour l'année même).
    if revalorisation is not None:
        salaires = 1 + revalorisation.taux("croissance_salaires", annee)
        prix = 1 + revalorisation.taux("inflation", annee)
        for colonne in ("revenus_activite", "salaire_cotise_12_mois"):
            suivante[colonne] = (suivante[colonne].to_numpy() * salaires).round(2)
        suivante["autres_ressources"] = (suivante["autres_ressources"].to_numpy() * prix).round(2)
    colonne = f"salaire_{annee - 1}"
    if colonne not in suivante:
        suivante[colonne] = (12 * suivante["revenus_activite"].to_numpy()).astype(np.float32)
    # Revenu fiscal de référence (taux de CSG de N : RFR de N − 2 et N − 3) : celui de N − 3
    # suit le salaire moyen de N − 2 (ou reste tel quel sans revalorisation).
    rfr = colonnes_rfr(suivante)
    if rfr and (annee - 2) not in rfr and (annee - 3) in rfr:
        croissance = 1 + (revalorisation.taux("croissance_salaires", annee - 2) if revalorisation else 0.0)
        suivante[f"rfr_{annee - 2}"] = np.round(suivante[rfr[annee - 3]].to_numpy() * croissance)

    # 3. Entrées de l'année.
    if entrees:
        suivante = _ajouter_entrants(suivante, population, annee, rng, h=h["entrees"], mouvements=mouvements)
    return valider_population(suivante), mouvements


def _ajouter_zeros(tableau: pd.DataFrame, colonnes: list[str]) -> pd.DataFrame:
    """``tableau`` avec des colonnes de carrière nulles (en un seul bloc)."""
    if not colonnes:
        return tableau
    zeros = pd.DataFrame(
        np.zeros((len(tableau), len(colonnes)), dtype=np.float32), columns=colonnes, index=tableau.index
    )
    return pd.concat([tableau, zeros], axis=1)


def _ajouter_entrants(
    suivante: pd.DataFrame,
    population: pd.DataFrame,
    annee: int,
    rng: np.random.Generator,
    *,
    h: dict,
    mouvements: Mouvements,
) -> pd.DataFrame:
    stock = en_service(population, annee - 1)
    if not stock.any():
        return suivante
    taux = float(h["taux_annuel"]["valeur"])
    flux = taux * float(population["poids"].to_numpy()[stock].sum())
    pensionnes = max(1, round(taux * int(stock.sum())))
    # generer_entrants tire des pensionnés et, pour une part, leurs conjoints.
    taille = int(
        np.ceil(
            pensionnes
            * (
                1
                + (population["role_famille"] == "conjoint").sum()
                / max(1, (population["role_famille"] == "demandeur").sum())
            )
        )
    )
    nouveaux = generer_entrants(
        taille,
        annee,
        int(rng.integers(2**31)),
        age_moyen=float(h["age_moyen"]["valeur"]),
        ecart_type_age=float(h["ecart_type_age"]["valeur"]),
    )
    pensionnes_tires = int((nouveaux["role_famille"] == "demandeur").sum())
    nouveaux["poids"] = flux / pensionnes_tires
    nouveaux = _identifiants_nouveaux(nouveaux, suivante, annee)
    # Carrières (salaires, revenus non salariés) : une année absente d'un côté vaut 0.
    carrieres_suivante = [*colonnes_salaire(suivante).values(), *colonnes_non_salariees(suivante).values()]
    carrieres_nouveaux = [*colonnes_salaire(nouveaux).values(), *colonnes_non_salariees(nouveaux).values()]
    nouveaux = _ajouter_zeros(nouveaux, [c for c in carrieres_suivante if c not in nouveaux])
    suivante = _ajouter_zeros(suivante, [c for c in carrieres_nouveaux if c not in suivante])
    rfr_nouveaux = colonnes_rfr(nouveaux)
    for colonne in colonnes_rfr(suivante).values():
        if colonne not in nouveaux and rfr_nouveaux:  # années que le taux de CSG ne lit plus : la plus ancienne connue
            nouveaux[colonne] = nouveaux[rfr_nouveaux[min(rfr_nouveaux)]].to_numpy()
    nouveaux = valider_population(nouveaux)
    nouveaux = nouveaux.drop(columns=[c for c in nouveaux.columns if c not in suivante.columns])
    for colonne in suivante.columns.difference(nouveaux.columns):  # colonnes propres à l'entrée : non renseignées
        nouveaux[colonne] = pd.Series(pd.NA, index=nouveaux.index, dtype=suivante[colonne].dtype)
    mouvements.entrees = flux
    mouvements.personnes_entrees = len(nouveaux)
    return pd.concat([suivante, nouveaux], ignore_index=True)


def _identifiants_nouveaux(nouveaux: pd.DataFrame, existants: pd.DataFrame, annee: int) -> pd.DataFrame:
    """Identifiants des entrants qui ne heurtent pas ceux de la population."""
    nouveaux = nouveaux.copy()
    for colonne in ("id", "famille_id"):
        valeurs = existants[colonne]
        if pd.api.types.is_integer_dtype(valeurs):
            base = int(max(valeurs.max(), existants["id"].max() if colonne == "famille_id" else valeurs.max())) + 1
            nouveaux[colonne] = nouveaux[colonne].to_numpy() + base
        else:
            nouveaux[colonne] = f"entrant-{annee}-" + nouveaux[colonne].astype(str)
    return nouveaux


__all__ = ["Mouvements", "evoluer", "quotient_de_deces", "table_mortalite"]
