"""Entrées des prélèvements sociaux et de l'impôt : revenu fiscal de référence
et nombre de parts du foyer fiscal, zone de résidence, domicile fiscal,
affiliation à l'assurance maladie (mêmes noms qu'OpenFisca-France pour ``rfr``
et ``nbptr``).

``rfr`` et ``nbptr`` sont portés par l'individu, pas par la famille : ce sont
des grandeurs du foyer fiscal, qui n'est pas la famille au sens des CAF (un
couple de concubins forme une famille mais deux foyers fiscaux, chacun avec son
revenu fiscal de référence). Chaque personne porte donc le revenu fiscal de
référence et les parts de son propre foyer fiscal ; les époux ou partenaires
d'une imposition commune portent les mêmes valeurs.
"""

import numpy as np
from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import textes
from openfisca_invalidite.validation import Domaine, entree_bornee, refuser_si, verifier

#: Valeur par défaut de ``rfr`` : revenu fiscal de référence non renseigné.
RFR_NON_RENSEIGNE = -1.0
#: Plus petite fraction de part de quotient familial (le quart de part).
QUART_DE_PART = 0.25
#: Nombre de parts admis au plus (contrôle de saisie).
PARTS_MAXIMUM = 50


def _verifier_parts(holder, period, array):
    """``set_input`` de ``nbptr`` : 0 (non renseigné) ou de 1 à 50 parts, par quarts de part."""
    tableau = holder._to_array(array)  # noqa: SLF001 — protocole set_input d'OpenFisca
    verifier(holder.population, "nbptr", period, tableau, minimum=0, maximum=PARTS_MAXIMUM)
    quarts = np.asarray(tableau, dtype=np.float64) / QUART_DE_PART
    refuser_si(
        ((tableau != 0) & (tableau < 1)) | (quarts != np.round(quarts)),
        holder.population,
        "nbptr",
        period,
        lambda i: f"{tableau[i]:g} parts : 0 (non renseigné) ou au moins 1 part, par quarts de part (1, 1.25, 1.5…)",
    )
    holder._set(period, tableau)  # noqa: SLF001 — enregistré une fois contrôlé


_verifier_parts.domaine = Domaine(0, PARTS_MAXIMUM)


class rfr(Variable):
    value_type = float
    default_value = RFR_NON_RENSEIGNE
    entity = Individu
    definition_period = DateUnit.YEAR
    set_input = entree_bornee(0, None)
    unit = "currency-EUR"
    label = "Revenu fiscal de référence du foyer fiscal de la personne, pour l'année de revenus"
    reference = textes("CSS L136-8", "CSS L136-1-2")
    documentation = """
    Revenu fiscal de référence (IV de l'article 1417 du CGI) du foyer fiscal
    dont la personne fait partie, pour l'année des revenus (« 2023 » : revenus
    de 2023, avis d'impôt de 2024). Le taux de CSG des pensions d'un mois de
    l'année N lit celui de N-2 et, depuis 2019, celui de N-3. Valeur par défaut
    −1 : non renseigné ; un pensionné assujetti dont le revenu fiscal de
    référence manque n'a pas de taux : le calcul s'arrête sur une erreur qui
    nomme la personne et l'année (jamais un taux nul par défaut). Euros ≥ 0.
    """


class nbptr(Variable):
    value_type = float
    default_value = 0.0
    entity = Individu
    definition_period = DateUnit.YEAR
    set_input = _verifier_parts
    unit = "/1"
    label = "Nombre de parts de quotient familial du foyer fiscal de la personne, pour l'année de revenus"
    reference = textes("CSS L136-8")
    documentation = """
    Parts retenues pour l'impôt sur les revenus de l'année (même année que
    rfr). Les seuils de L136-8 sont écrits pour la première part, majorés par
    demi-part (la moitié par quart de part). 0 (défaut) : non renseigné, soit
    une part pour l'avant-dernière année, et pour l'antépénultième les parts de
    l'avant-dernière.
    """


class ZoneResidence(Enum):
    __order__ = "metropole martinique_guadeloupe_reunion guyane mayotte"
    metropole = "France métropolitaine"
    martinique_guadeloupe_reunion = (
        "Martinique, Guadeloupe, La Réunion (et, pour les caisses, Saint-Barthélemy, Saint-Martin)"
    )
    guyane = "Guyane"
    mayotte = "Mayotte"


class zone_residence(Variable):
    value_type = Enum
    possible_values = ZoneResidence
    default_value = ZoneResidence.metropole
    entity = Individu
    definition_period = DateUnit.MONTH
    set_input = set_input_dispatch_by_period
    label = "Zone de résidence pour les seuils de CSG des pensions"
    reference = textes("CSS L136-8")
    documentation = """
    L136-8 III écrit des seuils propres à la Martinique, la Guadeloupe et La
    Réunion, et à la Guyane et Mayotte. La Caisse des dépôts applique les
    premiers à Saint-Barthélemy et Saint-Martin. Mayotte : voir le paramètre
    prelevements_sociaux.csg_remplacement.assujettissement_mayotte.
    """


class residence_fiscale_france(Variable):
    value_type = bool
    default_value = True
    entity = Individu
    definition_period = DateUnit.MONTH
    set_input = set_input_dispatch_by_period
    label = "Domiciliée en France pour l'impôt sur le revenu (article 4 B du CGI)"
    reference = textes("CSS L136-1")
    documentation = """
    Condition de L136-1 1° : seules les personnes fiscalement domiciliées en
    France doivent la CSG (et la CRDS, la CASA) sur leurs revenus de
    remplacement. Vrai par défaut. Les non-résidents doivent à la place une
    cotisation d'assurance maladie (L131-9), non modélisée.
    """


class affilie_assurance_maladie_france(Variable):
    value_type = bool
    default_value = True
    entity = Individu
    definition_period = DateUnit.MONTH
    set_input = set_input_dispatch_by_period
    label = "À la charge d'un régime obligatoire français d'assurance maladie"
    reference = textes("CSS L136-1")
    documentation = """
    Condition de L136-1 1° : la CSG n'est due que par les personnes à la charge
    d'un régime obligatoire français d'assurance maladie. Vrai par défaut ;
    faux pour un pensionné résidant en France mais couvert par le régime
    d'un autre État (il en apporte la preuve à la caisse).
    """
