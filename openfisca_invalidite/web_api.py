"""Durcissement de l'API web OpenFisca (``openfisca serve``) pour ce paquet.

OpenFisca-Core 46 répond 500 (« Internal server error ») à plusieurs erreurs
qui sont des erreurs de la requête, pas du serveur (voir docs/web_api.md) :

* une variable mensuelle demandée pour une année ou pour ``ETERNITY``
  (``ValueError`` de ``Simulation._check_period_consistency`` :
  openfisca-core#916, ouvert en 2019) ;
* une période antérieure aux barèmes (``ParameterNotFoundError``) ;
* un identifiant vide ou qui contient « / » (``dpath`` échoue) ;
* le gestionnaire ``UnicodeEncodeError`` de ``app.py`` construit son message
  avec ``e[1]`` (``TypeError``) ;
* ``NaN``/``Infinity`` (ou ``1e999``) sur une variable sans contrôle de domaine
  donnent une réponse 200 au JSON non standard ;
* un POST sans ``Content-Type: application/json`` : le gestionnaire d'erreur
  JSON de core reçoit ``None`` et lit ``None.args`` ;
* une liste là où une valeur est attendue, une période de durée nulle, une
  période dont le calcul dépasse l'an 9999, des tableaux imbriqués sur des
  milliers de niveaux (``RecursionError``), tout ``axes``.

``SituationParsingError`` construisait son message avec ``dpath.new``, qui
prend une clé numérique pour un indice de liste : l'erreur d'une personne
« 30000000 » allouait une liste de 30 millions d'éléments (≈ 600 Mo), un
identifiant de 30 chiffres épuisait la mémoire. Son constructeur est remplacé
par un emboîtement de dictionnaires (même message, même code).

Ce module enveloppe ``openfisca_web_api.handlers.calculate`` et ``.trace`` :
la situation est contrôlée avant le calcul — forme, bornes de taille et de
travail (périodes demandées et données, étendue des années) — et ces erreurs
deviennent des ``SituationParsingError`` (que ``app.py`` rend déjà en 4xx) dont
le chemin nomme le champ fautif (entité/identifiant/variable/période). Les
``axes`` sont calculés par ``web_api_axes``. Si l'application Flask est
fabriquée après le chargement du paquet par ``openfisca serve``, sa taille de
requête est bornée (413 en JSON), un POST non JSON reçoit 415, et chaque
calcul a une échéance (503 au-delà).

L'installation est faite au chargement du paquet (``openfisca_invalidite/__init__.py``),
est idempotente (une fonction déjà enveloppée ne l'est pas deux fois) et ne
modifie aucun fichier d'OpenFisca-Core. Sans ``openfisca_web_api`` (extra
``web-api`` absent), seule la construction des erreurs est remplacée.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import signal
import sys
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from openfisca_core import periods
from openfisca_core.errors import ParameterNotFoundError, SituationParsingError

# Aucune période avant ANNEE_MINIMUM ni après ANNEE_MAXIMUM : les années des dates admises.
from openfisca_invalidite.validation import ANNEE_MAXIMUM, ANNEE_MINIMUM, citer

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from flask import Flask, Response
    from openfisca_core.periods import Instant, Period
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable
    from werkzeug.exceptions import RequestEntityTooLarge

    from openfisca_invalidite.web_api_axes import Axes

    #: Gestionnaire de ``openfisca_web_api.handlers`` (``calculate``, ``trace``).
    Gestionnaire = Callable[[TaxBenefitSystem, object], dict]
    #: Chemin d'un champ dans un JSON décodé : clés et rangs de liste.
    Chemin = tuple[str | int, ...]

# Bornes d'une requête : l'API sert à expliquer des cas, pas à simuler une
# population (pour cela : ``openfisca-invalidite simuler``). Ce ne sont pas des
# paramètres de la loi ; elles sont décrites dans docs/web_api.md.
TAILLE_MAXIMALE_REQUETE = 2 * 1024 * 1024  # octets, au-delà : 413
PROFONDEUR_MAXIMUM = 10  # niveaux d'imbrication du JSON (une situation en a 5)
PERSONNES_MAXIMUM = 500  # instances de chaque entité (personnes, familles)
VALEURS_MAXIMUM = 50_000  # valeurs (variable × période) d'entrée, toutes entités
CALCULS_MAXIMUM = 2_000  # valeurs demandées (null), comptées une fois par point des axes
PERIODES_DEMANDEES_MAXIMUM = 120  # périodes distinctes demandées (10 ans de mois)
PERIODES_DONNEES_MAXIMUM = 5_000  # mois ou années couverts par les entrées, sommés sur les variables
ETENDUE_ANNEES_MAXIMUM = 80  # de la plus ancienne à la plus récente période, données et demandées
TRACE_NOEUDS_MAXIMUM = 10_000  # nœuds (variable × période) d'une réponse /trace
TRACE_VALEURS_MAXIMUM = 500_000  # valeurs (nœuds × personnes ou familles) d'une réponse /trace
PERSONNES_AXES_MAXIMUM = 2_000  # personnes × produit des « count » des axes
#: Durée maximale d'une requête /calculate ou /trace (secondes, horloge murale) ;
#: la variable d'environnement ``OPENFISCA_INVALIDITE_DUREE_MAXIMALE`` la change.
DUREE_MAXIMALE_REQUETE = 5.0
CODE_TROP_GRAND = 413
CODE_DELAI_DEPASSE = 503

_MARQUE = "_durci_par_openfisca_invalidite"
_NOMMEES = 5  # personnes nommées dans un message, au plus


def _nombre(n: int) -> str:
    """1234567 → « 1 234 567 » (espace insécable fine, typographie française)."""
    return f"{n:,}".replace(",", "\u202f")


# --- Erreurs sans listes -------------------------------------------------------


def _initialiser_erreur(
    self: SituationParsingError, path: Iterable[str], message: str, code: int | None = None
) -> None:
    """``SituationParsingError.__init__`` sans ``dpath.new`` : le chemin devient
    des dictionnaires emboîtés, jamais une liste (une clé « 30000000 » n'alloue
    rien). Mêmes segments (chemin joint par « / » puis redécoupé, « / » initial
    ignoré, comme ``dpath``), même message, même code."""
    texte = str(message).strip(os.linesep).replace(os.linesep, " ")
    erreur: object = texte
    for segment in reversed("/".join(str(element) for element in path).lstrip("/").split("/")):
        erreur = {segment: erreur}
    self.error = erreur
    self.code = code
    Exception.__init__(self, str(self.error))


def installer_erreurs_sans_listes() -> None:
    """Remplace ``SituationParsingError.__init__`` (idempotent)."""
    if not getattr(SituationParsingError.__init__, _MARQUE, False):
        setattr(_initialiser_erreur, _MARQUE, True)
        SituationParsingError.__init__ = _initialiser_erreur


def _erreur(chemin: Iterable[str | int], message: str, code: int = 400) -> SituationParsingError:
    return SituationParsingError(chemin, message, code=code)  # segments écrits par _initialiser_erreur


# --- Parcours du JSON, sans récursion -------------------------------------------


def _verifier_profondeur(donnees: object) -> None:
    """Au plus PROFONDEUR_MAXIMUM niveaux d'objets et de tableaux emboîtés
    (parcours itératif : aucune récursion Python, quelle que soit l'entrée)."""
    pile: list[tuple[object, Chemin]] = [(donnees, ())]
    while pile:
        valeur, chemin = pile.pop()
        if not isinstance(valeur, dict | list):
            continue
        if len(chemin) >= PROFONDEUR_MAXIMUM:
            raise _erreur(
                chemin or ["situation"],
                f"imbrication trop profonde : au plus {PROFONDEUR_MAXIMUM} niveaux d'objets ou de "
                "tableaux (une situation en a 5 : entité, identifiant, variable, période, valeur).",
            )
        enfants = valeur.items() if isinstance(valeur, dict) else enumerate(valeur)
        pile.extend((sous_valeur, (*chemin, cle)) for cle, sous_valeur in enfants)


def _parcourir(valeur: object) -> Iterator[tuple[Chemin, object, bool]]:
    """(chemin, feuille, est_une_cle) de chaque feuille et de chaque clé d'un JSON
    décodé, en profondeur d'abord, sans récursion."""
    pile: list[tuple[Chemin, object]] = [((), valeur)]
    while pile:
        chemin, courant = pile.pop()
        if isinstance(courant, dict):
            for cle, sous_valeur in reversed(courant.items()):
                pile.append(((*chemin, cle), sous_valeur))
            for cle in courant:
                yield (*chemin, cle), cle, True
        elif isinstance(courant, list):
            pile.extend(((*chemin, indice), sous_valeur) for indice, sous_valeur in reversed(list(enumerate(courant))))
        else:
            yield chemin, courant, False


def _verifier_feuilles(input_data: dict) -> None:
    for chemin, feuille, est_une_cle in _parcourir(input_data):
        if est_une_cle and isinstance(feuille, str) and (not feuille or "/" in feuille):
            # Clé vide ou contenant « / » : ``dpath`` ne sait pas la suivre (500 dans core).
            raise _erreur(chemin[:-1] or ["situation"], f"clé « {feuille} » invalide : vide ou contenant « / ».")
        if isinstance(feuille, float) and not math.isfinite(feuille):
            raise _erreur(chemin, f"valeur non finie ({feuille}) : NaN et Infinity ne sont pas des nombres JSON admis.")
        if isinstance(feuille, str):
            try:
                feuille.encode("utf-8")
            except UnicodeError:
                raise _erreur(chemin, "chaîne invalide (caractère non codable en UTF-8).") from None


# --- Périodes --------------------------------------------------------------------


def _periode_compatible(variable: Variable, periode: Period) -> str | None:
    """Message d'erreur si la variable ne peut être calculée sur la période
    (mêmes règles que ``Simulation._check_period_consistency``), sinon None."""
    unite = variable.definition_period
    if unite == periods.DateUnit.ETERNITY:
        if variable.formulas and periode.unit == periods.DateUnit.ETERNITY:
            # Core choisit la formule à la date de début de la période : « ETERNITY »
            # n'en a pas (« year -1 is out of range »).
            return (
                f"« {variable.name} » se calcule à une date : la demander pour un mois ou une année "
                "(ex. « 2025-06 »), pas pour « ETERNITY »."
            )
        return None
    noms = {periods.DateUnit.YEAR: "une année (ex. « 2025 »)", periods.DateUnit.MONTH: "un mois (ex. « 2025-06 »)"}
    attendu = noms.get(unite, str(unite))
    if periode.unit != unite or periode.size != 1:
        return (
            f"« {variable.name} » se calcule pour {attendu}, pas pour « {periode} ». "
            "Demander chaque sous-période séparément (cf. openfisca-core#916)."
        )
    return None


@functools.lru_cache(maxsize=4096)
def _periode_lisible(cle: str) -> Period | None:
    """La période ``cle``, ou None si OpenFisca ne sait pas la lire (mémorisée :
    les mêmes clés reviennent pour chaque personne, et une lecture coûte ≈ 15 µs)."""
    try:
        return periods.period(cle)
    except Exception:  # noqa: BLE001 — toute période qu'OpenFisca ne lit pas est refusée (400)
        return None


def _annees(periode: Period) -> tuple[int, int] | None:
    """(première, dernière) année d'une période, None pour ``ETERNITY`` ; lève
    ``ValueError`` si la fin dépasse le calendrier (an 9999)."""
    if periode.unit == periods.DateUnit.ETERNITY:
        return None
    return periode.start.year, periode.stop.year


def _annees_admises(chemin: list[str], periode: Period) -> tuple[tuple[int, int] | None, SituationParsingError | None]:
    """(première, dernière) année de la période (None pour ``ETERNITY``) et
    l'erreur à lever si elle sort des années ANNEE_MINIMUM à ANNEE_MAXIMUM ;
    une durée nulle ou négative est refusée tout de suite."""
    if periode.unit != periods.DateUnit.ETERNITY and periode.size < 1:
        raise _erreur(chemin, f"période « {periode} » de durée nulle ou négative.")
    try:
        annees = _annees(periode)
    except (ValueError, OverflowError):  # au-delà de l'an 9999 (OverflowError : durée démesurée)
        annees = (periode.start.year, sys.maxsize)
    if annees is not None and (annees[0] < ANNEE_MINIMUM or annees[1] > ANNEE_MAXIMUM):
        return None, _erreur(
            chemin,
            f"période « {periode} » hors des années admises : de {ANNEE_MINIMUM} à {ANNEE_MAXIMUM} "
            "(ANNEE_MINIMUM, ANNEE_MAXIMUM).",
        )
    return annees, None


def verifier_periode(chemin: list[str], periode: Period) -> tuple[int, int] | None:
    """Durée d'au moins une unité, années entre ANNEE_MINIMUM et ANNEE_MAXIMUM (400) ;
    rend (première, dernière) année, ou None pour ``ETERNITY``."""
    annees, erreur = _annees_admises(chemin, periode)
    if erreur is not None:
        raise erreur
    return annees


def _unites_couvertes(variable: Variable, periode: Period) -> int:
    """Nombre de mois (variable mensuelle) ou d'années (annuelle) que couvre une
    valeur d'entrée donnée pour ``periode`` (une année d'une variable mensuelle : 12)."""
    unite = variable.definition_period
    if unite == periods.DateUnit.MONTH and periode.unit in (periods.DateUnit.MONTH, periods.DateUnit.YEAR):
        return periode.size_in_months
    if unite == periods.DateUnit.YEAR and periode.unit == periods.DateUnit.YEAR:
        return periode.size
    return 1


# --- Contrôle de la situation --------------------------------------------------


@dataclass
class _Bilan:
    """Ce que coûte une situation : les grandeurs que bornent les constantes."""

    valeurs: int = 0
    calculs: int = 0
    personnes: int = 1
    instances: dict[str, int] = field(default_factory=dict)
    periodes_demandees: set[str] = field(default_factory=set)
    periodes_donnees: dict[tuple[str, str], int] = field(default_factory=dict)
    premiere_annee: tuple[int, list[str]] | None = None
    derniere_annee: tuple[int, list[str]] | None = None
    #: Première période hors des années admises : levée après les bornes de
    #: travail, qui nomment mieux une demande démesurée (1 990 mois d'AAH).
    hors_annees: SituationParsingError | None = None

    def annees(self, chemin: list[str], annees: tuple[int, int] | None) -> None:
        if annees is None:
            return
        if self.premiere_annee is None or annees[0] < self.premiere_annee[0]:
            self.premiere_annee = (annees[0], chemin)
        if self.derniere_annee is None or annees[1] > self.derniere_annee[0]:
            self.derniere_annee = (annees[1], chemin)


def _verifier_situation(tax_benefit_system: TaxBenefitSystem, input_data: object) -> Axes | None:
    """Contrôles qui précèdent le calcul ; lève ``SituationParsingError`` (4xx).
    Rend les axes contrôlés, ou None sans axes."""
    if not isinstance(input_data, dict):
        return None  # le constructeur de simulation d'OpenFisca répond déjà 400
    _verifier_profondeur(input_data)
    _verifier_feuilles(input_data)
    pluriels = {entite.plural: entite for entite in tax_benefit_system.entities}
    bilan = _Bilan()
    for pluriel, instances in input_data.items():
        if pluriel not in pluriels or not isinstance(instances, dict):
            continue  # erreur déjà nommée par OpenFisca
        bilan.instances[pluriel] = _compter_instances(pluriel, instances, personnes=pluriels[pluriel].is_person)
        if pluriels[pluriel].is_person:
            bilan.personnes = bilan.instances[pluriel]
        for identifiant, contenu in instances.items():
            _verifier_instance(tax_benefit_system, pluriel, identifiant, contenu, bilan)
    _verifier_appartenance(tax_benefit_system, input_data)
    from openfisca_invalidite import web_api_axes

    axes = web_api_axes.verifier_axes(tax_benefit_system, input_data.get("axes"), bilan)
    _verifier_travail(bilan, axes.cellules if axes else 1)
    return axes


def _membres_et_donnee(contenu: dict, roles: set[str]) -> tuple[set[str], str | None]:
    """Personnes d'un groupe (ses rôles : listes, ou une chaîne qu'OpenFisca lit
    comme une liste d'un élément) et première variable dont une valeur est donnée."""
    membres: set[str] = set()
    donnee = None
    for cle, valeur in contenu.items():
        if cle in roles:
            membres.update([valeur] if isinstance(valeur, str) else (str(v) for v in valeur or () if v is not None))
        elif donnee is None and isinstance(valeur, dict) and any(v is not None for v in valeur.values()):
            donnee = cle
    return membres, donnee


def _verifier_appartenance(tax_benefit_system: TaxBenefitSystem, input_data: dict) -> None:
    """Chaque groupe (famille) a au moins un membre : sinon les sommes par groupe
    d'OpenFisca (``bincount``) n'ont plus la taille du nombre de groupes (500).
    Quand des valeurs d'un groupe sont données, chaque personne est dans un
    groupe : sinon OpenFisca crée un groupe pour chaque personne restée seule
    après avoir dimensionné les valeurs des groupes écrits, et y recopie ces
    valeurs (un « en couple » faux, sans mot dire) ou échoue (500)."""
    personnes = input_data.get(tax_benefit_system.person_entity.plural)
    if not isinstance(personnes, dict):
        return
    for entite in tax_benefit_system.group_entities:
        instances = input_data.get(entite.plural)
        if not isinstance(instances, dict):
            continue
        roles = {role.plural or role.key for role in entite.roles}
        tous: set[str] = set()
        donnee = None
        for identifiant, contenu in instances.items():
            if not isinstance(contenu, dict) or not all(isinstance(contenu.get(r, []), list | str) for r in roles):
                continue  # forme fautive : OpenFisca la nomme
            membres, variable = _membres_et_donnee(contenu, roles)
            if not membres:
                raise _erreur(
                    [entite.plural, identifiant],
                    f"« {identifiant} » n'a aucun membre : chaque {entite.key} compte au moins une personne "
                    f"({', '.join(sorted(roles))}).",
                )
            tous |= membres
            donnee = donnee or (variable and (identifiant, variable))
        seules = [str(personne) for personne in personnes if str(personne) not in tous]
        if donnee and seules:
            raise _erreur(
                [entite.plural],
                f"{', '.join(f'« {p} »' for p in seules[:_NOMMEES])}{' …' if len(seules) > _NOMMEES else ''} "
                f"dans aucune des {entite.plural}, alors que « {donnee[1]} » est donnée pour « {donnee[0]} » : "
                f"placer chaque personne dans une des {entite.plural} (OpenFisca recopierait sinon cette valeur "
                f"dans le groupe qu'il crée pour elle).",
            )


def _compter_instances(pluriel: str, instances: dict, *, personnes: bool) -> int:
    """Nombre d'instances (au moins 1) ; au-delà de PERSONNES_MAXIMUM : 413."""
    if len(instances) > PERSONNES_MAXIMUM:
        pour_une_population = " (pour une population, utiliser « openfisca-invalidite simuler »)" if personnes else ""
        raise _erreur(
            [pluriel],
            f"{len(instances)} {'personnes' if personnes else pluriel} : au plus {PERSONNES_MAXIMUM} "
            f"par requête{pour_une_population}.",
            CODE_TROP_GRAND,
        )
    return max(len(instances), 1)


def _verifier_instance(
    tax_benefit_system: TaxBenefitSystem, pluriel: str, identifiant: str, contenu: object, bilan: _Bilan
) -> None:
    """Contrôle une personne ou un groupe et en fait le bilan."""
    if "/" in str(identifiant):
        raise _erreur([pluriel], f"identifiant « {identifiant} » invalide : le caractère « / » n'est pas admis.")
    if not isinstance(contenu, dict):
        return
    for nom, par_periode in contenu.items():
        if "/" in str(nom):
            raise _erreur([pluriel, identifiant], f"nom de variable « {nom} » invalide.")
        if not isinstance(par_periode, dict) or not tax_benefit_system.variables.get(nom):
            continue  # rôle de groupe, ou variable inconnue (404 d'OpenFisca)
        _verifier_periodes(tax_benefit_system.variables[nom], [pluriel, identifiant, nom], par_periode, bilan)


def _verifier_periodes(variable: Variable, chemin: list[str], par_periode: dict, bilan: _Bilan) -> None:
    """Contrôle les périodes d'une variable et les ajoute au bilan."""
    for cle, valeur in par_periode.items():
        chemin_periode = [*chemin, cle]
        if "/" in str(cle):
            raise _erreur(chemin_periode, f"période « {cle} » invalide.")
        if isinstance(valeur, list | dict):
            genre = "une liste" if isinstance(valeur, list) else "un objet"
            raise _erreur(
                chemin_periode,
                f"valeur attendue pour « {variable.name} » en « {cle} » : un nombre, une chaîne, un booléen "
                f"ou null, pas {genre}.",
            )
        periode = _periode_lisible(cle)
        if periode is None:
            raise _erreur(
                chemin_periode,
                f"période « {citer(cle)} » illisible : un mois (« 2025-06 »), une année (« 2025 »), "
                f"« ETERNITY » ou la syntaxe d'OpenFisca (« month:2025-01:12 »), entre {ANNEE_MINIMUM} et "
                f"{ANNEE_MAXIMUM}.",
            )
        annees, hors_annees = _annees_admises(chemin_periode, periode)
        bilan.annees(chemin_periode, annees)
        bilan.hors_annees = bilan.hors_annees or hors_annees
        if valeur is None:
            bilan.calculs += 1
            message = _periode_compatible(variable, periode)
            if message:
                raise _erreur(chemin_periode, message)
            bilan.periodes_demandees.add(str(periode))
            continue
        bilan.valeurs += 1
        if variable.definition_period != periods.DateUnit.ETERNITY and periode.unit in (
            periods.DateUnit.DAY,
            periods.DateUnit.WEEK,
            periods.DateUnit.WEEKDAY,
        ):
            raise _erreur(
                chemin_periode,
                f"« {variable.name} » se donne par mois ou par année, pas pour « {periode} » "
                "(une valeur pour un jour ou une semaine serait ignorée ou mal répartie).",
            )
        bilan.periodes_donnees[variable.name, str(periode)] = _unites_couvertes(variable, periode)


def _verifier_travail(bilan: _Bilan, cellules: int) -> None:
    """Bornes du travail d'une requête (413 nommant la limite)."""
    if bilan.valeurs > VALEURS_MAXIMUM or bilan.calculs * cellules > CALCULS_MAXIMUM:
        demandees = (
            f"{bilan.calculs} valeurs demandées × {cellules} points des axes = {bilan.calculs * cellules}"
            if cellules > 1
            else f"{bilan.calculs} valeurs demandées"
        )
        raise _erreur(
            ["situation"],
            f"situation trop grande : {bilan.valeurs} valeurs d'entrée (au plus {VALEURS_MAXIMUM}, VALEURS_MAXIMUM) "
            f"et {demandees} (au plus {CALCULS_MAXIMUM}, CALCULS_MAXIMUM).",
            CODE_TROP_GRAND,
        )
    if len(bilan.periodes_demandees) > PERIODES_DEMANDEES_MAXIMUM:
        raise _erreur(
            ["situation"],
            f"trop de périodes demandées : {len(bilan.periodes_demandees)} périodes distinctes "
            f"(au plus {PERIODES_DEMANDEES_MAXIMUM}, PERIODES_DEMANDEES_MAXIMUM) ; "
            "répartir la demande sur plusieurs requêtes.",
            CODE_TROP_GRAND,
        )
    donnees = sum(bilan.periodes_donnees.values())
    if donnees > PERIODES_DONNEES_MAXIMUM:
        (nom, periode), unites = max(bilan.periodes_donnees.items(), key=lambda element: element[1])
        raise _erreur(
            ["situation"],
            f"trop de périodes données : les entrées couvrent {_nombre(donnees)} mois ou années, sommés sur les "
            f"variables (au plus {_nombre(PERIODES_DONNEES_MAXIMUM)}, PERIODES_DONNEES_MAXIMUM) ; "
            f"la plus longue : « {nom} » en « {periode} » ({_nombre(unites)}).",
            CODE_TROP_GRAND,
        )
    if bilan.hors_annees is not None:
        raise bilan.hors_annees
    if bilan.premiere_annee and bilan.derniere_annee:
        (premiere, chemin), (derniere, _) = bilan.premiere_annee, bilan.derniere_annee  # la plus ancienne
        if derniere - premiere + 1 > ETENDUE_ANNEES_MAXIMUM:
            raise _erreur(
                chemin,
                f"périodes trop étendues : de {premiere} à {derniere}, {derniere - premiere + 1} années "
                f"(au plus {ETENDUE_ANNEES_MAXIMUM}, ETENDUE_ANNEES_MAXIMUM, entre la plus ancienne et la plus "
                "récente période donnée ou demandée).",
                CODE_TROP_GRAND,
            )


def _demandes(input_data: object) -> list[tuple[str, str, str, str]]:
    """Chemins (entité, identifiant, variable, période) des valeurs demandées."""
    if not isinstance(input_data, dict):
        return []
    return [
        (pluriel, identifiant, nom, cle)
        for pluriel, instances in input_data.items()
        if isinstance(instances, dict)
        for identifiant, contenu in instances.items()
        if isinstance(contenu, dict)
        for nom, par_periode in contenu.items()
        if isinstance(par_periode, dict)
        for cle, valeur in par_periode.items()
        if valeur is None
    ]


def _debut(cle: str) -> Instant:
    try:
        return periods.period(cle).start
    except Exception:  # noqa: BLE001
        return periods.instant("9999-12-31")


# --- Résultat ------------------------------------------------------------------


def _verifier_resultat(resultat: object) -> None:
    """Aucun NaN/Infinity calculé dans la réponse. Les paramètres lus qu'une trace
    cite (``trace/<nœud>/parameters``) ne sont pas des résultats : un plafond sans
    limite (``.inf``) y est légitime, et l'application l'écrit « Infinity »
    (``spec_openapi._fournisseur_json``)."""
    for chemin, feuille, _ in _parcourir(resultat):
        if chemin[:1] == ("trace",) and chemin[2:3] == ("parameters",):
            continue
        if isinstance(feuille, float) and not math.isfinite(feuille):
            raise _erreur(
                chemin,
                f"le calcul donne une valeur non finie ({feuille}) : une entrée est hors de toute échelle plausible.",
            )


def _verifier_trace(resultat: dict) -> None:
    """Une trace au plus de TRACE_NOEUDS_MAXIMUM nœuds et TRACE_VALEURS_MAXIMUM valeurs (413)."""
    trace = resultat.get("trace") or {}
    valeurs = sum(len(noeud.get("value") or ()) for noeud in trace.values())
    if len(trace) > TRACE_NOEUDS_MAXIMUM or valeurs > TRACE_VALEURS_MAXIMUM:
        raise _erreur(
            ["trace"],
            f"trace trop grande : {_nombre(len(trace))} nœuds (au plus {_nombre(TRACE_NOEUDS_MAXIMUM)}, "
            f"TRACE_NOEUDS_MAXIMUM) et {_nombre(valeurs)} valeurs (au plus {_nombre(TRACE_VALEURS_MAXIMUM)}, "
            "TRACE_VALEURS_MAXIMUM) ; demander moins de périodes ou de variables, ou utiliser /calculate.",
            CODE_TROP_GRAND,
        )


def _reference_parametre(
    tax_benefit_system: TaxBenefitSystem, nom: str, instant: str
) -> dict[str, str] | list[dict[str, str]] | None:
    """Référence (titre, adresse) du paramètre ``nom`` en vigueur à ``instant``."""
    noeud = tax_benefit_system.parameters
    for partie in nom.split("."):
        noeud = getattr(noeud, "children", {}).get(partie)
        if noeud is None:
            return None
    references = (getattr(noeud, "metadata", {}) or {}).get("reference") or {}
    dates = sorted(str(date) for date in references if str(date) <= instant)
    if not dates:
        return None
    return next(valeur for date, valeur in references.items() if str(date) == dates[-1])


def enrichir_trace(tax_benefit_system: TaxBenefitSystem, resultat: dict) -> None:
    """Ajoute à chaque nœud de /trace le libellé et les articles de la variable,
    et la source de chaque paramètre lu à sa date : l'explication d'un montant
    renvoie au texte qui le fonde."""
    for cle, noeud in resultat.get("trace", {}).items():
        variable = tax_benefit_system.variables.get(cle.partition("<")[0])
        if variable is not None:
            noeud["label"] = variable.label
            noeud["references"] = list(variable.reference or [])
        sources = {}
        for cle_parametre in noeud.get("parameters", {}):
            nom, _, instant = cle_parametre.partition("<")
            reference = _reference_parametre(tax_benefit_system, nom, instant.rstrip(">"))
            if reference is not None:
                sources[cle_parametre] = reference
        if sources:
            noeud["parameters_references"] = sources


# --- Enveloppes ----------------------------------------------------------------


def _calculer(
    fonction: Gestionnaire, tax_benefit_system: TaxBenefitSystem, input_data: object, axes: Axes | None
) -> dict:
    """Le gestionnaire de core, ou, avec des axes, celui de ``web_api_axes`` : core
    cherche « claire » parmi les identifiants répétés par les axes (« claire0 »,
    « claire1 »…) et répond « 'claire' is not in list »."""
    if axes is None:
        return fonction(tax_benefit_system, input_data)
    from openfisca_invalidite import web_api_axes

    calcul = web_api_axes.tracer if fonction.__name__ == "trace" else web_api_axes.calculer
    return calcul(tax_benefit_system, input_data, axes)


def durcir(fonction: Gestionnaire) -> Gestionnaire:
    """Enveloppe un gestionnaire de ``openfisca_web_api.handlers`` (idempotent)."""
    if getattr(fonction, _MARQUE, False):
        return fonction

    @functools.wraps(fonction)
    def gestionnaire(tax_benefit_system: TaxBenefitSystem, input_data: object) -> dict:
        axes = _verifier_situation(tax_benefit_system, input_data)
        try:
            resultat = _calculer(fonction, tax_benefit_system, input_data, axes)
        except ParameterNotFoundError as erreur:
            demandes = sorted(_demandes(input_data), key=lambda chemin: _debut(chemin[3]))
            chemin = demandes[0] if demandes else ["situation"]
            raise _erreur(
                chemin,
                f"période hors du champ des barèmes : le paramètre « {erreur.name} » n'existe pas "
                f"au {erreur.instant_str}.",
            ) from erreur
        except ValueError as erreur:
            # Filet de sécurité pour openfisca-core#916 (normalement arrêté avant).
            if not str(erreur).startswith("Unable to compute variable"):
                raise
            demandes = _demandes(input_data)
            raise _erreur(demandes[0] if demandes else ["situation"], str(erreur)) from erreur
        except UnicodeError as erreur:
            raise _erreur(["situation"], f"chaîne invalide : {erreur.reason}.") from erreur
        trace = isinstance(resultat, dict) and "trace" in resultat
        if trace:
            _verifier_trace(resultat)
        _verifier_resultat(resultat)
        if trace:
            enrichir_trace(tax_benefit_system, resultat)
        return resultat

    setattr(gestionnaire, _MARQUE, True)
    return gestionnaire


class DelaiDepasse(BaseException):
    """La requête a dépassé DUREE_MAXIMALE_REQUETE. Hors de la hiérarchie
    d'``Exception`` (comme ``KeyboardInterrupt``) : un ``except Exception`` du
    calcul ne l'arrête pas."""


def duree_maximale() -> float:
    """DUREE_MAXIMALE_REQUETE, ou la valeur (secondes > 0) de ``OPENFISCA_INVALIDITE_DUREE_MAXIMALE``."""
    try:
        duree = float(os.environ.get("OPENFISCA_INVALIDITE_DUREE_MAXIMALE", DUREE_MAXIMALE_REQUETE))
    except ValueError:
        return DUREE_MAXIMALE_REQUETE
    return duree if math.isfinite(duree) and duree > 0 else DUREE_MAXIMALE_REQUETE


def _alarme(_signal: int, _cadre: object) -> None:
    raise DelaiDepasse


@contextlib.contextmanager
def echeance(secondes: float) -> Iterator[bool]:
    """Lève ``DelaiDepasse`` dans le bloc après ``secondes`` (horloge murale).

    ``SIGALRM`` n'est reçu que par le fil principal : l'échéance n'est active
    que là (un worker gunicorn « sync », celui d'``openfisca serve``) ; ailleurs
    (serveur à fils, client de test) le bloc s'exécute sans échéance. Rend
    True si l'échéance est active."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield False
        return
    precedent = signal.signal(signal.SIGALRM, _alarme)
    signal.setitimer(signal.ITIMER_REAL, secondes)
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, precedent)


def _reponse(corps: dict, statut: int) -> Response:
    from flask import jsonify

    reponse = jsonify(corps)
    reponse.status_code = statut
    return reponse


def _borner_vue(vue: Callable[..., Response]) -> Callable[..., Response]:
    """Enveloppe la vue /calculate ou /trace de core : échéance de la requête
    entière (lecture, calcul, mise en JSON) et JSON trop imbriqué refusé avant
    tout parcours (le décodeur lève ``RecursionError``, core répondait 500)."""

    @functools.wraps(vue)
    def vue_bornee(*args: object, **kwargs: object) -> Response:
        from flask import request

        duree = duree_maximale()
        try:
            with echeance(duree):
                try:
                    request.get_json(silent=True)  # mis en cache pour la vue de core
                except RecursionError:
                    return _reponse(
                        {
                            "situation": "imbrication trop profonde : au plus "
                            f"{PROFONDEUR_MAXIMUM} niveaux d'objets ou de tableaux."
                        },
                        400,
                    )
                return vue(*args, **kwargs)
        except DelaiDepasse:
            return _reponse(
                {
                    "situation": f"calcul interrompu : la requête dépasse la durée maximale de {duree:g} s "
                    "(DUREE_MAXIMALE_REQUETE). Demander moins de périodes, de variables ou de points d'axes."
                },
                CODE_DELAI_DEPASSE,
            )

    return vue_bornee


def borner_application(create_app: Callable[..., Flask]) -> Callable[..., Flask]:
    """Enveloppe ``create_app`` : requêtes limitées à TAILLE_MAXIMALE_REQUETE (413
    en JSON), POST non JSON refusé (415), échéance par requête (503)."""
    if getattr(create_app, _MARQUE, False):
        return create_app

    @functools.wraps(create_app)
    def fabrique(*args: object, **kwargs: object) -> Flask:
        from flask import request

        app = create_app(*args, **kwargs)
        app.config["MAX_CONTENT_LENGTH"] = TAILLE_MAXIMALE_REQUETE
        for point in ("calculate", "trace"):
            if point in app.view_functions:
                app.view_functions[point] = _borner_vue(app.view_functions[point])

        @app.errorhandler(413)
        def trop_grande(_erreur: RequestEntityTooLarge) -> Response:
            return _reponse({"situation": f"requête trop grande : au plus {TAILLE_MAXIMALE_REQUETE} octets."}, 413)

        @app.before_request
        def corps_json_exige() -> Response | None:
            # Sans « Content-Type: application/json », Flask appelle le
            # gestionnaire de core avec ``None`` et ``None.args`` donne un 500.
            if (
                request.method == "POST"
                and request.path.rstrip("/") in ("/calculate", "/trace")
                and not request.is_json
            ):
                return _reponse(
                    {"Content-Type": "le corps doit être une situation JSON (Content-Type: application/json)."}, 415
                )
            return None

        return app

    setattr(fabrique, _MARQUE, True)
    return fabrique


def installer() -> bool:
    """Installe le durcissement ; renvoie False si l'API web n'est pas installée."""
    installer_erreurs_sans_listes()
    try:
        from openfisca_web_api import handlers
    except ImportError:
        return False
    handlers.calculate = durcir(handlers.calculate)
    handlers.trace = durcir(handlers.trace)
    envelopper_create_app(borner_application)
    return True


def envelopper_create_app(enveloppe: Callable[[Callable[..., Flask]], Callable[..., Flask]]) -> None:
    """Enveloppe ``create_app`` là où il a été importé : ``openfisca serve`` l'a
    déjà importé quand il charge le paquet (sans importer Flask sinon)."""
    for module in ("openfisca_web_api.app", "openfisca_web_api.scripts.serve"):
        if module in sys.modules and hasattr(sys.modules[module], "create_app"):
            sys.modules[module].create_app = enveloppe(sys.modules[module].create_app)


installer()
