from datetime import date

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles


class date_naissance(Variable):
    value_type = date
    default_value = date(1970, 1, 1)
    entity = Individu
    definition_period = DateUnit.ETERNITY
    label = "Date de naissance"
    reference = articles("L161-17-2", "L341-15")
    documentation = """
    Détermine l'âge et la génération, dont dépendent l'âge légal de la retraite
    (L161-17-2) et l'âge de fin de la pension d'invalidité (L341-15).
    Valeur par défaut : 1er janvier 1970, comme dans OpenFisca-France.
    Date admise : du 1er janvier 1900 au 31 décembre 2100, au plus tard le
    dernier jour de la période calculée (openfisca_invalidite/validation.py).
    """
