"""Cumul de la pension d'invalidité avec des revenus d'activité (L341-12, R341-17)."""

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import ADD
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import (
    annee,
    debut,
    fin,
    indice_cumule,
    parametres_historiques,
    revalorisation_depuis,
)
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles


class salaire_annee_precedant_arret(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Salaire de l'année civile précédant l'arrêt, revalorisé à la date de l'arrêt"
    reference = articles("R341-17")
    documentation = """
    salaire_brut_annuel de l'année qui précède celle de l'arrêt, revalorisé par
    les coefficients des salaires (L341-6) comme ceux du SAM. 2° du seuil de
    cumul de R341-17 (avant le 1er avril 2022 : le seul terme du seuil).
    """

    def formula(individu, period):
        date_arret = individu("date_debut_invalidite", period)
        resultat = np.zeros(individu.count)
        commencee = date_arret <= fin(period)
        annee_precedente = annee(date_arret) - 1
        coefficients = parametres_historiques(individu).pension_invalidite.revalorisation.coefficient_salaires
        for annee_salaire in np.unique(annee_precedente[commencee]):
            qui = commencee & (annee_precedente == annee_salaire)
            salaire = individu("salaire_brut_annuel", str(annee_salaire))
            revalorisation = indice_cumule(coefficients, date_arret) / indice_cumule(
                coefficients, np.datetime64(f"{annee_salaire}-12-31")
            )
            resultat = np.where(qui, salaire * revalorisation, resultat)
        return resultat


class pension_invalidite_seuil_cumul(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Seuil annuel au-delà duquel la pension est réduite en cas de cumul avec des revenus"
    reference = articles("R341-17", "L341-12")
    documentation = """
    Depuis le 1er avril 2022 : le plus élevé du SAM (1°) et du salaire de
    l'année civile précédant l'arrêt (2°), ce dernier limité à 1 PASS, puis
    1,5 PASS depuis le 30 juillet 2023 (PASS de l'année du mois calculé).
    Avant : le salaire de l'année précédant l'arrêt, sans limite. Les deux
    termes sont revalorisés jusqu'au mois calculé comme la pension (L341-6).
    """

    def formula(individu, period, parameters):
        p = parameters(period)
        cumul = p.pension_invalidite.cumul_revenus
        plafond = cumul.plafond_salaire_reference_en_pass * p.references_sociales.plafond_annuel_securite_sociale
        salaire_precedent = np.minimum(individu("salaire_annee_precedant_arret", period), plafond)
        seuil = np.maximum(individu("salaire_annuel_moyen", period), salaire_precedent) if cumul.seuil_inclut_salaire_annuel_moyen else salaire_precedent
        revalorisation = parametres_historiques(individu).pension_invalidite.revalorisation
        return revalorisation_depuis(seuil, individu("date_debut_invalidite", period), debut(period), revalorisation.coefficient_pensions)


class pension_invalidite_reduction_cumul(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Réduction mensuelle de la pension pour cumul avec des revenus"
    reference = articles("R341-17", "L341-12")
    documentation = """
    Sur les 12 mois du 13e au 2e mois précédant le mois calculé (R341-17 II) :
    dépassement = 12 × pension avant cumul + revenus_activite − seuil ; la
    pension du mois est réduite de taux × dépassement / 12 (taux : 100 % avant
    le 1er avril 2022, 50 % depuis). Avant 2022 la loi comparait deux trimestres
    consécutifs : rapporté ici aux mêmes 12 mois (simplification).
    """

    def formula(individu, period, parameters):
        reference = Period((DateUnit.MONTH, period.first_month.offset(-13).start, 12))
        revenus = individu("revenus_activite", reference, options=[ADD])
        pension = individu("pension_invalidite_avant_cumul", period)
        if not ((revenus > 0) & (pension > 0)).any():
            return np.zeros(individu.count)
        depassement = np.maximum(12 * pension + revenus - individu("pension_invalidite_seuil_cumul", period), 0)
        taux = parameters(period).pension_invalidite.cumul_revenus.taux_reduction_depassement
        return np.where(pension > 0, np.minimum(np.round(taux * depassement / 12, 2), pension), 0.0)


class pension_invalidite(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Pension d'invalidité mensuelle brute (hors majoration pour tierce personne)"
    reference = articles("L341-1", "R341-4", "R341-5", "L341-5", "L341-12", "R341-17", "L341-15")
    documentation = """
    Pension avant cumul, diminuée de la réduction pour cumul avec des revenus ;
    0 si une condition n'est pas remplie (voir pension_invalidite_eligible).
    """

    def formula(individu, period):
        return np.maximum(
            individu("pension_invalidite_avant_cumul", period) - individu("pension_invalidite_reduction_cumul", period), 0.0
        )
