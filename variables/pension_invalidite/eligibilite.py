from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles

CONDITIONS = (
    "pension_invalidite_condition_reconnaissance",
    "pension_invalidite_condition_reduction_capacite",
    "pension_invalidite_condition_immatriculation",
    "pension_invalidite_condition_activite",
    "pension_invalidite_condition_age",
)


class pension_invalidite_eligible(Variable):
    value_type = bool
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "Toutes les conditions de la pension d'invalidité sont remplies ce mois"
    reference = articles("L341-1", "L341-2", "L341-4", "R313-5", "L341-15")
    documentation = """
    Invalidité reconnue et classée, réduction de capacité d'au moins 2/3,
    12 mois d'immatriculation, condition d'activité (600 heures ou 2 030 SMIC),
    âge de fin de la pension non atteint (ou maintien en activité).
    """

    def formula(individu, period):
        eligible = individu(CONDITIONS[0], period)
        for condition in CONDITIONS[1:]:
            eligible = eligible & individu(condition, period)
        return eligible
