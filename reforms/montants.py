"""Réformes des taux et montants de la pension d'invalidité : taux et maximum
des catégories (R341-4, R341-5), minimum de pension (L341-5), majoration pour
tierce personne (R341-6)."""

from __future__ import annotations

from openfisca_invalidite.reforms.parametres import (
    ReformeInvalide,
    classe_reforme,
    fixer_depuis,
    instant,
    parametre,
    reforme_majoration,
)

CATEGORIES = ("categorie_1", "categorie_2", "categorie_3")
TAUX = "pension_invalidite.montant.taux"
MAXIMUM = "pension_invalidite.montant.maximum_en_part_du_pmss"
MINIMUM = "pension_invalidite.montant.minimum"
MTP = "pension_invalidite.majoration_tierce_personne.montant"


def reforme_taux_categorie(
    categorie: str, taux: float, date_effet, maximum: float | None = None, nom: str | None = None
):
    """Classe de réforme : taux de la catégorie (part du SAM) fixé à ``taux`` à
    compter de ``date_effet`` ; le maximum de la catégorie (part du PMSS) fixé à
    ``maximum`` (par défaut le même nombre que le taux, comme dans R341-5 où
    taux et maximum coïncident : 30 % / 30 %, 50 % / 50 %)."""
    if categorie not in CATEGORIES:
        msg = f"catégorie inconnue {categorie!r} : possibles {', '.join(CATEGORIES)}"
        raise ReformeInvalide(msg)
    if not 0 <= taux <= 1 or (maximum is not None and not 0 <= maximum <= 1):
        msg = f"taux {taux!r} / maximum {maximum!r} : parts entre 0 et 1 (0.4 = 40 %)"
        raise ReformeInvalide(msg)
    maximum = taux if maximum is None else maximum
    date_texte = str(instant(date_effet))
    libelle = (
        f"Pension d'invalidité, {categorie.replace('_', ' ')} : taux {taux:.0%} du SAM et maximum "
        f"{maximum:.0%} du PMSS à compter du {date_texte}"
    )

    def modifier(parameters):
        fixer_depuis(parametre(parameters, f"{TAUX}.{categorie}"), taux, date_texte)
        fixer_depuis(parametre(parameters, f"{MAXIMUM}.{categorie}"), maximum, date_texte)
        return parameters

    def appliquer(reforme):
        reforme.modify_parameters(modifier_function=modifier)

    nom = nom or f"Taux_{categorie}_{round(taux * 100)}_{date_texte.replace('-', '')}"
    return classe_reforme(nom, libelle + ".", appliquer, libelle=libelle, module=__name__)


class TauxCategorie1A40(reforme_taux_categorie("categorie_1", 0.4, "2025-01-01")):
    """Pension de 1re catégorie à 40 % du SAM (au lieu de 30 %), maximum porté à
    40 % du PMSS, à compter du 1er janvier 2025.

    Pour chiffrer un meilleur revenu de remplacement des invalides capables de
    travailler (la 1re catégorie est souvent cumulée avec un temps partiel) :
    le maximum suit le taux, sinon les hauts salaires resteraient bloqués au
    plafond de 30 % du PMSS.
    """


class MinimumPlus10(reforme_majoration(MINIMUM, 1.1, "2025-01-01", nom="MinimumPlus10")):
    """Minimum de pension d'invalidité (L341-5, aligné sur l'AVTS) majoré de 10 %
    à compter du 1er janvier 2025, revalorisations suivantes comprises
    (arrondi au centime).

    Pour mesurer l'effet d'un relèvement du plancher sur les petites pensions
    (carrières courtes, temps partiel) et, en cascade, sur l'ASI et l'AAH
    différentielle qui le complètent.
    """


class MtpPlus10(reforme_majoration(MTP, 1.1, "2025-01-01", nom="MtpPlus10")):
    """Majoration pour tierce personne (3e catégorie) majorée de 10 % à compter
    du 1er janvier 2025, revalorisations suivantes comprises (arrondi au centime).

    Pour chiffrer une aide plus forte aux invalides ayant besoin d'une tierce
    personne ; la MTP n'étant ni plafonnée ni réduite par le cumul, l'effet est
    exactement +10 % par bénéficiaire.
    """


def _maximums(parameters):
    for categorie, part in (("categorie_1", 0.4), ("categorie_2", 0.6), ("categorie_3", 0.6)):
        fixer_depuis(parametre(parameters, f"{MAXIMUM}.{categorie}"), part, "2025-01-01")
    return parameters


class MaximumsPlus10Points(
    classe_reforme(
        "MaximumsPlus10Points",
        "Maximums de la pension d'invalidité relevés de 10 points de PMSS.",
        lambda reforme: reforme.modify_parameters(modifier_function=_maximums),
        module=__name__,
    )
):
    """Maximums de la pension d'invalidité (R341-5) relevés de 10 points de PMSS
    à compter du 1er janvier 2025 : 40 % en 1re catégorie, 60 % en 2e et 3e
    (taux inchangés).

    Pour mesurer combien de pensionnés aux salaires élevés sont aujourd'hui
    limités par le maximum, et ce que coûterait de le desserrer.
    """
