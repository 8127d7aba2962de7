"""Entrées de la situation familiale et des ressources, communes à l'ASI et à
l'AAH : couple, mariage, résidence, autres ressources."""

from openfisca_core.holders import set_input_dispatch_by_period, set_input_divide_by_period
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.entities import Famille, Individu
from openfisca_invalidite.references import articles
from openfisca_invalidite.validation import entree_bornee


class en_couple(Variable):
    value_type = bool
    entity = Famille
    definition_period = DateUnit.MONTH
    set_input = set_input_dispatch_by_period
    label = "Les parents vivent en couple (mariage, pacs ou concubinage)"
    reference = articles("D815-19", "D821-2")
    documentation = """
    Même sens que dans OpenFisca-France. Mariés, pacsés et concubins sont
    traités de même pour les plafonds de ressources de l'ASI (D815-19) et de
    l'AAH conjugalisée (D821-2). Donné, il prime ; sinon il se déduit de la
    famille : en couple si elle compte deux parents (le rôle « parents » réunit
    le demandeur et son conjoint), comme le fait le moteur de population.
    """

    def formula(famille, _period):
        return famille.nb_persons(Famille.PARENT) > 1


class maries(Variable):
    value_type = bool
    entity = Famille
    definition_period = DateUnit.MONTH
    set_input = set_input_dispatch_by_period
    label = "Les parents sont mariés"
    reference = articles("D815-19")
    documentation = """
    Ne sert qu'à l'ASI forfaitaire d'avant le 1er avril 2020 : le montant
    maximal « couple » valait pour deux allocataires mariés ; deux allocataires
    non mariés percevaient chacun le montant « personne seule ». Même nom
    qu'OpenFisca-France.
    """


class residence_france(Variable):
    value_type = bool
    default_value = True
    entity = Individu
    definition_period = DateUnit.MONTH
    set_input = set_input_dispatch_by_period
    label = "Réside en France (métropole ou département d'outre-mer) de façon stable et régulière"
    reference = articles("L815-24", "L821-1")
    documentation = "Condition de résidence de l'ASI (L815-24) et de l'AAH (L821-1). Vrai par défaut."


class autres_ressources(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    set_input = entree_bornee(0, None, set_input_divide_by_period)
    unit = "currency-EUR"
    label = "Autres ressources du mois retenues par les conditions de ressources (hors revenus d'activité et hors prestations calculées ici)"
    reference = articles("R815-22", "D821-2")
    documentation = """
    Pensions (autres que la pension d'invalidité), rentes, revenus du
    patrimoine… en euros par mois ; une valeur annuelle est répartie sur les
    12 mois. Pour l'AAH elles sont prises telles quelles (sans abattement).
    """


class nombre_enfants_a_charge(Variable):
    value_type = int
    entity = Famille
    definition_period = DateUnit.MONTH
    label = "Nombre d'enfants à charge de la famille (rôle enfants)"
    reference = articles("D821-2")
    documentation = "Nombre de membres de la famille ayant le rôle « enfants » (majoration du plafond de l'AAH)."

    def formula(famille, _period):
        return famille.nb_persons(Famille.ENFANT)
