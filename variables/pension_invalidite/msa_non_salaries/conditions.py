"""Conditions propres à la pension d'invalidité des non-salariés agricoles
(code rural L732-8, R732-3).

Les autres conditions sont celles de la chaîne commune : invalidité reconnue
et classée (pension_invalidite_condition_reconnaissance : 1re catégorie =
inaptitude partielle, 2e et 3e = inaptitude totale), réduction de capacité
d'au moins deux tiers, âge de fin (pension_invalidite_condition_age).
"""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import parametres_historiques, une_fois, valeur_a_dates
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles


class pension_invalidite_msa_non_salarie_condition_statut(Variable):
    value_type = bool
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "La qualité du non-salarié agricole ouvre droit à la pension pour son inaptitude (partielle ou totale)"
    reference = articles("CRPM L732-8")
    documentation = """
    L732-8, 1er alinéa : l'inaptitude totale à la profession agricole ouvre
    droit à pension aux chefs d'exploitation ou d'entreprise, aux aides
    familiaux, aux associés d'exploitation et aux collaborateurs. 2e alinéa :
    l'invalidité réduisant d'au moins deux tiers la capacité à la profession
    agricole (inaptitude partielle, 1re catégorie ici) n'ouvre droit qu'aux
    chefs d'exploitation ou d'entreprise (dont époux coexploitants et associés
    exploitants d'EARL) et aux collaborateurs. Les aides familiaux et associés
    d'exploitation n'ont donc droit qu'à la pension d'inaptitude totale (2e et
    3e catégories), bien que R732-4 III, rédaction du décret 2020-602, fixe
    aussi pour eux une fraction de la pension d'inaptitude partielle : la loi
    l'emporte sur le décret ; à confirmer sur la version de L732-8 en vigueur
    (son dernier alinéa, ajouté depuis, n'a été lu que tronqué).
    """

    def formula(individu, period):
        categorie = individu("categorie_invalidite", period)
        statut = individu("statut_non_salarie_agricole", period)

        def condition():
            partielle = categorie == categorie.possible_values.categorie_1
            statuts = statut.possible_values
            ouvre_la_partielle = (statut == statuts.chef_exploitation) | (statut == statuts.collaborateur)
            return ~partielle | ouvre_la_partielle

        return une_fois(individu, "msa_non_salarie_condition_statut", condition, categorie, statut)


class pension_invalidite_msa_non_salarie_assujettissement_exige(Variable):
    value_type = int
    entity = Individu
    definition_period = DateUnit.ETERNITY
    unit = "month"
    label = "Mois d'assujettissement exigés avant le mois de l'arrêt de travail (non-salariés agricoles)"
    reference = articles("CRPM R732-3")
    documentation = "Seuil en vigueur à la date de l'arrêt (12 mois civils), fixé une fois par personne."

    def formula(individu, period):
        conditions = parametres_historiques(individu).pension_invalidite.msa_non_salaries.conditions
        return valeur_a_dates(conditions.duree_assujettissement_mois, individu("date_debut_invalidite", period))


class pension_invalidite_msa_non_salarie_condition_assujettissement(Variable):
    value_type = bool
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "Assujetti au régime des non-salariés agricoles depuis le début des 12 mois civils précédant l'arrêt"
    reference = articles("CRPM R732-3")
    documentation = """
    R732-3 III : les intéressés remplissent les conditions d'assujettissement
    depuis le début des douze mois civils précédant celui de l'interruption de
    travail suivie d'invalidité (ou de la constatation de l'usure prématurée).
    Lu dans duree_immatriculation (mois d'affiliation au régime qui sert la
    pension au 1er jour du mois de l'arrêt) ≥ 12. Le texte ne pose pas de
    condition de montant de cotisations.
    """

    def formula(individu, period):
        exige = individu("pension_invalidite_msa_non_salarie_assujettissement_exige", period)
        duree = individu("duree_immatriculation", period)
        return une_fois(
            individu, "msa_non_salarie_condition_assujettissement", lambda: np.asarray(duree) >= exige, duree, exige
        )
