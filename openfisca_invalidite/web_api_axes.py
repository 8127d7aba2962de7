"""Les « axes » d'OpenFisca dans l'API web : la situation répétée le long d'une
ou de plusieurs variables, pour tracer un montant en fonction d'une entrée.

    "axes": [[{"name": "salaire_cotise_12_mois", "count": 11, "min": 0, "max": 50000, "period": "2025-06"}]]

Chaque liste intérieure est une dimension : ses axes (parallèles) varient
ensemble ; plusieurs dimensions (perpendiculaires) forment une grille. La
réponse de /calculate donne, à la place de chaque ``null``, la liste des
valeurs le long de l'axe (une liste de listes pour deux dimensions, la
première dimension à l'extérieur). Voir docs/web_api.md.

Pourquoi ce module plutôt que les gestionnaires d'OpenFisca-Core 46 :

* ``handlers.calculate`` cherche l'identifiant donné (« claire ») parmi ceux
  que les axes ont répétés (« claire0 », « claire1 »…) : « 'claire' is not in
  list », un 500 pour tout axe, même bien formé ; et ces identifiants
  répétés (identifiant + rang global) peuvent se confondre (« a1 » + « 0 » et
  « a » + « 10 » donnent tous deux « a10 ») : on lit ici les valeurs par rang ;
* ``SimulationBuilder.build_from_entities`` ne garde que le premier axe de
  chaque dimension perpendiculaire (les autres sont ignorés sans mot dire) :
  le constructeur ci-dessous remet toutes les dimensions ;
* un axe mal formé (``count`` nul, négatif ou non entier, ``period`` absente ou
  nulle, variable inconnue, ``min`` non numérique, ``index`` hors de l'entité)
  donnait un 500 : chacun est contrôlé avant le calcul (400 nommant le champ).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from openfisca_core import periods
from openfisca_core.indexed_enums import Enum
from openfisca_core.simulations import SimulationBuilder

from openfisca_invalidite.web_api import (
    CODE_TROP_GRAND,
    PERSONNES_AXES_MAXIMUM,
    _demandes,
    _erreur,
    _periode_lisible,
    verifier_periode,
)

if TYPE_CHECKING:
    from openfisca_core.simulations import Simulation
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable

    from openfisca_invalidite.web_api import _Bilan

#: Clés d'un axe (celles d'OpenFisca) ; toute autre est refusée (une faute de frappe
#: comme « maximum » serait sinon ignorée).
CLES_AXE = ("name", "count", "min", "max", "period", "index")
FORME = "« axes » : une liste de dimensions, chacune une liste d'axes, ex. [[{name, count, min, max, period}]]"


@dataclass
class Axes:
    """Axes contrôlés : dimensions d'axes normalisés (période écrite comme OpenFisca
    l'écrit, ``index`` explicite), ``count`` de chaque dimension et nombre de points."""

    dimensions: list[list[dict]]
    comptes: list[int]
    cellules: int


def verifier_axes(tax_benefit_system: TaxBenefitSystem, axes: object, bilan: _Bilan) -> Axes | None:
    """Contrôle les axes d'une situation (400 nommant le champ, 413 si trop de
    personnes) ; None sans axes (``"axes"`` absent ou null)."""
    if axes is None:
        return None
    if not isinstance(axes, list) or not axes:
        raise _erreur(["axes"], f"{FORME}.")
    dimensions = []
    for i, dimension in enumerate(axes):
        if not isinstance(dimension, list) or not dimension:
            raise _erreur(["axes", i], f"{FORME} : la dimension {i} n'est pas une liste non vide d'axes.")
        dimensions.append(
            [_verifier_axe(tax_benefit_system, axe, ["axes", i, j], bilan) for j, axe in enumerate(dimension)]
        )
    comptes = [dimension[0]["count"] for dimension in dimensions]
    cellules = math.prod(comptes)
    if bilan.personnes * cellules > PERSONNES_AXES_MAXIMUM:
        raise _erreur(
            ["axes"],
            f"les axes multiplient la situation en {bilan.personnes * cellules} personnes "
            f"({bilan.personnes} × {' × '.join(map(str, comptes))} ; au plus {PERSONNES_AXES_MAXIMUM}, "
            "PERSONNES_AXES_MAXIMUM).",
            CODE_TROP_GRAND,
        )
    _verifier_dimensions(tax_benefit_system, dimensions)
    return Axes(dimensions, comptes, cellules)


def _verifier_dimensions(tax_benefit_system: TaxBenefitSystem, dimensions: list[list[dict]]) -> None:
    """Axes parallèles : même ``count``, même entité ; aucun axe en double ;
    plusieurs dimensions : ``count`` d'au moins 2 (OpenFisca divise par count − 1)."""
    vus: dict[tuple[str, str, int], tuple[int, int]] = {}
    for i, dimension in enumerate(dimensions):
        premier = dimension[0]
        entite = tax_benefit_system.variables[premier["name"]].entity
        if len(dimensions) > 1 and premier["count"] < 2:  # noqa: PLR2004 — deux points au moins
            raise _erreur(
                ["axes", i, 0, "count"],
                "avec plusieurs dimensions, chaque « count » vaut au moins 2 "
                "(une valeur fixe se donne dans la situation).",
            )
        for j, axe in enumerate(dimension):
            if axe["count"] != premier["count"]:
                raise _erreur(
                    ["axes", i, j, "count"],
                    f"les axes d'une même dimension varient ensemble : même « count » ({premier['count']}), "
                    f"pas {axe['count']}.",
                )
            if tax_benefit_system.variables[axe["name"]].entity is not entite:
                raise _erreur(
                    ["axes", i, j, "name"],
                    f"les axes d'une même dimension portent sur la même entité ({entite.plural}) : "
                    f"« {axe['name']} » est une variable des {tax_benefit_system.variables[axe['name']].entity.plural}.",
                )
            cle = (axe["name"], axe["period"], axe["index"])
            if cle in vus:
                raise _erreur(
                    ["axes", i, j],
                    f"deux axes sur « {axe['name']} » en « {axe['period']} » pour la même instance (index "
                    f"{axe['index']}) : le second effacerait le premier (voir axes[{vus[cle][0]}][{vus[cle][1]}]).",
                )
            vus[cle] = (i, j)


def _verifier_axe(tax_benefit_system: TaxBenefitSystem, axe: object, chemin: list, bilan: _Bilan) -> dict:
    """Un axe : objet aux clés d'OpenFisca, variable numérique connue, ``count``
    entier ≥ 1, ``min``/``max`` nombres finis, ``period`` lisible et de l'unité
    de la variable (absente : la période demandée, si elle est unique), ``index``
    rang valide dans l'entité de la variable."""
    if not isinstance(axe, dict):
        raise _erreur(chemin, f"un axe est un objet {{{', '.join(CLES_AXE)}}}.")
    for cle in axe:
        if cle not in CLES_AXE:
            raise _erreur([*chemin, cle], f"clé d'axe inconnue « {cle} » ; clés admises : {', '.join(CLES_AXE)}.")
    variable = _variable(tax_benefit_system, axe.get("name"), [*chemin, "name"])
    count = axe.get("count")
    if not _entier(count) or count < 1:
        raise _erreur(
            [*chemin, "count"], f"« count » : le nombre de points de l'axe, un entier ≥ 1 (reçu : {count!r})."
        )
    bornes = {cle: _nombre_fini(axe.get(cle), [*chemin, cle]) for cle in ("min", "max")}
    if "period" in axe and axe["period"] is None:
        raise _erreur(
            [*chemin, "period"],
            "« period » : une période lisible, ex. « 2025-06 » ou « 2019 » (reçu : null) ; absente, elle vaut "
            "la période demandée quand il n'y en a qu'une.",
        )
    periode = _periode(variable, axe.get("period"), [*chemin, "period"], bilan)
    index = axe.get("index", 0)
    instances = bilan.instances.get(variable.entity.plural)
    if not _entier(index) or index < 0 or (instances is not None and index >= instances):
        raise _erreur(
            [*chemin, "index"],
            f"« index » : le rang, de 0 à {instances - 1 if instances else 0}, de l'instance des "
            f"{variable.entity.plural} qui parcourt l'axe (reçu : {index!r}).",
        )
    return {"name": variable.name, "count": count, **bornes, "period": periode, "index": index}


def _entier(valeur: object) -> bool:
    return isinstance(valeur, int) and not isinstance(valeur, bool)


def _variable(tax_benefit_system: TaxBenefitSystem, nom: object, chemin: list) -> Variable:
    if not isinstance(nom, str) or nom not in tax_benefit_system.variables:
        raise _erreur(chemin, f"« name » : le nom d'une variable du modèle (reçu : {nom!r}).")
    variable = tax_benefit_system.variables[nom]
    if variable.value_type not in (float, int):
        raise _erreur(
            chemin, f"« {nom} » n'est pas une variable numérique : un axe parcourt des nombres de « min » à « max »."
        )
    return variable


def _nombre_fini(valeur: object, chemin: list) -> float:
    if isinstance(valeur, int | float) and not isinstance(valeur, bool):
        try:
            nombre = float(valeur)
        except OverflowError:
            nombre = math.inf
        if math.isfinite(nombre):
            return nombre
    raise _erreur(chemin, f"« {chemin[-1]} » : un nombre fini (reçu : {valeur!r}).")


def _periode(variable: Variable, valeur: object, chemin: list, bilan: _Bilan) -> str:
    """La période de l'axe, écrite comme OpenFisca l'écrit (clé de ses entrées)."""
    if valeur is None:
        if len(bilan.periodes_demandees) != 1:
            raise _erreur(
                chemin,
                "« period » absente : elle vaut la période demandée quand il n'y en a qu'une ; ici "
                f"{len(bilan.periodes_demandees)} périodes sont demandées, préciser celle de l'axe.",
            )
        valeur = next(iter(bilan.periodes_demandees))
    periode = _periode_lisible(valeur) if isinstance(valeur, str) else None
    if periode is None:
        raise _erreur(chemin, f"« period » : une période lisible, ex. « 2025-06 » ou « 2019 » (reçu : {valeur!r}).")
    bilan.annees(chemin, verifier_periode(chemin, periode))
    unite = variable.definition_period
    if unite != periods.DateUnit.ETERNITY and (periode.unit != unite or periode.size != 1):
        attendu = {periods.DateUnit.MONTH: "un mois", periods.DateUnit.YEAR: "une année"}.get(unite, str(unite))
        raise _erreur(chemin, f"« {variable.name} » se donne pour {attendu}, pas pour « {periode} ».")
    return str(periode)


# --- Calcul ------------------------------------------------------------------------


class _ConstructeurAxes(SimulationBuilder):
    """``SimulationBuilder`` qui développe toutes les dimensions, chacune avec tous
    ses axes parallèles (core ne garde que le premier axe des dimensions 2 et suivantes)."""

    def __init__(self, dimensions: list[list[dict]]) -> None:
        super().__init__()
        self._dimensions = dimensions

    def expand_axes(self) -> None:
        self.axes = copy.deepcopy(self._dimensions)
        super().expand_axes()


def _simuler(
    tax_benefit_system: TaxBenefitSystem, input_data: dict, axes: Axes
) -> tuple[Simulation, _ConstructeurAxes]:
    constructeur = _ConstructeurAxes(axes.dimensions)
    try:
        simulation = constructeur.build_from_entities(tax_benefit_system, {**input_data, "axes": axes.dimensions})
    except Exception as erreur:
        chemin = _axe_fautif(erreur, axes, constructeur)
        if chemin is None:
            raise
        raise _erreur(
            chemin, f"les valeurs de l'axe sortent du domaine de la variable : {_feuille(erreur)}"
        ) from erreur
    return simulation, constructeur


def _axe_fautif(erreur: Exception, axes: Axes, constructeur: SimulationBuilder) -> list | None:
    """Chemin de l'axe dont les valeurs ont été refusées par le contrôle de domaine
    de la variable (``validation.EntreeInvalide``), None si l'erreur vient d'ailleurs."""
    variable, indices = getattr(erreur, "variable", None), getattr(erreur, "indices", None)
    if variable is None or indices is None or len(indices) == 0:
        return None
    for i, dimension in enumerate(axes.dimensions):
        for j, axe in enumerate(dimension):
            if axe["name"] != variable:
                continue
            entite = constructeur.get_variable_entity(variable).plural
            if int(indices[0]) % constructeur.entity_counts[entite] == axe["index"]:
                return ["axes", i, j]
    return None


def _feuille(erreur: Exception) -> str:
    message = getattr(erreur, "error", str(erreur))
    while isinstance(message, dict) and message:
        message = next(iter(message.values()))
    return str(message)


def _en_json(variable: Variable, valeurs: np.ndarray) -> list:
    """Valeurs d'une variable en JSON, comme ``handlers.calculate`` de core."""
    if variable.value_type == Enum:
        return [element.name for element in valeurs.decode()]
    if variable.value_type is float:
        # str() : le float32 d'OpenFisca sans décimales parasites (comme core).
        return [float(str(valeur)) for valeur in valeurs]
    if variable.value_type is str:
        return [str(valeur) for valeur in valeurs]
    return valeurs.tolist()


def _disposer(valeurs: list, axes: Axes) -> list:
    """Valeurs des points (dans l'ordre des cellules d'OpenFisca) en listes
    emboîtées, une par dimension, la première à l'extérieur."""
    if len(axes.comptes) == 1:
        return valeurs
    # OpenFisca place les points selon numpy.meshgrid des rangs de chaque dimension.
    grilles = np.meshgrid(*[np.arange(compte) for compte in axes.comptes])
    coordonnees = tuple(grille.reshape(axes.cellules) for grille in grilles)
    source = np.empty(axes.cellules, dtype=object)
    source[:] = valeurs
    grille = np.empty(axes.comptes, dtype=object)
    grille[coordonnees] = source
    return grille.tolist()


def calculer(tax_benefit_system: TaxBenefitSystem, input_data: dict, axes: Axes) -> dict:
    """/calculate avec axes : chaque ``null`` devient la liste de ses valeurs le long des axes."""
    simulation, constructeur = _simuler(tax_benefit_system, input_data, axes)
    for pluriel, identifiant, nom, cle in _demandes(input_data):
        variable = tax_benefit_system.get_variable(nom, check_existence=True)
        tableau = simulation.calculate(nom, cle)
        pas = constructeur.entity_counts[pluriel]
        rang = constructeur.entity_ids[pluriel].index(str(identifiant))
        valeurs = _en_json(variable, tableau[rang::pas])
        input_data[pluriel][identifiant][nom][cle] = _disposer(valeurs, axes)
    return input_data


def tracer(tax_benefit_system: TaxBenefitSystem, input_data: dict, axes: Axes) -> dict:
    """/trace avec axes : la trace de core, chaque valeur étant le vecteur de tous
    les points (``entitiesDescription`` nomme les instances répétées)."""
    simulation, _ = _simuler(tax_benefit_system, input_data, axes)
    simulation.trace = True
    demandes = []
    for _pluriel, _identifiant, nom, cle in _demandes(input_data):
        demandes.append(f"{nom}<{cle}>")
        simulation.calculate(nom, cle)
    return {
        "trace": simulation.tracer.get_serialized_flat_trace(),
        "entitiesDescription": simulation.describe_entities(),
        "requestedCalculations": demandes,
    }
