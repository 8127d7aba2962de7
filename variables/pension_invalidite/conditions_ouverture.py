"""Conditions d'ouverture du droit à la pension d'invalidité (L341-1, L341-2, R313-5).

Chaque condition est une variable : une analyste voit laquelle manque.
Les seuils sont ceux en vigueur à la date de l'arrêt de travail
(`date_debut_invalidite`), date à laquelle la loi apprécie les conditions.
"""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import (
    indice_mois,
    parametres_historiques,
    une_fois,
    valeur_a_dates,
    valeur_au_premier_janvier,
)
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.pension import pension_commencee
from openfisca_invalidite.references import articles


class pension_invalidite_condition_reduction_capacite(Variable):
    value_type = bool
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "La capacité de travail ou de gain est réduite d'au moins deux tiers"
    reference = articles("L341-1", "R341-2")
    documentation = "reduction_capacite_travail ≥ 2/3 (paramètre conditions.reduction_capacite_minimale)."

    def formula(individu, period, parameters):
        seuil = parameters(period).pension_invalidite.conditions.reduction_capacite_minimale
        reduction = individu("reduction_capacite_travail", period)
        return une_fois(individu, ("condition_reduction_capacite", seuil), lambda: reduction >= seuil, reduction)


class pension_invalidite_condition_immatriculation(Variable):
    value_type = bool
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "Immatriculé depuis au moins 12 mois au 1er jour du mois de l'arrêt de travail"
    reference = articles("R313-5")
    documentation = """
    duree_immatriculation ≥ 12 mois (paramètre conditions.duree_immatriculation_minimale
    en vigueur à la date de l'arrêt).
    """

    def formula(individu, period):
        duree = individu("duree_immatriculation", period)
        exigee = individu("pension_invalidite_immatriculation_exigee", period)
        return une_fois(individu, "condition_immatriculation", lambda: duree >= exigee, duree, exigee)


class pension_invalidite_condition_activite(Variable):
    value_type = bool
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "Assez de travail ou de cotisations dans les 12 mois précédant l'arrêt (600 heures ou 2 030 SMIC horaires)"
    reference = articles("R313-5")
    documentation = """
    R313-5 : cotisations sur au moins 2 030 fois le SMIC horaire du 1er janvier
    précédant la période de référence (les 12 mois civils avant l'arrêt), ou au
    moins 600 heures de travail salarié ou assimilé. Il suffit de l'une des deux.
    """

    def formula(individu, period):
        heures = individu("heures_travaillees_12_mois", period)
        heures_exigees = individu("pension_invalidite_heures_exigees", period)
        cotisations = individu("salaire_cotise_12_mois", period)
        cotisations_exigees = individu("pension_invalidite_cotisations_exigees", period)
        return une_fois(
            individu,
            "condition_activite",
            lambda: (heures >= heures_exigees) | (cotisations >= cotisations_exigees),
            heures,
            heures_exigees,
            cotisations,
            cotisations_exigees,
        )


class pension_invalidite_condition_reconnaissance(Variable):
    value_type = bool
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "La pension a pris effet et la personne est classée dans une catégorie"
    reference = articles("L341-3", "L341-4", "R341-12")
    documentation = """
    Date d'effet de la pension (date_effet_pension_invalidite, ou à défaut
    date_debut_invalidite : date_liquidation_pension_invalidite) au plus tard
    le dernier jour du mois calculé (R341-12), et categorie_invalidite autre
    que « non_classe ».
    """

    def formula(individu, period):
        categorie = individu("categorie_invalidite", period)
        commencee = pension_commencee(individu, period)
        return une_fois(
            individu,
            "condition_reconnaissance",
            lambda: commencee & (categorie != categorie.possible_values.non_classe),
            commencee,
            categorie,
        )


class pension_invalidite_immatriculation_exigee(Variable):
    value_type = int
    entity = Individu
    definition_period = DateUnit.ETERNITY
    unit = "month"
    label = "Mois d'immatriculation exigés à la date de l'arrêt de travail"
    reference = articles("R313-5")
    documentation = "Seuil en vigueur à la date de l'arrêt (12 mois), fixé une fois par personne."

    def formula(individu, period):
        conditions = parametres_historiques(individu).pension_invalidite.conditions
        return valeur_a_dates(conditions.duree_immatriculation_minimale, individu("date_debut_invalidite", period))


class pension_invalidite_heures_exigees(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.ETERNITY
    unit = "hour"
    label = "Heures de travail exigées dans les 12 mois précédant l'arrêt, selon la date de l'arrêt"
    reference = articles("R313-5")
    documentation = "600 heures (800 pour un arrêt antérieur au 1er février 2015), fixé une fois par personne."

    def formula(individu, period):
        conditions = parametres_historiques(individu).pension_invalidite.conditions
        return valeur_a_dates(conditions.heures_travail_minimales, individu("date_debut_invalidite", period))


class pension_invalidite_cotisations_exigees(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.ETERNITY
    unit = "currency-EUR"
    label = "Rémunérations cotisées exigées dans les 12 mois civils précédant l'arrêt (2 030 × SMIC horaire)"
    reference = articles("R313-5")
    documentation = """
    2 030 fois le SMIC horaire en vigueur au 1er janvier qui précède la période
    de référence (les 12 mois civils avant le mois de l'arrêt : le 1er janvier
    de l'année où cette période commence). Fixé une fois par personne.
    """

    def formula(individu, period):
        p = parametres_historiques(individu)
        date_arret = individu("date_debut_invalidite", period)
        nombre_smic = valeur_a_dates(p.pension_invalidite.conditions.nombre_smic_horaire_cotisations, date_arret)
        debut_reference = indice_mois(date_arret) - 12
        smic = valeur_au_premier_janvier(p.references_sociales.smic_horaire_brut, debut_reference // 12)
        return nombre_smic * smic
