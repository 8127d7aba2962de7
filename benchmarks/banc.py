"""Banc d'essai : le moteur de population contre la référence numpy sobre.

Pour chaque taille (population synthétique, un mois), dans le même processus
et sur la même table d'entrée validée :

- moteur : ``population.simuler(population, mois, valider=False)`` —
  DataFrame entrant, tableau de résultats sortant (OpenFisca par blocs) ;
- référence : ``numpy_sobre.simuler_reference`` — les mêmes règles en numpy
  sobre, le même tableau de résultats (benchmarks/numpy_sobre.py).

Affiche la médiane (et l'étendue) de ``--repetitions`` exécutions alternées de
chaque chemin après une exécution d'échauffement, leur rapport, le pic de
mémoire de chaque chemin au-dessus de la table d'entrée (pic RSS du processus
remis à zéro avant l'exécution, moins le RSS avant elle, par personne), et les
écarts au centime entre les deux avec leur cause (benchmarks/ecarts.py). Puis
le temps de démarrage (import du paquet + ``CountryTaxBenefitSystem()``),
médiane de processus Python neufs. ``--profil`` ajoute le profil cProfile du
moteur à la plus grande taille. Aucun seuil : le banc imprime, il n'échoue pas.

``python benchmarks/banc.py [--tailles 100000 1000000] [--repetitions 5]``
Voir docs/benchmark.md.
"""

from __future__ import annotations

import argparse
import cProfile
import ctypes
import ctypes.util
import gc
import importlib.metadata
import io
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import ecarts
import numpy as np
import numpy_sobre

from openfisca_invalidite.population import generer_population, simuler, valider_population
from openfisca_invalidite.population.moteur import TAILLE_BLOC, systeme_de_base

#: Mesuré dans un processus neuf : import du paquet, puis construction du système.
DEMARRAGE = """
import time
debut = time.perf_counter()
import openfisca_invalidite
importe = time.perf_counter()
openfisca_invalidite.CountryTaxBenefitSystem()
fin = time.perf_counter()
print(importe - debut, fin - debut)
"""


def _statut() -> dict[str, int]:
    """VmRSS et VmHWM du processus, en octets (Linux)."""
    texte = Path("/proc/self/status").read_text()
    return {cle: 1024 * int(re.search(rf"{cle}:\s+(\d+)", texte).group(1)) for cle in ("VmRSS", "VmHWM")}


def _rendre_la_memoire_libre() -> None:
    """Rend au système la mémoire libérée que malloc garde (glibc) : sans cela, une
    exécution qui réutilise la mémoire d'une précédente ne ferait pas monter le RSS."""
    gc.collect()
    nom = ctypes.util.find_library("c")
    if nom:
        trim = getattr(ctypes.CDLL(nom), "malloc_trim", None)
        if trim is not None:
            trim(0)


def pic_memoire(fonction) -> tuple[int, str]:
    """Pic de mémoire pendant ``fonction()`` au-dessus de la mémoire d'avant (octets) :
    pic RSS remis à zéro (/proc/self/clear_refs), sinon pic tracemalloc."""
    _rendre_la_memoire_libre()
    try:
        Path("/proc/self/clear_refs").write_text("5")
        avant = _statut()["VmRSS"]
    except OSError:
        tracemalloc.start()
        fonction()
        pic = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return pic, "tracemalloc"
    fonction()
    return _statut()["VmHWM"] - avant, "RSS"


def demarrage(fois: int) -> tuple[float, float]:
    """Médianes (s) de l'import du paquet et de l'import + ``CountryTaxBenefitSystem()``."""
    imports, totaux = [], []
    for _ in range(fois):
        commande = [sys.executable, "-c", DEMARRAGE]  # l'interpréteur courant, un code fixe
        sortie = subprocess.run(commande, capture_output=True, text=True, check=True)  # noqa: S603
        importe, total = map(float, sortie.stdout.split())
        imports.append(importe)
        totaux.append(total)
    return statistics.median(imports), statistics.median(totaux)


def profil(population, mois: str, taille_bloc: int, lignes: int) -> str:
    """Profil cProfile d'une exécution du moteur : fonctions par temps cumulé et par temps propre."""
    profileur = cProfile.Profile()
    profileur.runcall(simuler, population, mois, taille_bloc=taille_bloc, progression=False, valider=False)
    texte = io.StringIO()
    statistiques = pstats.Stats(profileur, stream=texte).strip_dirs()
    statistiques.sort_stats("cumulative").print_stats(lignes)
    statistiques.sort_stats("tottime").print_stats(lignes)
    return texte.getvalue()


def _milliers(n: float) -> str:
    return f"{n:,.0f}".replace(",", " ")


def _secondes(mesures: list[float]) -> str:
    return f"{statistics.median(mesures):6.2f} ({min(mesures):.2f}–{max(mesures):.2f})"


def mesurer(n: int, args: argparse.Namespace, tbs) -> dict:
    """Temps, mémoire et écarts des deux chemins sur ``n`` personnes."""
    debut = time.perf_counter()
    population = valider_population(generer_population(n, args.mois))
    validation = time.perf_counter()
    valider_population(population)
    validation = time.perf_counter() - validation

    def moteur():
        return simuler(population, args.mois, taille_bloc=args.taille_bloc, progression=False, valider=False)

    def reference():
        return numpy_sobre.simuler_reference(population, args.mois, tbs)

    # Échauffement, et écarts au centime sur ces résultats.
    details = {}
    attendu = numpy_sobre.reference(population, args.mois, tbs, details=details)
    resultats = moteur()
    explication = ecarts.expliquer(population, attendu, details, resultats)
    reference()
    del resultats, attendu, details
    temps_moteur, temps_reference = [], []
    for _ in range(args.repetitions):  # alternées : une dérive de la machine touche les deux
        for fonction, temps in ((moteur, temps_moteur), (reference, temps_reference)):
            gc.collect()
            t = time.perf_counter()
            fonction()
            temps.append(time.perf_counter() - t)
    memoire_moteur, methode = pic_memoire(moteur)
    memoire_reference, _ = pic_memoire(reference)
    return {
        "n": n,
        "population": population,
        "preparation": validation,
        "generation": time.perf_counter() - debut,
        "moteur": temps_moteur,
        "reference": temps_reference,
        "memoire_moteur": memoire_moteur / n,
        "memoire_reference": memoire_reference / n,
        "methode_memoire": methode,
        "ecarts": explication,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tailles", nargs="+", type=int, default=[100_000, 1_000_000], help="personnes")
    parser.add_argument("--repetitions", type=int, default=5, help="exécutions mesurées par chemin (médiane)")
    parser.add_argument("--mois", default="2025-06", help="mois calculé, AAAA-MM à partir de 2023-10")
    parser.add_argument("--taille-bloc", type=int, default=TAILLE_BLOC, help="personnes par bloc du moteur")
    parser.add_argument("--demarrages", type=int, default=5, help="processus neufs pour le démarrage (0 : aucun)")
    parser.add_argument("--profil", type=int, default=0, metavar="LIGNES", help="profil cProfile du moteur")
    args = parser.parse_args(argv)
    if args.repetitions < 1 or min(args.tailles) < 1:
        parser.error("--repetitions et --tailles : au moins 1")
    numpy_sobre.verifier_mois(args.mois)
    tbs = systeme_de_base()  # le système du moteur, construit une fois, hors chronométrage

    print(
        f"openfisca-invalidite {importlib.metadata.version('openfisca-invalidite')}, openfisca-core "
        f"{importlib.metadata.version('openfisca-core')}, numpy {np.__version__}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cœurs ; mois {args.mois}, blocs de {_milliers(args.taille_bloc)} "
        f"personnes, médiane de {args.repetitions} exécutions (étendue)"
    )
    print(
        f"{'personnes':>10} | {'moteur s':>20} | {'référence s':>20} | {'rapport':>7} | "
        f"{'o/pers. moteur':>14} | {'o/pers. réf.':>12} | écarts au centime (inexpliqués)"
    )
    mesures = []
    for n in args.tailles:
        if mesures:  # seule la population de la plus grande taille reste (profil)
            del mesures[-1]["population"]
        m = mesurer(n, args, tbs)
        mesures.append(m)
        total = sum(e.nombre for e in m["ecarts"].values())
        inexpliques = sum(e.inexpliques.size for e in m["ecarts"].values())
        rapport = statistics.median(m["moteur"]) / statistics.median(m["reference"])
        print(
            f"{_milliers(n):>10} | {_secondes(m['moteur']):>20} | {_secondes(m['reference']):>20} | {rapport:>7.1f} | "
            f"{_milliers(m['memoire_moteur']):>14} | {_milliers(m['memoire_reference']):>12} | {total} ({inexpliques})",
            flush=True,
        )
    print(f"(mémoire : pic {mesures[0]['methode_memoire']} au-dessus de la table d'entrée, par personne)")
    for m in mesures:
        print(ecarts.rapport(m["ecarts"], m["n"]))
        print(f"  (validation de la table d'entrée, hors des deux chronométrages : {m['preparation']:.2f} s)")
    if args.demarrages:
        importe, total = demarrage(args.demarrages)
        print(
            f"Démarrage (médiane de {args.demarrages} processus neufs) : import du paquet {importe:.2f} s, "
            f"+ CountryTaxBenefitSystem() {total:.2f} s"
        )
    if args.profil:
        plus_grande = mesures[-1]
        print(f"Profil du moteur à {_milliers(plus_grande['n'])} personnes :")
        print(profil(plus_grande["population"], args.mois, args.taille_bloc, args.profil))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
