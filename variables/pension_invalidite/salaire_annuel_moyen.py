"""Salaire annuel moyen (SAM) servant de base à la pension (R341-4, R341-11)."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import (
    ANNEE_SANS_ARRET,
    annee,
    au_centime,
    entree_donnee,
    indice_cumule,
    parametres_historiques,
    revalorisation_des_salaires,
    valeur_a_dates,
)
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.pension import pension_commencee, salaire_annuel_moyen_des_pensions_commencees
from openfisca_invalidite.references import articles
from openfisca_invalidite.salaire_moyen import moyenne_des_meilleures_annees


class salaire_annuel_moyen_a_la_liquidation(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.ETERNITY
    unit = "currency-EUR"
    label = "Salaire annuel moyen fixé à la liquidation (10 meilleures années d'assurance, plafonnées, revalorisées)"
    reference = articles("R341-4", "R341-11", "R351-9", "L341-6")
    documentation = """
    R341-4 et R341-11 : moyenne des salaires des 10 années civiles d'assurance
    les plus avantageuses antérieures à l'année de l'arrêt de travail (moyenne
    des années accomplies s'il y en a moins de 10). Une année civile est une
    année d'assurance si son salaire valide au moins un trimestre : R341-11
    renvoie à R351-9 (200 puis, depuis 2014, 150 heures de SMIC au 1er janvier
    de l'année). Chaque salaire est retenu dans la limite du PASS de son année,
    puis revalorisé par les coefficients des salaires de L341-6 datés après le
    31 décembre de son année et au plus tard à la date de liquidation
    (date_liquidation_pension_invalidite : date d'effet, ou arrêt à défaut) ;
    la revalorisation anticipée de juillet 2022, imputée sur celle du 1er avril
    2023, est reçue par le salaire de 2022 avec celle-ci (1,056 au total).
    Le nombre d'années retenues est celui de la loi en vigueur à l'arrêt.
    Montant en euros de la date de liquidation, arrondi au centime, calculé une
    fois par personne ; 0 sans date d'arrêt. Non modélisé : périodes assimilées
    de R351-12 (aucune entrée ne les décrit).
    Calcul vectoriel par openfisca_invalidite.salaire_moyen (boucle sur les
    années de carrière, jamais sur les personnes).
    """

    def formula(individu, period):
        p = parametres_historiques(individu)
        date_arret = individu("date_debut_invalidite", period)
        resultat = np.zeros(individu.count, dtype=np.float64)
        concernes = np.flatnonzero(annee(date_arret) < ANNEE_SANS_ARRET)
        if concernes.size == 0:
            return resultat
        tous = concernes.size == individu.count
        date_arret = date_arret[concernes]
        date_liquidation = individu("date_liquidation_pension_invalidite", period)[concernes]
        annee_arret = annee(date_arret).astype(np.int16)

        regles = p.pension_invalidite.salaire_annuel_moyen
        nombre_retenu = valeur_a_dates(regles.nombre_annees_retenues, date_arret).astype(np.int64)
        profondeur = valeur_a_dates(regles.profondeur_carriere, date_arret).astype(np.int16)
        revalorisation = p.pension_invalidite.revalorisation
        indice_liquidation = indice_cumule(revalorisation.coefficient_salaires, date_liquidation)
        plafonds = p.references_sociales.plafond_annuel_securite_sociale
        premiere_annee_plafond = min(int(v.instant_str[:4]) for v in plafonds.values_list)
        smic = p.references_sociales.smic_horaire_brut

        def salaire(annee_salaire):
            valeurs = entree_donnee(individu, "salaire_brut_annuel", str(annee_salaire))
            if valeurs is None:  # année sans salaire donné : la valeur par défaut pour tous
                return individu.get_holder("salaire_brut_annuel").variable.default_value
            return valeurs if tous else valeurs[concernes]

        def coefficient(annee_salaire):
            return revalorisation_des_salaires(
                annee_salaire,
                date_liquidation,
                revalorisation.coefficient_salaires,
                revalorisation.revalorisation_anticipee,
                indice_jusqua=indice_liquidation,
            )

        def seuil_trimestre(annee_salaire):  # R351-9 : heures × SMIC au 1er janvier de l'année
            janvier = f"{annee_salaire}-01-01"
            return (
                regles.heures_smic_validant_un_trimestre(janvier)
                * valeur_a_dates(smic, np.array([janvier], dtype="datetime64[D]"))[0]
            )

        premiere_annee = annee_arret - profondeur
        debut = max(int(premiere_annee.min()), premiere_annee_plafond)
        resultat_moyen = moyenne_des_meilleures_annees(
            range(debut, int(annee_arret.max())),
            nombre_retenu,
            revenu=salaire,
            plafond=lambda a: plafonds(f"{a}-01-01"),
            revalorisation=coefficient,
            seuil_validation=seuil_trimestre,
            dans_la_fenetre=lambda a: (a < annee_arret) & (a >= premiere_annee),
        )
        # Arrondi au centime ici, en float64, avant le stockage en float32 d'OpenFisca.
        resultat[concernes] = au_centime(resultat_moyen.moyenne)
        return resultat


class salaire_annuel_moyen(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Salaire annuel moyen des 10 meilleures années, plafonnées au PASS et revalorisées"
    reference = articles("R341-4", "R341-11", "L341-6")
    documentation = """
    Le salaire annuel moyen fixé à la liquidation
    (salaire_annuel_moyen_a_la_liquidation), à partir du mois de la date
    d'effet de la pension (ou de l'arrêt, sans date d'effet) ; 0 avant. La
    pension est ensuite revalorisée (voir pension_invalidite_avant_cumul).
    """

    def formula(individu, period):
        return salaire_annuel_moyen_des_pensions_commencees(
            individu, pension_commencee(individu, period), individu("salaire_annuel_moyen_a_la_liquidation", period)
        )
