"""Montant de la pension d'invalidité avant cumul : taux × revenu de
référence, revalorisé, entre le minimum et le maximum de la catégorie.

Régime général et salariés agricoles : taux × SAM (R341-4), minimum de L341-5,
maximum de R341-5. Travailleurs indépendants et non-salariés agricoles : même
chaîne, avec le revenu, les coefficients et les bornes de leur régime
(openfisca_invalidite.montants_regimes).
"""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import au_centime, si, une_fois
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.montants_regimes import (
    bareme_msa_non_salarie,
    bareme_msa_non_salarie_du_mois,
    bareme_ssi,
    bareme_ssi_du_mois,
    pension_msa_non_salarie_du_mois,
    pension_ssi_du_mois,
)
from openfisca_invalidite.pension import par_categorie, pension_de_la_section_3, selon_categorie
from openfisca_invalidite.references import articles
from openfisca_invalidite.regimes import (
    REGIMES_DU_CODE_DE_LA_SECURITE_SOCIALE,
    PourSesPersonnes,
    RegimeInvalidite,
    selon_regime,
)

SSI = (RegimeInvalidite.ssi,)
MSA_NON_SALARIE = (RegimeInvalidite.msa_non_salarie,)
ARTICLES_SSI = ("Arrêté du 4 juillet 2014 (règlement SSI)", "Arrêté du 1er août 2023 (règlement SSI)")
ARTICLES_MSA_NON_SALARIE = ("CRPM R732-4", "CRPM R732-4-1", "CRPM R732-4-2", "CRPM R732-4-3", "Décret 2020-602")


class taux_pension_invalidite(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "/1"
    label = "Taux de la pension d'invalidité de la catégorie (part du revenu de référence du régime)"
    reference = articles("R341-4", "R341-5", "R341-6", *ARTICLES_SSI, *ARTICLES_MSA_NON_SALARIE)
    documentation = """
    Part du revenu de référence du régime : 30 % en 1re catégorie, 50 % en 2e
    et 3e ; 0 si non classé. Régime général et salariés agricoles : du SAM
    (R341-4 à R341-6). SSI : du revenu annuel moyen (PIPM, PITD). Non-salariés
    agricoles : du revenu professionnel moyen pour les pensions liquidées
    depuis 2020 ; 0 avant 2020 (pension forfaitaire).
    """

    def formula(individu, period, parameters):
        categorie = individu("categorie_invalidite", period)

        def par_categorie_du_mois(regime, taux):
            # Le taux de chaque catégorie ne change qu'avec les paramètres : gardé.
            return une_fois(individu, ("taux", regime, *taux), lambda: selon_categorie(categorie, 0.0, taux), categorie)

        def regime_general():
            taux = parameters(period).pension_invalidite.montant.taux
            return par_categorie_du_mois("regime_general", (taux.categorie_1, taux.categorie_2, taux.categorie_3))

        return selon_regime(
            individu,
            period,
            {
                REGIMES_DU_CODE_DE_LA_SECURITE_SOCIALE: regime_general,
                SSI: lambda: par_categorie_du_mois("ssi", bareme_ssi_du_mois(period, parameters).taux[1:]),
                MSA_NON_SALARIE: lambda: par_categorie_du_mois(
                    "msa_non_salarie", bareme_msa_non_salarie_du_mois(individu, period, parameters).taux[1:]
                ),
            },
            garder="taux_pension_invalidite",
            dtype=np.float32,  # le type de la variable : OpenFisca garde le tableau tel quel
        )


class pension_invalidite_minimum(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Minimum mensuel de la pension d'invalidité du régime et de la catégorie (hors MTP)"
    reference = articles("L341-5", *ARTICLES_SSI, *ARTICLES_MSA_NON_SALARIE)
    documentation = """
    Régime général et salariés agricoles : minimum de L341-5 (montant de
    l'AVTS), le même pour toutes les catégories. SSI : minimum propre de la
    PIPM ou de la PITD (règlement, art. 9 a et 13 a). Non-salariés agricoles :
    depuis 2020, minimum annuel de l'inaptitude partielle ou totale (R732-4-2,
    R732-4-3) / 12 ; avant 2020, le forfait du mois / 12 (R732-4 ancien).
    0 si non classé (hors régime général).
    """

    def formula(individu, period, parameters):
        categorie = individu("categorie_invalidite", period)
        return selon_regime(
            individu,
            period,
            {
                REGIMES_DU_CODE_DE_LA_SECURITE_SOCIALE: lambda: np.full(
                    individu.count, parameters(period).pension_invalidite.montant.minimum
                ),
                SSI: lambda: bareme_ssi(categorie, period, parameters).minimum,
                MSA_NON_SALARIE: lambda: bareme_msa_non_salarie(individu, categorie, period, parameters).minimum,
            },
        )


class pension_invalidite_maximum(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Maximum mensuel de la pension d'invalidité du régime et de la catégorie (hors MTP)"
    reference = articles("R341-5", "L241-3", *ARTICLES_SSI, *ARTICLES_MSA_NON_SALARIE)
    documentation = """
    Régime général et salariés agricoles : 30 % du PMSS du mois en
    1re catégorie, 50 % en 2e et 3e (R341-5). SSI : 30 % (PIPM) ou 50 % (PITD)
    du PASS de l'année, mensualisé. Non-salariés agricoles : depuis 2020,
    15 % (partielle) ou 25 % (totale) du PASS, mensualisé ; avant 2020, le
    forfait du mois (le montant est fixe).
    """

    def formula(individu, period, parameters):
        categorie = individu("categorie_invalidite", period)

        def regime_general():
            p = parameters(period)
            parts = par_categorie(categorie, p.pension_invalidite.montant.maximum_en_part_du_pmss)
            return au_centime(parts * p.references_sociales.plafond_mensuel_securite_sociale)

        return selon_regime(
            individu,
            period,
            {
                REGIMES_DU_CODE_DE_LA_SECURITE_SOCIALE: regime_general,
                SSI: lambda: bareme_ssi(categorie, period, parameters).maximum,
                MSA_NON_SALARIE: lambda: bareme_msa_non_salarie(individu, categorie, period, parameters).maximum,
            },
        )


class pension_invalidite_avant_cumul(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Pension d'invalidité mensuelle avant réduction pour cumul avec des revenus"
    reference = articles("R341-4", "R341-5", "L341-5", "L341-6", *ARTICLES_SSI, *ARTICLES_MSA_NON_SALARIE)
    documentation = """
    Régime général et salariés agricoles : taux × SAM / 12, revalorisé par les
    coefficients des pensions (L341-6) entrés en vigueur après la date de
    liquidation (date d'effet, ou arrêt) et au plus tard le 1er du mois, puis
    porté au minimum de L341-5 ou ramené au maximum de la catégorie (R341-5)
    en vigueur ce mois ; arrondi au centime. SSI et non-salariés agricoles : la même chaîne avec le revenu de
    référence, la revalorisation et les bornes de leur régime
    (pension_invalidite_minimum, pension_invalidite_maximum) ; les
    non-salariés agricoles ont en outre les forfaits avant 2020 et les règles
    de leur qualité (collaborateur, aide familial). 0 si non éligible.
    """

    def formula(individu, period, parameters):
        eligible = individu("pension_invalidite_eligible", period)
        return si(
            eligible,
            selon_regime(
                individu,
                period,
                {
                    REGIMES_DU_CODE_DE_LA_SECURITE_SOCIALE: lambda: pension_de_la_section_3(
                        individu, period, period, parameters
                    ),
                    SSI: PourSesPersonnes(lambda qui: pension_ssi_du_mois(individu, period, period, parameters, qui)),
                    MSA_NON_SALARIE: PourSesPersonnes(
                        lambda qui: pension_msa_non_salarie_du_mois(individu, period, period, parameters, qui)
                    ),
                },
                dtype=np.float32,  # le type de la variable
            ),
            0.0,
        )
