"""Ligne de commande ``openfisca-invalidite``.

``openfisca-invalidite simulate`` calcule la pension d'invalidité, la MTP,
l'ASI et l'AAH (si le modèle les contient) de chaque personne d'une
population, pour la loi en vigueur et les réformes demandées, puis écrit les
résultats par personne (Parquet), les agrégats pondérés (CSV), les écarts des
réformes (CSV) et des graphiques (PNG). Sans ``--entree``, la population est
la population synthétique intégrée (rien à télécharger).

``openfisca-invalidite reformes`` liste les réformes disponibles.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

EPILOGUE = """
exemples :
  openfisca-invalidite simulate --taille 100000 --mois 2025-06 --sortie resultats
  openfisca-invalidite simulate --entree population.parquet --annee 2025 --reforme NOM --sortie r
  openfisca-invalidite simulate --taille 1000000 --engine dask --sortie r
  openfisca-invalidite simulate --taille 1000000 --engine dask --scheduler tcp://10.0.0.1:8786

schéma de --entree (CSV ou Parquet, une ligne par personne) : id, famille_id,
[role_famille], poids, date_naissance, date_debut_invalidite,
categorie_invalidite, reduction_capacite_travail, duree_immatriculation,
heures_travaillees_12_mois, [salaire_cotise_12_mois, revenus_activite,
taux_incapacite, aah_restriction_substantielle_durable_acces_emploi,
autres_ressources], salaire_AAAA… (ou --carriere : table longue id, annee,
salaire_brut_annuel). Détails : docs/population.md.

sorties (dans --sortie) : personnes.parquet, agregats.csv,
ecarts_reformes.csv (si --reforme), distribution_pensions.png,
cout_par_prestation.png, gagnants_perdants_par_age.png (si --reforme).
Code de sortie 2 si l'entrée est invalide (message : colonne et lignes).
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="openfisca-invalidite", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sous = parser.add_subparsers(dest="commande", required=True)
    s = sous.add_parser(
        "simulate",
        help="simulation sur une population (loi en vigueur et réformes)",
        description=__doc__,
        epilog=EPILOGUE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = s.add_argument_group("population")
    source.add_argument(
        "--entree", metavar="FICHIER", help="population CSV ou Parquet (défaut : population synthétique)"
    )
    source.add_argument(
        "--carriere", metavar="FICHIER", help="carrière en table longue : id, annee, salaire_brut_annuel"
    )
    source.add_argument(
        "--taille", type=int, default=100_000, help="taille de la population synthétique (défaut 100000)"
    )
    source.add_argument("--graine", type=int, default=2025, help="graine de la population synthétique (défaut 2025)")
    quand = s.add_mutually_exclusive_group()
    quand.add_argument("--mois", default=None, help="mois calculé AAAA-MM (défaut 2025-06)")
    quand.add_argument("--annee", default=None, help="année calculée AAAA : 12 mois, montants sommés")
    s.add_argument(
        "--reforme",
        action="append",
        default=[],
        metavar="NOM",
        help="réforme du registre à comparer à la loi en vigueur (répétable)",
    )
    s.add_argument("--engine", choices=("local", "dask"), default="local", help="moteur de calcul (défaut local)")
    s.add_argument("--scheduler", metavar="ADRESSE", help="ordonnanceur Dask existant (défaut : LocalCluster)")
    s.add_argument("--workers", type=int, default=2, help="workers du LocalCluster Dask (défaut 2)")
    s.add_argument("--taille-bloc", type=int, default=50_000, help="personnes par bloc de familles (défaut 50000)")
    s.add_argument("--sortie", default="resultats", help="dossier des résultats (défaut resultats)")
    s.add_argument("--sans-graphiques", action="store_true", help="ne pas tracer les PNG")
    s.add_argument("--silencieux", action="store_true", help="pas de barre de progression")
    sous.add_parser("reformes", help="liste les réformes disponibles")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from openfisca_invalidite.population.moteur import ReformeInconnue, reformes_disponibles

    if args.commande == "reformes":
        for nom in sorted(reformes_disponibles()):
            print(nom)
        return 0

    from openfisca_invalidite.comparaison import comparer
    from openfisca_invalidite.extras import ExtraManquant, exiger
    from openfisca_invalidite.population.agregats import resume
    from openfisca_invalidite.population.moteur import LONGUEUR_MOIS
    from openfisca_invalidite.population.schema import PopulationInvalide, lire_population
    from openfisca_invalidite.population.synthetique import generer_population

    periode = args.annee or args.mois or "2025-06"
    debut = time.perf_counter()
    try:
        # Un extra manquant arrête avant le calcul, pas après.
        if not args.sans_graphiques:
            exiger("graphiques")
        if args.engine == "dask":
            exiger("dask")
        if args.entree:
            population = lire_population(args.entree, args.carriere)
        else:
            mois_reference = periode if len(periode) == LONGUEUR_MOIS else f"{periode}-12"
            population = generer_population(args.taille, mois_reference, args.graine)
        comparaison = comparer(
            population,
            periode,
            args.reforme,
            taille_bloc=args.taille_bloc,
            moteur=args.engine,
            scheduler=args.scheduler,
            progression=not args.silencieux,
            dask_workers=args.workers,
        )
    except ExtraManquant as erreur:
        ou_bien = " (ou --sans-graphiques)" if erreur.extra == "graphiques" else ""
        print(f"openfisca-invalidite : erreur : {erreur}{ou_bien}", file=sys.stderr)
        return 2
    except (PopulationInvalide, ReformeInconnue, FileNotFoundError, ValueError) as erreur:
        print(f"openfisca-invalidite : erreur : {erreur}", file=sys.stderr)
        return 2
    fichiers = comparaison.ecrire(Path(args.sortie), graphiques=not args.sans_graphiques)
    duree = time.perf_counter() - debut
    import pandas as pd

    with pd.option_context("display.width", 120, "display.max_columns", 20):
        nombre = f"{len(comparaison.personnes):,}".replace(",", " ")
        print(f"{nombre} personnes, période {periode}, {duree:.1f} s")
        print(resume(comparaison.agregats).to_string(index=False))
        if comparaison.reformes:
            vue = comparaison.ecarts[comparaison.ecarts["dimension"] == "ensemble"]
            print(
                vue[["reforme", "ecart_cout_annuel_total", "gagnants", "perdants", "gain_moyen", "perte_moyenne"]]
                .round(1)
                .to_string(index=False)
            )
    print("fichiers :", ", ".join(str(f) for f in fichiers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
