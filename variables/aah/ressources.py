"""Ressources retenues pour l'AAH (L821-3, D821-2 s., R532-3) : revenu net
catégoriel de l'année N-2, ou des 3 derniers mois × 4 pour qui travaille."""

import numpy as np
from openfisca_core.errors import ParameterNotFoundError
from openfisca_core.periods import DateUnit, Period

from openfisca_invalidite.commons import MOIS_PAR_AN, VariableEnDoublePrecision, entree_donnee, somme_au_centime
from openfisca_invalidite.entities import Individu, parents
from openfisca_invalidite.references import articles


def somme_des_mois(individu, variable, periode):
    """Somme d'un montant mensuel au centime sur les mois de ``periode`` (comme l'option
    ``ADD``), en float64 et relue au centime : ni le stockage float32 de chaque mois
    (à 1e-4 € près) ni une somme float32 ne déplacent le montant exact de l'AAH. Un
    mois sans entrée donnée compte pour la valeur par défaut, sans créer de tableau."""
    defaut = individu.get_holder(variable).variable.default_value
    valeurs = (entree_donnee(individu, variable, mois) for mois in periode.get_subperiods(DateUnit.MONTH))
    return somme_au_centime([defaut if v is None else v for v in valeurs], individu.count)


def pension_de_l_annee(individu, annee):
    """Pension d'invalidité servie pendant l'année ; 0 pour une année antérieure
    aux paramètres de la pension (avant 2015, hors du champ du modèle)."""
    try:
        return somme_des_mois(individu, "pension_invalidite", annee)
    except ParameterNotFoundError:
        return np.zeros(individu.count)


class aah_base_ressources_individu(VariableEnDoublePrecision):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Ressources annuelles d'une personne retenues pour l'AAH (euros par an)"
    reference = articles("L821-3", "D821-2", "R532-3", "R821-4-1")
    documentation = """
    Régime annuel : revenus de l'année civile N-2 — (revenus_activite +
    pension_invalidite) après l'abattement de 10 % du revenu net catégoriel,
    + autres_ressources. Régime trimestriel (revenus_activite > 0 dans les
    3 mois précédant le mois calculé, décret 2010-1403) : mêmes ressources sur
    ces 3 mois × 4. La pension d'une année antérieure à 2015 (hors des
    paramètres de la pension) compte pour 0. L'ASI n'est pas retenue (non imposable). Simplifications :
    pas de minimum ni de plafond de l'abattement de 10 %, pas d'abattements
    propres à l'AAH sur les revenus d'activité (D821-9), ni de neutralisation
    en cas de changement de situation (R821-4-1). La pension entre à la fois
    dans ces ressources et dans le différentiel de L821-1 (pratique CAF,
    contestée en justice : à confirmer).
    """

    def formula(individu, period, parameters):
        abattement = parameters(period).aah.ressources.abattement_fiscal_dix_pourcent
        mois = int(parameters(period).aah.ressources.mois_regime_trimestriel)
        trois_mois = Period((DateUnit.MONTH, period.first_month.offset(-mois).start, mois))
        activite_3_mois = somme_des_mois(individu, "revenus_activite", trois_mois)
        trimestriel = (MOIS_PAR_AN / mois) * (
            (1 - abattement) * (activite_3_mois + somme_des_mois(individu, "pension_invalidite", trois_mois))
            + somme_des_mois(individu, "autres_ressources", trois_mois)
        )
        annee = period.n_2
        annuel = (1 - abattement) * (
            somme_des_mois(individu, "revenus_activite", annee) + pension_de_l_annee(individu, annee)
        ) + somme_des_mois(individu, "autres_ressources", annee)
        return np.where(activite_3_mois > 0, trimestriel, annuel)


class aah_ressources_conjoint(VariableEnDoublePrecision):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Ressources annuelles du conjoint retenues pour l'AAH conjugalisée, après abattement"
    reference = articles("D821-2", "Décret 2022-42")
    documentation = """
    Ressources de l'autre parent de la famille s'il y a couple (0 sinon),
    diminuées de 20 % jusqu'au 31 décembre 2021, puis d'un abattement
    forfaitaire de 5 000 € + 1 400 € par enfant (décret 2022-42).
    """

    def formula(individu, period, parameters):
        taux = parameters(period).aah.ressources.abattement_conjoint_proportionnel
        return (1 - taux) * _ressources_du_conjoint(individu, period)

    def formula_2022_01_01(individu, period, parameters):
        p = parameters(period).aah.ressources
        abattement = p.abattement_conjoint_forfaitaire + p.abattement_conjoint_par_enfant * individu.famille(
            "nombre_enfants_a_charge", period
        )
        return np.maximum(_ressources_du_conjoint(individu, period) - abattement, 0)


def _ressources_du_conjoint(individu, period):
    parent = parents(individu)
    propres = individu("aah_base_ressources_individu", period) * parent
    des_parents = individu.famille.sum(propres)  # nulles hors des parents : celles des parents
    return np.where(individu.famille("en_couple", period) & parent, des_parents - propres, 0.0)
