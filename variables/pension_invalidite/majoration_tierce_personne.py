import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import au_centime
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles
from openfisca_invalidite.regimes import REGIMES_DU_CODE_DE_LA_SECURITE_SOCIALE, RegimeInvalidite, selon_regime


class majoration_tierce_personne(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Majoration pour tierce personne (MTP) des invalides de 3e catégorie"
    reference = articles(
        "R341-6",
        "L341-4",
        "L341-6",
        "Arrêté du 4 juillet 2014 (règlement SSI)",
        "CRPM R732-4",
    )
    documentation = """
    Versée en plus de la pension aux invalides de 3e catégorie (qui ont
    recours à l'assistance d'une tierce personne pour les actes ordinaires de
    la vie) qui remplissent les conditions de la pension ; non soumise au
    maximum, non réduite par le cumul avec des revenus. Régime général et
    salariés agricoles : montant forfaitaire du mois (R341-6, revalorisé au
    1er avril). SSI (règlement de 2014, art. 17) : 40 % de la pension, au moins
    le forfait de R341-6. Non-salariés agricoles (R732-4 ancien, 2e alinéa) :
    40 % de la pension, au moins le montant minimal de la majoration de L434-2
    dans sa rédaction antérieure au 1er mars 2013, qui est celui du forfait de
    R341-6 ; règle supposée maintenue depuis 2020 (article non lu). Comme les
    pensions de ces deux régimes sont plafonnées à 50 % et 25 % du PASS,
    40 % de la pension reste sous le forfait : la MTP servie est en pratique
    celle du régime général. Non modélisé : suspension de la majoration des
    non-salariés agricoles hospitalisés au-delà du mois suivant
    l'hospitalisation.
    """

    def formula(individu, period, parameters):
        categorie = individu("categorie_invalidite", period)
        troisieme = categorie == categorie.possible_values.categorie_3
        eligible = individu("pension_invalidite_eligible", period)
        p = parameters(period).pension_invalidite
        forfait = p.majoration_tierce_personne.montant

        def proportionnelle(taux):
            return lambda: np.maximum(taux * individu("pension_invalidite_avant_cumul", period), forfait)

        montant = selon_regime(
            individu,
            period,
            {
                REGIMES_DU_CODE_DE_LA_SECURITE_SOCIALE: lambda: np.full(individu.count, forfait),
                (RegimeInvalidite.ssi,): proportionnelle(p.ssi.majoration_tierce_personne.taux),
                (RegimeInvalidite.msa_non_salarie,): proportionnelle(
                    p.msa_non_salaries.majoration_tierce_personne.taux
                ),
            },
        )
        return np.where(troisieme & eligible, au_centime(montant), 0.0)
