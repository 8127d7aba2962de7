import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import date_naissance_verifiee, debut
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles


class age(Variable):
    value_type = int
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "Âge en années révolues au premier jour du mois"
    reference = articles("L161-17-2", "L341-15")
    documentation = """
    Années révolues au 1er jour du mois. Une date de naissance postérieure au
    dernier jour du mois est une erreur d'entrée (EntreeInvalide sur
    date_naissance), jamais un âge négatif.
    """

    def formula(individu, period):
        naissance = date_naissance_verifiee(individu, period)
        jour = debut(period)
        annees = jour.astype("datetime64[Y]") - naissance.astype("datetime64[Y]")
        # L'anniversaire de l'année n'est pas encore passé au 1er du mois si
        # le (mois, jour) de naissance est postérieur au (mois, 1er).
        mois_naissance = naissance.astype("datetime64[M]").astype(int) % 12
        jour_naissance = (naissance.astype("datetime64[D]") - naissance.astype("datetime64[M]")).astype(int) + 1
        mois_calcul = int(jour.astype("datetime64[M]").astype(int) % 12)
        pas_encore = (mois_naissance > mois_calcul) | ((mois_naissance == mois_calcul) & (jour_naissance > 1))
        return np.maximum(annees.astype(int) - pas_encore, 0)
