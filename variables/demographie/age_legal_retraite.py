import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import bareme_par_generation, date_naissance_verifiee
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles


class age_legal_retraite(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "Âge légal de départ à la retraite de la génération de la personne (en années)"
    reference = articles("L351-1", "L161-17-2", "D161-2-1-9")
    documentation = """
    Âge du premier alinéa de L351-1, fixé par génération (L161-17-2,
    D161-2-1-9), selon le barème en vigueur au mois calculé : loi de 2010,
    LFRSS 2023 à compter du 1er septembre 2023, suspension de la LFSS 2026 à
    compter du 1er septembre 2026. En années, les mois en fraction
    (62.75 = 62 ans 9 mois). Ce n'est plus, depuis le 1er septembre 2023,
    l'âge de fin de la pension d'invalidité (voir pension_invalidite_condition_age).
    """

    def formula(individu, period, parameters):
        date_naissance_verifiee(individu, period)
        return bareme_par_generation(individu, period, parameters(period).retraite.age_legal, np.float32)
