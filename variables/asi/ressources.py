"""Ressources retenues pour l'ASI : celles du demandeur et de son conjoint,
pension d'invalidité comprise (L815-24-1, R815-22 s. par renvoi de R815-59)."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.entities import Famille, Individu, parents
from openfisca_invalidite.references import articles


class asi_base_ressources_individu(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Ressources mensuelles d'une personne retenues pour l'ASI"
    reference = articles("L815-24-1", "R815-22", "R815-59")
    documentation = """
    Pension d'invalidité servie + revenus d'activité + autres ressources, du
    mois calculé. Simplification : la règle (R815-22 s., par renvoi) retient
    les ressources des 3 mois précédant la date d'effet (12 mois si elles
    dépassent), et OpenFisca-France prend la moyenne des 3 mois précédents ;
    ici, le mois lui-même (les deux coïncident pour des ressources stables).
    Non retenus : la MTP (prestation pour tierce personne, à confirmer),
    l'AAH (exclue pour un titulaire de pension d'invalidité, comme dans
    OpenFisca-France), l'abattement forfaitaire ASPA sur les salaires (non
    modélisé).
    """

    def formula(individu, period):
        return (
            individu("pension_invalidite", period)
            + individu("revenus_activite", period)
            + individu("autres_ressources", period)
        )


class asi_base_ressources(Variable):
    value_type = float
    entity = Famille
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Ressources mensuelles du couple (ou de la personne seule) retenues pour l'ASI"
    reference = articles("L815-24-1", "D815-19")
    documentation = "Somme des ressources des parents de la famille (demandeur et conjoint)."

    def formula(famille, period):
        ressources = famille.members("asi_base_ressources_individu", period)
        return famille.sum(np.where(parents(famille.members), ressources, 0.0))  # celles des parents
