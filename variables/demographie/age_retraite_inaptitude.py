import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import bareme_par_generation, date_naissance_verifiee
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles


class age_retraite_inaptitude(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "Âge de la retraite pour inaptitude de la génération de la personne (en années)"
    reference = articles("L351-1-5", "L341-15", "L821-2", "LFRSS 2023 art. 11")
    documentation = """
    Âge auquel l'assuré invalide ou inapte est réputé inapte au travail :
    62 ans pour les générations 1955 et suivantes (L351-1-5 depuis le
    1er septembre 2023, l'âge légal général avant ; ni le report à 64 ans ni la
    suspension de la LFSS 2026 ne le touchent). La pension d'invalidité prend
    fin à cet âge (L341-15) et l'AAH versée au titre de la RSDAE aussi (L821-2,
    dernier alinéa). Barème : pension_invalidite.fin_de_droit.age_fin_pension.
    """

    def formula(individu, period, parameters):
        date_naissance_verifiee(individu, period)
        bareme = parameters(period).pension_invalidite.fin_de_droit.age_fin_pension
        return bareme_par_generation(individu, period, bareme, np.float32)
