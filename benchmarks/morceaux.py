"""Mémoire d'une grande population calculée morceau par morceau.

Deux mesures, chacune dans un processus Python neuf (le pic de l'une ne
compte pas dans l'autre) :

- **d'un seul tenant** : ``--morceau`` personnes (1 000 000 par défaut) tirées,
  validées et calculées par ``simuler`` en une fois, agrégées et écrites en
  Parquet (ce que fait la ligne de commande) ;
- **par morceaux** : ``--personnes`` personnes (10 000 000 par défaut) tirées
  morceau par morceau (``generer_par_morceaux`` : le morceau k est
  ``generer_population(morceau, mois, graine + k)``, des familles entières,
  identifiants décalés pour rester distincts), calculées par
  ``simuler_par_morceaux`` ; les résultats de chaque
  morceau sont agrégés à la volée (``agreger``, sommes pondérées) et écrits
  dans un fichier Parquet, un groupe de lignes par morceau, puis libérés.

Le banc imprime le pic RSS de chaque processus (``VmHWM`` : interpréteur,
modèle, table d'entrée et calcul compris), le temps total, le débit, et
le total des agrégats. L'objectif : le pic par morceaux reste celui d'un
calcul d'un morceau, quel que soit le nombre de morceaux. Aucun seuil.

``python benchmarks/morceaux.py [--personnes 10000000] [--morceau 1000000]``
(``make benchmark-morceaux`` ; hors de ``make test``). Voir docs/benchmark.md.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

#: Graine de la population d'un seul tenant et du premier morceau (le morceau k prend GRAINE + k).
GRAINE = 2025
#: Clés d'une ligne d'agrégats (:func:`agreger`), sommées d'un morceau à l'autre.
CLES = ["scenario", "prestation", "dimension", "modalite"]
SOMMES = ["beneficiaires", "cout_mensuel", "cout_annuel", "personnes"]


def pic_rss() -> int:
    """Pic de mémoire résidente du processus depuis sa naissance (octets, Linux)."""
    texte = Path("/proc/self/status").read_text()
    return 1024 * int(re.search(r"VmHWM:\s+(\d+)", texte).group(1))


def d_un_seul_tenant(taille: int, mois: str, sortie: Path) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from openfisca_invalidite.population import generer_population, simuler
    from openfisca_invalidite.population.agregats import agreger

    debut = time.perf_counter()
    resultats = simuler(generer_population(taille, mois, GRAINE), mois, progression=False)
    agreger(resultats)
    pq.write_table(pa.Table.from_pandas(resultats, preserve_index=False), sortie)
    return {"secondes": time.perf_counter() - debut, "pic": pic_rss(), "lignes": len(resultats)}


def par_morceaux(personnes: int, morceau: int, mois: str, sortie: Path) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from openfisca_invalidite.population import simuler_par_morceaux
    from openfisca_invalidite.population.agregats import agreger
    from openfisca_invalidite.population.synthetique import generer_par_morceaux

    debut = time.perf_counter()
    total, ecrivain, lignes = None, None, 0
    try:
        for resultats in simuler_par_morceaux(
            generer_par_morceaux(personnes, morceau, mois, GRAINE), mois, progression=False
        ):
            table = pa.Table.from_pandas(resultats, preserve_index=False)
            if ecrivain is None:
                ecrivain = pq.ParquetWriter(sortie, table.schema)
            ecrivain.write_table(table.cast(ecrivain.schema))
            agregats = agreger(resultats)
            total = agregats if total is None else _sommer(total, agregats)
            lignes += len(resultats)
            del resultats, table, agregats
    finally:
        if ecrivain is not None:
            ecrivain.close()
    ensemble = total[(total["dimension"] == "ensemble") & (total["prestation"] == "total")]
    return {
        "secondes": time.perf_counter() - debut,
        "pic": pic_rss(),
        "lignes": lignes,
        "fichier": sortie.stat().st_size,
        "cout_annuel_total": float(ensemble["cout_annuel"].iloc[0]),
    }


def _sommer(total: pd.DataFrame, agregats: pd.DataFrame) -> pd.DataFrame:
    """Les agrégats de deux parties de la population : sommes ajoutées, montant moyen recalculé."""
    somme = pd.concat([total, agregats]).groupby(CLES, sort=False, as_index=False)[SOMMES].sum()
    beneficiaires = somme["beneficiaires"].where(somme["beneficiaires"] != 0)
    somme["montant_moyen"] = (somme["cout_mensuel"] / beneficiaires).fillna(0.0)
    return somme


def _mesurer(*arguments: str) -> dict:
    """Une mesure dans un processus Python neuf : son résultat en JSON sur la dernière ligne."""
    commande = [sys.executable, __file__, "--mesure", *arguments]  # ce script, des arguments fixes
    sortie = subprocess.run(commande, capture_output=True, text=True, check=True)  # noqa: S603
    return json.loads(sortie.stdout.strip().splitlines()[-1])


def _mo(octets: float) -> str:
    return f"{octets / 2**20:,.0f} Mo".replace(",", " ")


def _milliers(n: float) -> str:
    return f"{n:,.0f}".replace(",", " ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--personnes", type=int, default=10_000_000, help="personnes calculées par morceaux")
    parser.add_argument("--morceau", type=int, default=1_000_000, help="personnes par morceau")
    parser.add_argument("--mois", default="2025-06", help="mois calculé AAAA-MM")
    parser.add_argument("--mesure", choices=("tenant", "morceaux"), help=argparse.SUPPRESS)
    parser.add_argument("--fichier", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if min(args.personnes, args.morceau) < 1:
        parser.error("--personnes et --morceau : au moins 1")
    if args.mesure == "tenant":
        print(json.dumps(d_un_seul_tenant(args.morceau, args.mois, Path(args.fichier))))
        return 0
    if args.mesure == "morceaux":
        print(json.dumps(par_morceaux(args.personnes, args.morceau, args.mois, Path(args.fichier))))
        return 0
    communs = ["--personnes", str(args.personnes), "--morceau", str(args.morceau), "--mois", args.mois]
    with tempfile.TemporaryDirectory(prefix="banc-morceaux-") as dossier:
        tenant = _mesurer("tenant", *communs, "--fichier", str(Path(dossier) / "tenant.parquet"))
        decoupe = _mesurer("morceaux", *communs, "--fichier", str(Path(dossier) / "morceaux.parquet"))
    nombre = -(-args.personnes // args.morceau)
    print(f"Mémoire par morceaux ({args.mois}, population synthétique, chaque mesure dans un processus neuf) :")
    print(
        f"  d'un seul tenant : {_milliers(tenant['lignes'])} personnes, pic RSS {_mo(tenant['pic'])}, "
        f"{tenant['secondes']:.1f} s (tirage, validation, calcul, agrégats et Parquet)"
    )
    print(
        f"  par morceaux     : {_milliers(decoupe['lignes'])} personnes en {nombre} morceaux de "
        f"{_milliers(args.morceau)}, pic RSS {_mo(decoupe['pic'])}, {decoupe['secondes']:.1f} s au total "
        f"({_milliers(decoupe['lignes'] / decoupe['secondes'])} personnes/s ; tirage, validation, calcul, "
        f"agrégats à la volée et Parquet de {_mo(decoupe['fichier'])} écrit morceau par morceau)"
    )
    print(
        f"  rapport des pics : {decoupe['pic'] / tenant['pic']:.2f} ; "
        f"coût annuel total des prestations, agrégé à la volée : {decoupe['cout_annuel_total'] / 1e9:.2f} Md€"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
