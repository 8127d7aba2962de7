import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles


class majoration_tierce_personne(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Majoration pour tierce personne (MTP) des invalides de 3e catégorie"
    reference = articles("R341-6", "L341-4", "L341-6")
    documentation = """
    Montant forfaitaire du mois (revalorisé au 1er avril), versé en plus de la
    pension aux invalides de 3e catégorie qui remplissent les conditions de la
    pension ; non soumis au maximum, non réduit par le cumul avec des revenus.
    """

    def formula(individu, period, parameters):
        categorie = individu("categorie_invalidite", period)
        troisieme = categorie == categorie.possible_values.categorie_3
        eligible = individu("pension_invalidite_eligible", period)
        montant = parameters(period).pension_invalidite.majoration_tierce_personne.montant
        return np.where(troisieme & eligible, montant, 0.0)
