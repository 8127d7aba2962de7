"""Le régime qui sert la pension d'invalidité, et les entrées propres aux
autres régimes que le régime général (noms d'OpenFisca-France là où il en a).

Chaque entrée contrôle son domaine : une valeur hors domaine est refusée par
``EntreeInvalide``, qui nomme la variable et la personne.
"""

from openfisca_core.holders import set_input_divide_by_period
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles
from openfisca_invalidite.regimes import RegimeInvalidite, StatutNonSalarieAgricole
from openfisca_invalidite.validation import entree_bornee


class regime_invalidite(Variable):
    value_type = Enum
    possible_values = RegimeInvalidite
    default_value = RegimeInvalidite.regime_general
    entity = Individu
    definition_period = DateUnit.ETERNITY
    label = "Régime qui sert la pension d'invalidité"
    reference = articles("Décret 2016-667", "CRPM L742-3", "CRPM L732-8", "LFSS 2017 art. 51")
    documentation = """
    regime_general (par défaut), msa_salarie (salariés agricoles : mêmes règles
    que le régime général, code rural L742-3 et R742-2), ssi (artisans et
    commerçants : règlement du régime invalidité-décès des travailleurs
    indépendants, L635-5), msa_non_salarie (chefs d'exploitation,
    collaborateurs, aides familiaux, associés d'exploitation : code rural
    L732-8 et suivants). Une seule valeur par personne (ETERNITY) : depuis le
    1er juillet 2016 une seule pension d'invalidité est servie, par le régime
    d'affiliation à la date de l'interruption de travail suivie d'invalidité
    (L172-1, R172-16 et suivants, décret 2016-667), et ce régime ne change pas
    pendant le service de la pension. Il choisit les conditions d'ouverture, le
    montant, la majoration pour tierce personne, le cumul avec des revenus et
    l'âge de fin ; pension_invalidite est la pension servie quel que soit le
    régime (l'ASI et l'AAH la lisent sans connaître le régime).
    """


class statut_non_salarie_agricole(Variable):
    value_type = Enum
    possible_values = StatutNonSalarieAgricole
    default_value = StatutNonSalarieAgricole.chef_exploitation
    entity = Individu
    definition_period = DateUnit.ETERNITY
    label = "Qualité au titre de laquelle le non-salarié agricole est assuré (code rural, L722-10)"
    reference = articles("CRPM L732-8", "CRPM R732-4")
    documentation = """
    Lu seulement si regime_invalidite vaut msa_non_salarie. Qualité à la date
    de l'interruption de travail suivie d'invalidité : elle ouvre l'inaptitude
    partielle ou seulement la totale (L732-8) et fixe le montant (R732-4 :
    chef ou membre de société, taux × revenu professionnel moyen ;
    collaborateur, le minimum ; aide familial et associé d'exploitation, une
    fraction de la pension, jamais sous le minimum). OpenFisca-France n'a pas de
    variable pour cette qualité.
    """


class rag(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.YEAR
    set_input = entree_bornee(None, None)
    unit = "currency-EUR"
    label = "Revenus agricoles de l'année civile (revenu professionnel du non-salarié agricole, déficit en négatif)"
    reference = articles("CRPM R732-4-1")
    documentation = """
    Même nom qu'OpenFisca-France (revenus agricoles de l'individu). Ici : le
    revenu professionnel de l'année retenu pour les cotisations (L731-14 à
    L731-21), déclaré à la MSA ; un déficit s'écrit en négatif (R732-4-1 le
    retient pour un montant nul). Sert au revenu professionnel moyen des
    pensions des non-salariés agricoles liquidées depuis le 1er janvier 2020.
    Une année sans valeur n'est pas une année d'assurance. Réel fini.
    """


class rpns_imposables(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.YEAR
    set_input = entree_bornee(0, None)
    unit = "currency-EUR"
    label = "Revenus professionnels non salariés de l'année civile (assiette des cotisations de l'indépendant)"
    reference = articles("Arrêté du 4 juillet 2014 (règlement SSI)", "Arrêté du 1er août 2023 (règlement SSI)")
    documentation = """
    Même nom qu'OpenFisca-France (revenus imposables des professions non
    salariées de l'individu). Ici : le revenu d'activité non salariée de
    l'année ayant servi de base aux cotisations d'invalidité-décès des
    travailleurs indépendants (bénéfice, ou chiffre d'affaires après
    abattement pour un micro-entrepreneur) ; un déficit compte pour 0.
    Sert au revenu annuel moyen et aux conditions de la pension SSI, et au
    cumul de la pension avec une activité non salariée. Euros ≥ 0.
    """


class indemnites_journalieres_maladie(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    set_input = entree_bornee(0, None, set_input_divide_by_period)
    unit = "currency-EUR"
    label = "Indemnités journalières de maladie perçues dans le mois"
    reference = articles("Arrêté du 4 juillet 2014 (règlement SSI)", "Arrêté du 1er août 2023 (règlement SSI)")
    documentation = """
    Même nom qu'OpenFisca-France. Le travailleur indépendant qui perçoit des
    indemnités journalières maladie à la date de sa demande de pension n'a pas
    à remplir les conditions d'affiliation et de revenu (règlement du régime
    invalidité-décès, art. 1er) : le modèle lit ce montant au mois de la date
    d'effet de la pension. Euros ≥ 0.
    """
