"""Entrées de l'AAH (mêmes noms qu'OpenFisca-France)."""

from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles
from openfisca_invalidite.validation import entree_bornee


class taux_incapacite(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    set_input = entree_bornee(0, 1, set_input_dispatch_by_period)
    unit = "/1"
    label = "Taux d'incapacité permanente fixé par la CDAPH (0 à 1)"
    reference = articles("L821-1", "L821-2", "D821-1")
    documentation = """
    Taux d'incapacité permanente reconnu par la commission des droits et de
    l'autonomie (CDAPH), de 0 à 1 : 0,8 ouvre l'AAH, 0,5 à 0,79 l'ouvre avec
    une restriction substantielle et durable d'accès à l'emploi (D821-1).
    """


class aah_restriction_substantielle_durable_acces_emploi(Variable):
    value_type = bool
    default_value = False
    entity = Individu
    definition_period = DateUnit.MONTH
    set_input = set_input_dispatch_by_period
    label = "Restriction substantielle et durable d'accès à l'emploi (RSDAE) reconnue par la CDAPH"
    reference = articles("L821-2", "D821-1-2")
    documentation = """
    Restriction substantielle et durable pour l'accès à l'emploi (RSDAE)
    reconnue par la CDAPH : avec un taux d'incapacité de 50 à 79 %, elle ouvre
    l'AAH (L821-2), jusqu'à l'âge où la personne est réputée inapte au travail.
    """


class aah_conjugalise_eligible(Variable):
    value_type = bool
    default_value = False
    entity = Individu
    definition_period = DateUnit.MONTH
    set_input = set_input_dispatch_by_period
    label = "Allocataire en droits au 30/09/2023 qui peut garder le calcul conjugalisé de l'AAH s'il est plus favorable"
    reference = articles("Décret 2022-1694")
    documentation = """
    Droit d'option transitoire (loi 2022-1158 art. 10, décret 2022-1694 du
    28/12/2022) : l'allocataire en couple dont le calcul conjugalisé est plus
    favorable le garde tant que ses droits durent. Faux par défaut.
    """
