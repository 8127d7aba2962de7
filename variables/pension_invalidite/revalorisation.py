"""Date de liquidation de la pension et sa place dans le calendrier des revalorisations (L341-6)."""

from datetime import date

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import (
    ANNEE_SANS_ARRET,
    annee,
    parametres_historiques,
    rang_des_dates,
    valeurs_datees,
)
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles
from openfisca_invalidite.validation import EntreeInvalide


class date_liquidation_pension_invalidite(Variable):
    value_type = date
    default_value = date(9999, 12, 31)
    entity = Individu
    definition_period = DateUnit.ETERNITY
    label = "Date d'effet retenue pour la pension : date_effet_pension_invalidite si elle est donnée, sinon l'arrêt"
    reference = articles("R341-12", "L341-6")
    documentation = """
    Date qui sépare les deux revalorisations de L341-6 : avant elle, les
    salaires du salaire annuel moyen (coefficients des salaires) ; après elle,
    la pension liquidée (coefficients des pensions). C'est la date d'effet de
    R341-12 quand elle est donnée, la date de l'arrêt de travail sinon. Une
    date d'effet antérieure à l'arrêt, ou donnée sans date d'arrêt, est une
    erreur d'entrée.
    """

    def formula(individu, period):
        arret = individu("date_debut_invalidite", period)
        effet = individu("date_effet_pension_invalidite", period)
        donnee = annee(effet) < ANNEE_SANS_ARRET
        sans_arret = donnee & (annee(arret) >= ANNEE_SANS_ARRET)
        if sans_arret.any():
            raise EntreeInvalide(
                individu,
                "date_effet_pension_invalidite",
                "ETERNITY",
                np.flatnonzero(sans_arret),
                "date d'effet donnée sans date_debut_invalidite",
            )
        avant_arret = donnee & (effet < arret)
        if avant_arret.any():
            raise EntreeInvalide(
                individu,
                "date_effet_pension_invalidite",
                "ETERNITY",
                np.flatnonzero(avant_arret),
                "date d'effet antérieure à date_debut_invalidite",
            )
        return np.where(donnee, effet, arret)


class rang_revalorisation_pension_a_la_liquidation(Variable):
    value_type = int
    entity = Individu
    definition_period = DateUnit.ETERNITY
    label = "Nombre de revalorisations des pensions entrées en vigueur au plus tard à la date de liquidation"
    reference = articles("L341-6", "L161-25")
    documentation = """
    Les revalorisations suivantes (rang supérieur) s'appliquent à la pension
    et au seuil de cumul. Calculé une fois par personne, pour que chaque mois
    ne refasse pas la recherche de la date de liquidation dans le calendrier.
    """

    def formula(individu, period):
        coefficients = parametres_historiques(individu).pension_invalidite.revalorisation.coefficient_pensions
        dates, _ = valeurs_datees(coefficients)
        return rang_des_dates(dates, individu("date_liquidation_pension_invalidite", period), side="right")
