"""Banc des moteurs : ``local``, ``processus`` et ``dask`` sur la même table.

À 1 000 000 de personnes si cette taille est demandée, et à la plus grande
des tailles demandées (``--tailles``, comme le banc : ``make benchmark`` passe
les siennes), la population synthétique est tirée et validée une fois, puis
chaque moteur la calcule :

- ``local`` : ce processus, bloc par bloc ;
- ``processus`` : ``--processus`` processus nés par fork (2 par défaut) ;
- ``dask`` en fils d'exécution : un ``LocalCluster`` de ``--processus`` fils de
  ce processus ;
- ``dask`` en processus : un ``LocalCluster`` de ``--processus`` processus,
  gardé d'un appel à l'autre (``--sans-dask-processus`` pour l'omettre).

Chaque moteur s'exécute une fois pour s'échauffer (processus nés, cluster
démarré, systèmes construits), puis ``--repetitions`` fois, les moteurs en
alternance ; le banc imprime la médiane (et l'étendue), l'accélération par
rapport à ``local`` (médiane de ``local`` / médiane du moteur) et si le
tableau de résultats est exactement celui de ``local`` (toutes les colonnes,
égalité exacte). Sans Dask installé, une ligne le dit. Aucun seuil : le banc
imprime, il n'échoue pas.

``python benchmarks/moteurs.py [--tailles 1000000] [--repetitions 3] [--processus 2]``
Voir docs/benchmark.md.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import statistics
import time
from typing import TYPE_CHECKING

from openfisca_invalidite.population import generer_population, simuler, valider_population
from openfisca_invalidite.population.moteur import TAILLE_BLOC, arreter_dask, coeurs_disponibles, systeme_de_base

if TYPE_CHECKING:
    import pandas as pd


#: Taille de référence du banc : mesurée dès qu'elle est demandée.
UN_MILLION = 1_000_000


def _milliers(n: float) -> str:
    return f"{n:,.0f}".replace(",", " ")


def _secondes(mesures: list[float]) -> str:
    return f"{statistics.median(mesures):6.2f} ({min(mesures):.2f}–{max(mesures):.2f})"


def moteurs(args: argparse.Namespace) -> dict[str, dict]:
    """{nom affiché: options de ``simuler``} ; les moteurs Dask seulement si Dask est installé."""
    choix = {
        "local": {"moteur": "local"},
        f"processus ({args.processus} processus)": {"moteur": "processus", "processus": args.processus},
    }
    if importlib.util.find_spec("dask") is None or importlib.util.find_spec("distributed") is None:
        return choix
    choix[f"dask, fils d'exécution ({args.processus})"] = {"moteur": "dask", "dask_workers": args.processus}
    if args.dask_processus:
        choix[f"dask, LocalCluster de {args.processus} processus"] = {
            "moteur": "dask",
            "dask_workers": args.processus,
            "dask_processes": True,
        }
    return choix


def difference(reference: pd.DataFrame, autre: pd.DataFrame) -> str:
    """« identique » si les deux tableaux sont égaux exactement, sinon ce qui diffère."""
    if list(reference.columns) != list(autre.columns) or len(reference) != len(autre):
        return "DIFFÉRENT (colonnes ou lignes)"
    differentes = [
        c for c in reference.columns if reference[c].dtype != autre[c].dtype or not reference[c].equals(autre[c])
    ]
    return "identique" if not differentes else f"DIFFÉRENT ({', '.join(differentes[:4])})"


def mesurer(n: int, args: argparse.Namespace) -> None:
    debut = time.perf_counter()
    population = valider_population(generer_population(n, args.mois))
    preparation = time.perf_counter() - debut
    choix = moteurs(args)
    options = {"taille_bloc": args.taille_bloc, "progression": False, "valider": False}

    def executer(nom: str) -> pd.DataFrame:
        return simuler(population, args.mois, **options, **choix[nom])

    # Échauffement : résultats comparés à ceux de local, puis libérés.
    reference = executer("local")
    egalite = {"local": "—"}
    for nom in list(choix)[1:]:
        egalite[nom] = difference(reference, executer(nom))
    del reference
    temps = {nom: [] for nom in choix}
    for _ in range(args.repetitions):  # alternés : une dérive de la machine touche tous les moteurs
        for nom in choix:
            gc.collect()
            t = time.perf_counter()
            executer(nom)
            temps[nom].append(time.perf_counter() - t)
    local = statistics.median(temps["local"])
    print(
        f"Moteurs à {_milliers(n)} personnes (table tirée et validée en {preparation:.1f} s, hors chronométrage ; "
        f"médiane de {args.repetitions} exécutions après un échauffement) :"
    )
    print(f"  {'moteur':<34} | {'temps s':>20} | {'accélération':>12} | résultats / local")
    for nom, mesures in temps.items():
        print(
            f"  {nom:<34} | {_secondes(mesures):>20} | {local / statistics.median(mesures):>11.2f}× | {egalite[nom]}",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--tailles",
        nargs="+",
        type=int,
        default=[UN_MILLION],
        help="tailles demandées (1 M et la plus grande mesurées)",
    )
    parser.add_argument("--repetitions", type=int, default=3, help="exécutions mesurées par moteur (médiane)")
    parser.add_argument("--mois", default="2025-06", help="mois calculé AAAA-MM")
    parser.add_argument("--processus", type=int, default=2, help="processus ou fils de chaque moteur parallèle")
    parser.add_argument("--taille-bloc", type=int, default=TAILLE_BLOC, help="personnes par bloc")
    parser.add_argument(
        "--sans-dask-processus",
        dest="dask_processus",
        action="store_false",
        help="omettre Dask en LocalCluster de processus",
    )
    args = parser.parse_args(argv)
    if args.repetitions < 1 or min(args.tailles) < 1 or args.processus < 1:
        parser.error("--repetitions, --tailles et --processus : au moins 1")
    systeme_de_base()  # construit une fois, hors chronométrage
    print(
        f"Banc des moteurs : {os.cpu_count()} cœurs ({coeurs_disponibles()} disponibles), mois {args.mois}, "
        f"blocs de {_milliers(args.taille_bloc)} personnes"
    )
    if importlib.util.find_spec("dask") is None or importlib.util.find_spec("distributed") is None:
        print(
            "  Dask n'est pas installé : moteurs dask non mesurés "
            "(pip install 'openfisca-invalidite[dask]', ou make install)"
        )
    try:
        for n in sorted({*({UN_MILLION} & set(args.tailles)), max(args.tailles)}):
            mesurer(n, args)
    finally:
        arreter_dask()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
