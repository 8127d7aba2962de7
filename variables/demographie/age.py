import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import date_naissance_verifiee, debut, indice_mois, jour_du_mois
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles


class age_en_mois_revolus(Variable):
    value_type = int
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "Âge en mois révolus au premier jour du mois"
    reference = articles("L161-17-2", "L815-1", "L821-2")
    documentation = """
    Mois révolus au 1er jour du mois : une personne née le 1er d'un mois a un
    mois de plus qu'une personne née le 2. Sert à toutes les conditions d'âge
    (âge, ASI, AAH). Une date de naissance postérieure au dernier jour du mois
    est une erreur d'entrée (EntreeInvalide sur date_naissance).
    """

    def formula(individu, period):
        naissance = date_naissance_verifiee(individu, period)
        mois = int(indice_mois(debut(period))) - individu("rang_mois_naissance", period)
        ne_apres_le_1er = jour_du_mois(naissance) > 1
        return np.maximum(mois - ne_apres_le_1er, 0)


class age(Variable):
    value_type = int
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "Âge en années révolues au premier jour du mois"
    reference = articles("L161-17-2", "L341-15")
    documentation = """
    Années révolues au 1er jour du mois (age_en_mois_revolus // 12). Une date de
    naissance postérieure au dernier jour du mois est une erreur d'entrée
    (EntreeInvalide sur date_naissance), jamais un âge négatif.
    """

    def formula(individu, period):
        return individu("age_en_mois_revolus", period) // 12
