"""openfisca-invalidite : la pension d'invalidité du régime général, la MTP,
l'ASI et l'AAH différentielle, en OpenFisca.

``CountryTaxBenefitSystem`` est le point d'entrée attendu par tout l'écosystème
OpenFisca (``openfisca test``, ``openfisca serve``).
"""

from __future__ import annotations

import json
from pathlib import Path

from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from openfisca_invalidite import (
    entities,
    spec_openapi,  # noqa: F401 — /spec décrit les réponses réelles (docs/web_api.md)
    validation,
    web_api,  # noqa: F401 — durcit l'API web (docs/web_api.md)
)

PACKAGE_DIR = Path(__file__).resolve().parent


def _dossier(nom: str) -> Path:
    """Dossier de données du paquet.

    Installé (wheel), ``parameters/`` et ``variables/`` sont dans le paquet ;
    dans le dépôt (installation éditable), ils sont à sa racine.
    """
    for candidat in (PACKAGE_DIR / nom, PACKAGE_DIR.parent / nom):
        if candidat.is_dir():
            return candidat
    msg = f"openfisca_invalidite: dossier « {nom} » introuvable (installation incomplète ?)"
    raise FileNotFoundError(msg)


PARAMETERS_DIR = _dossier("parameters")
VARIABLES_DIR = _dossier("variables")
SITUATION_EXAMPLES_DIR = PACKAGE_DIR / "situation_examples"


def _exemple(nom: str) -> dict:
    with (SITUATION_EXAMPLES_DIR / f"{nom}.json").open(encoding="utf-8") as fichier:
        return json.load(fichier)


class CountryTaxBenefitSystem(TaxBenefitSystem):
    """Le système socio-fiscal de l'invalidité : entités, variables, paramètres."""

    CURRENCY = "€"

    def get_package_metadata(self) -> dict[str, str]:
        """Métadonnées d'openfisca-core, « location » ramenée à la racine de ``variables/``.

        L'API web construit les liens de source (/variable, /parameter) comme
        ``<Repository>/blob/<version><chemin du fichier moins location>``. Dans
        le dépôt, ``variables/`` et ``parameters/`` sont à la racine ; installés,
        ils sont dans le paquet : partir de leur dossier parent donne dans les
        deux cas le chemin du fichier dans le dépôt (``/variables/…``).
        """
        return {**super().get_package_metadata(), "location": str(VARIABLES_DIR.parent)}

    def __init__(self) -> None:
        # Booléens, énumérations et dates contrôlés avant leur conversion (docs/web_api.md, « Valeurs admises »).
        validation.installer()
        super().__init__(entities.entities)
        self.add_variables_from_directory(str(VARIABLES_DIR))
        self.load_parameters(str(PARAMETERS_DIR))
        self.open_api_config = {
            "variable_example": "pension_invalidite",
            "parameter_example": "pension_invalidite.montant.taux.categorie_2",
            "simulation_example": _exemple("pensionne_categorie_2"),
        }
