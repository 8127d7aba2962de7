"""Entrées de la pension d'invalidité, chacune avec son domaine.

Une valeur hors domaine (négative, non finie, réduction > 1…) est refusée par
``EntreeInvalide``, qui nomme la variable et la personne.
"""

from datetime import date

from openfisca_core.holders import set_input_dispatch_by_period, set_input_divide_by_period
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles
from openfisca_invalidite.validation import entree_bornee


class date_debut_invalidite(Variable):
    value_type = date
    default_value = date(9999, 12, 31)
    entity = Individu
    definition_period = DateUnit.ETERNITY
    label = "Date de l'arrêt de travail suivi d'invalidité (ou de la constatation de l'invalidité)"
    reference = articles("R341-4")
    documentation = """
    Date pivot du calcul : les conditions d'ouverture s'apprécient à cette date
    (R313-5), le salaire annuel moyen porte sur les années civiles qui la
    précèdent (R341-4), et la pension est revalorisée après elle (L341-6).
    Par défaut 31/12/9999 : pas d'invalidité, donc pas de pension. Sinon, une
    date du 1er janvier 1900 au 31 décembre 2100, qui ne précède pas la
    naissance (openfisca_invalidite/validation.py).
    """


class date_effet_pension_invalidite(Variable):
    value_type = date
    default_value = date(9999, 12, 31)
    entity = Individu
    definition_period = DateUnit.ETERNITY
    label = "Date d'effet de la pension d'invalidité (date à laquelle est apprécié l'état d'invalidité)"
    reference = articles("R341-12", "L341-6", "L341-3")
    documentation = """
    R341-12 : la pension a effet à la date à laquelle est apprécié l'état
    d'invalidité (fin des indemnités journalières, consolidation,
    stabilisation : L341-3), souvent plusieurs mois ou années après l'arrêt de
    travail. Les salaires du salaire annuel moyen sont revalorisés jusqu'à
    cette date par les coefficients des salaires, la pension l'est ensuite par
    ceux des pensions (L341-6 : « les salaires servant de base au calcul des
    pensions et les pensions déjà liquidées ») ; la pension est due à partir du
    mois de cette date. Facultative : sans elle (31/12/9999 par défaut), la
    date d'effet est celle de l'arrêt (date_debut_invalidite). Ne peut précéder
    l'arrêt ; une date du 1er janvier 1900 au 31 décembre 2100.
    """


class reduction_capacite_travail(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    set_input = entree_bornee(0, 1, set_input_dispatch_by_period)
    label = "Réduction de la capacité de travail ou de gain, appréciée par le médecin-conseil (0 à 1)"
    reference = articles("L341-1")
    documentation = "Fraction de 0 à 1 ; l'invalidité suppose au moins 2/3 (L341-1, R341-2)."


class CategorieInvalidite(Enum):
    __order__ = "non_classe categorie_1 categorie_2 categorie_3"
    non_classe = "Non classé en invalidité"
    categorie_1 = "1re catégorie : capable d'exercer une activité rémunérée"
    categorie_2 = "2e catégorie : absolument incapable d'exercer une profession"
    categorie_3 = "3e catégorie : 2e catégorie et recours à une tierce personne"


class categorie_invalidite(Variable):
    value_type = Enum
    possible_values = CategorieInvalidite
    default_value = CategorieInvalidite.non_classe
    entity = Individu
    definition_period = DateUnit.MONTH
    set_input = set_input_dispatch_by_period
    label = "Catégorie d'invalidité décidée par le médecin-conseil"
    reference = articles("L341-4", "CRPM L732-8", "Arrêté du 4 juillet 2014 (règlement SSI)")
    documentation = """
    L341-4 : trois catégories ; « non_classe » : pas de pension. Les mêmes
    valeurs servent aux autres régimes (regime_invalidite) : travailleurs
    indépendants, 1re catégorie = pension pour incapacité partielle au métier
    (PIPM), 2e = pension d'invalidité totale et définitive (PITD), 3e = PITD
    avec recours à une tierce personne (règlement, art. 6, et tableaux
    d'ameli) ; non-salariés agricoles, 1re = inaptitude partielle (capacité
    réduite d'au moins deux tiers), 2e = inaptitude totale, 3e = inaptitude
    totale avec tierce personne (L732-8, R732-4 ancien).
    """


class duree_immatriculation(Variable):
    value_type = int
    entity = Individu
    definition_period = DateUnit.MONTH
    set_input = entree_bornee(0, None, set_input_dispatch_by_period)
    label = "Mois d'immatriculation au 1er jour du mois de l'arrêt de travail"
    reference = articles("R313-5", "CRPM R732-3", "Arrêté du 4 juillet 2014 (règlement SSI)")
    documentation = """
    Mois d'immatriculation à la sécurité sociale au 1er jour du mois de l'arrêt
    de travail suivi d'invalidité (ou de la constatation de l'usure prématurée) ;
    la pension en exige 12 (R313-5). Pour les autres régimes, mois d'affiliation
    au régime qui sert la pension : d'assujettissement au régime des
    non-salariés agricoles avant le mois de l'arrêt (R732-3 III, 12 exigés),
    d'affiliation au régime invalidité-décès des indépendants à la date de la
    demande (règlement, art. 1er, 12 exigés hors indemnités journalières).
    Entier ≥ 0.
    """


class heures_travaillees_12_mois(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    set_input = entree_bornee(0, None, set_input_dispatch_by_period)
    label = "Heures de travail salarié ou assimilé dans les 12 mois précédant l'arrêt"
    reference = articles("R313-5")
    documentation = """
    Heures de travail salarié ou assimilé pendant les 12 mois civils (ou les
    365 jours) précédant l'arrêt ; 600 heures suffisent à la condition
    d'activité de R313-5 (800 avant le 1er février 2015). Réel ≥ 0.
    """


class salaire_cotise_12_mois(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    set_input = entree_bornee(0, None, set_input_dispatch_by_period)
    unit = "currency-EUR"
    label = "Rémunérations soumises à cotisations dans les 12 mois civils précédant l'arrêt"
    reference = articles("R313-5")
    documentation = """
    Rémunérations ayant supporté les cotisations maladie, maternité,
    invalidité et décès pendant les 12 mois civils précédant l'arrêt ; au moins
    2 030 fois le SMIC horaire du 1er janvier précédant la période suffisent à
    la condition d'activité de R313-5. Euros ≥ 0.
    """


class salaire_brut_annuel(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.YEAR
    set_input = entree_bornee(0, None)
    unit = "currency-EUR"
    label = "Salaire brut de l'année civile (historique de carrière), en euros"
    reference = articles("R341-4")
    documentation = """
    Salaires ayant supporté la cotisation maladie-invalidité de l'année, en
    euros pour toutes les années (les années en francs sont converties à
    6,55957 F/€). Sert au salaire annuel moyen et au seuil de cumul.
    """


class revenus_activite(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    set_input = entree_bornee(0, None, set_input_divide_by_period)
    unit = "currency-EUR"
    label = "Revenus d'activité et de remplacement du mois, pendant le service de la pension"
    reference = articles("L341-12")
    documentation = """
    Revenus cumulés avec la pension (L341-12, R341-17). Une valeur donnée pour
    une année est répartie sur ses 12 mois. Le cumul compare les deux
    trimestres civils précédents (jusqu'au 31 mars 2022), puis les 12 mois du
    13e au 2e mois précédant le mois calculé ; la poursuite d'activité à l'âge
    de fin de la pension se lit sur le mois calculé.
    """
