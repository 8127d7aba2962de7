"""Cumul de la pension d'invalidité avec des revenus d'activité (L341-12, R341-17)."""

import numpy as np
from openfisca_core.holders import set_input_divide_by_period
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import ADD
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import (
    ANNEE_SANS_ARRET,
    annee,
    debut,
    indice_cumule,
    parametres_historiques,
    premier_janvier,
    revalorisation_depuis,
    valeur_a_dates,
)
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles


class salaire_annee_precedant_arret(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.ETERNITY
    unit = "currency-EUR"
    label = "Salaire de l'année civile précédant l'arrêt de travail"
    reference = articles("R341-17")
    documentation = """
    salaire_brut_annuel de l'année qui précède celle de l'arrêt (montant de
    cette année-là, non revalorisé). 2° du seuil de cumul de R341-17 (avant le
    1er avril 2022 : le seul terme du seuil). Fixé une fois par personne ;
    0 sans date d'arrêt.
    """

    def formula(individu, period):
        annee_precedente = annee(individu("date_debut_invalidite", period)) - 1
        resultat = np.zeros(individu.count)
        for annee_salaire in np.unique(annee_precedente[annee_precedente < ANNEE_SANS_ARRET - 1]):
            qui = annee_precedente == annee_salaire
            resultat = np.where(qui, individu("salaire_brut_annuel", str(annee_salaire)), resultat)
        return resultat


class plafond_securite_sociale_annee_precedant_arret(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.ETERNITY
    unit = "currency-EUR"
    label = "PASS de l'année civile précédant l'arrêt (le plafond « alors en vigueur » de R341-17)"
    reference = articles("R341-17", "L241-3")
    documentation = "Fixé une fois par personne."

    def formula(individu, period):
        plafonds = parametres_historiques(individu).references_sociales.plafond_annuel_securite_sociale
        return valeur_a_dates(plafonds, premier_janvier(annee(individu("date_debut_invalidite", period)) - 1))


class revalorisation_salaire_annee_precedant_arret(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.ETERNITY
    unit = "/1"
    label = "Revalorisation du salaire de l'année précédant l'arrêt jusqu'à la date de l'arrêt (L341-6)"
    reference = articles("R341-17", "L341-6")
    documentation = (
        "Coefficients des salaires entrés en vigueur après le 31 décembre de cette année et au plus tard à l'arrêt."
    )

    def formula(individu, period):
        coefficients = parametres_historiques(individu).pension_invalidite.revalorisation.coefficient_salaires
        date_arret = individu("date_debut_invalidite", period)
        fin_annee_precedente = premier_janvier(annee(date_arret)) - 1
        return indice_cumule(coefficients, date_arret) / indice_cumule(coefficients, fin_annee_precedente)


class pension_invalidite_seuil_cumul(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Seuil annuel au-delà duquel la pension est réduite en cas de cumul avec des revenus"
    reference = articles("R341-17", "L341-12", "L341-6")
    documentation = """
    Depuis le 1er avril 2022 : le plus élevé du SAM (1°) et du salaire de
    l'année civile précédant l'arrêt (2°), ce dernier limité à 1 PASS, puis
    1,5 PASS depuis le 30 juillet 2023 — le PASS « alors en vigueur », celui de
    l'année de ce salaire. Avant : le salaire de l'année précédant l'arrêt, sans
    limite. Le 2° est revalorisé jusqu'à l'arrêt par les coefficients des
    salaires, comme le SAM ; puis les deux termes suivent la revalorisation des
    pensions jusqu'au mois calculé (« revalorisés selon les modalités de L341-6 »).
    """

    def formula(individu, period, parameters):
        cumul = parameters(period).pension_invalidite.cumul_revenus
        historique = parametres_historiques(individu)
        date_arret = individu("date_debut_invalidite", period)
        plafond = cumul.plafond_salaire_reference_en_pass * individu(
            "plafond_securite_sociale_annee_precedant_arret", period
        )
        salaire_precedent = np.minimum(individu("salaire_annee_precedant_arret", period), plafond) * individu(
            "revalorisation_salaire_annee_precedant_arret", period
        )
        if cumul.seuil_inclut_salaire_annuel_moyen:
            seuil = np.maximum(individu("salaire_annuel_moyen", period), salaire_precedent)
        else:
            seuil = salaire_precedent
        return revalorisation_depuis(
            seuil,
            date_arret,
            debut(period),
            historique.pension_invalidite.revalorisation.coefficient_pensions,
            rang_depuis=individu("rang_revalorisation_pension_a_l_arret", period),
        )


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
    le 1er avril 2022, 50 % depuis : « un douzième de 50 % du dépassement »).
    Simplifications : la loi contrôle chaque trimestre et applique la réduction
    aux trois mois suivants ; le modèle refait le contrôle chaque mois sur la
    fenêtre glissante de 12 mois. Avant 2022 la loi comparait deux trimestres
    consécutifs : rapporté ici aux mêmes 12 mois. Sans revenus d'activité sur
    la période, pas de réduction (R341-17 vise la reprise ou la poursuite d'une
    activité) : une pension portée au minimum au-dessus d'un seuil bas n'est
    jamais réduite pour elle-même. Avec des revenus, le dépassement est celui
    du total, comme le dit le texte (à confirmer quand la pension seule dépasse
    déjà le seuil).
    """

    def formula(individu, period, parameters):
        cumul = parameters(period).pension_invalidite.cumul_revenus
        mois = int(cumul.duree_periode_reference)
        debut_reference = period.first_month.offset(-int(cumul.debut_periode_reference)).start
        revenus = individu("revenus_activite", Period((DateUnit.MONTH, debut_reference, mois)), options=[ADD])
        pension = individu("pension_invalidite_avant_cumul", period)
        concerne = (pension > 0) & (revenus > 0)
        if not concerne.any():
            return np.zeros(individu.count)
        # Comparaison annuelle : revenus de la fenêtre ramenés à 12 mois (identiques pour 12 mois).
        revenus_annuels = revenus * 12 / mois
        depassement = np.maximum(12 * pension + revenus_annuels - individu("pension_invalidite_seuil_cumul", period), 0)
        reduction = np.round(cumul.taux_reduction_depassement * depassement / 12, 2)
        return np.where(concerne, np.minimum(reduction, pension), 0.0)


class pension_invalidite(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    set_input = set_input_divide_by_period
    label = "Pension d'invalidité mensuelle brute (hors majoration pour tierce personne)"
    reference = articles("L341-1", "R341-4", "R341-5", "L341-5", "L341-12", "R341-17", "L341-15")
    documentation = """
    Pension avant cumul, diminuée de la réduction pour cumul avec des revenus ;
    0 si une condition n'est pas remplie (voir pension_invalidite_eligible).
    """

    def formula(individu, period):
        return np.maximum(
            individu("pension_invalidite_avant_cumul", period) - individu("pension_invalidite_reduction_cumul", period),
            0.0,
        )
