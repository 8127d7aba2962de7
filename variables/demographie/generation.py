"""Génération et rang du mois de naissance : calculés une fois par personne.

Les formules mensuelles (âge légal, âge de fin de la pension, AAH) les
relisent chaque mois sans refaire la conversion des dates.
"""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import indice_mois, mois_aaaamm
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles


class generation(Variable):
    value_type = int
    entity = Individu
    definition_period = DateUnit.ETERNITY
    label = "Génération : mois de naissance écrit AAAAMM (seuil des barèmes par génération)"
    reference = articles("L161-17-2", "D161-2-1-9")
    documentation = "196409 pour une personne née en septembre 1964."

    def formula(individu, period):
        return mois_aaaamm(individu("date_naissance", period))


class rang_mois_naissance(Variable):
    value_type = int
    entity = Individu
    definition_period = DateUnit.ETERNITY
    label = "Rang du mois de naissance (année × 12 + mois − 1), pour compter les âges en mois"
    reference = articles("L161-17-2")
    documentation = "Un âge de 62 ans est atteint dans le mois de rang rang_mois_naissance + 744."

    def formula(individu, period):
        return indice_mois(individu("date_naissance", period))
