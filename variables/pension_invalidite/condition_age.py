"""Fin de la pension d'invalidité à l'âge de la retraite (L341-15, L341-16)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import age_en_mois, date_naissance_verifiee, debut, indice_mois
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles


class pension_invalidite_age_fin(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "Âge auquel la pension d'invalidité de la personne prend fin (en années)"
    reference = articles("L341-15", "L351-1-5", "LFRSS 2023 art. 11")
    documentation = """
    L341-15 : l'âge de L351-1-5 (age_retraite_inaptitude, 62 ans pour les
    générations 1955 et suivantes). Une réforme qui ferait suivre aux invalides
    l'âge légal général remplace cette seule formule (FinPensionAgeLegal).
    """

    def formula(individu, period):
        return individu("age_retraite_inaptitude", period)


class pension_invalidite_condition_age(Variable):
    value_type = bool
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "La personne n'a pas atteint l'âge de fin de la pension d'invalidité (ou la garde en travaillant)"
    reference = articles("L341-15", "L341-16", "L351-1-5", "LFRSS 2023 art. 11")
    documentation = """
    La pension est due jusqu'au mois où la personne atteint l'âge de fin de la
    pension (62 ans pour les générations 1955 et suivantes ; depuis le
    1er septembre 2023 c'est l'âge de L351-1-5, et non plus l'âge légal général),
    ce mois inclus : la pension de vieillesse pour inaptitude prend le relais le
    1er du mois suivant. L341-16 : si elle exerce une activité (revenus_activite
    > 0 dans le mois), la pension est maintenue jusqu'au mois où elle atteint
    l'âge du taux plein automatique (67 ans), tant que l'activité dure.
    """

    def formula(individu, period, parameters):
        fin_de_droit = parameters(period).pension_invalidite.fin_de_droit
        date_naissance_verifiee(individu, period)
        generation = individu("generation", period)
        mois_naissance = individu("rang_mois_naissance", period)
        mois_calcul = int(indice_mois(debut(period)))
        dernier_mois = mois_naissance + age_en_mois(individu("pension_invalidite_age_fin", period))
        dernier_mois_en_activite = mois_naissance + age_en_mois(
            fin_de_droit.age_limite_poursuite_activite.calc(generation)
        )
        en_activite = individu("revenus_activite", period) > 0
        return (mois_calcul <= dernier_mois) | (en_activite & (mois_calcul <= dernier_mois_en_activite))
