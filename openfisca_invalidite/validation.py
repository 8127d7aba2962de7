"""Contrôle des entrées : une valeur hors de son domaine est refusée avec un
message qui nomme la variable, la personne et la période.

L'erreur dérive de ``SituationParsingError`` : l'API web OpenFisca la rend en
réponse 400 (et non 500), et l'API Python la lève telle quelle.

Deux sortes de contrôles :

* le domaine d'une variable numérique (``entree_bornee``, posé variable par
  variable dans ``variables/``) ;
* le type des booléens, énumérations et dates (``installer``), pour toutes
  les variables du paquet, données ou calculées. OpenFisca-Core convertit une
  valeur saisie par numpy avant tout ``set_input`` : la chaîne ``"false"``
  devient ``True`` (chaîne non vide), un entier hors de l'énumération devient
  un code sans membre, ``"0000-01-01"`` une date. Le contrôle se fait donc là
  où arrive la valeur brute : ``Variable.check_set_value`` (chaque valeur
  d'une situation JSON, YAML ou d'un dictionnaire Python) et
  ``Holder.set_input`` (tableaux de l'API Python, dont ceux du moteur de
  population). Les valeurs admises sont décrites dans docs/web_api.md
  (« Valeurs admises »).
"""

from __future__ import annotations

import datetime
import functools
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from openfisca_core.errors import SituationParsingError
from openfisca_core.holders import Holder
from openfisca_core.indexed_enums import Enum, EnumArray, EnumEncodingError, EnumMemberNotFoundError
from openfisca_core.variables import Variable

from openfisca_invalidite import entities

if TYPE_CHECKING:
    from collections.abc import Callable

    from numpy.typing import ArrayLike
    from openfisca_core.periods import Period
    from openfisca_core.populations import Population

    #: ``set_input`` d'une variable OpenFisca : (holder, période, valeurs).
    SetInput = Callable[[Holder, Period, ArrayLike], None]

#: Personnes nommées dans le message d'une entrée refusée ; au-delà : « et N autres ».
PERSONNES_NOMMEES = 5

#: Première et dernière années admises pour une date (naissance, arrêt de travail,
#: date d'effet…), une période de l'API web et une année d'un fichier de population
#: (une seule définition, lue par web_api.py et population/schema.py) : né avant 1900,
#: on aurait plus de 115 ans en 2015, premier mois couvert par les tests du modèle ;
#: une année hors de 1900-2100 est une faute de frappe (« 0025 », « 20225 »).
ANNEE_MINIMUM = 1900
ANNEE_MAXIMUM = 2100
DATE_MINIMUM = np.datetime64(f"{ANNEE_MINIMUM}-01-01", "D")
DATE_MAXIMUM = np.datetime64(f"{ANNEE_MAXIMUM}-12-31", "D")
#: « Pas de date » : valeur par défaut de date_debut_invalidite et de
#: date_effet_pension_invalidite (aucun arrêt, aucune date d'effet), admise telle quelle.
DATE_SANS_EVENEMENT = np.datetime64("9999-12-31", "D")
#: (date antérieure, date postérieure) d'une même personne : quand les deux sont
#: données, la seconde ne peut précéder la première (un arrêt de travail avant la
#: naissance). La date d'effet, elle, ne peut précéder l'arrêt : contrôlé par
#: date_liquidation_pension_invalidite.
DATES_ORDONNEES = (("date_naissance", "date_debut_invalidite"),)
#: Caractères d'une valeur reçue cités dans un message (une chaîne d'un mégaoctet n'y est pas recopiée).
LONGUEUR_CITEE = 40

#: Ce qui est dit d'un entier trop long pour être écrit (plus de 4 300 chiffres).
ENTIER_DEMESURE = "un entier démesuré"
#: Un nombre écrit en chaîne (« 1200 », « 0.8 », « 1e5 ») : la seule chaîne admise pour un
#: nombre ; OpenFisca évaluerait toute autre comme une expression (« 2*3 » : 6, « inf »).
NOMBRE_ECRIT = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?")

_TYPES_CONTROLES = (bool, Enum, datetime.date)
#: Types contrôlés dans une situation (JSON, YAML, dictionnaire) : les nombres en plus,
#: qu'OpenFisca convertirait sans rien dire (``true`` en 1, 2,5 en 2, 1e39 en inf).
_TYPES_CONTROLES_SAISIE = (*_TYPES_CONTROLES, int, float)
_MARQUE = "_controle_par_openfisca_invalidite"


class EntreeInvalide(SituationParsingError):
    """Valeur d'entrée hors du domaine de la variable."""

    def __init__(
        self, population: Population, variable: str, period: Period | str, indices: np.ndarray, message: str
    ) -> None:
        ids = getattr(population, "ids", None)
        noms = [str(ids[i]) if ids is not None and len(ids) > i else str(i) for i in indices[:PERSONNES_NOMMEES]]
        plural = population.entity.plural
        reste = f" (et {len(indices) - PERSONNES_NOMMEES} autres)" if len(indices) > PERSONNES_NOMMEES else ""
        texte = f"{variable} : {message} — {plural} {', '.join(noms)}{reste}."
        self.variable = variable
        self.indices = indices
        super().__init__([plural, noms[0], variable, str(period)], texte, code=400)


def refuser_si(
    masque: np.ndarray, population: Population, variable: str, period: Period | str, message: Callable[[int], str]
) -> None:
    """Lève ``EntreeInvalide`` pour les personnes où ``masque`` est vrai ; ``message``
    reçoit le rang de la première (la valeur citée est la sienne)."""
    if masque.any():
        indices = np.flatnonzero(masque)
        raise EntreeInvalide(population, variable, period, indices, message(indices[0]))


def verifier(
    population: Population,
    variable: str,
    period: Period,
    valeurs: ArrayLike,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
) -> None:
    """Lève ``EntreeInvalide`` si une valeur est non finie ou hors de [minimum, maximum]."""
    valeurs = np.asarray(valeurs)
    if valeurs.dtype.kind not in "fiu":
        return
    if valeurs.size:
        # Le cas courant, toutes les valeurs admises, se voit à la plus petite et à la plus
        # grande (une valeur non finie les rend non finies) : sans tableau par personne.
        plus_petite, plus_grande = valeurs.min(), valeurs.max()
        if (
            np.isfinite(plus_petite)
            and np.isfinite(plus_grande)
            and (minimum is None or plus_petite >= minimum)
            and (maximum is None or plus_grande <= maximum)
        ):
            return
    if valeurs.dtype.kind == "f":
        refuser_si(~np.isfinite(valeurs), population, variable, period, lambda i: f"valeur non finie ({valeurs[i]})")
    if minimum is not None:
        refuser_si(
            valeurs < minimum,
            population,
            variable,
            period,
            lambda i: f"{valeurs[i]:g} est inférieur au minimum admis {minimum:g}",
        )
    if maximum is not None:
        refuser_si(
            valeurs > maximum,
            population,
            variable,
            period,
            lambda i: f"{valeurs[i]:g} est supérieur au maximum admis {maximum:g}",
        )


@dataclass(frozen=True)
class Domaine:
    """Ce que contrôle le ``set_input`` d'une variable d'entrée, attaché à lui
    (``set_input.domaine``) pour que /spec le décrive (spec_openapi.py)."""

    minimum: float | None = None
    maximum: float | None = None
    #: Fonction OpenFisca de répartition sur les sous-périodes, s'il y en a une.
    repartition: SetInput | None = None


def entree_bornee(
    minimum: float | None = None, maximum: float | None = None, repartition: SetInput | None = None
) -> SetInput:
    """Fabrique un ``set_input`` qui contrôle le domaine avant d'enregistrer.

    ``repartition`` est, au besoin, la fonction OpenFisca de répartition sur
    les sous-périodes (``set_input_divide_by_period``…).
    """

    def set_input(holder: Holder, period: Period, array: ArrayLike) -> None:
        # Protocole ``set_input`` d'OpenFisca : le crochet convertit et enregistre par
        # ``Holder._to_array`` / ``Holder._set``, comme ``openfisca_core.holders.helpers``.
        tableau = holder._to_array(array)  # noqa: SLF001
        verifier(holder.population, holder.variable.name, period, tableau, minimum=minimum, maximum=maximum)
        if repartition is not None:
            return repartition(holder, period, tableau)
        return holder._set(period, tableau)  # noqa: SLF001

    set_input.domaine = Domaine(minimum, maximum, repartition)
    return set_input


def citer(valeur: object) -> str:
    """Une valeur reçue, telle qu'écrite, coupée à LONGUEUR_CITEE caractères."""
    try:
        texte = str(valeur)
    except ValueError:  # entier de plus de 4 300 chiffres
        return ENTIER_DEMESURE
    return texte if len(texte) <= LONGUEUR_CITEE else texte[:LONGUEUR_CITEE] + "…"


def _decrire(valeur: object) -> str:
    """La valeur reçue, telle qu'elle était écrite (JSON ou YAML)."""
    if isinstance(valeur, str):
        return f"la chaîne « {citer(valeur)} »"
    if isinstance(valeur, bool | np.bool_):
        return f"le booléen {'true' if valeur else 'false'}"
    if isinstance(valeur, int | float | np.number):
        texte = citer(valeur)
        return texte if texte == ENTIER_DEMESURE else f"le nombre {texte}"
    if isinstance(valeur, list | tuple):
        return "une liste"
    if isinstance(valeur, dict):
        return "un objet"
    return f"une valeur de type {type(valeur).__name__} (« {citer(valeur)} »)"


def _decrire_tableau(tableau: np.ndarray) -> str:
    if tableau.size == 1:
        return _decrire(tableau.reshape(-1)[0].item() if tableau.dtype != object else tableau.reshape(-1)[0])
    return f"un tableau de type {tableau.dtype} (première valeur « {citer(tableau.reshape(-1)[0])} »)"


def _noms(variable: Variable) -> list[str]:
    return list(variable.possible_values.__members__)


def _date_iso(texte: str) -> bool:
    """``AAAA-MM-JJ`` d'un jour qui existe : numpy lirait aussi « 2021 » (1er janvier) ou « today »."""
    try:
        return str(np.datetime64(texte, "D")) == texte
    except ValueError:
        return False


def controler_saisie(variable: Variable, valeur: object) -> None:
    """Une valeur d'une situation (JSON de l'API web, YAML des tests, dictionnaire
    Python), avant qu'OpenFisca la convertisse ; ``ValueError`` sinon, que le
    constructeur de simulation rend en ``SituationParsingError`` au chemin
    entité/identifiant/variable/période."""
    if variable.value_type is bool:
        if not isinstance(valeur, bool | np.bool_):
            msg = f"{variable.name} : booléen attendu (true ou false), reçu {_decrire(valeur)}."
            raise ValueError(msg)
    elif variable.value_type is Enum:
        if not isinstance(valeur, str) or valeur not in variable.possible_values.__members__:
            msg = (
                f"{variable.name} : {_decrire(valeur)} n'est pas une valeur admise ; "
                f"écrire le nom de l'une de : {', '.join(_noms(variable))}."
            )
            raise ValueError(msg)
    elif variable.value_type in (int, float):
        _controler_nombre(variable, valeur)
    elif variable.value_type is datetime.date:
        iso = _date_iso(valeur) if isinstance(valeur, str) else isinstance(valeur, datetime.date | np.datetime64)
        if not iso or isinstance(valeur, datetime.datetime):
            msg = f"{variable.name} : date AAAA-MM-JJ attendue (jour existant), reçu {_decrire(valeur)}."
            raise ValueError(msg)


def _controler_nombre(variable: Variable, valeur: object) -> None:
    """Un nombre d'une situation : pas un booléen (``true`` serait lu 1), un entier
    pour une variable entière (2,5 serait tronqué en 2), et qui tient dans le type
    de stockage de la variable (1e39 deviendrait ``inf`` en simple précision).
    Une chaîne n'est admise que si elle écrit un nombre (NOMBRE_ECRIT), contrôlé
    ensuite comme tel : OpenFisca l'évaluerait comme une expression."""
    if isinstance(valeur, bool | np.bool_):
        msg = f"{variable.name} : nombre attendu, reçu {_decrire(valeur)}."
        raise ValueError(msg)  # noqa: TRY004 — le constructeur de situation rattrape ValueError (400)
    if isinstance(valeur, str):
        nombre = float(valeur) if NOMBRE_ECRIT.fullmatch(valeur) else math.nan
        if not math.isfinite(nombre):
            attendu = "nombre entier" if variable.value_type is int else "nombre"
            msg = (
                f"{variable.name} : {attendu} attendu, reçu {_decrire(valeur)} (un nombre JSON, ou écrit en "
                "chaîne comme « 1200 », sans opération)."
            )
            raise ValueError(msg)
        valeur = nombre
    if not isinstance(valeur, int | float | np.number):
        return
    limites = np.iinfo(variable.dtype) if variable.value_type is int else np.finfo(variable.dtype)
    if isinstance(valeur, float | np.floating):
        if not math.isfinite(valeur):
            return  # non fini : refusé avec son propre message (API web, entree_bornee)
        if variable.value_type is int and not float(valeur).is_integer():
            msg = f"{variable.name} : nombre entier attendu, reçu {_decrire(valeur)}."
            raise ValueError(msg)
    # Bornes en nombres Python : comparer à un float32 convertirait la valeur (débordement).
    plus_petit, plus_grand = np.asarray(limites.min).item(), np.asarray(limites.max).item()
    if not plus_petit <= valeur <= plus_grand:
        msg = (
            f"{variable.name} : {_decrire(valeur)} est trop grand en valeur absolue "
            f"(stocké en {np.dtype(variable.dtype).name} : de {plus_petit:g} à {plus_grand:g})."
        )
        raise ValueError(msg)


def _refuser(holder: Holder, period: Period | str, indices: np.ndarray, message: str) -> EntreeInvalide:
    return EntreeInvalide(holder.population, holder.variable.name, period, indices, message)


def _refuser_si(holder: Holder, period: Period | str, masque: np.ndarray, message: Callable[[int], str]) -> None:
    refuser_si(masque, holder.population, holder.variable.name, period, message)


def _controler_booleens(holder: Holder, period: Period | str, tableau: np.ndarray, *, saisie: bool) -> None:
    if tableau.dtype != np.bool_:
        attendu = (
            "booléen attendu (true ou false)" if saisie else "booléens attendus (en numpy, un tableau de type bool)"
        )
        raise _refuser(holder, period, np.arange(tableau.size), f"{attendu}, reçu {_decrire_tableau(tableau)}")


def _controler_codes(holder: Holder, period: Period | str, tableau: np.ndarray, *, saisie: bool) -> None:
    """Codes d'une énumération : un ``EnumArray`` de la même énumération, ou (API
    numpy) des entiers, chacun le rang d'un membre. Des noms sont codés par OpenFisca."""
    variable = holder.variable
    possibles = variable.possible_values
    if isinstance(tableau, EnumArray):
        if tableau.possible_values is not possibles:
            nom = getattr(tableau.possible_values, "__name__", tableau.possible_values)
            raise _refuser(
                holder,
                period,
                np.arange(tableau.size),
                f"codes de {nom} donnés pour l'énumération {possibles.__name__}",
            )
    elif tableau.dtype.kind in "biufc" and (saisie or tableau.dtype.kind not in "iu"):
        raise _refuser(
            holder,
            period,
            np.arange(tableau.size),
            f"nom attendu (l'un de : {', '.join(_noms(variable))}), reçu {_decrire_tableau(tableau)}",
        )
    elif tableau.dtype.kind not in "iu":
        return  # noms ou membres : OpenFisca les code (voir noms_inconnus)
    codes = tableau.view(np.ndarray)
    if codes.size == 0 or (codes.min() >= 0 and codes.max() < len(possibles)):
        return
    _refuser_si(
        holder,
        period,
        (codes < 0) | (codes >= len(possibles)),
        lambda i: (
            f"code {codes.reshape(-1)[i]} hors de l'énumération (0 à {len(possibles) - 1} : "
            f"{', '.join(_noms(variable))})"
        ),
    )


def noms_inconnus(holder: Holder, period: Period | str, valeurs: ArrayLike) -> EntreeInvalide:
    """L'erreur d'OpenFisca quand il ne sait coder une valeur d'énumération, redite
    en nommant les personnes (cherchées seulement une fois l'erreur survenue)."""
    tableau = np.asarray(valeurs).reshape(-1)
    noms = _noms(holder.variable)
    indices = np.flatnonzero(~np.isin(tableau.astype(str), noms)) if tableau.dtype.kind in "UO" else np.arange(0)
    if indices.size == 0:
        indices = np.arange(tableau.size)
    return _refuser(
        holder,
        period,
        indices,
        f"« {citer(tableau[indices[0]])} » n'est pas une valeur admise (l'une de : {', '.join(noms)})",
    )


def _controler_dates(holder: Holder, period: Period | str, tableau: np.ndarray) -> np.ndarray:
    """Dates lues (``datetime64[D]``) : AAAA-MM-JJ, entre DATE_MINIMUM et DATE_MAXIMUM
    (ou DATE_SANS_EVENEMENT), dans l'ordre de DATES_ORDONNEES."""
    if tableau.dtype.kind == "M":
        dates = tableau.astype("datetime64[D]", copy=False)
    elif tableau.dtype.kind in "UO":
        try:
            dates = tableau.astype("datetime64[D]")
        except (ValueError, TypeError, OverflowError):
            dates = None
        # Relue, la date doit redonner le texte : « 2021 » (lu 1er janvier) ou une heure sont refusés.
        mal_ecrites = np.ones(tableau.shape, dtype=bool) if dates is None else dates.astype(str) != tableau.astype(str)
        _refuser_si(
            holder,
            period,
            mal_ecrites,
            lambda i: f"date AAAA-MM-JJ attendue (jour existant), reçu « {citer(tableau.reshape(-1)[i])} »",
        )
    else:
        raise _refuser(
            holder,
            period,
            np.arange(tableau.size),
            f"dates attendues (AAAA-MM-JJ ; en numpy, datetime64), reçu {_decrire_tableau(tableau)}",
        )
    # NaT n'est égal ni comparable à rien : il tombe hors des dates admises.
    _refuser_si(
        holder,
        period,
        ~(((dates >= DATE_MINIMUM) & (dates <= DATE_MAXIMUM)) | (dates == DATE_SANS_EVENEMENT)),
        lambda i: (
            f"{dates.reshape(-1)[i]} hors des dates admises (du {DATE_MINIMUM} au {DATE_MAXIMUM}, "
            f"ou {DATE_SANS_EVENEMENT} : pas de date)"
        ),
    )
    _controler_ordre(holder, period, dates)
    return dates


def _controler_ordre(holder: Holder, period: Period | str, dates: np.ndarray) -> None:
    """Contrôle fait par celle des deux dates d'une paire de DATES_ORDONNEES qui est
    enregistrée la seconde : l'ordre des entrées dans la situation n'importe pas."""
    nom = holder.variable.name
    for anterieure, posterieure in DATES_ORDONNEES:
        if nom not in (anterieure, posterieure):
            continue
        autre = holder.population.get_holder(posterieure if nom == anterieure else anterieure).get_array(period)
        if autre is None or len(autre) != len(dates):
            continue
        avant, apres = (dates, autre) if nom == anterieure else (autre, dates)
        refuser_si(
            (apres < avant) & (apres != DATE_SANS_EVENEMENT) & (avant != DATE_SANS_EVENEMENT),
            holder.population,
            posterieure,
            period,
            lambda i, apres=apres, avant=avant, anterieure=anterieure: (
                f"{apres[i]} est antérieure à {anterieure} ({avant[i]})"
            ),
        )


def controler_tableau(holder: Holder, period: Period | str, valeurs: ArrayLike) -> ArrayLike:
    """Valeurs données à ``Holder.set_input`` pour un booléen, une énumération ou
    une date, avant leur conversion. Un tableau numpy suit les règles de l'API
    numpy ; une valeur ou une liste Python (ce qu'écrivent JSON et YAML) celles
    d'une situation. Rend les valeurs à enregistrer (les dates, lues)."""
    saisie = not isinstance(valeurs, np.ndarray)
    try:
        tableau = np.asarray(valeurs) if saisie else valeurs  # un EnumArray le reste
    except ValueError:  # liste de formes inégales
        raise _refuser(
            holder, period, np.arange(holder.population.count), "valeurs illisibles (liste de formes inégales)"
        ) from None
    if tableau.ndim == 0:
        tableau = tableau.reshape(1)
    type_valeur = holder.variable.value_type
    if type_valeur is bool:
        _controler_booleens(holder, period, tableau, saisie=saisie)
    elif type_valeur is Enum:
        _controler_codes(holder, period, tableau, saisie=saisie)
    else:
        return _controler_dates(holder, period, tableau)
    return valeurs


def _du_paquet(variable: Variable) -> bool:
    """Variable d'une entité de ce paquet, marquée par ``installer`` : les variables
    d'un autre paquet chargé dans le même processus ne changent pas. Une marque, et
    non l'identité de l'entité, parce que ``TaxBenefitSystem.clone`` (dont se sert
    ``openfisca test``) copie les variables en profondeur, entités comprises."""
    return getattr(variable.entity, _MARQUE, False)


def installer() -> None:
    """Pose les contrôles de type sur ``Variable.check_set_value`` et
    ``Holder.set_input`` (idempotent ; appelé par ``CountryTaxBenefitSystem``).

    OpenFisca-Core n'offre pas d'autre point où passent, avant leur conversion,
    les valeurs d'une situation JSON ou YAML (``SimulationBuilder``) et celles
    de l'API Python (``Simulation.set_input``), réformes comprises.
    """
    for entite in entities.entities:
        setattr(entite, _MARQUE, True)
    if getattr(Holder.set_input, _MARQUE, False):
        return
    convertir = Variable.check_set_value
    enregistrer = Holder.set_input

    @functools.wraps(convertir)
    def check_set_value(variable: Variable, value: object) -> object:
        if variable.value_type in _TYPES_CONTROLES_SAISIE and _du_paquet(variable):
            controler_saisie(variable, value)
        return convertir(variable, value)

    @functools.wraps(enregistrer)
    def set_input(holder: Holder, period: Period | str, array: ArrayLike) -> np.ndarray | None:
        variable = holder.variable
        if variable.value_type not in _TYPES_CONTROLES or not _du_paquet(variable):
            return enregistrer(holder, period, array)
        valeurs = controler_tableau(holder, period, array)
        try:
            return enregistrer(holder, period, valeurs)
        except (EnumEncodingError, EnumMemberNotFoundError):
            raise noms_inconnus(holder, period, array) from None

    setattr(check_set_value, _MARQUE, True)
    setattr(set_input, _MARQUE, True)
    Variable.check_set_value = check_set_value
    Holder.set_input = set_input
