"""Cumul de la pension d'invalidité des non-salariés agricoles avec des
revenus (code rural R732-5, R732-6). Mécanisme commun : openfisca_invalidite.cumul."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import MOIS_PAR_AN, VariableEnDoublePrecision, au_centime, une_fois
from openfisca_invalidite.cumul import depassement, reduction_sur_periode_de_reference
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.montants_regimes import (
    membres_du_regime,
    pensions_msa_non_salarie,
    revenu_annuel_depuis_l_effet,
    revenus_des_mois_depuis_l_effet,
)
from openfisca_invalidite.references import articles
from openfisca_invalidite.regimes import RegimeInvalidite


class pension_invalidite_msa_non_salarie_seuil_cumul(VariableEnDoublePrecision):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Seuil annuel de cumul de la pension d'invalidité d'un non-salarié agricole (2 028 SMIC horaires)"
    reference = articles("CRPM R732-5")
    documentation = """
    R732-5 : 2 028 fois le salaire minimum de croissance (horaire) en vigueur au
    1er janvier de l'année du contrôle, le même pour tous (et non un salaire
    antérieur de l'assuré, comme au régime général).
    """

    def formula(individu, period, parameters):
        janvier = parameters(period.this_year)
        nombre = parameters(period).pension_invalidite.msa_non_salaries.cumul_revenus.seuil_en_nombre_smic_horaire
        seuil = nombre * janvier.references_sociales.smic_horaire_brut
        # Le même tableau pour les mois qui ont le même seuil.
        return une_fois(individu, ("seuil_cumul_msa", seuil), lambda: np.full(individu.count, seuil))


class pension_invalidite_msa_non_salarie_reduction_cumul(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Réduction mensuelle de la pension d'un non-salarié agricole pour cumul avec des revenus"
    reference = articles("CRPM R732-5", "Décret 2022-257")
    documentation = """
    R732-5 : quand la pension et les revenus de l'année civile précédente
    dépassent le seuil (2 028 SMIC horaires au 1er janvier de l'année du
    contrôle), les arrérages des douze mois suivants sont réduits d'un
    douzième du dépassement (jusqu'au 31 mars 2022), puis d'un douzième de
    50 % du dépassement (depuis le 1er avril 2022). Pension de l'année
    précédente : somme de ses arrérages mois par mois. Revenus : revenus
    d'activité et de remplacement de l'année (revenus_activite) et revenu
    professionnel agricole de l'année (rag, un déficit comptant pour 0 ;
    R732-6 retient le revenu déclaré pour l'impôt) ; ne comptent que les
    revenus des mois et de l'année qui ne précèdent pas la date d'effet (les
    revenus d'avant l'invalidité ne se cumulent pas avec elle, lecture
    retenue). Simplifications : la
    réduction s'applique aux mois de l'année civile du contrôle ; non
    modélisés : la règle des deux premiers trimestres de service (moitié du
    seuil, avant 2022), le contrôle trimestriel de l'assuré salarié (depuis
    2022), la suppression de la pension pour capacité de gain retrouvée, la
    déduction des charges de main-d'œuvre rendues nécessaires par
    l'invalidité (R732-6). Pas de réduction sans revenus.
    """

    def formula(individu, period, parameters):
        cumul = parameters(period).pension_invalidite.msa_non_salaries.cumul_revenus
        pension = individu("pension_invalidite_avant_cumul", period)
        resultat = np.zeros(individu.count, dtype=np.float32)  # le type de la variable
        # Pas de réduction sans pension : les revenus ne sont lus que pour les pensionnés du régime.
        membres = membres_du_regime(individu, period, RegimeInvalidite.msa_non_salarie)[0]
        pensionnes = membres[pension[membres] > 0]
        if pensionnes.size == 0:
            return resultat
        annee_precedente = period.this_year.offset(-1)
        mois = annee_precedente.get_subperiods(DateUnit.MONTH)
        salaires = revenus_des_mois_depuis_l_effet(individu, period, "revenus_activite", mois, pensionnes)
        agricoles = revenu_annuel_depuis_l_effet(individu, period, "rag", annee_precedente, pensionnes)
        revenus = salaires + np.maximum(agricoles, 0.0)
        avec_revenus = revenus > 0
        if not avec_revenus.any():
            return resultat
        qui = pensionnes[avec_revenus]
        arrerages = pensions_msa_non_salarie(individu, period, mois, parameters, qui)
        seuil = individu("pension_invalidite_msa_non_salarie_seuil_cumul", period)[qui]
        reduction = reduction_sur_periode_de_reference(
            depassement(arrerages, revenus[avec_revenus], seuil), cumul.taux_reduction_depassement, MOIS_PAR_AN
        )
        resultat[qui] = np.minimum(au_centime(reduction), pension[qui])
        return resultat
