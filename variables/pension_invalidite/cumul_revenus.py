"""Cumul de la pension d'invalidité avec des revenus d'activité (L341-12, R341-17)."""

import numpy as np
from openfisca_core.holders import set_input_divide_by_period
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import (
    ANNEE_SANS_ARRET,
    MOIS_PAR_AN,
    VariableEnDoublePrecision,
    annee,
    au_centime,
    debut,
    entree_donnee,
    indice_cumule,
    par_valeur,
    parametres_historiques,
    revalorisation_depuis,
    revalorisation_des_salaires,
    si,
    une_fois,
    valeur_au_premier_janvier,
    valeurs_datees,
)
from openfisca_invalidite.cumul import (
    MOIS_PAR_TRIMESTRE,
    depassement,
    mois_precedents,
    reduction_apres_trimestres_consecutifs,
    reduction_sur_periode_de_reference,
    somme_sur_mois,
    trimestre_civil_precedent,
)
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.pension import origine_du_sam, pensions_de_la_section_3
from openfisca_invalidite.references import articles
from openfisca_invalidite.regimes import REGIMES_DU_CODE_DE_LA_SECURITE_SOCIALE, RegimeInvalidite, selon_regime

#: Trimestres civils d'une année (calendrier, non une règle).
TRIMESTRES_PAR_AN = MOIS_PAR_AN // MOIS_PAR_TRIMESTRE


class salaire_annee_precedant_arret(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.ETERNITY
    unit = "currency-EUR"
    label = "Salaire de l'année civile précédant l'arrêt de travail"
    reference = articles("R341-17")
    documentation = """
    salaire_brut_annuel de l'année qui précède celle de l'arrêt (montant de
    cette année-là, non revalorisé). 2° du seuil de cumul de R341-17 (avant le
    1er avril 2022 : le seul terme du seuil). Fixé une fois par personne ;
    0 sans date d'arrêt.
    """

    def formula(individu, period):
        annee_precedente = annee(individu("date_debut_invalidite", period)) - 1
        resultat = np.zeros(individu.count)
        defaut = individu.get_holder("salaire_brut_annuel").variable.default_value
        for annee_salaire, qui in par_valeur(annee_precedente, annee_precedente < ANNEE_SANS_ARRET - 1):
            salaires = entree_donnee(individu, "salaire_brut_annuel", str(annee_salaire))
            resultat[qui] = defaut if salaires is None else salaires[qui]
        return resultat


class plafond_securite_sociale_annee_precedant_arret(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.ETERNITY
    unit = "currency-EUR"
    label = "PASS de l'année civile précédant l'arrêt (le plafond « alors en vigueur » de R341-17)"
    reference = articles("R341-17", "L241-3")
    documentation = "Fixé une fois par personne."

    def formula(individu, period):
        plafonds = parametres_historiques(individu).references_sociales.plafond_annuel_securite_sociale
        return valeur_au_premier_janvier(plafonds, annee(individu("date_debut_invalidite", period)) - 1)


class revalorisation_salaire_annee_precedant_arret(VariableEnDoublePrecision):
    value_type = float
    entity = Individu
    definition_period = DateUnit.ETERNITY
    unit = "/1"
    label = "Revalorisation du salaire de l'année précédant l'arrêt jusqu'à la date de liquidation (L341-6)"
    reference = articles("R341-17", "L341-6")
    documentation = """
    Coefficients des salaires datés après le 31 décembre de cette année et au
    plus tard à la date de liquidation (revalorisation anticipée de l'année
    reçue avec la revalorisation suivante), comme pour les salaires du salaire
    annuel moyen (R341-17 I :
    « revalorisés selon les modalités prévues à l'article L. 341-6 »).
    """

    def formula(individu, period):
        date_liquidation = individu("date_liquidation_pension_invalidite", period)
        revalorisation = parametres_historiques(individu).pension_invalidite.revalorisation
        annee_precedente = annee(individu("date_debut_invalidite", period)) - 1
        indice_liquidation = indice_cumule(revalorisation.coefficient_salaires, date_liquidation)
        resultat = np.ones(individu.count)
        for annee_salaire, qui in par_valeur(annee_precedente, annee_precedente < ANNEE_SANS_ARRET - 1):
            resultat[qui] = revalorisation_des_salaires(
                int(annee_salaire),
                date_liquidation[qui],
                revalorisation.coefficient_salaires,
                revalorisation.revalorisation_anticipee,
                indice_jusqua=indice_liquidation[qui],
            )
        return resultat


class pension_invalidite_seuil_cumul(VariableEnDoublePrecision):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Seuil annuel au-delà duquel la pension est réduite en cas de cumul avec des revenus"
    reference = articles("R341-17", "R341-17 (2011)", "L341-12", "L341-6")
    documentation = """
    Depuis le 1er avril 2022 (R341-17 I) : le plus élevé du SAM (1°) et du
    salaire de l'année civile précédant l'arrêt (2°), ce dernier limité à
    1 PASS, puis 1,5 PASS depuis le 30 juillet 2023 — le PASS « alors en
    vigueur », celui de l'année de ce salaire. Avant (R341-17 rédaction 2011) :
    le salaire de l'année précédant l'arrêt, sans limite (la règle compare son
    quart, le « salaire trimestriel moyen », à chaque trimestre). Le 2° est
    revalorisé jusqu'à la liquidation par les coefficients des salaires, comme
    le SAM ; puis les deux termes suivent la revalorisation des pensions
    jusqu'au mois calculé. Non modélisé : le 2° calculé sur les seules périodes
    de travail effectif en cas d'arrêt dans l'année (a), le salaire minimum des
    périodes d'apprentissage (b) — salaire_brut_annuel doit déjà en tenir compte.
    """

    def formula(individu, period, parameters):
        cumul = parameters(period).pension_invalidite.cumul_revenus
        coefficients = parametres_historiques(individu).pension_invalidite.revalorisation.coefficient_pensions
        plafond_precedent = individu("plafond_securite_sociale_annee_precedant_arret", period)
        salaire_precedent = individu("salaire_annee_precedant_arret", period)
        revalorisation_precedent = individu("revalorisation_salaire_annee_precedant_arret", period)
        date_liquidation = individu("date_liquidation_pension_invalidite", period)
        rang_liquidation = individu("rang_revalorisation_pension_a_la_liquidation", period)
        fixes = (plafond_precedent, salaire_precedent, revalorisation_precedent, rang_liquidation)

        def seuil(salaire_annuel_moyen=None):
            # 2° de R341-17 I : le salaire de l'année précédant l'arrêt, plafonné, revalorisé
            # jusqu'à la liquidation (fixé une fois pour toutes ; le plafond est un paramètre).
            # Salaire et SAM sont des montants au centime, que le stockage float32 ne rend
            # qu'à 0,002 € près : relus au centime.
            precedent = une_fois(
                individu,
                ("salaire_precedent_plafonne", cumul.plafond_salaire_reference_en_pass),
                lambda: (
                    np.minimum(
                        au_centime(salaire_precedent), cumul.plafond_salaire_reference_en_pass * plafond_precedent
                    )
                    * revalorisation_precedent
                ),
                *fixes,
            )
            if salaire_annuel_moyen is None:  # sans SAM (ou SAM nul : le 2° seul)
                termes = precedent
            else:
                sam = une_fois(
                    individu, "sam_au_centime", lambda: au_centime(salaire_annuel_moyen), salaire_annuel_moyen
                )
                termes = np.maximum(sam, precedent)
            return revalorisation_depuis(
                termes, date_liquidation, debut(period), coefficients, rang_depuis=rang_liquidation
            )

        # Le seuil ne dépend du mois que par les revalorisations entrées en vigueur et les
        # règles du seuil : calculé une fois pour les mois qui les partagent.
        rang_mois = int(np.searchsorted(valeurs_datees(coefficients)[0], debut(period), side="right"))
        cle = ("pension_invalidite_seuil_cumul", rang_mois, cumul.plafond_salaire_reference_en_pass)
        if not cumul.seuil_inclut_salaire_annuel_moyen:
            return une_fois(individu, (*cle, "sans_sam"), seuil, *fixes)
        salaire_annuel_moyen = individu("salaire_annuel_moyen", period)
        origine = origine_du_sam(individu, salaire_annuel_moyen)
        if origine is None:  # SAM donné en entrée, ou réforme
            return une_fois(individu, (*cle, "sam"), lambda: seuil(salaire_annuel_moyen), *fixes, salaire_annuel_moyen)
        # Le SAM du mois est celui de la liquidation pour les pensions commencées, 0 pour
        # les autres : deux seuils, gardés, entre lesquels chaque mois choisit.
        commencee, sam_a_la_liquidation = origine
        commence = une_fois(
            individu, (*cle, "commencee"), lambda: seuil(sam_a_la_liquidation), *fixes, sam_a_la_liquidation
        )
        pas_commence = une_fois(individu, (*cle, "pas_commencee"), seuil, *fixes)  # SAM 0 : le 2° seul
        return une_fois(individu, (*cle, "mois"), lambda: si(commencee, commence, pas_commence), commencee, commence)


class revenus_cumul_pension_invalidite(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Revenus du mois retenus pour le cumul avec la pension d'invalidité"
    reference = articles("R341-17", "L341-12")
    documentation = """
    Les revenus mensuels que R341-17 additionne à la pension : revenus_activite
    (salaires et revenus de remplacement du mois, II 1° à 3°). Les revenus
    d'activité non salariée, annuels (rpns_imposables), s'y ajoutent à part,
    majorés de 25 % (pension_invalidite_reduction_cumul_regime_general).
    Simplification : avant le
    1er avril 2022, le texte ne visait que les « salaires ou gains » ; les
    revenus de remplacement donnés dans revenus_activite sont comptés aussi.
    """

    def formula(individu, period):
        return individu("revenus_activite", period)


class pension_invalidite_activite_non_salariee(Variable):
    value_type = bool
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "L'intéressé exerce une activité non salariée (R341-17 II, 2e alinéa)"
    reference = articles("R341-17")
    documentation = """
    Depuis le 1er avril 2022 : vrai si rpns_imposables de l'année civile de la
    période de référence (l'année précédente) est positif. Le modèle n'a pas
    d'entrée de statut d'activité : un revenu non salarié de l'année est le
    signe que l'activité a été exercée, et c'est le revenu de cette année que
    le 4° fait compter. Une activité déficitaire (rpns_imposables à 0) n'est
    pas vue : ses salaires suivent la période de référence glissante.
    """

    def formula_2022_04_01(individu, period, parameters):
        cumul = parameters(period).pension_invalidite.cumul_revenus
        annee = period.this_year.offset(-int(cumul.decalage_annee_activite_non_salariee))
        revenus = individu("rpns_imposables", annee)
        # Le même tableau pour les mois qui lisent la même année.
        return une_fois(individu, "pension_invalidite_activite_non_salariee", lambda: revenus > 0, revenus)


def _revenus_non_salaries(individu, annee, majoration, qui=None):
    """R341-17 (2011) 3e alinéa, R341-17 II 4° : revenus non salariés de l'année
    ``annee`` (rpns_imposables) majorés (× 1,25) ; des seules personnes ``qui``
    (indices) si donné."""
    revenus = individu("rpns_imposables", annee)
    return majoration * au_centime(revenus if qui is None else revenus[qui])


def _seuil_des_mois(individu, mois, mois_par_an):
    """Part du seuil annuel afférente aux mois donnés (seuil de chaque mois / 12), en float64."""
    return sum(individu("pension_invalidite_seuil_cumul", m) for m in mois) / mois_par_an


class pension_invalidite_reduction_cumul(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Réduction mensuelle de la pension pour cumul avec des revenus, selon le régime"
    reference = articles(
        "R341-17",
        "L341-12",
        "CRPM R732-5",
        "Arrêté du 4 juillet 2014 (règlement SSI)",
        "Arrêté du 1er août 2023 (règlement SSI), art. 10",
    )
    documentation = """
    Régime général et salariés agricoles (par L742-3 et R742-2 du code rural) :
    R341-17 (pension_invalidite_reduction_cumul_regime_general). Travailleurs
    indépendants : règlement du régime invalidité-décès, art. 10 et 14, et
    décret 2022-257 (pension_invalidite_ssi_reduction_cumul). Non-salariés
    agricoles : R732-5 du code rural
    (pension_invalidite_msa_non_salarie_reduction_cumul).
    """

    def formula(individu, period):
        return selon_regime(
            individu,
            period,
            {
                REGIMES_DU_CODE_DE_LA_SECURITE_SOCIALE: lambda: individu(
                    "pension_invalidite_reduction_cumul_regime_general", period
                ),
                (RegimeInvalidite.ssi,): lambda: individu("pension_invalidite_ssi_reduction_cumul", period),
                (RegimeInvalidite.msa_non_salarie,): lambda: individu(
                    "pension_invalidite_msa_non_salarie_reduction_cumul", period
                ),
            },
        )


class pension_invalidite_reduction_cumul_regime_general(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Réduction mensuelle de la pension pour cumul avec des revenus (R341-17)"
    reference = articles("R341-17", "R341-17 (2011)", "R341-14", "L341-12")
    documentation = """
    Jusqu'au 31 mars 2022 (R341-17, rédaction de 2011) : la pension est
    réduite quand le montant cumulé de la pension (section 3) et des revenus
    dépasse, pendant deux trimestres civils consécutifs, le salaire trimestriel
    moyen de l'année civile précédant l'arrêt (seuil annuel / 4, revalorisé) ;
    « le montant des arrérages de chaque mois ultérieur est réduit à
    concurrence du dépassement constaté au cours du trimestre précédent » :
    lecture retenue, les trois mensualités du trimestre en cours sont réduites
    ensemble du dépassement entier du trimestre civil précédent (un tiers
    chacune), si ce trimestre et celui d'avant sont en dépassement. Les gains
    d'une activité non salariée (3e alinéa : « pris en compte à hauteur de
    125 % de son montant ») comptent dans chaque trimestre pour un quart de
    rpns_imposables de l'année du trimestre, majoré (lecture retenue : le
    texte ne dit pas comment répartir ce revenu annuel entre les trimestres).
    Depuis le 1er avril 2022 (R341-17 II) : sur la période de référence du
    13e au 2e mois civil précédant le contrôle, « le montant cumulé de la
    pension … et des revenus » est la somme, mois par mois, de la pension due
    (section 3, revalorisations comprises) et des revenus ; la mensualité est
    réduite d'un douzième de 50 % du dépassement du seuil. « Lorsque
    l'intéressé exerce une activité non salariée »
    (pension_invalidite_activite_non_salariee) : la période de référence est
    l'année civile précédente — pensions dues de ses 12 mois, revenus mensuels
    de ses 12 mois et rpns_imposables de cette année majoré de 25 % (II 4°) —
    et la réduction s'applique aux 12 mois qui suivent le contrôle.
    Simplifications : le contrôle est refait chaque mois (la loi le fait au 7e
    mois puis tous les 3 ou 12 mois, R341-14, et réduit les trois mensualités
    suivantes) ; pour une activité non salariée, chaque mois de l'année N
    retient l'année N-1, comme un contrôle au début de l'année N dont la
    réduction couvre ses 12 mois (un contrôle en cours d'année retiendrait
    encore N-2 jusqu'à lui) ; la pension des mois passés est calculée avec la
    catégorie du mois calculé ; un trimestre ou une période sans pension ou
    sans revenus n'entraîne pas de réduction (R341-17 vise le cumul avec une
    activité).
    """

    def formula(individu, period, parameters):
        # R341-17, rédaction 2011 : contrôle par trimestre civil.
        cumul = parameters(period).pension_invalidite.cumul_revenus
        pension = individu("pension_invalidite_avant_cumul", period)
        if not (pension > 0).any():
            return np.zeros(individu.count)
        trimestres = [
            trimestre_civil_precedent(period, rang) for rang in range(1, int(cumul.trimestres_consecutifs_depasses) + 1)
        ]
        # 3e alinéa : les gains non salariés de l'année du trimestre, majorés, pour un quart.
        revenus = [
            somme_sur_mois(individu, "revenus_cumul_pension_invalidite", mois)
            + _revenus_non_salaries(individu, mois[0].this_year, cumul.majoration_revenus_non_salaries)
            / TRIMESTRES_PAR_AN
            for mois in trimestres
        ]
        if not all((r > 0).any() for r in revenus):
            return np.zeros(individu.count)
        avec_revenus = np.ones(individu.count, dtype=bool)
        for revenus_du_trimestre in revenus:
            avec_revenus &= revenus_du_trimestre > 0
        qui = np.flatnonzero(avec_revenus & (pension > 0))
        depassements, cumuls = [], []
        for mois, revenus_du_trimestre in zip(trimestres, revenus, strict=True):
            pensions = np.zeros(individu.count)
            pensions[qui] = pensions_de_la_section_3(individu, period, mois, parameters, qui)
            seuil = _seuil_des_mois(individu, mois, MOIS_PAR_AN)
            depassements.append(depassement(pensions, revenus_du_trimestre, seuil))
            cumuls.append((pensions > 0) & (revenus_du_trimestre > 0))
        reduction = reduction_apres_trimestres_consecutifs(depassements, cumuls, cumul.taux_reduction_depassement)
        return np.where(pension > 0, np.minimum(au_centime(reduction), pension), 0.0)

    def formula_2022_04_01(individu, period, parameters):
        cumul = parameters(period).pension_invalidite.cumul_revenus
        pension = individu("pension_invalidite_avant_cumul", period)
        resultat = np.zeros(individu.count, dtype=np.float32)
        if not (pension > 0).any():
            return resultat
        # Les personnes des autres régimes, dont cette branche est écartée, n'y sont pas calculées.
        regimes = individu("regime_invalidite", period)
        activite = individu("pension_invalidite_activite_non_salariee", period)

        def non_salaries():
            du_code = np.isin(regimes, [regime.index for regime in REGIMES_DU_CODE_DE_LA_SECURITE_SOCIALE])
            return activite & du_code

        non_salarie = une_fois(individu, "activite_non_salariee_du_code", non_salaries, activite, regimes)
        salarie = une_fois(individu, "sans_activite_non_salariee_du_code", lambda: ~non_salarie, non_salarie)
        # R341-17 II 1er alinéa : du 13e au 2e mois civil précédant le contrôle.
        mois = mois_precedents(period, int(cumul.debut_periode_reference), int(cumul.duree_periode_reference))
        reduction = _reduction_sur_la_periode(individu, period, parameters, pension, parmi=salarie, mois=mois)
        if non_salarie.any():
            # II 2e alinéa : activité non salariée, l'année civile précédente ; II 4° : ses revenus majorés.
            annee = period.this_year.offset(-int(cumul.decalage_annee_activite_non_salariee))
            reduction += _reduction_sur_la_periode(
                individu,
                period,
                parameters,
                pension,
                parmi=non_salarie,
                mois=annee.get_subperiods(DateUnit.MONTH),
                annee_non_salariee=annee,
            )
        return reduction


def _reduction_sur_la_periode(individu, period, parameters, pension, *, parmi, mois, annee_non_salariee=None):
    """R341-17 II : réduction de la mensualité de ``period`` pour les personnes
    ``parmi`` dont la pension est positive, sur la période de référence
    ``mois`` — pensions dues chaque mois (section 3), revenus mensuels des mois
    et, pour une activité non salariée, revenus de ``annee_non_salariee``
    majorés (II 4°), comparés au seuil ; « un douzième de 50 % » du dépassement."""
    cumul = parameters(period).pension_invalidite.cumul_revenus
    resultat = np.zeros(individu.count, dtype=np.float32)
    revenus_des_mois = somme_sur_mois(individu, "revenus_cumul_pension_invalidite", mois)
    if annee_non_salariee is None:
        positifs = une_fois(individu, "revenus_positifs", lambda: revenus_des_mois > 0, revenus_des_mois)
        qui = np.flatnonzero(parmi & (pension > 0) & positifs)
        revenus = revenus_des_mois[qui]
    else:
        candidats = np.flatnonzero(parmi & (pension > 0))
        revenus = revenus_des_mois[candidats] + _revenus_non_salaries(
            individu, annee_non_salariee, cumul.majoration_revenus_non_salaries, candidats
        )
        avec_revenus = revenus > 0
        qui, revenus = candidats[avec_revenus], revenus[avec_revenus]
    # Les pensionnés qui ont des revenus sur la période : les seuls dont la pension peut être réduite.
    if qui.size == 0:
        return resultat
    pensions = pensions_de_la_section_3(individu, period, mois, parameters, qui)
    # Le seuil est annuel : il est comparé au cumul de la période (12 mois). En float64
    # (pension_invalidite_seuil_cumul, gardé en float64), comme les pensions et les revenus : la réduction est arrondie
    # au centime depuis son montant exact.
    seuil = individu("pension_invalidite_seuil_cumul", period)[qui] * len(mois) / MOIS_PAR_AN
    reduction = reduction_sur_periode_de_reference(
        depassement(pensions, revenus, seuil),
        cumul.taux_reduction_depassement,
        int(cumul.duree_periode_reference),
    )
    resultat[qui] = np.where(pensions > 0, np.minimum(au_centime(reduction), pension[qui]), 0.0)
    return resultat


class pension_invalidite(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    set_input = set_input_divide_by_period
    label = "Pension d'invalidité mensuelle brute (hors majoration pour tierce personne)"
    reference = articles("L341-1", "R341-4", "R341-5", "L341-5", "L341-12", "R341-17", "L341-15")
    documentation = """
    Pension avant cumul, diminuée de la réduction pour cumul avec des revenus ;
    0 si une condition n'est pas remplie (voir pension_invalidite_eligible).
    """

    def formula(individu, period):
        return np.maximum(
            individu("pension_invalidite_avant_cumul", period) - individu("pension_invalidite_reduction_cumul", period),
            0.0,
        )
