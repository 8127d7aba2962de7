"""Cumul de la pension d'invalidité des travailleurs indépendants avec des
revenus : règlement du régime invalidité-décès, art. 10 (PIPM) et 14 (PITD) ;
décret 2022-257. Mécanisme commun : openfisca_invalidite.cumul."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import MOIS_PAR_AN, annee, au_centime
from openfisca_invalidite.cumul import depassement, mois_precedents, reduction_sur_periode_de_reference
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.montants_regimes import (
    membres_du_regime,
    partielle_ou_totale,
    pensions_ssi,
    revenu_annuel_depuis_l_effet,
    revenus_des_mois_depuis_l_effet,
)
from openfisca_invalidite.references import articles
from openfisca_invalidite.regimes import RegimeInvalidite, date_d_effet


def plafond_en_nombre_de_pensions(individu, period, cumul, qui):
    """4 fois la PIPM, 2,4 fois la PITD (art. 10 et 14), pour les personnes ``qui`` (indices)."""
    categorie = individu("categorie_invalidite", period)[qui]
    plafonds = cumul.plafond_en_nombre_de_pensions
    return partielle_ou_totale(categorie, plafonds.pipm, plafonds.pitd)


def revenus_non_salaries(individu, period, cumul, qui):
    """Revenus non salariés de l'année que retient le contrôle (N-1, puis N-2
    depuis 2022), multipliés par la majoration (1,25 depuis le 1er avril 2022) ;
    ceux d'une année antérieure à celle de la date d'effet ne comptent pas.
    Pour les personnes ``qui`` (indices)."""
    annee_des_revenus = period.this_year.offset(-int(cumul.decalage_annees_revenus_non_salaries))
    revenu = revenu_annuel_depuis_l_effet(individu, period, "rpns_imposables", annee_des_revenus, qui)
    return cumul.majoration_revenus_non_salaries * revenu


def pensionnes_du_regime(individu, period, pension):
    """Indices des pensionnés de la SSI dont la pension du mois est positive :
    les seuls dont les revenus sont lus (pas de réduction sans pension)."""
    membres = membres_du_regime(individu, period, RegimeInvalidite.ssi)[0]
    return membres[pension[membres] > 0]


class pension_invalidite_ssi_reduction_cumul(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Réduction mensuelle de la pension SSI pour cumul avec des revenus"
    reference = articles(
        "Arrêté du 4 juillet 2014 (règlement SSI)",
        "Décret 2022-257",
        "Arrêté du 1er août 2023 (règlement SSI), art. 10",
    )
    documentation = """
    Jusqu'au 31 mars 2022 (règlement de 2014, art. 10 et 14) : contrôle annuel
    à compter de la deuxième année civile de perception ; pour l'année N, la
    pension de l'année (12 × la pension du mois) et les revenus de l'année N-1
    (revenus_activite de ses 12 mois, revenus non salariés rpns_imposables)
    ne doivent pas dépasser 4 fois (PIPM) ou 2,4 fois (PITD) la pension
    annuelle ; la pension est réduite du dépassement, un douzième par mois.
    Depuis le 1er avril 2022 (décret 2022-257 ; règlement de 2023, art. 10) :
    arrérages de la pension et salaires du 13e au 2e mois précédant le mois
    calculé, revenus non salariés de l'avant-dernière année civile (avis
    d'imposition) majorés de 25 % ; le plafond est 4 fois (PIPM) ou 2,4 fois
    (PITD, coefficient de 2014 maintenu, à confirmer) les arrérages de la
    période ; la mensualité est réduite d'un douzième de 50 % du dépassement
    (à confirmer pour la SSI). Ne comptent que les revenus des mois (salaires)
    et des années (revenus non salariés) qui ne précèdent pas la date d'effet :
    les revenus d'avant l'invalidité ne se cumulent pas avec la pension
    (lecture retenue). Simplifications : contrôle refait chaque mois ;
    pas de réduction sans revenus ; suspension pour cotisations impayées non
    modélisée. La majoration pour tierce personne n'est jamais réduite
    (art. 18).
    """

    def formula(individu, period, parameters):
        # Règlement de 2014, art. 10 et 14 : contrôle annuel sur les revenus de N-1.
        cumul = parameters(period).pension_invalidite.ssi.cumul
        pension = individu("pension_invalidite_avant_cumul", period)
        resultat = np.zeros(individu.count, dtype=np.float32)  # le type de la variable
        qui = pensionnes_du_regime(individu, period, pension)
        if qui.size == 0:
            return resultat
        annee_precedente = period.this_year.offset(-1)
        salaires = revenus_des_mois_depuis_l_effet(
            individu, period, "revenus_activite", annee_precedente.get_subperiods(DateUnit.MONTH), qui
        )
        revenus = salaires + revenus_non_salaries(individu, period, cumul, qui)
        perception_depuis_avant = annee(date_d_effet(individu, period)[qui]) < period.start.year
        concerne = (revenus > 0) & perception_depuis_avant
        if not concerne.any():
            return resultat
        pension = pension[qui]
        pension_annuelle = MOIS_PAR_AN * pension
        plafond = plafond_en_nombre_de_pensions(individu, period, cumul, qui) * pension_annuelle
        reduction = reduction_sur_periode_de_reference(
            depassement(pension_annuelle, revenus, plafond), cumul.taux_reduction_depassement, MOIS_PAR_AN
        )
        resultat[qui] = np.where(concerne, np.minimum(au_centime(reduction), pension), 0.0)
        return resultat

    def formula_2022_04_01(individu, period, parameters):
        # Décret 2022-257 ; règlement de 2023, art. 10 1° à 3°.
        cumul = parameters(period).pension_invalidite.ssi.cumul
        pension = individu("pension_invalidite_avant_cumul", period)
        resultat = np.zeros(individu.count, dtype=np.float32)  # le type de la variable
        pensionnes = pensionnes_du_regime(individu, period, pension)
        if pensionnes.size == 0:
            return resultat
        nombre = int(cumul.duree_periode_reference)
        mois = mois_precedents(period, int(cumul.debut_periode_reference), nombre)
        salaires = revenus_des_mois_depuis_l_effet(individu, period, "revenus_activite", mois, pensionnes)
        revenus = salaires + revenus_non_salaries(individu, period, cumul, pensionnes)
        avec_revenus = revenus > 0
        if not avec_revenus.any():
            return resultat
        qui = pensionnes[avec_revenus]
        revenus = revenus[avec_revenus]
        arrerages = pensions_ssi(individu, period, mois, parameters, qui)
        plafond = plafond_en_nombre_de_pensions(individu, period, cumul, qui) * arrerages
        reduction = reduction_sur_periode_de_reference(
            depassement(arrerages, revenus, plafond), cumul.taux_reduction_depassement, nombre
        )
        resultat[qui] = np.where(arrerages > 0, np.minimum(au_centime(reduction), pension[qui]), 0.0)
        return resultat
