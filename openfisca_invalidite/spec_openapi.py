"""La spécification OpenAPI servie par /spec décrit les réponses réelles.

OpenFisca-Core 46 (``openfisca_web_api/openAPI.yml`` et ``loader/spec.py``)
publie une spécification OpenAPI 3.0 dont une bonne part ne correspond pas à
ce que le serveur répond (voir docs/web_api.md, « La spécification ») :

* ``Variable.defaultValue`` y est une chaîne, alors qu'il est un nombre, un
  booléen ou une date selon ``valueType`` ; ``reference`` s'appelle en fait
  ``references`` ; ``possibleValues`` et ``documentation`` manquent ;
* ``Parameter.id`` y est un entier ; une valeur de paramètre arrêté
  (``null``) et les barèmes arrêtés ne sont pas admis ; ``Entities`` décrit un
  objet seul au lieu d'un objet par entité ;
* une valeur à calculer (``null``) n'est pas admise dans la situation, ni les
  ``axes`` ; les clés de période ne sont pas décrites ;
* les réponses d'erreur (400, 404, 413, 415) n'ont ni contenu ni schéma, et
  413/415 ne sont pas listées ; /spec n'a pas de contenu.

Ce module remplace ``openfisca_web_api.loader.build_openAPI_specification``
(appelée par ``build_data`` quand ``create_app`` construit l'application) par
une enveloppe qui garde les textes de core (titre, résumés, exemples) et
réécrit les schémas d'après le système socio-fiscal chargé, en OpenAPI 3.1
(JSON Schema 2020-12, qui sait contraindre les clés d'un objet : périodes,
identifiants). ``adapter_application`` corrige, quant à elle, deux réponses
fausses : les 404/405 de Flask en HTML au lieu de JSON, et les dates de /trace
au format HTTP (« Wed, 10 May 2023 00:00:00 GMT ») au lieu de l'ISO 8601 que
rend /calculate.

Installé au chargement du paquet, idempotent, sans modifier OpenFisca-Core ;
sans l'extra ``web-api``, ne fait rien.
"""

from __future__ import annotations

import datetime
import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from openfisca_core import periods
from openfisca_core.errors import SituationParsingError
from openfisca_core.indexed_enums import Enum
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.variables import VALUE_TYPES

from openfisca_invalidite import validation, web_api

if TYPE_CHECKING:
    from collections.abc import Callable

    from flask import Flask, Response
    from openfisca_core.entities import GroupEntity
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable
    from werkzeug.exceptions import HTTPException

    Schema = dict[str, Any]

VERSION_OPENAPI = "3.1.0"
SITUATION_EXAMPLES_DIR = Path(__file__).resolve().parent / "situation_examples"
_MARQUE = "_spec_par_openfisca_invalidite"

# Identifiant de personne ou de groupe : non vide, sans « / » (web_api.py).
MOTIF_IDENTIFIANT = r"^[^/]+$"
MOTIF_DATE_ISO = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
# Un jour du mois : 29 février admis pour toute année (le serveur refuse, 400,
# celui d'une année non bissextile).
_JOUR = "((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31|02-29)"


def motif_intervalle(debut: int, fin: int, chiffres: int = 4) -> str:
    """Expression régulière (sans ancres) des entiers de ``debut`` à ``fin``
    écrits sur ``chiffres`` chiffres : 1900, 2100 → « 19[0-9]{2}|20[0-9]{2}|2100 »."""

    def intervalle(bas: str, haut: str) -> list[str]:
        if bas == haut:
            return [bas]
        if bas == "0" * len(bas) and haut == "9" * len(haut):
            return [f"[0-9]{{{len(bas)}}}" if len(bas) > 1 else "[0-9]"]
        if len(bas) == 1:
            return [f"[{bas}-{haut}]"]
        if bas[0] == haut[0]:
            return [bas[0] + _groupe(intervalle(bas[1:], haut[1:]))]
        motifs = [bas[0] + _groupe(intervalle(bas[1:], "9" * (len(bas) - 1)))]
        if int(haut[0]) - int(bas[0]) > 1:
            milieu = f"[{int(bas[0]) + 1}-{int(haut[0]) - 1}]"
            motifs.append(milieu + _groupe(intervalle("0" * (len(bas) - 1), "9" * (len(bas) - 1))))
        motifs.append(haut[0] + _groupe(intervalle("0" * (len(bas) - 1), haut[1:])))
        return motifs

    return "|".join(intervalle(f"{debut:0{chiffres}d}", f"{fin:0{chiffres}d}"))


def _groupe(motifs: list[str]) -> str:
    return motifs[0] if len(motifs) == 1 and "|" not in motifs[0] else f"({'|'.join(motifs)})"


@dataclass(frozen=True)
class Bornes:
    """Bornes des requêtes que le serveur contrôle (web_api.py, validation.py),
    reprises dans les schémas."""

    annee_minimum: int
    annee_maximum: int
    date_minimum: str
    date_maximum: str
    date_sans_evenement: str
    instances_maximum: int
    personnes_axes_maximum: int
    #: Motif d'un nombre écrit en chaîne (« 1200 »), admis pour une variable numérique.
    nombre_ecrit: str

    @property
    def motif_an(self) -> str:
        return _groupe([motif_intervalle(self.annee_minimum, self.annee_maximum)])

    def motifs_periodes(self) -> dict[str, str]:
        """Clés de période d'une situation, dans la syntaxe d'OpenFisca
        (https://openfisca.org/doc/coding-the-legislation/35_periods.html) : un
        mois « 2025-06 » ou « month:2025-06 », une année « 2025 » ou « year:2025 »,
        un bloc de mois « month:2024-05:12 », « ETERNITY »."""
        an = self.motif_an
        mois = f"{an}-(0[1-9]|1[0-2])"
        return {
            "un_mois": f"^({mois}|month:{mois}(:1)?)$",
            "une_annee": f"^({an}|year:{an}(:1)?)$",
            # Bloc de 2 à 999 mois, ou de 1 à 999 années.
            "plusieurs_mois": f"^(month:{mois}:([2-9]|[1-9][0-9]{{1,2}})|{an}|year:{an}(-(0[1-9]|1[0-2]))?(:[1-9][0-9]{{0,2}})?)$",
            "eternite": "^(ETERNITY|eternity)$",
        }

    def motif_date(self) -> str:
        """Date AAAA-MM-JJ admise : de date_minimum à date_maximum (années entières),
        ou date_sans_evenement."""
        an = motif_intervalle(int(self.date_minimum[:4]), int(self.date_maximum[:4]))
        return f"^(({an})-{_JOUR}|{self.date_sans_evenement})$"


def bornes_du_serveur() -> Bornes:
    """Les bornes que posent web_api.py et validation.py, telles qu'elles sont."""

    def date(valeur: object) -> str:
        return str(valeur)[:10]

    return Bornes(
        annee_minimum=web_api.ANNEE_MINIMUM,
        annee_maximum=web_api.ANNEE_MAXIMUM,
        date_minimum=date(validation.DATE_MINIMUM),
        date_maximum=date(validation.DATE_MAXIMUM),
        date_sans_evenement=date(validation.DATE_SANS_EVENEMENT),
        instances_maximum=web_api.PERSONNES_MAXIMUM,
        personnes_axes_maximum=web_api.PERSONNES_AXES_MAXIMUM,
        nombre_ecrit=validation.NOMBRE_ECRIT.pattern,
    )


#: Situations d'exemple du paquet montrées dans /spec (et envoyées par schemathesis).
EXEMPLES = (
    "pensionne_categorie_2",
    "pensionne_categorie_2_asi_aah",
    "invalide_categorie_3_mtp",
    "pensionne_categorie_1_cumul",
    "salarie_agricole_msa",
    "independant_ssi_pitd",
    "exploitant_agricole_msa",
    "pensionne_categorie_2_montants_nets",
)

_ENTETES = {
    "Country-Package": {"$ref": "#/components/headers/Country-Package"},
    "Country-Package-Version": {"$ref": "#/components/headers/Country-Package-Version"},
}

_CODES_ERREUR = {
    400: "Requête invalide : le corps de la réponse reprend la situation jusqu'au champ fautif "
    "(entité / identifiant / variable / période) et y met le message, ou nomme la clé en cause "
    "(« error » pour un JSON illisible).",
    404: "Une variable ou un rôle de la situation n'existe pas dans ce paquet ; le message est à sa place "
    "dans la situation.",
    413: "Requête trop grande ou trop coûteuse : le message nomme la limite dépassée (taille du corps, "
    "personnes, valeurs, périodes, axes).",
    415: "Le corps n'est pas déclaré en JSON (« Content-Type: application/json » exigé).",
    503: "Le calcul a dépassé la durée maximale d'une requête (DUREE_MAXIMALE_REQUETE) et a été interrompu ; "
    "le message le dit.",
}


def _type_json(variable: Variable, bornes: Bornes) -> Schema:
    """Schéma d'une valeur de la variable (sans ``null``)."""
    if variable.value_type is Enum:
        return {"type": "string", "enum": [membre.name for membre in variable.possible_values]}
    if variable.value_type is bool:
        return {"type": "boolean"}
    if variable.value_type is int:
        return {"type": "integer"}
    if variable.value_type is float:
        return {"type": "number"}
    if variable.value_type is datetime.date:
        return {"type": "string", "pattern": bornes.motif_date()}
    return {"type": "string"}


def _domaine(variable: Variable) -> validation.Domaine:
    """Le domaine que contrôle le ``set_input`` de la variable (``validation.entree_bornee``
    l'y attache) ; sans borne ni répartition s'il n'en a pas."""
    return getattr(variable.set_input, "domaine", None) or validation.Domaine()


def _repartit(variable: Variable) -> bool:
    """La variable accepte-t-elle une valeur sur une période plus longue que la sienne ?"""
    if variable.set_input is None:
        return False
    if variable.set_input.__name__.startswith("set_input_"):
        return True
    return _domaine(variable).repartition is not None


def _valeur(variable: Variable, bornes: Bornes, *, entree: bool) -> Schema:
    """Une valeur donnée (``entree``) ou rendue de la variable, sans ``null``."""
    schema = _type_json(variable, bornes)
    if not entree or variable.value_type not in (int, float):
        return schema
    # Bornes du type de stockage de la variable (int32, float32 ou float64), contrôlées à l'entrée,
    # puis celles du domaine de la variable (validation.entree_bornee).
    limites = np.iinfo(variable.dtype) if variable.value_type is int else np.finfo(variable.dtype)
    schema.update(minimum=np.asarray(limites.min).item(), maximum=np.asarray(limites.max).item())
    domaine = _domaine(variable)
    if domaine.minimum is not None:
        schema["minimum"] = max(domaine.minimum, schema["minimum"])
    if domaine.maximum is not None:
        schema["maximum"] = min(domaine.maximum, schema["maximum"])
    ecrit = {
        "type": "string",
        "pattern": f"^({bornes.nombre_ecrit})$",
        "description": "Le même nombre écrit en chaîne (« 1200 »), sans opération.",
    }
    return {"anyOf": [schema, ecrit]}


def _nullable(schema: Schema) -> Schema:
    """Le même schéma, ``null`` admis (valeur à calculer)."""
    if "anyOf" in schema:
        return {"anyOf": [*schema["anyOf"], {"type": "null"}]}
    nullable = {**schema, "type": [schema["type"], "null"]}
    if "enum" in schema:
        nullable["enum"] = [*schema["enum"], None]
    return nullable


def _nom_resultat(schema: Schema) -> str:
    """Nom du schéma « valeur ou listes de valeurs (axes) » d'un type de valeur."""
    if "enum" in schema:
        return "Resultat_" + "_".join(schema["enum"])
    return "Resultat_" + schema["type"] + ("_date" if "pattern" in schema else "")


def schemas_resultats(tax_benefit_system: TaxBenefitSystem, bornes: Bornes) -> dict[str, Schema]:
    """Une valeur de /calculate : la valeur, ou avec des axes la liste de ses
    valeurs le long des axes (une liste de listes pour deux dimensions…)."""
    schemas = {}
    for variable in tax_benefit_system.variables.values():
        valeur = _type_json(variable, bornes)
        nom = _nom_resultat(valeur)
        schemas[nom] = {
            "anyOf": [valeur, {"type": "array", "items": {"$ref": f"#/components/schemas/{nom}"}}],
        }
    return schemas


def schema_variable_situation(variable: Variable, bornes: Bornes, *, entree: bool) -> Schema:
    """Valeurs d'une variable dans une situation : un objet période → valeur.

    En entrée, ``null`` demande le calcul, pour une période de l'unité de la
    variable (un mois pour une variable mensuelle) ; une valeur donnée peut
    l'être sur une période plus longue si la variable sait la répartir
    (``set_input``), et une variable permanente se lit à toute période. En
    sortie, la valeur calculée (avec des axes : la liste de ses valeurs).
    """
    motifs = bornes.motifs_periodes()
    valeur = _valeur(variable, bornes, entree=entree)
    if entree:
        calculable = _nullable(valeur)
    else:
        # La valeur calculée, ou la valeur donnée renvoyée telle qu'elle a été écrite.
        calculable = {"$ref": f"#/components/schemas/{_nom_resultat(valeur)}"}
        donnee = _valeur(variable, bornes, entree=True)
        if "anyOf" in donnee:
            calculable = {"anyOf": [calculable, *donnee["anyOf"][1:]]}
    unite = variable.definition_period
    if unite == periods.DateUnit.ETERNITY:
        cles = {motifs["eternite"]: calculable, motifs["une_annee"]: calculable, motifs["un_mois"]: calculable}
        forme = "« ETERNITY » (ou un mois, une année)"
    elif unite == periods.DateUnit.YEAR:
        cles = {motifs["une_annee"]: calculable}
        forme = "une année (« 2025 »)"
    else:
        cles = {motifs["un_mois"]: calculable}
        forme = "un mois (« 2025-06 »)"
        if _repartit(variable):
            cles[motifs["plusieurs_mois"]] = valeur
            forme += " ; pour une valeur donnée, aussi une année ou un bloc de mois (« month:2024-05:12 »)"
    return {
        "type": "object",
        "description": f"{variable.label}. Clé : {forme}.",
        "patternProperties": cles,
        "additionalProperties": False,
    }


def schema_entite(tax_benefit_system: TaxBenefitSystem, entite: Any, bornes: Bornes, *, entree: bool) -> Schema:  # noqa: ANN401 — entité OpenFisca
    proprietes: dict[str, Schema] = {}
    if not entite.is_person:
        for role in entite.roles:
            liste: Schema = {
                "type": "array",
                "items": {"type": "string", "pattern": MOTIF_IDENTIFIANT},
                "uniqueItems": True,
                **({"maxItems": role.max} if role.max else {}),
            }
            proprietes[role.plural or role.key] = {
                "description": f"Identifiants des personnes de rôle « {role.key} » (une chaîne seule vaut une liste "
                "d'un identifiant).",
                "anyOf": [liste, {"type": "string", "pattern": MOTIF_IDENTIFIANT}],
            }
    for nom, variable in sorted(tax_benefit_system.get_variables(entite).items()):
        proprietes[nom] = schema_variable_situation(variable, bornes, entree=entree)
    return {"type": "object", "properties": proprietes, "additionalProperties": False}


def _nom_schema(entite: Any, *, entree: bool) -> str:  # noqa: ANN401 — entité OpenFisca
    return entite.key.title() + ("" if entree else "Resultat")


def schema_situation(tax_benefit_system: TaxBenefitSystem, bornes: Bornes, *, entree: bool) -> Schema:
    proprietes: dict[str, Schema] = {}
    requis = []
    for entite in tax_benefit_system.entities:
        instances: Schema = {
            "type": "object",
            "propertyNames": {"pattern": MOTIF_IDENTIFIANT},
            "additionalProperties": {"$ref": f"#/components/schemas/{_nom_schema(entite, entree=entree)}"},
        }
        instances["maxProperties"] = bornes.instances_maximum
        if entite.is_person:
            instances["minProperties"] = 1
            requis.append(entite.plural)
        proprietes[entite.plural] = instances
    proprietes["axes"] = {"$ref": "#/components/schemas/Axes"}
    return {"type": "object", "properties": proprietes, "required": requis, "additionalProperties": False}


def schema_axes(tax_benefit_system: TaxBenefitSystem, bornes: Bornes) -> Schema:
    motifs = bornes.motifs_periodes()
    numeriques = sorted(nom for nom, v in tax_benefit_system.variables.items() if v.value_type in (int, float))
    count: Schema = {"type": "integer", "minimum": 1, "maximum": bornes.personnes_axes_maximum}
    axe = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "enum": numeriques, "description": "Variable numérique qui varie."},
            "count": count,
            "min": {"type": "number"},
            "max": {"type": "number"},
            "period": {
                "type": "string",
                "description": "Période de l'axe, de l'unité de la variable ; absente : la période demandée, "
                "si elle est unique.",
                "anyOf": [{"pattern": motifs["un_mois"]}, {"pattern": motifs["une_annee"]}],
            },
            "index": {"type": "integer", "minimum": 0, "description": "Rang de l'instance qui parcourt l'axe."},
        },
        "required": ["name", "count", "min", "max"],
        "additionalProperties": False,
    }
    return {
        "type": ["array", "null"],
        "description": "Axes : chaque élément est une dimension, liste d'axes parallèles (même « count ») ; "
        "les dimensions se croisent et la situation est répétée pour chaque point. Dans la réponse de "
        "/calculate, chaque valeur demandée devient la liste de ses valeurs le long des axes.",
        "minItems": 1,
        "items": {"type": "array", "items": axe, "minItems": 1},
    }


def _schemas_lecture(tax_benefit_system: TaxBenefitSystem) -> dict[str, Schema]:
    """Schémas des réponses de /variables, /variable, /parameters, /parameter, /entities."""
    types_valeur = sorted({t["formatted_value_type"] for t in VALUE_TYPES.values()})
    unites = [unite.name for unite in periods.DateUnit]
    entites = [entite.key for entite in tax_benefit_system.entities]
    texte = {"type": "string"}
    texte_ou_rien = {"type": ["string", "null"]}
    lien = {"type": "object", "properties": {"description": texte_ou_rien, "href": texte}, "required": ["href"]}
    commun_variable = {
        "id": texte,
        "description": texte,
        "definitionPeriod": {"type": "string", "enum": unites},
        "entity": {"type": "string", "enum": entites},
        "source": texte,
        "documentation": texte,
        "references": {"type": "array", "items": texte},
        "formulas": {
            "type": "object",
            "description": "Formules par date de début ; null : la variable n'est plus définie à partir de cette date.",
            "additionalProperties": {"anyOf": [{"$ref": "#/components/schemas/Formula"}, {"type": "null"}]},
        },
        "possibleValues": {"type": "object", "additionalProperties": texte},
    }
    defaut_par_type = {
        "Boolean": {"type": "boolean"},
        "Int": {"type": "integer"},
        "Float": {"type": "number"},
        "Date": {"type": "string", "format": "date"},
        "String": {"type": "string"},
    }
    variantes = [
        {
            "properties": {"valueType": {"const": nom_type}, "defaultValue": defaut_par_type[nom_type]},
        }
        for nom_type in types_valeur
    ]
    valeur_parametre = {
        "description": "Valeur à cette date ; null : le paramètre n'existe plus à partir de cette date.",
        "anyOf": [
            {"type": ["number", "boolean", "string", "null"]},
            {"type": "array", "items": {"type": ["number", "boolean", "string"]}},
        ],
    }
    return {
        "Variables": {"type": "object", "additionalProperties": lien},
        "Variable": {
            "type": "object",
            "properties": {
                **commun_variable,
                "valueType": {"type": "string", "enum": types_valeur},
                "defaultValue": {
                    "description": "Valeur par défaut, du type de valueType (date ISO 8601, nom du membre "
                    "pour une énumération).",
                    "type": ["number", "boolean", "string"],
                },
            },
            "required": ["id", "description", "valueType", "defaultValue", "definitionPeriod", "entity"],
            "oneOf": variantes,
            "additionalProperties": False,
        },
        "Formula": {
            "type": "object",
            "properties": {"source": texte, "content": texte, "documentation": texte},
            "required": ["content"],
            "additionalProperties": False,
        },
        "Parameters": {"type": "object", "additionalProperties": lien},
        "Parameter": {
            "type": "object",
            "properties": {
                "id": texte,
                "description": texte_ou_rien,
                "documentation": texte,
                "metadata": {"type": "object", "description": "Métadonnées du YAML (unit, reference par date…)."},
                "source": texte,
                "values": {"$ref": "#/components/schemas/Values"},
                "brackets": {
                    "type": "object",
                    "description": "Barème par date : seuil → taux ou montant ; null : barème arrêté.",
                    "additionalProperties": {"anyOf": [{"$ref": "#/components/schemas/Brackets"}, {"type": "null"}]},
                },
                "subparams": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "object",
                        "properties": {"description": texte_ou_rien},
                        "additionalProperties": False,
                    },
                },
            },
            "required": ["id", "description", "metadata"],
            "oneOf": [{"required": ["values"]}, {"required": ["brackets"]}, {"required": ["subparams"]}],
            "additionalProperties": False,
        },
        "Values": {
            "type": "object",
            "description": "Valeurs par date de début (AAAA-MM-JJ).",
            "propertyNames": {"pattern": MOTIF_DATE_ISO},
            "additionalProperties": valeur_parametre,
        },
        "Value": valeur_parametre,
        "Brackets": {
            "type": "object",
            "description": "Seuil → taux ou montant (null : tranche arrêtée).",
            "additionalProperties": {"type": ["number", "null"]},
        },
        "Entities": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Entity"}},
        "Entity": {
            "type": "object",
            "properties": {
                "plural": texte,
                "description": texte,
                "documentation": texte,
                "roles": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Roles"}},
            },
            "required": ["plural", "description", "documentation"],
            "additionalProperties": False,
        },
        "Roles": {
            "type": "object",
            "properties": {"plural": texte_ou_rien, "description": texte_ou_rien, "max": {"type": "integer"}},
            "additionalProperties": False,
        },
    }


def _schema_trace(tax_benefit_system: TaxBenefitSystem, bornes: Bornes) -> Schema:
    reference = {
        "type": "object",
        "properties": {"title": {"type": "string"}, "href": {"type": "string"}},
        "additionalProperties": False,
    }
    proprietes_noeud = {
        "dependencies": {"type": "array", "items": {"type": "string"}},
        "parameters": {
            "type": "object",
            "description": "Paramètres lus : « nom<date> » → valeur (« Infinity » : sans limite).",
            "additionalProperties": {"type": ["number", "boolean", "string", "null"]},
        },
        "calculation_time": {"type": "number"},
        "formula_time": {"type": "number"},
        "label": {"type": "string"},
        "references": {"type": "array", "items": {"type": "string"}},
        "parameters_references": {
            "type": "object",
            "description": "Source (titre, adresse) de chaque paramètre lu, à la date lue.",
            "additionalProperties": {"anyOf": [reference, {"type": "array", "items": reference}]},
        },
    }
    # Un nœud par variable calculée, « nom<période> » : sa valeur a le type de la variable.
    noeuds = {
        f"^{re.escape(nom)}<[^<>]+>$": {
            "type": "object",
            "properties": {
                **proprietes_noeud,
                "value": {
                    "type": "array",
                    "description": "Valeur par personne (ou par groupe).",
                    "items": _type_json(variable, bornes),
                },
            },
            "required": ["dependencies", "parameters", "value"],
            "additionalProperties": False,
        }
        for nom, variable in sorted(tax_benefit_system.variables.items())
    }
    return {
        "type": "object",
        "properties": {
            "trace": {"type": "object", "patternProperties": noeuds, "additionalProperties": False},
            "entitiesDescription": {
                "type": "object",
                "properties": {
                    entite.plural: {"type": "array", "items": {"type": "string"}}
                    for entite in tax_benefit_system.entities
                },
                "additionalProperties": False,
            },
            "requestedCalculations": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["trace", "entitiesDescription", "requestedCalculations"],
        "additionalProperties": False,
    }


def _schema_erreur() -> dict[str, Schema]:
    return {
        "Erreur": {
            "type": "object",
            "description": "Message d'erreur, placé sous le chemin du champ fautif.",
            "minProperties": 1,
            "additionalProperties": {"$ref": "#/components/schemas/DetailErreur"},
        },
        "DetailErreur": {"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/Erreur"}]},
    }


def _reponse(description: str, schema: Schema | None = None, exemples: dict | None = None) -> Schema:
    reponse: Schema = {"description": description, "headers": _ENTETES}
    if schema is not None:
        contenu: Schema = {"schema": schema}
        if exemples:
            contenu["examples"] = exemples
        reponse["content"] = {"application/json": contenu}
    return reponse


def _erreurs(*codes: int) -> dict[str, Schema]:
    return {str(code): _reponse(_CODES_ERREUR[code], {"$ref": "#/components/schemas/Erreur"}) for code in codes}


def _lire_exemple(nom: str) -> dict:
    with (SITUATION_EXAMPLES_DIR / f"{nom}.json").open(encoding="utf-8") as fichier:
        return json.load(fichier)


def exemple_axes() -> dict:
    """Claire (pensionne_categorie_2) et 4 variantes de son salaire de 2022 :
    la pension de juin 2025 selon ce salaire, de 0 à 45 000 €."""
    situation = _lire_exemple("pensionne_categorie_2")
    situation["axes"] = [[{"name": "salaire_brut_annuel", "count": 4, "min": 0, "max": 45000, "period": "2022"}]]
    return situation


def _exemples_situation() -> dict[str, Schema]:
    exemples = {
        nom: {"summary": nom.replace("_", " "), "value": _lire_exemple(nom)}
        for nom in EXEMPLES
        if (SITUATION_EXAMPLES_DIR / f"{nom}.json").exists()
    }
    exemples["axes_salaire_2022"] = {
        "summary": "axes : la pension selon le salaire de 2022 (4 points)",
        "value": exemple_axes(),
    }
    return exemples


def _json_defaut(objet: object) -> object:
    if isinstance(objet, datetime.date):
        return objet.isoformat()
    msg = f"{type(objet).__name__} n'est pas sérialisable en JSON"
    raise TypeError(msg)


def transformer(spec: Schema, api_data: dict) -> Schema:
    """La spécification de core, réécrite pour décrire les réponses réelles."""
    tax_benefit_system = api_data["tax_benefit_system"]
    # Copie en JSON : les codes de statut lus du YAML de core deviennent des
    # chaînes (comme dans la réponse), les dates des exemples de l'ISO 8601.
    spec = json.loads(json.dumps(spec, default=_json_defaut))
    spec["openapi"] = VERSION_OPENAPI
    composants = spec.setdefault("components", {})
    schemas = composants["schemas"] = {}
    bornes = bornes_du_serveur()
    schemas.update(_schema_erreur())
    schemas.update(_schemas_lecture(tax_benefit_system))
    for entite in tax_benefit_system.entities:
        for entree in (True, False):
            schemas[_nom_schema(entite, entree=entree)] = schema_entite(
                tax_benefit_system, entite, bornes, entree=entree
            )
    schemas["SituationInput"] = schema_situation(tax_benefit_system, bornes, entree=True)
    schemas["SituationOutput"] = schema_situation(tax_benefit_system, bornes, entree=False)
    schemas["Axes"] = schema_axes(tax_benefit_system, bornes)
    schemas.update(schemas_resultats(tax_benefit_system, bornes))
    schemas["Trace"] = _schema_trace(tax_benefit_system, bornes)
    entetes = composants.setdefault("headers", {})
    for entete in entetes.values():
        entete["required"] = True

    chemins = spec["paths"]
    exemples = _exemples_situation()

    # 503 : requête interrompue à son échéance (web_api.py).
    codes_erreur = [400, 404, 413, 415, web_api.CODE_DELAI_DEPASSE]
    for route, schema_200 in (("/calculate", "SituationOutput"), ("/trace", "Trace")):
        operation = chemins[route]["post"]
        operation["requestBody"]["content"]["application/json"] = {
            "schema": {"$ref": "#/components/schemas/SituationInput"},
            "examples": exemples,
        }
        operation["responses"] = {
            "200": {
                **operation["responses"]["200"],
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_200}"}}},
            },
            **_erreurs(*codes_erreur),
        }
    variables = sorted(api_data["variables"])
    parametres = sorted(p["id"] for p in api_data["parameters"].values())
    for route, nom, identifiants in (
        ("/variable/{variableID}", "variableID", variables),
        ("/parameter/{parameterID}", "parameterID", parametres),
    ):
        operation = chemins[route]["get"]
        for parametre in operation["parameters"]:
            if parametre["name"] == nom:
                parametre["schema"] = {"type": "string", "enum": identifiants}
        operation["responses"]["404"] = _reponse(
            operation["responses"]["404"]["description"], {"$ref": "#/components/schemas/Erreur"}
        )
    chemins["/spec"]["get"]["responses"]["200"]["content"] = {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"openapi": {"type": "string"}, "info": {"type": "object"}, "paths": {"type": "object"}},
                "required": ["openapi", "info", "paths"],
            }
        }
    }
    return spec


def envelopper(build_spec: Callable[[dict], Schema]) -> Callable[[dict], Schema]:
    if getattr(build_spec, _MARQUE, False):
        return build_spec

    @functools.wraps(build_spec)
    def construire(api_data: dict) -> Schema:
        return transformer(build_spec(api_data), api_data)

    setattr(construire, _MARQUE, True)
    return construire


def _membres(contenu: object, roles: list[str]) -> set[str]:
    """Identifiants des personnes placées dans un groupe (comme les lit OpenFisca :
    une chaîne seule vaut une liste d'un élément, un entier son écriture)."""
    membres: set[str] = set()
    if isinstance(contenu, dict):
        for role in roles:
            valeur = contenu.get(role)
            for personne in valeur if isinstance(valeur, list) else [valeur]:
                if isinstance(personne, str | int) and not isinstance(personne, bool):
                    membres.add(str(personne))
    return membres


def groupes_sans_homonyme(add_group_entity: Callable[..., None]) -> Callable[..., None]:
    """Enveloppe ``SimulationBuilder.add_group_entity`` (idempotent).

    OpenFisca place chaque personne qui n'est dans aucun groupe (famille) dans un
    groupe créé pour elle, du même identifiant qu'elle. Si la situation a déjà
    un groupe de cet identifiant, il y a deux groupes homonymes : la personne
    est rangée dans le premier et le calcul échoue (500) ou se fait sur un
    groupe de trop. Refusé ici (400 nommant le groupe)."""
    if getattr(add_group_entity, _MARQUE, False):
        return add_group_entity

    @functools.wraps(add_group_entity)
    def ajouter(
        builder: object, persons_plural: str, persons_ids: list, entity: GroupEntity, instances_json: object
    ) -> None:
        if isinstance(instances_json, dict):
            roles = [role.plural or role.key for role in entity.roles]
            placees = set().union(*(_membres(contenu, roles) for contenu in instances_json.values()))
            seules = {str(personne) for personne in persons_ids} - placees
            for identifiant in map(str, instances_json):
                if identifiant in seules:
                    raise SituationParsingError(
                        [entity.plural, identifiant],
                        f"« {identifiant} » est aussi l'identifiant d'une personne qui n'est dans aucune des "
                        f"{entity.plural} : OpenFisca lui en créerait une de ce nom, en double. Placer cette "
                        f"personne dans un rôle ({', '.join(roles)}) de « {identifiant} », ou renommer l'une des deux.",
                    )
        return add_group_entity(builder, persons_plural, persons_ids, entity, instances_json)

    setattr(ajouter, _MARQUE, True)
    return ajouter


def _message_404(chemin: str, arguments: dict) -> dict[str, str]:
    if "id" in arguments:
        return {"variableID": f"« {arguments['id']} » n'est pas une variable de ce paquet (liste : /variables)."}
    if "parameter_id" in arguments:
        return {
            "parameterID": f"« {arguments['parameter_id']} » n'est pas un paramètre de ce paquet (liste : /parameters)."
        }
    return {"error": f"aucune route « {chemin} » (routes : /spec)."}


def sans_non_finis(valeur: object) -> object:
    """Copie d'un JSON décodé où un nombre non fini devient la chaîne « Infinity »,
    « -Infinity » ou « NaN » : JSON n'a pas de tels nombres, et ``Infinity`` nu
    (ce qu'écrit ``json.dumps``) n'est lu ni par JavaScript ni par la plupart
    des clients. Sert aux valeurs de paramètres « sans limite » (``.inf``)."""
    if isinstance(valeur, float) and not math.isfinite(valeur):
        return "NaN" if math.isnan(valeur) else ("Infinity" if valeur > 0 else "-Infinity")
    if isinstance(valeur, dict):
        return {cle: sans_non_finis(sous_valeur) for cle, sous_valeur in valeur.items()}
    if isinstance(valeur, list):
        return [sans_non_finis(sous_valeur) for sous_valeur in valeur]
    return valeur


def _fournisseur_json(app: Flask) -> None:
    """Le JSON de l'application : dates en ISO 8601, aucun nombre non fini."""
    from flask.json.provider import DefaultJSONProvider

    class FournisseurJSON(DefaultJSONProvider):
        """Comme celui de Flask, mais une date s'écrit « 2023-05-10 » (ISO 8601,
        comme dans /calculate) et non au format HTTP (« Wed, 10 May 2023 00:00:00
        GMT ») ; un nombre non fini s'écrit en chaîne (``sans_non_finis``)."""

        @staticmethod
        def default(o: object) -> object:
            if isinstance(o, datetime.date):
                return o.isoformat()
            return DefaultJSONProvider.default(o)

        def dumps(self, obj: object, **kwargs: object) -> str:
            try:
                return super().dumps(obj, allow_nan=False, **kwargs)
            except ValueError:
                return super().dumps(sans_non_finis(obj), allow_nan=False, **kwargs)

    fournisseur = FournisseurJSON(app)
    fournisseur.ensure_ascii = app.json.ensure_ascii
    fournisseur.sort_keys = app.json.sort_keys
    app.json = fournisseur


def _erreurs_http_en_json(app: Flask) -> None:
    """404 et 405 de Flask en JSON (elles étaient en HTML), en-tête Allow gardé."""
    from flask import jsonify, request

    def en_json(erreur: HTTPException, corps: dict[str, str]) -> Response:
        reponse = jsonify(corps)
        reponse.status_code = erreur.code or 500
        for nom, valeur in erreur.get_headers():
            if nom.lower() != "content-type":
                reponse.headers[nom] = valeur
        return reponse

    @app.errorhandler(404)
    def introuvable(erreur: HTTPException) -> Response:
        return en_json(erreur, _message_404(request.path, request.view_args or {}))

    @app.errorhandler(405)
    def methode_refusee(erreur: HTTPException) -> Response:
        permises = ", ".join(sorted(getattr(erreur, "valid_methods", None) or []))
        return en_json(erreur, {"error": f"méthode {request.method} non permise sur {request.path} ({permises})."})


def adapter_application(app: Flask) -> Flask:
    """Réponses JSON pour 404/405, dates ISO 8601 dans /trace, aucun nombre non
    fini dans un JSON rendu (idempotent)."""
    if getattr(app, _MARQUE, False):
        return app
    _fournisseur_json(app)
    _erreurs_http_en_json(app)
    setattr(app, _MARQUE, True)
    return app


def adapter_fabrique(create_app: Callable[..., Flask]) -> Callable[..., Flask]:
    """Enveloppe ``create_app`` : l'application fabriquée passe par ``adapter_application``."""
    if getattr(create_app, _MARQUE, False):
        return create_app

    @functools.wraps(create_app)
    def fabrique(*args: object, **kwargs: object) -> Flask:
        return adapter_application(create_app(*args, **kwargs))

    setattr(fabrique, _MARQUE, True)
    return fabrique


def installer() -> bool:
    """Installe la spécification réécrite et les réponses qui la suivent ; False
    si l'API web n'est pas installée (le contrôle des familles homonymes est posé quand même)."""
    SimulationBuilder.add_group_entity = groupes_sans_homonyme(SimulationBuilder.add_group_entity)
    try:
        from openfisca_web_api import loader
    except ImportError:
        return False

    loader.build_openAPI_specification = envelopper(loader.build_openAPI_specification)
    web_api.envelopper_create_app(adapter_fabrique)
    return True


installer()
