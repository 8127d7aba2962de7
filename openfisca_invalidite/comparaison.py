"""Comparer la loi en vigueur et une ou plusieurs réformes sur la même population, pour une période.

API
---
``comparer(population=None, periode="2025-06", reformes=(), *, taille=10_000,
graine=2025, nombre_mois=None, revalorisation="publiee", groupes=(),
decile_de=None, format_date=None, **options) -> Comparaison``

- ``population`` : DataFrame au schéma de
  :mod:`openfisca_invalidite.population.schema` (une ligne par personne), un
  chemin CSV, Excel ou Parquet, ou ``None`` pour la population synthétique de
  ``taille`` personnes (graine ``graine``), tirée pour le premier mois calculé
  (celui que la ligne de commande tire aussi : mêmes options, mêmes nombres).
- ``periode`` : ``"AAAA-MM"`` (un mois) ou ``"AAAA"`` (12 mois, montants sommés) ;
  une période antérieure au premier mois que couvrent les barèmes est refusée
  avant tout calcul (``PeriodeInvalide``, qui nomme ce mois).
- ``carriere`` : table longue de carrière (``id``, ``annee``,
  ``salaire_brut_annuel``) d'une population donnée par un chemin.
- ``reformes`` : noms du registre ``openfisca_invalidite.reforms.REFORMES``,
  classes ``openfisca_core.reforms.Reform``, couples ``(nom, classe)`` ou
  fabriques sans argument rendant une classe. Un nom inconnu lève
  ``ReformeInconnue`` qui liste les noms disponibles.
- ``revalorisation``, ``groupes``, ``decile_de`` : comme
  :func:`openfisca_invalidite.population.projection.projeter`.
- ``options`` : passées à :func:`openfisca_invalidite.population.simuler`
  (``taille_bloc``, ``moteur="dask"``, ``scheduler``, ``progression``…).

Le résultat :class:`Comparaison` porte :

- ``personnes`` : une ligne par personne, ``<variable>`` pour la loi en vigueur,
  ``<variable>__<réforme>`` pour chaque réforme, et ``gain__<réforme>`` (écart
  du revenu disponible tiré des prestations — pension nette de CSG, CRDS et
  CASA, MTP, ASI, AAH — quand la population donne le revenu fiscal de
  référence, sinon de la somme des prestations versées ; en € par mois — par
  an si ``periode`` est une année) ;
- ``agregats`` : table de :func:`openfisca_invalidite.population.agreger` ;
- ``ecarts`` : table de :func:`openfisca_invalidite.population.ecarts_reformes`
  (écart de coût par prestation, écart de revenu disponible, gagnants,
  perdants, gain et perte moyens) ;
- ``deciles`` : gains par décile pondéré (:mod:`.population.distribution`) ;
- ``ecart(reforme, prestation="total")`` : écart de coût annuel pondéré (€) ;
- ``ecrire(dossier, graphiques=True, ecraser=False)`` : Parquet, CSV, Excel, PNG
  et ``execution.json``.

``comparer_par_morceaux(morceaux, dossier, periode, reformes, *, population,
**comme comparer)`` : la même comparaison sur une population donnée morceau par
morceau (:func:`.population.lecture.lire_par_morceaux`,
:func:`.population.synthetique.generer_par_morceaux`), chaque morceau calculé
puis écrit dans ``dossier/personnes.parquet`` (un groupe de lignes par
morceau) et libéré ; les tables sont calculées ensuite sur les seules colonnes
qu'elles lisent, relues du fichier. Mêmes résultats que :func:`comparer` sur
la population entière.

Exemple ::

    from openfisca_invalidite.comparaison import comparer

    c = comparer(taille=20_000, reformes=["nom_de_reforme"])
    c.ecarts.query("dimension == 'ensemble'")
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from openfisca_invalidite.population.moteur import (
    mois_de,
    noms_scenarios,
    scenarios_de,
    simuler,
    verifier_periode_couverte,
)
from openfisca_invalidite.population.projection import (
    ajouter_gains,
    analyser,
    avertir_gel,
    decrire_revalorisation,
    lire_revalorisation,
    obtenir_population,
    verifier_dates,
    verifier_demandes,
    verifier_fini,
)
from openfisca_invalidite.population.revalorisation import hypotheses_publiees, sources_hypotheses

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import pandas as pd

    from openfisca_invalidite.population.moteur import ReformeDemandee
    from openfisca_invalidite.population.revalorisation import Revalorisation


@dataclass
class Comparaison:
    personnes: pd.DataFrame
    agregats: pd.DataFrame
    ecarts: pd.DataFrame
    periode: str
    nombre_mois: int
    deciles: pd.DataFrame | None = None
    execution: dict = field(default_factory=dict)
    avertissements: list[str] = field(default_factory=list)
    fichiers: list = field(default_factory=list)
    #: ``personnes.parquet`` déjà écrit morceau par morceau (``personnes`` n'a alors
    #: que les colonnes des tables et des graphiques).
    personnes_ecrites: Path | None = None

    @property
    def reformes(self) -> list[str]:
        return scenarios_de(self.personnes)[1:]

    def ecart(self, reforme: str, prestation: str = "total") -> float:
        """Écart de coût annuel pondéré de ``reforme`` pour ``prestation`` (ou ``total``), en euros."""
        ligne = self.ecarts[(self.ecarts["reforme"] == reforme) & (self.ecarts["dimension"] == "ensemble")]
        return float(ligne[f"ecart_cout_annuel_{prestation}"].iloc[0])

    def tables(self) -> dict[str, pd.DataFrame]:
        tables = {"agregats": self.agregats}
        if self.reformes:
            tables["ecarts_reformes"] = self.ecarts
            if self.deciles is not None:
                tables["deciles"] = self.deciles
        return tables

    def ecrire(
        self, dossier: str | Path, *, graphiques: bool = True, ecraser: bool = False, deja_prepare: bool = False
    ) -> list[Path]:
        """Écrit personnes.parquet, agregats.csv, ecarts_reformes.csv, deciles.csv,
        resultats.xlsx, execution.json (et les PNG) ; voir :mod:`.population.sorties`."""
        from openfisca_invalidite.population import sorties

        tracer = None
        if graphiques:

            def tracer(chemin: Path, legende: str) -> list[Path]:
                from openfisca_invalidite.population.graphiques import tracer_tout

                deciles = self.deciles if self.reformes else None
                return tracer_tout(self.personnes, self.agregats, chemin, legende, deciles)

        self.fichiers = sorties.ecrire(
            dossier,
            self.tables(),
            None if self.personnes_ecrites else self.personnes,
            self.execution,
            graphiques=tracer,
            ecraser=ecraser,
            deja_prepare=deja_prepare,
            deja_ecrits=[self.personnes_ecrites] if self.personnes_ecrites else (),
        )
        return self.fichiers


def _scenarios(
    periode: object, reformes: Iterable, revalorisation: object, groupes: Iterable[str]
) -> tuple[list, tuple, list[str], object, list[str]]:
    """Mois, réformes, noms des scénarios, hypothèses de revalorisation et groupes
    d'une comparaison, la période contrôlée avant toute lecture de la population."""
    mois = mois_de(periode)
    reformes = tuple(reformes)
    noms = noms_scenarios(reformes)
    revalo = lire_revalorisation(revalorisation)
    verifier_periode_couverte(periode, reformes, revalo, int(str(periode)[:4]))
    return mois, reformes, noms, revalo, list(dict.fromkeys(groupes))


def comparer(
    population: pd.DataFrame | str | Path | None = None,
    periode: str = "2025-06",
    reformes: Iterable[ReformeDemandee] = (),
    *,
    taille: int = 10_000,
    graine: int = 2025,
    nombre_mois: int | None = None,
    revalorisation: str | dict | Revalorisation | None = "publiee",
    groupes: Sequence[str] = (),
    decile_de: str | None = None,
    format_date: str | None = None,
    carriere: str | Path | None = None,
    commande: str | None = None,
    **options: object,
) -> Comparaison:
    """Loi en vigueur et réformes sur la même population (voir le docstring du module)."""
    mois, reformes, noms, revalo, groupes = _scenarios(periode, reformes, revalorisation, groupes)
    population, decrite = obtenir_population(population, mois[0], taille, graine, format_date, carriere)
    verifier_dates(population, decrite, f"{mois[0]}-01", str(_dernier_jour(mois[0])))
    verifier_demandes(population, groupes, decile_de)
    avertissements = avertir_gel(revalo, str(_dernier_jour(mois[-1])))
    nombre_mois = nombre_mois or len(mois)
    execution = _execution(commande, periode, noms, revalo, mois, decrite, groupes, decile_de, avertissements)
    personnes = simuler(
        population,
        periode,
        reformes,
        revalorisation=revalo,
        jusqua=int(str(periode)[:4]),
        valider=False,
        **options,
    )
    return _comparaison(ajouter_gains(personnes), periode, nombre_mois, groupes, decile_de, execution, avertissements)


def _comparaison(  # noqa: PLR0917 — ce que la comparaison rassemble
    personnes: pd.DataFrame,
    periode: object,
    nombre_mois: int,
    groupes: Sequence[str],
    decile_de: str | None,
    execution: dict,
    avertissements: list,
    personnes_ecrites: Path | None = None,
) -> Comparaison:
    """Les tables (agrégats, écarts des réformes, déciles) des résultats par
    personne, vérifiées finies, rassemblées en une :class:`Comparaison`."""
    tables = analyser(personnes, nombre_mois, groupes, decile_de)
    verifier_fini(tables)
    return Comparaison(
        personnes=personnes,
        agregats=tables["agregats"],
        ecarts=tables["ecarts_reformes"],
        periode=str(periode),
        nombre_mois=nombre_mois,
        deciles=tables["deciles"],
        execution=execution,
        avertissements=avertissements,
        personnes_ecrites=personnes_ecrites,
    )


def _execution(  # noqa: PLR0917 — les éléments du manifeste, dans son ordre
    commande: str | None,
    periode: str,
    noms: list[str],
    revalo: Revalorisation | None,
    mois: list[str],
    decrite: dict,
    groupes: list[str],
    decile_de: str | None,
    avertissements: list[str],
) -> dict:
    """Le manifeste d'une comparaison (``execution.json``), connu avant le calcul."""
    from openfisca_invalidite.population import sorties

    return {
        **sorties.execution_de_base(commande),
        "periode": str(periode),
        "reformes": noms[1:],
        "revalorisation": decrire_revalorisation(revalo, str(_dernier_jour(mois[-1]))),
        "revalorisation_courte": decrire_revalorisation(revalo, str(_dernier_jour(mois[-1]))).split(" — ")[0],
        "sources_revalorisation": sources_hypotheses()
        if revalo is not None and revalo == hypotheses_publiees()
        else [],
        "population": decrite,
        "groupes": groupes,
        "decile_de": decile_de or "revenu tiré des prestations (loi en vigueur)",
        "avertissements": avertissements,
    }


def comparer_par_morceaux(
    morceaux: Iterable[pd.DataFrame],
    dossier: str | Path,
    periode: str = "2025-06",
    reformes: Iterable[ReformeDemandee] = (),
    *,
    population: dict,
    nombre_mois: int | None = None,
    revalorisation: str | dict | Revalorisation | None = "publiee",
    groupes: Sequence[str] = (),
    decile_de: str | None = None,
    commande: str | None = None,
    **options: object,
) -> Comparaison:
    """:func:`comparer` sur une population donnée morceau par morceau (voir le module).

    ``morceaux`` : populations validées (:func:`.population.valider_population`) de
    familles entières ; ``dossier`` : où ``personnes.parquet`` est écrit au fil
    du calcul (et supprimé si une erreur l'interrompt), par exemple le
    ``chemin`` d'un dossier de sortie préparé
    (:func:`.population.sorties.preparer_dossier`), que l'on publie après
    ``Comparaison.ecrire(chemin, deja_prepare=True)`` ; ``population`` : sa description pour le manifeste
    (``source``, et ``fichier`` pour rattacher les erreurs de dates au fichier).
    La mémoire est celle du calcul d'un morceau, puis celle des colonnes que
    lisent les tables (poids, regroupements, montants de chaque scénario).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from openfisca_invalidite.population import sorties
    from openfisca_invalidite.population.moteur import simuler_par_morceaux

    mois, reformes, noms, revalo, groupes = _scenarios(periode, reformes, revalorisation, groupes)
    avertissements = avertir_gel(revalo, str(_dernier_jour(mois[-1])))
    execution = _execution(commande, periode, noms, revalo, mois, population, groupes, decile_de, avertissements)
    chemin = Path(dossier) / sorties.PERSONNES

    demandes_verifiees = False

    def controle(morceau: pd.DataFrame) -> pd.DataFrame:
        nonlocal demandes_verifiees
        verifier_dates(morceau, population, f"{mois[0]}-01", str(_dernier_jour(mois[0])))
        if not demandes_verifiees:  # regroupements et déciles : sur les colonnes du premier morceau
            verifier_demandes(morceau, groupes, decile_de)
            demandes_verifiees = True
        return morceau

    calculs = simuler_par_morceaux(
        # map, ni générateur ni enumerate (qui garde son dernier élément) : aucun
        # morceau n'y reste pendant que le suivant est lu et calculé
        map(controle, morceaux),
        periode,
        reformes,
        revalorisation=revalo,
        jusqua=int(str(periode)[:4]),
        valider=False,
        **options,
    )
    ecrivain = None
    try:
        for resultats in calculs:
            table = pa.Table.from_pandas(ajouter_gains(resultats), preserve_index=False)
            if ecrivain is None:
                metadonnees = {**(table.schema.metadata or {}), sorties.CLE_METADONNEES: sorties.texte(execution)}
                ecrivain = pq.ParquetWriter(chemin, table.schema.with_metadata(metadonnees))
            ecrivain.write_table(table.cast(ecrivain.schema))
            del resultats, table
    except BaseException:
        if ecrivain is not None:
            ecrivain.close()
        chemin.unlink(missing_ok=True)
        raise
    if ecrivain is None:
        msg = "aucune personne dans les morceaux"
        raise ValueError(msg)
    ecrivain.close()
    personnes = pq.read_table(chemin, columns=_colonnes_des_tables(chemin, groupes, decile_de)).to_pandas()
    nombre_mois = nombre_mois or len(mois)
    return _comparaison(
        personnes, periode, nombre_mois, groupes, decile_de, execution, avertissements, personnes_ecrites=chemin
    )


def _colonnes_des_tables(chemin: Path, groupes: Sequence[str], decile_de: str | None) -> list[str]:
    """Colonnes du fichier que lisent les tables et les graphiques : poids, regroupements,
    colonne des déciles, montants et gains de chaque scénario."""
    import pyarrow.parquet as pq

    from openfisca_invalidite.population.agregats import DIMENSIONS
    from openfisca_invalidite.population.moteur import MONTANTS_NETS, PRESTATIONS, REVENU_DISPONIBLE

    montants = {*PRESTATIONS, REVENU_DISPONIBLE, *MONTANTS_NETS}
    utiles = {"poids", *DIMENSIONS, *groupes, *([decile_de] if decile_de else [])}
    noms = pq.read_schema(chemin).names
    return [n for n in noms if n in utiles or n.split("__", 1)[0] in montants or n.startswith("gain__")]


def _dernier_jour(mois: str) -> object:
    from openfisca_core import periods

    return periods.period(mois).stop
