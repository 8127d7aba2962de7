"""Conditions de l'ASI (L815-24, L815-25, R815-58)."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import age_en_mois
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles


class asi_eligibilite(Variable):
    value_type = bool
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "La personne remplit les conditions de l'allocation supplémentaire d'invalidité"
    reference = articles("L815-24", "L815-25", "R815-58", "L815-1", "R815-1")
    documentation = """
    Titulaire d'un avantage d'invalidité servi : pension_invalidite > 0 (le
    montant servi, et non pension_invalidite_eligible : une pension suspendue
    ou réduite à zéro pour cumul n'ouvre pas l'ASI, L815-27) ; réduction de
    capacité d'au moins 2/3 (R815-58, paramètre asi.taux_minimum_invalidite) ;
    résidence en France ; ne pas avoir l'âge de l'ASPA (65 ans, ou âge légal
    de la retraite si inapte_travail) ; ne pas avoir droit à l'ASPA. Pas
    d'âge minimum. Même nom qu'OpenFisca-France.
    """

    def formula(individu, period, parameters):
        p = parameters(period).asi
        age_mois = individu("age_en_mois_revolus", period)
        limite_generale = age_en_mois(np.full(individu.count, p.age_limite))
        limite_inapte = age_en_mois(individu("age_legal_retraite", period))
        limite = np.where(
            individu("inapte_travail", period), np.minimum(limite_inapte, limite_generale), limite_generale
        )
        return (
            (individu("pension_invalidite", period) > 0)
            & (individu("reduction_capacite_travail", period) >= p.taux_minimum_invalidite)
            & (age_mois < limite)
            & individu("residence_france", period)
            & ~individu("aspa_eligibilite", period)
        )
