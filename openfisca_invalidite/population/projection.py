"""Chiffrer une réforme sur plusieurs années, sur une population qui évolue.

API
---
``projeter(population=None, annees="2026-2035", reformes=(), *, taille=10_000,
graine=2025, revalorisation="publiee", deces=True, entrees=True, groupes=(),
decile_de=None, **options) -> Projection``

- ``population`` : DataFrame au schéma, chemin CSV/Excel/Parquet, ou ``None``
  pour la population synthétique (``taille`` personnes, ``graine``), tirée au
  1er janvier de la première année ;
- ``annees`` : ``"2026-2035"``, ``range(2026, 2036)``, une liste ou une année ;
  chaque année est calculée sur ses 12 mois (montants sommés) ;
- ``revalorisation`` : ``"publiee"`` (hypothèses sourcées de
  ``data/hypotheses_projection.yaml``), ``None`` ou ``"aucune"`` (barèmes gelés
  à leur dernière valeur : un avertissement le dit), un dictionnaire
  (``{"inflation": 0.02, "croissance_salaires": {2027: 0.03}}``) ou une
  :class:`.revalorisation.Revalorisation` ;
- ``deces``, ``entrees`` : mortalité et nouveaux pensionnés (:mod:`.demographie`) ;
- ``groupes`` : colonnes d'entrée ou de résultat par lesquelles regrouper les
  agrégats et les écarts ; ``decile_de`` : colonne numérique des déciles (défaut :
  le revenu tiré des prestations) ;
- ``options`` : passées à :func:`.moteur.simuler` (``taille_bloc``, ``moteur``…).

Le résultat :class:`Projection` porte ``annuel`` (par année, scénario et
prestation : bénéficiaires, montant moyen, coût annuel), ``budget`` (par année
et réforme : écart de coût par prestation, gagnants, perdants), ``deciles``,
``groupes``, ``demographie`` (décès, sorties, entrées, pensionnés en service),
``personnes`` (résultats individuels de la dernière année), ``avertissements``,
``execution`` et ``ecrire(dossier)``.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from openfisca_invalidite.population.agregats import (
    DIMENSIONS,
    ColonneInconnue,
    agreger,
    ecarts_reformes,
    gains,
    verifier_colonne,
)
from openfisca_invalidite.population.distribution import gains_par_decile
from openfisca_invalidite.population.moteur import (
    VARIABLES,
    barre_de_progression,
    noms_scenarios,
    scenarios_de,
    simuler,
    systeme_de_base,
    verifier_periode_couverte,
)
from openfisca_invalidite.population.revalorisation import (
    Revalorisation,
    baremes_geles,
    hypotheses_publiees,
    sources_hypotheses,
)
from openfisca_invalidite.population.schema import (
    ANNEES_ADMISES,
    PopulationInvalide,
    lire_population,
    valider_population,
    verifier_periode,
)
from openfisca_invalidite.population.synthetique import generer_population

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from openfisca_invalidite.population.moteur import ReformeDemandee

journal = logging.getLogger(__name__)

ANNEES_MAXIMUM = 60
MOTIF_ANNEES = re.compile(r"^\s*(\d{4})\s*(?:[-:]|\.\.)\s*(\d{4})\s*$")


class PeriodeInvalide(ValueError):
    """Années illisibles ou hors des bornes ; ``motif`` : le message sans les années."""

    def __init__(self, annees: object, motif: str) -> None:
        self.motif = motif
        super().__init__(f"années « {annees} » : {motif}")


# --------------------------------------------------------------------------- options communes
def lire_annees(annees: str | int | Iterable[int]) -> list[int]:
    """``"2026-2035"`` (ou ``2026:2035``), une année, ou une suite d'années consécutives,
    parmi les années admises (``ANNEES_ADMISES``), ``ANNEES_MAXIMUM`` au plus."""
    if isinstance(annees, str):
        trouve = MOTIF_ANNEES.match(annees)
        if trouve:
            debut, fin = int(trouve.group(1)), int(trouve.group(2))
        elif annees.strip().isdigit() and len(annees.strip()) == len("AAAA"):
            debut = fin = int(annees)
        else:
            raise PeriodeInvalide(annees, "AAAA-AAAA attendu (par exemple 2026-2035)")
        liste = list(range(debut, fin + 1))
    elif isinstance(annees, int):
        liste = [annees]
    else:
        liste = [int(a) for a in annees]
    if not liste or liste != list(range(liste[0], liste[0] + len(liste))):
        raise PeriodeInvalide(annees, "une suite croissante d'années consécutives est attendue")
    if not (ANNEES_ADMISES[0] <= liste[0] and liste[-1] <= ANNEES_ADMISES[1]):
        raise PeriodeInvalide(annees, f"années hors de {ANNEES_ADMISES[0]}-{ANNEES_ADMISES[1]}")
    if len(liste) > ANNEES_MAXIMUM:
        raise PeriodeInvalide(annees, f"{len(liste)} ans, au plus {ANNEES_MAXIMUM}")
    return liste


def lire_revalorisation(revalorisation: str | dict | Revalorisation | None) -> Revalorisation | None:
    if revalorisation is None or revalorisation == "aucune":
        return None
    if revalorisation == "publiee":
        return hypotheses_publiees()
    if isinstance(revalorisation, Revalorisation):
        return revalorisation
    if isinstance(revalorisation, dict):
        return Revalorisation.depuis(revalorisation)
    msg = f"revalorisation « {revalorisation} » : « publiee », « aucune », un dictionnaire ou une Revalorisation"
    raise ValueError(msg)


def obtenir_population(  # noqa: PLR0917 — les options de la population, dans l'ordre de projeter
    population: pd.DataFrame | str | Path | None,
    mois: str,
    taille: int,
    graine: int,
    format_date: str | None,
    carriere: str | Path | None = None,
) -> tuple[pd.DataFrame, dict]:
    """Population validée et sa description pour le manifeste. La population
    synthétique est tirée pour ``mois`` (AAAA-MM), le premier mois calculé.
    ``carriere`` : la table longue de carrière d'une population lue d'un fichier."""
    if population is None:
        decrite = {"source": "population synthétique intégrée", "taille": taille, "graine": graine, "mois_tirage": mois}
        return valider_population(generer_population(taille, mois, graine)), decrite
    if isinstance(population, (str, Path)):
        decrite = {"source": str(population), "fichier": str(population)}
        if carriere is not None:
            decrite["carriere"] = str(carriere)
        return lire_population(population, carriere, format_date=format_date), decrite
    if carriere is not None:
        msg = "carriere= accompagne une population lue d'un fichier (un chemin), pas un DataFrame"
        raise TypeError(msg)
    return valider_population(population, format_date=format_date), {"source": "DataFrame", "lignes": len(population)}


def verifier_dates(population: pd.DataFrame, decrite: dict, premier_jour: str, dernier_jour: str) -> None:
    """:func:`.schema.verifier_periode`, l'erreur rattachée au fichier lu s'il y en a un."""
    try:
        verifier_periode(population, premier_jour, dernier_jour)
    except PopulationInvalide as erreur:
        if decrite.get("fichier"):
            erreur.dans(decrite["fichier"])
        raise


def colonnes_de_resultat(population: pd.DataFrame) -> list[str]:
    """Colonnes qu'aura un tableau de résultats de cette population."""
    calculees = [v for v in VARIABLES if v in systeme_de_base().variables]
    return [*population.columns, "age", "tranche_age", *calculees]


def verifier_demandes(population: pd.DataFrame, groupes: Sequence[str], decile_de: str | None) -> None:
    """Une colonne de regroupement ou de déciles mal orthographiée est dite avant le calcul."""
    modele = pd.DataFrame(columns=colonnes_de_resultat(population))
    for nom in groupes:
        verifier_colonne(modele, nom)
    if decile_de is not None:
        verifier_colonne(modele, decile_de)
        if decile_de in population.columns and not pd.api.types.is_numeric_dtype(population[decile_de]):
            msg = f"colonne « {decile_de} » : des déciles demandent une colonne numérique"
            raise ColonneInconnue(msg)


def avertir_gel(revalorisation: Revalorisation | None, dernier_jour: str) -> list[str]:
    """Sans revalorisation, dit quels barèmes restent gelés dans la période (jamais en silence)."""
    if revalorisation is not None:
        return []
    geles = baremes_geles(systeme_de_base(), dernier_jour)
    if not geles:
        return []
    premiere = min(geles.values())
    message = (
        f"sans revalorisation, {len(geles)} barèmes restent gelés à leur dernière valeur publiée "
        f"à partir du {premiere} ({', '.join(sorted(geles))}) : les montants au-delà sont en euros gelés"
    )
    warnings.warn(message, UserWarning, stacklevel=3)
    return [message]


def decrire_revalorisation(revalorisation: Revalorisation | None, dernier_jour: str) -> str:
    """La revalorisation telle que les sorties l'écrivent (sans objet si tout barème est publié sur la période)."""
    if not baremes_geles(systeme_de_base(), dernier_jour):
        return "sans objet (chaque barème a une valeur publiée sur toute la période)"
    if revalorisation is None:
        return "aucune (barèmes gelés à leur dernière valeur publiée)"
    return revalorisation.decrire()


def analyser(
    resultats: pd.DataFrame, nombre_mois: int, groupes: Sequence[str], decile_de: str | None
) -> dict[str, pd.DataFrame]:
    """Agrégats, écarts, gains par décile d'un tableau de résultats."""
    dimensions = (*DIMENSIONS, *groupes)
    return {
        "agregats": agreger(resultats, nombre_mois, dimensions),
        "ecarts_reformes": ecarts_reformes(resultats, nombre_mois, dimensions),
        "deciles": gains_par_decile(resultats, nombre_mois, decile_de),
    }


def ajouter_gains(resultats: pd.DataFrame) -> pd.DataFrame:
    for reforme in scenarios_de(resultats)[1:]:
        resultats[f"gain__{reforme}"] = gains(resultats, reforme)
    return resultats


def verifier_fini(tables: dict[str, pd.DataFrame]) -> None:
    """Garde-fou : un agrégat infini ou indéfini n'est jamais écrit."""
    for nom, tableau in tables.items():
        nombres = tableau.select_dtypes("number")
        if nombres.empty:
            continue
        mauvais = ~np.isfinite(nombres.to_numpy(dtype=np.float64)) & nombres.notna().to_numpy()
        if mauvais.any():
            colonne = nombres.columns[np.flatnonzero(mauvais.any(axis=0))[0]]
            msg = f"agrégat « {nom} », colonne « {colonne} » : valeur infinie (poids ou montants trop grands)"
            raise ValueError(msg)


# --------------------------------------------------------------------------- projection
@dataclass
class Projection:
    annuel: pd.DataFrame
    budget: pd.DataFrame
    deciles: pd.DataFrame
    groupes: pd.DataFrame
    demographie: pd.DataFrame
    personnes: pd.DataFrame
    annees: list[int]
    execution: dict
    avertissements: list[str] = field(default_factory=list)
    fichiers: list[Path] = field(default_factory=list)

    @property
    def reformes(self) -> list[str]:
        return sorted(set(self.budget["reforme"])) if not self.budget.empty else []

    def ecart(self, reforme: str, annee: int | None = None, prestation: str = "total") -> float:
        """Écart de coût annuel (€) d'une année, ou cumulé sur la fenêtre si ``annee`` est None."""
        lignes = self.budget[self.budget["reforme"] == reforme]
        if annee is not None:
            lignes = lignes[lignes["annee"] == annee]
        return float(lignes[f"ecart_cout_annuel_{prestation}"].sum())

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "annuel": self.annuel,
            "budget": self.budget,
            "deciles": self.deciles,
            "groupes": self.groupes,
            "demographie": self.demographie,
        }

    def ecrire(
        self, dossier: str | Path, *, graphiques: bool = True, ecraser: bool = False, deja_prepare: bool = False
    ) -> list[Path]:
        from openfisca_invalidite.population import sorties

        tracer = None
        if graphiques:

            def tracer(chemin: Path, legende: str) -> list[Path]:
                from openfisca_invalidite.population.graphiques import tracer_projection

                return tracer_projection(self.annuel, self.budget, self.deciles, chemin, legende)

        self.fichiers = sorties.ecrire(
            dossier,
            self.tables(),
            self.personnes,
            self.execution,
            graphiques=tracer,
            ecraser=ecraser,
            deja_prepare=deja_prepare,
        )
        return self.fichiers


def projeter(
    population: pd.DataFrame | str | Path | None = None,
    annees: str | int | Iterable[int] = "2026-2035",
    reformes: Iterable[ReformeDemandee] = (),
    *,
    taille: int = 10_000,
    graine: int = 2025,
    revalorisation: str | dict | Revalorisation | None = "publiee",
    deces: bool = True,
    entrees: bool = True,
    groupes: Sequence[str] = (),
    decile_de: str | None = None,
    format_date: str | None = None,
    carriere: str | Path | None = None,
    commande: str | None = None,
    progression: bool = True,
    **options: object,
) -> Projection:
    """Loi en vigueur et réformes, année par année (voir le docstring du module)."""
    from openfisca_invalidite.population import sorties
    from openfisca_invalidite.population.demographie import en_service, evoluer

    liste = lire_annees(annees)
    reformes = tuple(reformes)
    noms = noms_scenarios(reformes)
    revalo = lire_revalorisation(revalorisation)
    groupes = list(dict.fromkeys(groupes))
    verifier_periode_couverte(str(liste[0]), reformes, revalo, liste[-1])
    population, decrite = obtenir_population(population, f"{liste[0]}-01", taille, graine, format_date, carriere)
    verifier_dates(population, decrite, f"{liste[0]}-01-01", f"{liste[0]}-01-31")
    verifier_demandes(population, groupes, decile_de)
    avertissements = avertir_gel(revalo, f"{liste[-1]}-12-31")
    rng = np.random.default_rng([graine, 1])
    morceaux: dict[str, list[pd.DataFrame]] = {"annuel": [], "budget": [], "deciles": [], "groupes": []}
    demographie = []
    barre = barre_de_progression(0, actif=progression, description="projection")
    try:
        for annee in liste:
            mouvements = None
            if annee != liste[0]:
                population, mouvements = evoluer(population, annee, rng, revalo, deces=deces, entrees=entrees)
            barre.total += len(population)
            barre.set_description(f"projection {annee}")
            resultats = simuler(
                population,
                str(annee),
                reformes,
                revalorisation=revalo,
                jusqua=liste[-1],
                progression=barre,
                valider=False,
                **options,
            )
            tables = analyser(resultats, 12, groupes, decile_de)
            agregats, ecarts = tables["agregats"], tables["ecarts_reformes"]
            ensemble = agregats["dimension"] == "ensemble"
            vue = agregats.loc[ensemble, ["scenario", "prestation", "beneficiaires", "montant_moyen", "cout_annuel"]]
            morceaux["annuel"].append(vue.assign(annee=annee))
            morceaux["groupes"].append(agregats[~ensemble].assign(annee=annee))
            if not ecarts.empty:
                morceaux["budget"].append(ecarts[ecarts["dimension"] == "ensemble"].assign(annee=annee))
            morceaux["deciles"].append(tables["deciles"].assign(annee=annee))
            pension = agregats[
                ensemble & (agregats["scenario"] == noms[0]) & (agregats["prestation"] == "pension_invalidite")
            ]
            demographie.append(
                {
                    "annee": annee,
                    "personnes": len(population),
                    "pensionnes_en_service_1er_janvier": float(
                        population["poids"].to_numpy()[en_service(population, annee)].sum()
                    ),
                    "beneficiaires_pension_dans_l_annee": float(pension["beneficiaires"].sum()),
                    **({} if mouvements is None else {k: v for k, v in mouvements.en_dict().items() if k != "annee"}),
                }
            )
            journal.debug("projection %s : %d personnes", annee, len(population))
    finally:
        barre.close()
    tables = {
        nom: _en_tete(pd.concat(liste_, ignore_index=True)) if liste_ else pd.DataFrame(columns=["annee", "reforme"])
        for nom, liste_ in morceaux.items()
    }
    tables["budget"] = tables["budget"].drop(columns=["dimension", "modalite"], errors="ignore")
    tables["demographie"] = pd.DataFrame(demographie)
    verifier_fini(tables)
    execution = {
        **sorties.execution_de_base(commande),
        "periode": f"{liste[0]}-{liste[-1]} (années civiles, 12 mois chacune)",
        "annees": liste,
        "reformes": noms[1:],
        "revalorisation": decrire_revalorisation(revalo, f"{liste[-1]}-12-31"),
        "revalorisation_courte": decrire_revalorisation(revalo, f"{liste[-1]}-12-31").split(" — ")[0],
        "sources_revalorisation": sources_hypotheses()
        if revalo is not None and revalo == hypotheses_publiees()
        else [],
        "population": decrite,
        "demographie": {"deces": deces, "entrees": entrees, "graine_evolution": [graine, 1]},
        "groupes": groupes,
        "decile_de": decile_de or "revenu tiré des prestations (loi en vigueur)",
        "avertissements": avertissements,
    }
    return Projection(
        annuel=tables["annuel"],
        budget=tables["budget"],
        deciles=tables["deciles"],
        groupes=tables["groupes"],
        demographie=tables["demographie"],
        personnes=ajouter_gains(resultats),
        annees=liste,
        execution=execution,
        avertissements=avertissements,
    )


def _en_tete(tableau: pd.DataFrame) -> pd.DataFrame:
    """``annee`` en première colonne."""
    if "annee" not in tableau.columns:
        return tableau
    return tableau[["annee", *[c for c in tableau.columns if c != "annee"]]]
