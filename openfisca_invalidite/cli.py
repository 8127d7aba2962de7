"""Ligne de commande openfisca-invalidite.

openfisca-invalidite simuler (alias : simulate) calcule la pension d'invalidité,
la MTP, l'ASI et l'AAH de chaque personne d'une population, pour la loi en
vigueur et les réformes demandées : sur un mois (--mois), une année (--annee)
ou plusieurs années sur une population qui évolue (--annees 2026-2035). Elle
écrit les résultats par personne (Parquet), les tables (CSV et un classeur
Excel), des graphiques (PNG) et execution.json (commande, version, période,
réformes, revalorisation). Sans --entree, la population est la population
synthétique intégrée (rien à télécharger).

openfisca-invalidite reformes (alias : reforms) liste les réformes disponibles.

Les options sont en français ; chacune a un alias anglais (--entree/--input).
"""

from __future__ import annotations

import argparse
import logging
import math
import re
import shlex
import sys
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from collections.abc import Callable

EPILOGUE = """
exemples :
  openfisca-invalidite simuler --annees 2026-2035 --reforme minimum_plus_10 --sortie r
  openfisca-invalidite simuler --entree exemples/population.csv --annees 2026-2035 --reforme minimum_plus_10 --sortie r
  openfisca-invalidite simuler --taille 100000 --mois 2025-06 --sortie resultats
  openfisca-invalidite simuler --entree population.xlsx --annee 2025 --grouper-par sexe --sortie r
  openfisca-invalidite simuler --annees 2026-2030 --revalorisation aucune --sortie r
  openfisca-invalidite simuler --taille 1000000 --moteur dask --sortie r
  openfisca-invalidite simuler --entree grande.parquet --morceaux 1000000 --sortie r

entrée (--entree : CSV, Excel ou Parquet, une ligne par personne) : id,
famille_id, [role_famille], poids, date_naissance, date_debut_invalidite,
categorie_invalidite, reduction_capacite_travail, duree_immatriculation,
heures_travaillees_12_mois, [sexe, salaire_cotise_12_mois, revenus_activite,
taux_incapacite, aah_restriction_substantielle_durable_acces_emploi,
autres_ressources], salaire_AAAA... (ou --carriere : table longue id, annee,
salaire_brut_annuel). CSV : séparateur ; ou , (détecté), virgule décimale
admise, UTF-8 ou Latin-1. Dates : AAAA-MM-JJ, ou le format de --format-date.
Détails : docs/population.md.

sorties (dans --sortie, dossier vide ou --ecraser) : personnes.parquet ;
agregats.csv, ecarts_reformes.csv, deciles.csv (une période) ou annuel.csv,
budget.csv, deciles.csv, groupes.csv, demographie.csv (plusieurs années) ;
resultats.xlsx ; graphiques PNG ; execution.json.

code de sortie 2 sur une entrée ou une option invalide : une ligne qui nomme
l'option, ou le fichier, la colonne et les lignes ; dit avant le calcul, rien
n'est écrit. Le dossier de sortie ne contient que les fichiers de l'exécution
(écrits à côté, placés à la fin) ; --ecraser remplace ceux d'une exécution
précédente, jamais les autres.
"""

#: Garde-fous des options numériques (au-delà, une faute de frappe ou un calcul sans fin).
PERSONNES_MAXIMUM = 1_000_000_000
PROCESSUS_MAXIMUM = 1024
#: Une option ``--mois`` : AAAA-MM ; ``--annee`` : AAAA.
MOTIF_MOIS = re.compile(r"^(\d{4})-(\d{2})$")
MOTIF_ANNEE = re.compile(r"^\d{4}$")
MOIS_PAR_AN = 12
#: ``--tableau-de-bord`` non donné : celui du moteur (boucle locale, port libre) ; pas
#: une chaîne, qu'argparse passerait à la conversion de l'option.
TABLEAU_PAR_DEFAUT = object()


def _entier(minimum: int, maximum: int | None, unite: str) -> Callable[[str], int]:
    """Un entier de ``minimum`` à ``maximum`` (``unite`` : ce qu'il compte)."""

    def lire(texte: str) -> int:
        try:
            valeur = int(texte.strip().replace(" ", "").replace("_", ""))
        except ValueError:
            msg = f"{texte} : un nombre entier attendu ({unite})"
            raise argparse.ArgumentTypeError(msg) from None
        if valeur < minimum:
            msg = f"{texte} : au moins {minimum} ({unite})"
            raise argparse.ArgumentTypeError(msg)
        if maximum is not None and valeur > maximum:
            from openfisca_invalidite.population.schema import lisible

            msg = f"{texte} : trop grand, au plus {lisible(maximum)} ({unite})"
            raise argparse.ArgumentTypeError(msg)
        return valeur

    return lire


def _taux(texte: str) -> float:
    """Un taux annuel fini, dans les bornes de la revalorisation (virgule décimale admise)."""
    from openfisca_invalidite.population.revalorisation import TAUX_ATTENDU, TAUX_MAXIMUM, TAUX_MINIMUM

    try:
        valeur = float(texte.strip().replace(",", "."))
    except ValueError:
        valeur = math.nan
    if not (TAUX_MINIMUM < valeur < TAUX_MAXIMUM):  # faux aussi pour NaN
        msg = f"{texte} : {TAUX_ATTENDU}"
        raise argparse.ArgumentTypeError(msg)
    return valeur


def _annee_admise(texte: str, annee: int) -> None:
    from openfisca_invalidite.population.schema import ANNEES_ADMISES

    if not ANNEES_ADMISES[0] <= annee <= ANNEES_ADMISES[1]:
        msg = f"{texte} : année hors de {ANNEES_ADMISES[0]}-{ANNEES_ADMISES[1]}"
        raise argparse.ArgumentTypeError(msg)


def _mois(texte: str) -> str:
    """``--mois`` : un mois AAAA-MM (une année s'écrit avec ``--annee``)."""
    valeur = texte.strip()
    trouve = MOTIF_MOIS.match(valeur)
    if not trouve or not 1 <= int(trouve.group(2)) <= MOIS_PAR_AN:
        conseil = f" ; une année : --annee {valeur}" if MOTIF_ANNEE.match(valeur) else ""
        msg = f"{texte} : un mois AAAA-MM attendu (par exemple 2025-06){conseil}"
        raise argparse.ArgumentTypeError(msg)
    _annee_admise(texte, int(trouve.group(1)))
    return valeur


def _annee(texte: str) -> str:
    """``--annee`` : une année AAAA (un mois s'écrit avec ``--mois``, plusieurs années avec ``--annees``)."""
    from openfisca_invalidite.population.projection import MOTIF_ANNEES

    valeur = texte.strip()
    if not MOTIF_ANNEE.match(valeur):
        conseil = ""
        if MOTIF_MOIS.match(valeur):
            conseil = f" ; un mois : --mois {valeur}"
        elif MOTIF_ANNEES.match(valeur):
            conseil = f" ; plusieurs années : --annees {valeur}"
        msg = f"{texte} : une année AAAA attendue (par exemple 2025){conseil}"
        raise argparse.ArgumentTypeError(msg)
    _annee_admise(texte, int(valeur))
    return valeur


def _annees(texte: str) -> str:
    """``--annees`` : AAAA-AAAA (ou une année), comme :func:`projection.lire_annees`."""
    from openfisca_invalidite.population.projection import PeriodeInvalide, lire_annees

    try:
        lire_annees(texte)
    except PeriodeInvalide as erreur:
        conseil = f" ; un mois : --mois {texte.strip()}" if MOTIF_MOIS.match(texte.strip()) else ""
        msg = f"{texte} : {erreur.motif}{conseil}"
        raise argparse.ArgumentTypeError(msg) from None
    return texte.strip()


def _format_date(texte: str) -> str:
    """``--format-date`` : un format de strptime qui lit jour, mois et année."""
    from openfisca_invalidite.population.schema import defaut_du_format_date

    defaut = defaut_du_format_date(texte)
    if defaut:
        msg = f"« {texte} » : {defaut}"
        raise argparse.ArgumentTypeError(msg)
    return texte


def _tableau_de_bord(texte: str) -> str | None:
    """``--tableau-de-bord`` : hôte:port, un port seul (boucle locale) ou « aucun »."""
    from openfisca_invalidite.population.moteur import adresse_tableau_de_bord

    try:
        return adresse_tableau_de_bord(texte)
    except ValueError as erreur:
        msg = f"{texte} : {str(erreur).split(' : ', 1)[1]}"
        raise argparse.ArgumentTypeError(msg) from None


#: Messages d'argparse (en anglais) et leur traduction, sur une ligne.
TRADUCTIONS = (
    (re.compile(r"^invalid choice: '?([^']*)'? \(choose from (.*)\)$"), r"choix « \1 » inconnu (admis : \2)"),
    (re.compile(r"^expected one argument$"), "une valeur attendue"),
    (re.compile(r"^not allowed with argument (.*)$"), r"incompatible avec \1"),
    (re.compile(r"^ignored explicit argument '(.*)'$"), r"valeur « \1 » en trop"),
    (re.compile(r"^unrecognized arguments: (.*)$"), r"option inconnue : \1 (voir --aide)"),
    (re.compile(r"^the following arguments are required: (.*)$"), r"argument attendu : \1"),
    (re.compile(r"^ambiguous option: (.*) could match (.*)$"), r"option ambiguë \1 (\2)"),
)
MOTIF_ARGUMENT = re.compile(r"^argument (?P<options>[^:]+): (?P<message>.*)$", re.DOTALL)


class _Analyseur(argparse.ArgumentParser):
    """Une erreur d'option : une ligne en français sur la sortie d'erreur, code 2."""

    def error(self, message: str) -> NoReturn:
        trouve = MOTIF_ARGUMENT.match(message)
        option, texte = (trouve["options"].split("/")[0], trouve["message"]) if trouve else ("", message)
        for motif, traduction in TRADUCTIONS:
            if motif.match(texte):
                texte = motif.sub(traduction, texte).replace("'", "")
                option += " :" if option else ""
                break
        ligne = f"{option} {texte}" if option else texte  # nos messages commencent par la valeur lue
        self.exit(2, f"openfisca-invalidite : erreur : {' '.join(ligne.split())}\n")


def _option(groupe: argparse._ArgumentGroup, francais: str, anglais: str, **kwargs: object) -> None:
    groupe.add_argument(francais, anglais, **kwargs)


def _aide(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-h", "--aide", "--help", action="help", help="affiche cette aide et quitte")


def _parser() -> argparse.ArgumentParser:
    parser = _Analyseur(
        prog="openfisca-invalidite",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
    )
    _aide(parser)
    sous = parser.add_subparsers(dest="commande", required=True, metavar="{simuler,reformes}", parser_class=_Analyseur)
    s = sous.add_parser(
        "simuler",
        aliases=["simulate"],
        help="simulation sur une population (loi en vigueur et réformes)",
        description=__doc__,
        epilog=EPILOGUE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
    )
    _aide(s)
    source = s.add_argument_group("population")
    _option(source, "--entree", "--input", metavar="FICHIER", help="population CSV, Excel ou Parquet")
    _option(source, "--carriere", "--career", metavar="FICHIER", help="carrière : id, annee, salaire_brut_annuel")
    _option(
        source,
        "--format-date",
        "--date-format",
        metavar="FORMAT",
        type=_format_date,
        help="format des dates (ex. %%d/%%m/%%Y)",
    )
    _option(
        source,
        "--taille",
        "--size",
        type=_entier(1, PERSONNES_MAXIMUM, "personnes de la population synthétique"),
        default=100_000,
        help="taille de la population synthétique (100000)",
    )
    _option(
        source,
        "--graine",
        "--seed",
        type=_entier(0, None, "graine des tirages, un entier positif ou nul"),
        default=2025,
        help="graine des tirages (défaut 2025)",
    )

    quand = s.add_argument_group("période (une des trois ; défaut : --mois 2025-06)").add_mutually_exclusive_group()
    _option(quand, "--mois", "--month", type=_mois, default=None, help="un mois AAAA-MM")
    _option(quand, "--annee", "--year", type=_annee, default=None, help="une année AAAA : 12 mois, montants sommés")
    _option(
        quand,
        "--annees",
        "--years",
        type=_annees,
        default=None,
        help="plusieurs années AAAA-AAAA, population qui évolue",
    )

    scenario = s.add_argument_group("réformes et hypothèses")
    _option(
        scenario,
        "--reforme",
        "--reform",
        action="append",
        default=[],
        metavar="NOM",
        help="réforme à comparer à la loi en vigueur (répétable ; liste : openfisca-invalidite reformes)",
    )
    _option(
        scenario,
        "--revalorisation",
        "--uprating",
        choices=("publiee", "aucune"),
        default="publiee",
        help="barèmes après leur dernière valeur publiée : hypothèses publiées (défaut) ou gel",
    )
    _option(scenario, "--inflation", "--inflation-rate", type=_taux, metavar="TAUX", help="remplace l'inflation (0.02)")
    _option(
        scenario, "--croissance-salaires", "--wage-growth", type=_taux, metavar="TAUX", help="remplace le SMPT (0.025)"
    )
    _option(scenario, "--sans-deces", "--no-deaths", action="store_true", help="projection : pas de mortalité")
    _option(
        scenario, "--sans-entrees", "--no-entries", action="store_true", help="projection : pas de nouveaux pensionnés"
    )

    analyse = s.add_argument_group("analyse")
    _option(
        analyse,
        "--grouper-par",
        "--group-by",
        action="append",
        default=[],
        metavar="COLONNE",
        help="regrouper les agrégats par une colonne d'entrée ou de résultat (répétable, ou a,b)",
    )
    _option(analyse, "--decile-de", "--decile-of", metavar="COLONNE", help="colonne numérique des déciles")

    calcul = s.add_argument_group("calcul et sorties")
    _option(
        calcul,
        "--moteur",
        "--engine",
        choices=("local", "processus", "dask"),
        default="local",
        help="moteur : local (un processus), processus (un par cœur), dask (défaut local)",
    )
    _option(calcul, "--ordonnanceur", "--scheduler", metavar="ADRESSE", help="ordonnanceur Dask existant")
    _option(
        calcul,
        "--tableau-de-bord",
        "--dashboard",
        type=_tableau_de_bord,
        default=TABLEAU_PAR_DEFAUT,
        metavar="ADRESSE",
        help="tableau de bord du LocalCluster Dask : 127.0.0.1, port libre, par défaut ; hôte:port "
        "(0.0.0.0:8787 pour toutes les interfaces) ou aucun",
    )
    _option(
        calcul,
        "--processus",
        "--workers",
        type=_entier(1, PROCESSUS_MAXIMUM, "processus ou travailleurs"),
        help="processus du moteur processus (défaut : un par cœur) ou travailleurs du LocalCluster Dask (défaut 2)",
    )
    _option(
        calcul,
        "--taille-bloc",
        "--chunk-size",
        type=_entier(1, PERSONNES_MAXIMUM, "personnes par bloc"),
        default=250_000,
        help="personnes par bloc (250000)",
    )
    _option(
        calcul,
        "--morceaux",
        "--chunks",
        type=_entier(1, PERSONNES_MAXIMUM, "personnes par morceau"),
        metavar="N",
        help="population plus grande que la mémoire : lue (CSV, Parquet) ou tirée par morceaux de N personnes, "
        "personnes.parquet écrit morceau par morceau (--mois ou --annee)",
    )
    _option(calcul, "--sortie", "--output", default="resultats", help="dossier des résultats (défaut resultats)")
    _option(calcul, "--ecraser", "--overwrite", action="store_true", help="remplacer les résultats d'une exécution")
    _option(calcul, "--sans-graphiques", "--no-plots", action="store_true", help="ne pas tracer les PNG")
    _option(calcul, "--silencieux", "--quiet", action="store_true", help="ni barre de progression ni journal")
    _option(calcul, "--verbeux", "--verbose", action="store_true", help="journal détaillé")
    _aide(sous.add_parser("reformes", aliases=["reforms"], help="liste les réformes disponibles", add_help=False))
    return parser


def _journal(args: argparse.Namespace) -> None:
    niveau = logging.WARNING if args.silencieux else (logging.DEBUG if args.verbeux else logging.INFO)
    logging.basicConfig(level=niveau, format="openfisca-invalidite : %(levelname)s : %(message)s", force=True)
    logging.captureWarnings(capture=True)
    warnings.simplefilter("always", UserWarning)
    for bruyant in ("matplotlib", "distributed", "fontTools", "PIL"):
        logging.getLogger(bruyant).setLevel(logging.WARNING)


def _groupes(valeurs: list[str]) -> list[str]:
    return [g.strip() for v in valeurs for g in v.split(",") if g.strip()]


def _revalorisation(args: argparse.Namespace) -> object:
    if args.revalorisation == "aucune":
        return None
    if args.inflation is None and args.croissance_salaires is None:
        return "publiee"
    remplace = {"nom": "hypothèses de la ligne de commande"}
    if args.inflation is not None:
        remplace["inflation"] = args.inflation
    if args.croissance_salaires is not None:
        remplace["croissance_salaires"] = args.croissance_salaires
    return remplace


def _travailleurs(args: argparse.Namespace) -> dict:
    """``--processus`` : processus du moteur ``processus``, travailleurs de Dask ;
    ``--tableau-de-bord`` : celui du LocalCluster Dask."""
    options = {}
    if args.processus is not None:
        options = {"processus": args.processus} if args.moteur == "processus" else {"dask_workers": args.processus}
    if args.tableau_de_bord is not TABLEAU_PAR_DEFAUT:
        options["dask_tableau_de_bord"] = args.tableau_de_bord
    return options


def options_api(args: argparse.Namespace) -> dict:
    """Les options de la ligne de commande, telles que l'API Python les reçoit."""
    return {
        "population": args.entree,
        "reformes": args.reforme,
        "taille": args.taille,
        "graine": args.graine,
        "revalorisation": _revalorisation(args),
        "groupes": _groupes(args.grouper_par),
        "decile_de": args.decile_de,
        "format_date": args.format_date,
        **({"carriere": args.carriere} if args.carriere else {}),
        "taille_bloc": args.taille_bloc,
        "moteur": args.moteur,
        "scheduler": args.ordonnanceur,
        **_travailleurs(args),
        "progression": not args.silencieux,
    }


def main(argv: list[str] | None = None) -> int:
    """La commande ; rend son code de sortie : 0, 2 sur une option ou une entrée
    invalide (une ligne sur la sortie d'erreur), 130 sur Ctrl-C. L'aide
    (``--aide``) rend 0, une option invalide 2, sans lever ``SystemExit``."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as sortie:  # --aide, ou une option invalide déjà dite en une ligne
        return sortie.code if isinstance(sortie.code, int) else 2
    from openfisca_invalidite.population.moteur import ReformeInconnue, reformes_disponibles

    if args.commande in ("reformes", "reforms"):
        for nom in sorted(reformes_disponibles()):
            print(nom)
        return 0
    _journal(args)
    try:
        return _simuler(args, argv)
    except KeyboardInterrupt:
        print("openfisca-invalidite : interrompu", file=sys.stderr)
        return 130
    except ReformeInconnue as erreur:
        return _erreur(erreur)


def _erreur(erreur: BaseException | str) -> int:
    texte = " ".join(str(erreur).split())
    print(f"openfisca-invalidite : erreur : {texte}", file=sys.stderr)
    return 2


def _simuler(args: argparse.Namespace, argv: list[str] | None) -> int:
    """Contrôles, calcul, écriture : toute erreur attendue est une ligne et le code 2,
    dite avant le calcul ; le dossier de sortie n'est touché qu'à la fin
    (:class:`.population.sorties.DossierDeSortie`)."""
    from openfisca_invalidite.population.agregats import ColonneInconnue, resume
    from openfisca_invalidite.population.moteur import OrdonnanceurInjoignable, ReformeInconnue
    from openfisca_invalidite.population.moteur import PeriodeInvalide as PeriodeNonCouverte
    from openfisca_invalidite.population.projection import PeriodeInvalide
    from openfisca_invalidite.population.revalorisation import HypothesesInvalides
    from openfisca_invalidite.population.schema import PopulationInvalide
    from openfisca_invalidite.population.sorties import SortieInvalide, raison

    commande = "openfisca-invalidite " + shlex.join(sys.argv[1:] if argv is None else argv)
    attendues = (
        PopulationInvalide,
        ReformeInconnue,
        PeriodeInvalide,
        PeriodeNonCouverte,
        ColonneInconnue,
        HypothesesInvalides,
        SortieInvalide,
        OrdonnanceurInjoignable,
        FileNotFoundError,
    )
    debut = time.perf_counter()
    refus = _options_incompatibles(args)
    if refus:
        return _erreur(refus)
    sortie = _preparer(args)
    if isinstance(sortie, str):
        return _erreur(sortie)
    with sortie:  # une exception imprévue, ou Ctrl-C, abandonne ce qui est écrit
        try:
            resultat = _calculer(args, sortie.chemin, commande)
        except (*attendues, ValueError) as erreur:  # ValueError : garde-fous (agrégat infini…)
            sortie.abandonner()
            return _erreur(_rattacher(erreur, args, PopulationInvalide))
        try:
            fichiers = resultat.ecrire(sortie.chemin, graphiques=not args.sans_graphiques, deja_prepare=True)
            fichiers = sortie.publier(fichiers)
        except OSError as erreur:
            sortie.abandonner()
            return _erreur(f"sortie « {args.sortie} » : écriture impossible ({raison(erreur)})")
        except SortieInvalide as erreur:
            return _erreur(erreur)
    duree = time.perf_counter() - debut
    _afficher(resultat, resume, duree)
    print("fichiers :", ", ".join(str(f) for f in fichiers))
    return 0


def _preparer(args: argparse.Namespace) -> object | str:
    """Les extras demandés, puis le dossier de sortie préparé ; ou le refus, en une ligne."""
    from openfisca_invalidite.extras import ExtraManquant, exiger
    from openfisca_invalidite.population.sorties import SortieInvalide, preparer_dossier

    try:
        # Un extra manquant arrête avant le calcul, pas après.
        if not args.sans_graphiques:
            exiger("graphiques")
        if args.moteur == "dask":
            exiger("dask")
        return preparer_dossier(Path(args.sortie), ecraser=args.ecraser)
    except ExtraManquant as erreur:
        ou_bien = " (ou --sans-graphiques)" if erreur.extra == "graphiques" else ""
        return f"{erreur}{ou_bien}"
    except SortieInvalide as erreur:
        return str(erreur)


def _rattacher(erreur: Exception, args: argparse.Namespace, population_invalide: type) -> Exception:
    """Une erreur de la population lue qui ne nomme pas encore son fichier le nomme."""
    if isinstance(erreur, population_invalide) and erreur.fichier is None and args.entree:
        erreur.dans(args.entree)
    return erreur


def _calculer(args: argparse.Namespace, chemin: Path, commande: str) -> object:
    """La comparaison (un mois, une année), la projection (``--annees``) ou la
    comparaison par morceaux, écrite au fil du calcul dans ``chemin``."""
    from openfisca_invalidite.comparaison import comparer
    from openfisca_invalidite.population.projection import projeter

    options = options_api(args)
    if args.morceaux is not None:
        return _comparer_par_morceaux(args, chemin, commande, options)
    if args.annees:
        return projeter(
            annees=args.annees, deces=not args.sans_deces, entrees=not args.sans_entrees, commande=commande, **options
        )
    return comparer(periode=args.annee or args.mois or "2025-06", commande=commande, **options)


def _options_incompatibles(args: argparse.Namespace) -> str | None:
    """Des options qui ne vont pas ensemble, dites avant tout calcul."""
    if args.carriere and not args.entree:
        return "--carriere demande --entree (la population synthétique a sa propre carrière)"
    if args.tableau_de_bord is not TABLEAU_PAR_DEFAUT and (args.moteur != "dask" or args.ordonnanceur):
        return (
            "--tableau-de-bord : celui du LocalCluster que lance --moteur dask ; sans objet avec un autre "
            "moteur ou --ordonnanceur (le tableau de bord est alors celui de l'ordonnanceur)"
        )
    if args.morceaux is None:
        return None
    if args.annees:
        return "--morceaux calcule un mois ou une année (--mois, --annee), pas une projection (--annees)"
    if args.carriere:
        return "--morceaux lit une population au format large (colonnes salaire_AAAA), pas --carriere"
    return None


def _comparer_par_morceaux(args: argparse.Namespace, dossier: Path, commande: str, options: dict) -> object:
    """--morceaux : la population lue ou tirée morceau par morceau, calculée et écrite au fil de l'eau."""
    from openfisca_invalidite.comparaison import comparer_par_morceaux
    from openfisca_invalidite.population.lecture import lire_par_morceaux
    from openfisca_invalidite.population.moteur import mois_de
    from openfisca_invalidite.population.schema import valider_population
    from openfisca_invalidite.population.synthetique import generer_par_morceaux

    periode = args.annee or args.mois or "2025-06"
    if args.entree:
        morceaux = lire_par_morceaux(args.entree, args.morceaux, format_date=args.format_date)
        population = {"source": args.entree, "fichier": args.entree, "morceaux": args.morceaux}
    else:
        premier_mois = mois_de(periode)[0]
        tirage = generer_par_morceaux(args.taille, args.morceaux, premier_mois, args.graine)
        morceaux = map(valider_population, tirage)  # ne garde pas le morceau tiré pendant son calcul
        population = {
            "source": "population synthétique intégrée, tirée par morceaux",
            "taille": args.taille,
            "graine": args.graine,
            "mois_tirage": premier_mois,
            "morceaux": args.morceaux,
        }
    reprises = ("population", "taille", "graine", "format_date", "carriere")
    return comparer_par_morceaux(
        morceaux,
        dossier,
        periode,
        options["reformes"],
        population=population,
        commande=commande,
        **{cle: valeur for cle, valeur in options.items() if cle not in (*reprises, "reformes")},
    )


def _afficher(resultat: object, resume: object, duree: float) -> None:
    import pandas as pd

    with pd.option_context("display.width", 140, "display.max_columns", 20):
        execution = resultat.execution
        print(f"période {execution['periode']}, {duree:.1f} s ; revalorisation : {execution['revalorisation']}")
        if hasattr(resultat, "annuel"):
            total = resultat.annuel[resultat.annuel["prestation"] == "total"]
            vue = total.pivot_table(index="annee", columns="scenario", values="cout_annuel", aggfunc="first") / 1e6
            print("coût annuel total (M€) :")
            print(vue.round(1).to_string())
            if not resultat.budget.empty:
                ecarts = resultat.budget.pivot_table(
                    index="annee", columns="reforme", values="ecart_cout_annuel_total", aggfunc="first"
                )
                print("écart de coût annuel, réforme − loi en vigueur (M€) :")
                print((ecarts / 1e6).round(1).to_string())
                print("cumul sur la fenêtre (M€) :", (ecarts.sum() / 1e6).round(1).to_dict())
        else:
            print(f"{len(resultat.personnes):,} personnes".replace(",", " "))
            print(resume(resultat.agregats).to_string(index=False))
            if resultat.reformes:
                vue = resultat.ecarts[resultat.ecarts["dimension"] == "ensemble"]
                colonnes = ["reforme", "ecart_cout_annuel_total", "gagnants", "perdants", "gain_moyen", "perte_moyenne"]
                print(vue[colonnes].round(1).to_string(index=False))
        for avertissement in resultat.avertissements:
            print(f"attention : {avertissement}")


if __name__ == "__main__":
    sys.exit(main())
