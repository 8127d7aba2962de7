import pytest
from openfisca_core import periods
from openfisca_core.reforms import Reform

from openfisca_invalidite.population.synthetique import generer_population

MOIS = "2025-06"


class TauxCategorie2a60(Reform):
    """Réforme de test : taux de la 2e catégorie porté de 50 % à 60 % (le maximum, 50 % du PMSS, reste)."""

    name = "taux de la catégorie 2 à 60 %"

    def apply(self):
        def modifier(parameters):
            parameters.pension_invalidite.montant.taux.categorie_2.update(
                period=periods.period("year:2015:20"), value=0.6
            )
            return parameters

        self.modify_parameters(modifier_function=modifier)


@pytest.fixture(scope="session")
def petite_population():
    return generer_population(3_000, MOIS, graine=7)


@pytest.fixture(scope="session")
def reforme_test():
    return ("taux_cat2_60", TauxCategorie2a60)
