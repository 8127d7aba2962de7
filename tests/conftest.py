import pytest

from openfisca_invalidite import CountryTaxBenefitSystem


@pytest.fixture(scope="session")
def tbs():
    """Le système socio-fiscal, construit une fois pour toute la session."""
    return CountryTaxBenefitSystem()
