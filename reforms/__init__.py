"""Réformes d'openfisca-invalidite, à la manière d'OpenFisca.

Chaque réforme est une classe ``Reform`` :

- en Python : ``tbs = RetourA62(CountryTaxBenefitSystem())`` ou
  ``tbs = reforme("retour_62")(CountryTaxBenefitSystem())`` ;
- dans un test YAML : ``reforms: [openfisca_invalidite.reforms.age_retraite.RetourA62]`` ;
- à l'API web : ``openfisca serve --country-package openfisca_invalidite
  --reforms openfisca_invalidite.reforms.age_retraite.RetourA62``.

Fabriques pour les variantes : ``reforme_age_retraite`` (âge légal, fin de la
pension d'invalidité, par générations et date d'effet), ``reforme_taux_categorie``,
``reforme_conjugalisation_aah``, ``reforme_csg_invalidite_taux_reduit`` (CSG des pensions d'invalidité
au taux réduit),
``reforme_minimum_ssi_regime_general`` (minima des indépendants alignés sur
le régime général), ``reforme_bornes_msa_non_salaries`` (taux et maxima des
non-salariés agricoles),
``reforme_majoration`` (un paramètre × facteur), ``reforme_parametres`` (un
dictionnaire ou un YAML de valeurs datées).

``REFORMES`` associe un nom court à chaque réforme prête à l'emploi ;
``reforme(nom)`` la retrouve.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from openfisca_invalidite.reforms.age_retraite import (
    Acceleration64Generation1968,
    AgeFinPension64,
    AgeFinSuitAgeLegal64,
    RetourA62,
    reforme_age_retraite,
)
from openfisca_invalidite.reforms.asi_aah import (
    AahConjugalisee,
    AahDeconjugalisee2022,
    AahMontantPlus10,
    AsiPlafondsPlus10,
    reforme_conjugalisation_aah,
)
from openfisca_invalidite.reforms.montants import (
    MaximumsPlus10Points,
    MinimumPlus10,
    MtpPlus10,
    TauxCategorie1A40,
    reforme_taux_categorie,
)
from openfisca_invalidite.reforms.parametres import ReformeInvalide, reforme_majoration, reforme_parametres
from openfisca_invalidite.reforms.prelevements import CsgInvaliditeTauxReduit, reforme_csg_invalidite_taux_reduit
from openfisca_invalidite.reforms.regimes import (
    MaximaMsaNonSalariesRegimeGeneral,
    MinimumSsiRegimeGeneral,
    reforme_bornes_msa_non_salaries,
    reforme_minimum_ssi_regime_general,
)
from openfisca_invalidite.reforms.structurelles import FinPensionAgeLegal, PlancherAAH

if TYPE_CHECKING:
    from openfisca_core.reforms import Reform

REFORMES: dict[str, type[Reform]] = {
    "age_fin_64": AgeFinPension64,
    "retour_62": RetourA62,
    "acceleration_64_1968": Acceleration64Generation1968,
    "age_legal_et_fin_64_1968": AgeFinSuitAgeLegal64,
    "fin_a_age_legal": FinPensionAgeLegal,
    "taux_cat1_40": TauxCategorie1A40,
    "minimum_plus_10": MinimumPlus10,
    "mtp_plus_10": MtpPlus10,
    "maximums_plus_10_points": MaximumsPlus10Points,
    "asi_plafond_plus_10": AsiPlafondsPlus10,
    "aah_montant_plus_10": AahMontantPlus10,
    "aah_conjugalisee": AahConjugalisee,
    "aah_deconjugalisee_2022": AahDeconjugalisee2022,
    "plancher_aah": PlancherAAH,
    "ssi_minimum_regime_general": MinimumSsiRegimeGeneral,
    "msa_non_salaries_maxima_regime_general": MaximaMsaNonSalariesRegimeGeneral,
    "csg_invalidite_3_8": CsgInvaliditeTauxReduit,
}


class ReformeInconnue(KeyError):
    """Nom de réforme absent de ``REFORMES``."""

    def __str__(self) -> str:
        return str(self.args[0])


def reforme(nom: str) -> type[Reform]:
    """La classe de réforme enregistrée sous ``nom`` (voir ``REFORMES``)."""
    try:
        return REFORMES[nom]
    except KeyError:
        noms = ", ".join(sorted(REFORMES))
        msg = f"réforme inconnue « {nom} » ; réformes disponibles : {noms}"
        raise ReformeInconnue(msg) from None


def chemin(classe: type[Reform]) -> str:
    """Chemin pointé de la classe, à donner à ``reforms:`` (YAML) ou ``--reforms``."""
    return f"{classe.__module__}.{classe.__qualname__}"


__all__ = [
    "REFORMES",
    "ReformeInconnue",
    "ReformeInvalide",
    "chemin",
    "reforme",
    "reforme_age_retraite",
    "reforme_bornes_msa_non_salaries",
    "reforme_conjugalisation_aah",
    "reforme_csg_invalidite_taux_reduit",
    "reforme_majoration",
    "reforme_minimum_ssi_regime_general",
    "reforme_parametres",
    "reforme_taux_categorie",
]
