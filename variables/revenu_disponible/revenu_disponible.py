"""Revenu disponible tiré des prestations d'invalidité : ce que la personne reçoit."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles, textes


class revenu_disponible_invalidite(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Revenu disponible du mois tiré des prestations d'invalidité : pension nette + MTP + ASI + AAH"
    reference = textes("CSS L136-8", "CSS L136-1-2") + articles("R341-6", "L815-24", "L821-1")
    documentation = """
    pension_invalidite_nette + majoration_tierce_personne + asi + aah. La MTP,
    l'ASI et l'AAH ne supportent ni CSG ni CRDS ni CASA (la MTP n'est pas un
    revenu de remplacement ; l'ASI est un avantage non contributif, L136-1-2
    II 1° ; l'AAH n'est pas une pension). Avant impôt sur le revenu (seule la
    pension y est soumise, voir pension_invalidite_imposable). Ni les revenus
    d'activité ni les autres ressources n'y entrent : c'est la part du revenu
    due aux prestations calculées ici, celle que comparent les réformes.
    """

    def formula(individu, period):
        return (
            individu("pension_invalidite_nette", period)
            + individu("majoration_tierce_personne", period)
            + individu("asi", period)
            + individu("aah", period)
        )
