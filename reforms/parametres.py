"""Outils communs aux réformes : chercher un paramètre par son chemin, fixer ou
majorer ses valeurs à compter d'une date, fabriquer une classe ``Reform``.

``reforme_parametres`` transforme un simple dictionnaire (ou un fichier YAML)
de changements de paramètres en une classe de réforme OpenFisca, utilisable
comme les réformes nommées du paquet :

>>> from openfisca_invalidite import CountryTaxBenefitSystem
>>> Reforme = reforme_parametres({"pension_invalidite.montant.taux.categorie_1": {"2025-01-01": 0.4}})
>>> tbs = Reforme(CountryTaxBenefitSystem())
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from pathlib import Path

import yaml
from openfisca_core import periods
from openfisca_core.parameters import Parameter, ParameterNode, ParameterScale
from openfisca_core.reforms import Reform


class ReformeInvalide(ValueError):
    """Une réforme mal décrite : chemin de paramètre inconnu, date ou valeur illisible."""


def instant(date_effet) -> periods.Instant:
    """Instant OpenFisca d'une date d'effet donnée en ``"AAAA-MM-JJ"``, ``"AAAA-MM"``,
    ``"AAAA"`` ou ``datetime.date``."""
    if isinstance(date_effet, periods.Instant):
        return date_effet
    if isinstance(date_effet, datetime.date):
        date_effet = date_effet.isoformat()
    texte = str(date_effet)
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", texte):
        msg = f"date d'effet illisible : {date_effet!r} (attendu AAAA-MM-JJ)"
        raise ReformeInvalide(msg)
    try:
        return periods.instant(texte)
    except ValueError as erreur:
        msg = f"date d'effet illisible : {date_effet!r} ({erreur})"
        raise ReformeInvalide(msg) from erreur


def noeud(parameters: ParameterNode, chemin: str):
    """Paramètre, barème ou nœud au chemin pointé ``"a.b.c"`` ; pour un élément
    d'un barème : ``"retraite.age_legal.brackets.5.amount"``.

    Un chemin inconnu lève ``ReformeInvalide`` en citant les noms possibles au
    niveau où il s'arrête.
    """
    courant = parameters
    parcouru: list[str] = []
    morceaux = chemin.split(".")
    i = 0
    while i < len(morceaux):
        morceau = morceaux[i]
        if isinstance(courant, ParameterScale):
            if morceau != "brackets" or i + 1 >= len(morceaux) or not morceaux[i + 1].isdigit():
                msg = f"« {chemin} » : dans le barème « {'.'.join(parcouru)} », écrire brackets.<rang>.threshold|amount"
                raise ReformeInvalide(msg)
            rang = int(morceaux[i + 1])
            if rang >= len(courant.brackets):
                msg = f"« {chemin} » : le barème « {'.'.join(parcouru)} » n'a que {len(courant.brackets)} tranches"
                raise ReformeInvalide(msg)
            courant = courant.brackets[rang]
            parcouru += [morceau, morceaux[i + 1]]
            i += 2
            continue
        enfants = getattr(courant, "children", None)
        if not enfants or morceau not in enfants:
            possibles = ", ".join(sorted(enfants)) if enfants else "(aucun : c'est une valeur)"
            ici = ".".join(parcouru) or "(racine)"
            msg = f"paramètre inconnu « {chemin} » : « {morceau} » n'existe pas sous {ici} ; possibles : {possibles}"
            raise ReformeInvalide(msg)
        courant = enfants[morceau]
        parcouru.append(morceau)
        i += 1
    return courant


def parametre(parameters: ParameterNode, chemin: str) -> Parameter:
    """Comme ``noeud``, mais exige une valeur datée (pas un nœud ni un barème)."""
    trouve = noeud(parameters, chemin)
    if not isinstance(trouve, Parameter):
        msg = f"« {chemin} » n'est pas une valeur datée mais un {type(trouve).__name__} : préciser le chemin"
        raise ReformeInvalide(msg)
    return trouve


def valeur_a(param: Parameter, date_effet) -> float | None:
    """Valeur d'un paramètre en vigueur à une date (None s'il n'en a pas)."""
    jour = str(instant(date_effet))
    for valeur in param.values_list:  # du plus récent au plus ancien
        if valeur.instant_str <= jour:
            return valeur.value
    return None


def fixer_depuis(param: Parameter, valeur, date_effet) -> None:
    """La valeur vaut ``valeur`` à compter de ``date_effet`` ; les valeurs datées
    postérieures (revalorisations prévues) sont remplacées."""
    param.update(start=instant(date_effet), value=valeur)


def majorer_depuis(param: Parameter, facteur: float, date_effet, decimales: int | None = 2) -> None:
    """Multiplie par ``facteur`` la valeur en vigueur à ``date_effet`` et chaque
    valeur datée postérieure (les revalorisations suivantes sont conservées),
    arrondi à ``decimales`` (au centime par défaut ; None : sans arrondi)."""
    jour = str(instant(date_effet))
    en_vigueur = valeur_a(param, date_effet)
    if en_vigueur is None:
        msg = f"« {param.name} » n'a pas de valeur au {jour} : rien à majorer"
        raise ReformeInvalide(msg)
    posterieures = [(v.instant_str, v.value) for v in param.values_list if v.instant_str > jour]

    def majore(x):
        y = x * facteur
        return y if decimales is None else round(y, decimales)

    param.update(start=instant(jour), value=majore(en_vigueur))
    for date_valeur, valeur in sorted(posterieures):
        param.update(start=instant(date_valeur), value=None if valeur is None else majore(valeur))


def classe_reforme(
    nom: str, documentation: str, appliquer, libelle: str | None = None, module: str | None = None
) -> type[Reform]:
    """Fabrique une sous-classe de ``Reform`` dont ``apply`` appelle ``appliquer(self)``."""

    def apply(self):
        appliquer(self)

    attributs = {
        "__doc__": documentation,
        "name": libelle or documentation.strip().splitlines()[0],
        "apply": apply,
        "__module__": module or __name__,
        "__qualname__": nom,
    }
    return type(nom, (Reform,), attributs)


def _lire_modifications(modifications) -> dict:
    if isinstance(modifications, Path) or (
        isinstance(modifications, str)
        and not modifications.lstrip().startswith("{")
        and Path(modifications).suffix in {".yaml", ".yml"}
    ):
        with Path(modifications).open(encoding="utf-8") as fichier:
            modifications = yaml.safe_load(fichier)
    elif isinstance(modifications, str):
        modifications = yaml.safe_load(modifications)
    if not isinstance(modifications, Mapping) or not modifications:
        msg = "les changements de paramètres s'écrivent {chemin: {date: valeur, ...}, ...}"
        raise ReformeInvalide(msg)
    lues = {}
    for chemin, valeurs in modifications.items():
        if not isinstance(valeurs, Mapping) or not valeurs:
            msg = f"« {chemin} » : attendu {{date d'effet: valeur}}, reçu {valeurs!r}"
            raise ReformeInvalide(msg)
        datees = []
        for date_effet, valeur in valeurs.items():
            if valeur is not None and (isinstance(valeur, bool) or not isinstance(valeur, (int, float))):
                msg = f"« {chemin} » au {date_effet} : valeur numérique attendue, reçu {valeur!r}"
                raise ReformeInvalide(msg)
            datees.append((str(instant(date_effet)), valeur))
        lues[str(chemin)] = sorted(datees)
    return lues


def reforme_parametres(modifications, nom: str = "ReformeParametres", documentation: str | None = None) -> type[Reform]:
    """Classe de réforme qui change des paramètres datés.

    ``modifications`` : dictionnaire ``{chemin: {date d'effet: valeur}}``, ou
    texte YAML de même forme, ou chemin d'un fichier ``.yaml``. Chaque valeur
    s'applique de sa date d'effet jusqu'à la date suivante du même chemin, la
    dernière indéfiniment (les valeurs datées postérieures de la législation,
    p. ex. les revalorisations prévues, sont remplacées). ``None`` supprime le
    paramètre à compter de la date. Le chemin d'une tranche de barème s'écrit
    ``retraite.age_legal.brackets.5.amount``.

    Les chemins sont vérifiés à l'application : un chemin inconnu lève
    ``ReformeInvalide`` en citant les noms possibles.
    """
    lues = _lire_modifications(modifications)
    resume = "; ".join(
        f"{chemin} = " + ", ".join(f"{valeur} au {date}" for date, valeur in valeurs)
        for chemin, valeurs in lues.items()
    )
    documentation = documentation or f"Changement de paramètres : {resume}."

    def modifier(parameters):
        for chemin, valeurs in lues.items():
            param = parametre(parameters, chemin)
            for date_effet, valeur in valeurs:
                fixer_depuis(param, valeur, date_effet)
        return parameters

    def appliquer(reforme):
        reforme.modify_parameters(modifier_function=modifier)

    return classe_reforme(nom, documentation, appliquer)


def reforme_majoration(
    chemins, facteur: float, date_effet, nom: str, *, documentation: str | None = None, decimales: int | None = 2
) -> type[Reform]:
    """Classe de réforme qui multiplie par ``facteur`` un ou plusieurs paramètres
    à compter de ``date_effet``, revalorisations ultérieures comprises
    (``majorer_depuis``)."""
    if isinstance(chemins, str):
        chemins = [chemins]
    chemins = list(chemins)
    date_effet = str(instant(date_effet))
    documentation = documentation or f"{', '.join(chemins)} multiplié(s) par {facteur} à compter du {date_effet}."

    def modifier(parameters):
        for chemin in chemins:
            majorer_depuis(parametre(parameters, chemin), facteur, date_effet, decimales)
        return parameters

    def appliquer(reforme):
        reforme.modify_parameters(modifier_function=modifier)

    return classe_reforme(nom, documentation, appliquer)
