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
  JSON de core reçoit ``None`` et lit ``None.args``.

``SituationParsingError`` construisait son message avec ``dpath.new``, qui
prend une clé numérique pour un indice de liste : l'erreur d'une personne
« 30000000 » allouait une liste de 30 millions d'éléments (≈ 600 Mo), un
identifiant de 30 chiffres épuisait la mémoire. Son constructeur est remplacé
par un emboîtement de dictionnaires (même message, même code).

Ce module enveloppe ``openfisca_web_api.handlers.calculate`` et ``.trace`` :
la situation est contrôlée avant le calcul, et ces erreurs deviennent des
``SituationParsingError`` (que ``app.py`` rend déjà en 4xx) dont le chemin
nomme le champ fautif (entité/identifiant/variable/période). Les messages
d'erreur à clé numérique (« 2019 ») que ``dpath`` transformait en liste de
2 020 ``null`` sont remis en objets. Si l'application Flask est fabriquée
après le chargement du paquet par ``openfisca serve``, sa taille de requête
est bornée (413 en JSON) et un POST non JSON reçoit 415.

L'installation est faite au chargement du paquet (``openfisca_invalidite/__init__.py``),
est idempotente (une fonction déjà enveloppée ne l'est pas deux fois) et ne
modifie aucun fichier d'OpenFisca-Core. Sans ``openfisca_web_api`` (extra
``web-api`` absent), seule la construction des erreurs est remplacée.
"""

from __future__ import annotations

import functools
import math
import os
import sys
from typing import TYPE_CHECKING

from openfisca_core import periods
from openfisca_core.errors import ParameterNotFoundError, SituationParsingError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from flask import Flask, Response
    from openfisca_core.periods import Instant, Period
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable
    from werkzeug.exceptions import RequestEntityTooLarge

    #: Gestionnaire de ``openfisca_web_api.handlers`` (``calculate``, ``trace``).
    Gestionnaire = Callable[[TaxBenefitSystem, object], dict]
    #: Chemin d'un champ dans un JSON décodé : clés et rangs de liste.
    Chemin = tuple[str | int, ...]

# Bornes d'une requête : l'API sert à expliquer des cas, pas à simuler une
# population (pour cela : ``openfisca-invalidite simuler``).
TAILLE_MAXIMALE_REQUETE = 2 * 1024 * 1024  # octets, au-delà : 413
PERSONNES_MAXIMUM = 500
VALEURS_MAXIMUM = 50_000  # valeurs (variable × période) d'entrée, toutes entités
CALCULS_MAXIMUM = 2_000  # valeurs demandées (null)
PERSONNES_AXES_MAXIMUM = 2_000  # personnes × produit des « count » des axes
CODE_TROP_GRAND = 413

_MARQUE = "_durci_par_openfisca_invalidite"


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
    return SituationParsingError([str(element) for element in chemin], message, code=code)


def _sans_listes(erreur: object) -> object:
    """Filet : une erreur construite sans ``_initialiser_erreur`` (avant son
    installation) pouvait contenir la liste ``[null, …, message]`` que
    ``dpath.new`` fait d'une clé numérique ; on rend un objet."""
    if isinstance(erreur, list):
        return {str(indice): _sans_listes(valeur) for indice, valeur in enumerate(erreur) if valeur is not None}
    if isinstance(erreur, dict):
        return {cle: _sans_listes(valeur) for cle, valeur in erreur.items()}
    return erreur


def _parcourir(valeur: object, chemin: Chemin = ()) -> Iterator[tuple[Chemin, object, bool]]:
    """(chemin, feuille, est_une_cle) de chaque feuille et de chaque clé d'un JSON décodé."""
    if isinstance(valeur, dict):
        for cle, sous_valeur in valeur.items():
            yield (*chemin, cle), cle, True
            yield from _parcourir(sous_valeur, (*chemin, cle))
    elif isinstance(valeur, list):
        for indice, sous_valeur in enumerate(valeur):
            yield from _parcourir(sous_valeur, (*chemin, indice))
    else:
        yield chemin, valeur, False


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


def _periode_compatible(variable: Variable, periode: Period) -> str | None:
    """Message d'erreur si la variable ne peut être calculée sur la période
    (mêmes règles que ``Simulation._check_period_consistency``), sinon None."""
    unite = variable.definition_period
    if unite == periods.DateUnit.ETERNITY:
        return None
    noms = {periods.DateUnit.YEAR: "une année (ex. « 2025 »)", periods.DateUnit.MONTH: "un mois (ex. « 2025-06 »)"}
    attendu = noms.get(unite, str(unite))
    if periode.unit != unite or periode.size != 1:
        return (
            f"« {variable.name} » se calcule pour {attendu}, pas pour « {periode} ». "
            "Demander chaque sous-période séparément (cf. openfisca-core#916)."
        )
    return None


def _verifier_situation(tax_benefit_system: TaxBenefitSystem, input_data: object) -> None:
    """Contrôles qui précèdent le calcul ; lève ``SituationParsingError`` (4xx)."""
    if not isinstance(input_data, dict):
        return  # le constructeur de simulation d'OpenFisca répond déjà 400
    _verifier_feuilles(input_data)
    pluriels = {entite.plural: entite for entite in tax_benefit_system.entities}
    valeurs = calculs = 0
    personnes = 1
    for pluriel, instances in input_data.items():
        if pluriel not in pluriels or not isinstance(instances, dict):
            continue  # erreur déjà nommée par OpenFisca
        if pluriels[pluriel].is_person:
            personnes = _compter_personnes(pluriel, instances)
        for identifiant, contenu in instances.items():
            valeurs_instance, calculs_instance = _verifier_instance(tax_benefit_system, pluriel, identifiant, contenu)
            valeurs += valeurs_instance
            calculs += calculs_instance
    _verifier_taille(valeurs, calculs)
    _verifier_axes(input_data.get("axes"), personnes)


def _compter_personnes(pluriel: str, instances: dict) -> int:
    """Nombre de personnes (au moins 1) ; au-delà de PERSONNES_MAXIMUM : 413."""
    if len(instances) > PERSONNES_MAXIMUM:
        raise _erreur(
            [pluriel],
            f"{len(instances)} personnes : au plus {PERSONNES_MAXIMUM} par requête "
            "(pour une population, utiliser « openfisca-invalidite simuler »).",
            CODE_TROP_GRAND,
        )
    return max(len(instances), 1)


def _verifier_instance(
    tax_benefit_system: TaxBenefitSystem, pluriel: str, identifiant: str, contenu: object
) -> tuple[int, int]:
    """Contrôle une personne ou un groupe ; rend (valeurs d'entrée, valeurs demandées)."""
    if "/" in str(identifiant):
        raise _erreur([pluriel], f"identifiant « {identifiant} » invalide : le caractère « / » n'est pas admis.")
    valeurs = calculs = 0
    if not isinstance(contenu, dict):
        return valeurs, calculs
    for nom, par_periode in contenu.items():
        if "/" in str(nom):
            raise _erreur([pluriel, identifiant], f"nom de variable « {nom} » invalide.")
        if not isinstance(par_periode, dict) or not tax_benefit_system.variables.get(nom):
            continue  # rôle de groupe, ou variable inconnue (404 d'OpenFisca)
        valeurs_variable, calculs_variable = _verifier_periodes(
            tax_benefit_system.variables[nom], [pluriel, identifiant, nom], par_periode
        )
        valeurs += valeurs_variable
        calculs += calculs_variable
    return valeurs, calculs


def _verifier_periodes(variable: Variable, chemin: list[str], par_periode: dict) -> tuple[int, int]:
    """Contrôle les périodes d'une variable ; rend (valeurs d'entrée, valeurs demandées)."""
    valeurs = calculs = 0
    for cle, valeur in par_periode.items():
        chemin_periode = [*chemin, cle]
        if "/" in str(cle):
            raise _erreur(chemin_periode, f"période « {cle} » invalide.")
        if valeur is not None:
            valeurs += 1
            continue
        calculs += 1
        periode = _periode_lisible(cle)
        if periode is None:
            continue  # OpenFisca nomme déjà la période illisible
        message = _periode_compatible(variable, periode)
        if message:
            raise _erreur(chemin_periode, message)
    return valeurs, calculs


def _periode_lisible(cle: str) -> Period | None:
    """La période ``cle``, ou None si OpenFisca ne sait pas la lire."""
    try:
        return periods.period(cle)
    except Exception:  # noqa: BLE001 — OpenFisca nomme déjà la période illisible
        return None


def _verifier_taille(valeurs: int, calculs: int) -> None:
    if valeurs > VALEURS_MAXIMUM or calculs > CALCULS_MAXIMUM:
        raise _erreur(
            ["situation"],
            f"situation trop grande : {valeurs} valeurs d'entrée (au plus {VALEURS_MAXIMUM}) "
            f"et {calculs} valeurs demandées (au plus {CALCULS_MAXIMUM}).",
            CODE_TROP_GRAND,
        )


def _verifier_axes(axes: object, personnes: int) -> None:
    """Les axes multiplient la situation : au plus PERSONNES_AXES_MAXIMUM personnes."""
    if not isinstance(axes, list):
        return
    produit = 1
    for i, axe_parallele in enumerate(axes):
        comptes = (
            [axe.get("count") for axe in axe_parallele if isinstance(axe, dict)]
            if isinstance(axe_parallele, list)
            else []
        )
        compte = max([c for c in comptes if isinstance(c, int) and not isinstance(c, bool)], default=1)
        produit *= max(compte, 1)
        if personnes * produit > PERSONNES_AXES_MAXIMUM:
            raise _erreur(
                ["axes", i],
                f"les axes multiplient la situation en {personnes * produit} personnes "
                f"(au plus {PERSONNES_AXES_MAXIMUM}).",
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


def _verifier_resultat(resultat: object) -> None:
    """Aucun NaN/Infinity dans la réponse (JSON non standard)."""
    for chemin, feuille, _ in _parcourir(resultat):
        if isinstance(feuille, float) and not math.isfinite(feuille):
            raise _erreur(
                chemin,
                f"le calcul donne une valeur non finie ({feuille}) : une entrée est hors de toute échelle plausible.",
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


def durcir(fonction: Gestionnaire) -> Gestionnaire:
    """Enveloppe un gestionnaire de ``openfisca_web_api.handlers`` (idempotent)."""
    if getattr(fonction, _MARQUE, False):
        return fonction

    @functools.wraps(fonction)
    def gestionnaire(tax_benefit_system: TaxBenefitSystem, input_data: object) -> dict:
        _verifier_situation(tax_benefit_system, input_data)
        try:
            resultat = fonction(tax_benefit_system, input_data)
        except SituationParsingError as erreur:
            erreur.error = _sans_listes(erreur.error)
            raise
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
        _verifier_resultat(resultat)
        if isinstance(resultat, dict) and "trace" in resultat:
            enrichir_trace(tax_benefit_system, resultat)
        return resultat

    setattr(gestionnaire, _MARQUE, True)
    return gestionnaire


def borner_application(create_app: Callable[..., Flask]) -> Callable[..., Flask]:
    """Enveloppe ``create_app`` : requêtes limitées à TAILLE_MAXIMALE_REQUETE (413 en JSON)."""
    if getattr(create_app, _MARQUE, False):
        return create_app

    @functools.wraps(create_app)
    def fabrique(*args: object, **kwargs: object) -> Flask:
        from flask import jsonify, request

        app = create_app(*args, **kwargs)
        app.config["MAX_CONTENT_LENGTH"] = TAILLE_MAXIMALE_REQUETE

        @app.errorhandler(413)
        def trop_grande(_erreur: RequestEntityTooLarge) -> Response:
            reponse = jsonify({"situation": f"requête trop grande : au plus {TAILLE_MAXIMALE_REQUETE} octets."})
            reponse.status_code = 413
            return reponse

        @app.before_request
        def corps_json_exige() -> Response | None:
            # Sans « Content-Type: application/json », Flask appelle le
            # gestionnaire de core avec ``None`` et ``None.args`` donne un 500.
            if (
                request.method == "POST"
                and request.path.rstrip("/") in ("/calculate", "/trace")
                and not request.is_json
            ):
                reponse = jsonify(
                    {"Content-Type": "le corps doit être une situation JSON (Content-Type: application/json)."}
                )
                reponse.status_code = 415
                return reponse
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
    # ``openfisca serve`` a déjà importé ``create_app`` quand il charge le paquet :
    # on remplace le nom là où il a été importé (sans importer Flask sinon).
    for module in ("openfisca_web_api.app", "openfisca_web_api.scripts.serve"):
        if module in sys.modules and hasattr(sys.modules[module], "create_app"):
            sys.modules[module].create_app = borner_application(sys.modules[module].create_app)
    return True


installer()
