"""Conditions de l'AAH : incapacité, âge, résidence (L821-1, L821-2, D821-1, R821-1)."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import age_en_mois
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles


class aah_eligible(Variable):
    value_type = bool
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "La personne remplit les conditions de l'AAH (hors ressources)"
    reference = articles("L821-1", "L821-2", "D821-1", "R821-1")
    documentation = """
    Taux d'incapacité d'au moins 80 %, ou de 50 à 79 % avec une RSDAE ; l'AAH
    au titre de la RSDAE cesse au mois où la personne atteint l'âge où elle est
    réputée inapte au travail (L821-2 dernier alinéa → L821-1 → L351-1-5 :
    age_retraite_inaptitude, 62 ans, et non l'âge légal général qui monte à
    64 ans : circulaire Cnav du 2 janvier 2024, question AN n° 9390) ; au moins 20 ans ;
    résidence en France. L'âge de 16 ans (jeune ne donnant plus droit aux
    prestations familiales) n'est pas modélisé.
    """

    def formula(individu, period, parameters):
        p = parameters(period).aah
        taux = individu("taux_incapacite", period)
        age_mois = individu("age_en_mois_revolus", period)
        avant_retraite = age_mois < age_en_mois(individu("age_retraite_inaptitude", period))
        rsdae = (
            (taux >= p.taux_incapacite_rsdae)
            & individu("aah_restriction_substantielle_durable_acces_emploi", period)
            & avant_retraite
        )
        return (
            ((taux >= p.taux_incapacite) | rsdae)
            & (age_mois >= age_en_mois(np.full(individu.count, p.age_minimal)))
            & individu("residence_france", period)
        )
