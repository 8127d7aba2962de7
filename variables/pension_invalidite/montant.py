"""Montant de la pension d'invalidité avant cumul : taux × SAM, revalorisé,
entre le minimum (L341-5) et le maximum de la catégorie (R341-5)."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.entities import Individu
from openfisca_invalidite.pension import par_categorie, pension_de_la_section_3
from openfisca_invalidite.references import articles


class taux_pension_invalidite(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "/1"
    label = "Taux de la pension d'invalidité de la catégorie (part du salaire annuel moyen)"
    reference = articles("R341-4", "R341-5", "R341-6")
    documentation = "30 % en 1re catégorie, 50 % en 2e et 3e ; 0 si non classé."

    def formula(individu, period, parameters):
        taux = parameters(period).pension_invalidite.montant.taux
        return par_categorie(individu("categorie_invalidite", period), taux)


class pension_invalidite_maximum(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Maximum mensuel de la pension d'invalidité de la catégorie (hors MTP)"
    reference = articles("R341-5", "L241-3")
    documentation = "30 % du PMSS du mois en 1re catégorie, 50 % en 2e et 3e."

    def formula(individu, period, parameters):
        p = parameters(period)
        parts = par_categorie(
            individu("categorie_invalidite", period), p.pension_invalidite.montant.maximum_en_part_du_pmss
        )
        return np.round(parts * p.references_sociales.plafond_mensuel_securite_sociale, 2)


class pension_invalidite_avant_cumul(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Pension d'invalidité mensuelle avant réduction pour cumul avec des revenus"
    reference = articles("R341-4", "R341-5", "L341-5", "L341-6")
    documentation = """
    taux × SAM / 12, revalorisé par les coefficients des pensions (L341-6)
    entrés en vigueur après la date de liquidation (date d'effet, ou arrêt) et
    au plus tard le 1er du mois, puis porté au minimum de L341-5 ou ramené au
    maximum de la catégorie (R341-5) en vigueur ce mois ; arrondi au centime.
    0 si non éligible.
    """

    def formula(individu, period, parameters):
        eligible = individu("pension_invalidite_eligible", period)
        return np.where(eligible, pension_de_la_section_3(individu, period, period, parameters), 0.0)
