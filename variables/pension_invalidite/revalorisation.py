"""Position de la date de l'arrêt dans le calendrier des revalorisations (L341-6)."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import JOUR, parametres_historiques, valeurs_datees
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles


class rang_revalorisation_pension_a_l_arret(Variable):
    value_type = int
    entity = Individu
    definition_period = DateUnit.ETERNITY
    label = "Nombre de revalorisations des pensions entrées en vigueur au plus tard à la date de l'arrêt"
    reference = articles("L341-6", "L161-25")
    documentation = """
    Les revalorisations suivantes (rang supérieur) s'appliquent à la pension
    et au seuil de cumul. Calculé une fois par personne, pour que chaque mois
    ne refasse pas la recherche de la date de l'arrêt dans le calendrier.
    """

    def formula(individu, period):
        coefficients = parametres_historiques(individu).pension_invalidite.revalorisation.coefficient_pensions
        dates, _ = valeurs_datees(coefficients)
        return np.searchsorted(dates, individu("date_debut_invalidite", period).astype(JOUR), side="right")
