"""Entrées propres à l'ASI : droit à l'ASPA, inaptitude au travail (mêmes noms
qu'OpenFisca-France)."""

from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles


class aspa_eligibilite(Variable):
    value_type = bool
    default_value = False
    entity = Individu
    definition_period = DateUnit.MONTH
    set_input = set_input_dispatch_by_period
    label = "La personne a droit à l'allocation de solidarité aux personnes âgées (ASPA)"
    reference = articles("L815-1", "L815-24")
    documentation = """
    Entrée (faux par défaut) ; calculée dans OpenFisca-France, où elle porte ce
    nom. Qui a droit à l'ASPA n'a pas droit à l'ASI (L815-24) ; un conjoint qui
    perçoit l'ASPA fait calculer l'ASI sur la moitié du plafond couple
    (D815-19, 2° c).
    """


class inapte_travail(Variable):
    value_type = bool
    default_value = False
    entity = Individu
    definition_period = DateUnit.MONTH
    set_input = set_input_dispatch_by_period
    label = "Reconnu inapte au travail (âge de l'ASPA abaissé à l'âge légal de la retraite)"
    reference = articles("L815-1", "R815-1")
    documentation = """
    Même nom qu'OpenFisca-France. Vrai : l'âge de l'ASPA, donc la fin de
    l'ASI, est l'âge légal de la retraite de la génération (age_legal_retraite)
    au lieu de 65 ans.
    """
