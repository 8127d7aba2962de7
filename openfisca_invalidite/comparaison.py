"""Comparer la loi en vigueur et une ou plusieurs réformes sur la même population.

API
---
``comparer(population=None, periode="2025-06", reformes=(), *, taille=10_000,
graine=2025, nombre_mois=None, **options) -> Comparaison``

- ``population`` : DataFrame au schéma de
  :mod:`openfisca_invalidite.population.schema` (une ligne par personne), ou un
  chemin CSV/Parquet, ou ``None`` pour la population synthétique de ``taille``
  personnes (graine ``graine``).
- ``periode`` : ``"AAAA-MM"`` (un mois) ou ``"AAAA"`` (12 mois, montants sommés).
- ``reformes`` : noms du registre ``openfisca_invalidite.reforms.REFORMES``,
  classes ``openfisca_core.reforms.Reform``, couples ``(nom, classe)`` ou
  fabriques sans argument rendant une classe. Un nom inconnu lève
  ``ReformeInconnue`` qui liste les noms disponibles.
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
- ``ecart(reforme, prestation="total")`` : écart de coût annuel pondéré (€) ;
- ``ecrire(dossier, graphiques=True)`` : Parquet, CSV et PNG.

Exemple ::

    from openfisca_invalidite.comparaison import comparer

    c = comparer(taille=20_000, reformes=["nom_de_reforme"])
    c.ecarts.query("dimension == 'ensemble'")
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from openfisca_invalidite.population.agregats import agreger, ecarts_reformes, gains
from openfisca_invalidite.population.moteur import LONGUEUR_MOIS, mois_de, scenarios_de, simuler
from openfisca_invalidite.population.schema import lire_population
from openfisca_invalidite.population.synthetique import generer_population

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import pandas as pd

    from openfisca_invalidite.population.moteur import ReformeDemandee


@dataclass
class Comparaison:
    personnes: pd.DataFrame
    agregats: pd.DataFrame
    ecarts: pd.DataFrame
    periode: str
    nombre_mois: int
    fichiers: list = field(default_factory=list)

    @property
    def reformes(self) -> list[str]:
        return scenarios_de(self.personnes)[1:]

    def ecart(self, reforme: str, prestation: str = "total") -> float:
        """Écart de coût annuel pondéré de ``reforme`` pour ``prestation`` (ou ``total``), en euros."""
        ligne = self.ecarts[(self.ecarts["reforme"] == reforme) & (self.ecarts["dimension"] == "ensemble")]
        return float(ligne[f"ecart_cout_annuel_{prestation}"].iloc[0])

    def ecrire(self, dossier: str | Path, *, graphiques: bool = True) -> list[Path]:
        """Écrit personnes.parquet, agregats.csv, ecarts_reformes.csv (et les PNG)."""
        dossier = Path(dossier)
        dossier.mkdir(parents=True, exist_ok=True)
        fichiers = [dossier / "personnes.parquet", dossier / "agregats.csv"]
        self.personnes.to_parquet(fichiers[0], index=False)
        self.agregats.to_csv(fichiers[1], index=False)
        if self.reformes:
            fichiers.append(dossier / "ecarts_reformes.csv")
            self.ecarts.to_csv(fichiers[-1], index=False)
        if graphiques:
            from openfisca_invalidite.population.graphiques import tracer_tout

            fichiers += tracer_tout(self.personnes, self.agregats, dossier)
        self.fichiers = fichiers
        return fichiers


def comparer(
    population: pd.DataFrame | str | Path | None = None,
    periode: str = "2025-06",
    reformes: Iterable[ReformeDemandee] = (),
    *,
    taille: int = 10_000,
    graine: int = 2025,
    nombre_mois: int | None = None,
    **options: int | str | bool | Sequence[str] | None,
) -> Comparaison:
    """Loi en vigueur et réformes sur la même population (voir le docstring du module)."""
    if population is None:
        population = generer_population(
            taille, periode if len(str(periode)) == LONGUEUR_MOIS else f"{periode}-01", graine
        )
    elif isinstance(population, (str, Path)):
        population = lire_population(population)
    nombre_mois = nombre_mois or len(mois_de(periode))
    personnes = simuler(population, periode, reformes, **options)
    for reforme in scenarios_de(personnes)[1:]:
        personnes[f"gain__{reforme}"] = gains(personnes, reforme)
    return Comparaison(
        personnes=personnes,
        agregats=agreger(personnes, nombre_mois),
        ecarts=ecarts_reformes(personnes, nombre_mois),
        periode=str(periode),
        nombre_mois=nombre_mois,
    )
