"""Revenu annuel moyen de la pension d'invalidité des travailleurs
indépendants : 10 meilleures années civiles d'assurance (règlement, art. 9 et
13), par le moteur commun des meilleures années
(openfisca_invalidite.salaire_moyen)."""

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
from openfisca_invalidite.references import articles
from openfisca_invalidite.regimes import RegimeInvalidite, date_d_effet
from openfisca_invalidite.salaire_moyen import moyenne_des_meilleures_annees


class revenu_annuel_moyen_ssi(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.ETERNITY
    unit = "currency-EUR"
    label = "Revenu annuel moyen des 10 meilleures années (pension d'invalidité des travailleurs indépendants)"
    reference = articles(
        "Arrêté du 4 juillet 2014 (règlement SSI)",
        "Décret 2016-667",
        "Arrêté du 1er août 2023 (règlement SSI)",
    )
    documentation = """
    Moyenne des revenus des 10 années civiles d'assurance les plus
    avantageuses antérieures à l'année de l'arrêt (moyenne des années
    accomplies s'il y en a moins de 10 : art. 9 et 13, 2e alinéa), chaque année
    retenue dans la limite du PASS de son année. Une année est une année
    d'assurance si son revenu est positif. Revenu d'une année :
    - pension dont la date d'effet précède le 1er juillet 2016 (règlement de
      2014) : les seuls revenus professionnels non salariés (rpns_imposables) ;
    - depuis (décret 2016-667, pension d'invalidité coordonnée, R172-16 à
      R172-17-1 ; règlements de 2018 et 2023, art. 13 : « revenus ou salaires »
      des régimes de R172-17-1) : salaires (salaire_brut_annuel) et revenus non
      salariés de l'année additionnés, puis plafonnés (lecture retenue pour une
      année mixte, à confirmer).
    Revalorisation des revenus jusqu'à la date d'effet par les coefficients des
    salaires du régime général, comme le salaire annuel moyen (le revenu d'une
    année l'est d'abord au 1er avril suivant) (paramètre
    pension_invalidite.ssi.revenu_annuel_moyen.revenus_revalorises, à
    confirmer). Calculé une fois par personne, pour les seuls assurés de la SSI
    (0 pour les autres) ; arrondi au centime.
    """

    def formula(individu, period):
        resultat = np.zeros(individu.count, dtype=np.float64)
        effet = date_d_effet(individu, period)
        regime = individu("regime_invalidite", period)
        concernes = np.flatnonzero((regime == RegimeInvalidite.ssi) & (annee(effet) < ANNEE_SANS_ARRET))
        if concernes.size == 0:
            return resultat
        p = parametres_historiques(individu)
        regles = p.pension_invalidite.ssi.revenu_annuel_moyen
        effet = effet[concernes]
        date_arret = individu("date_debut_invalidite", period)[concernes]
        annee_arret = annee(date_arret)
        nombre_retenu = valeur_a_dates(regles.nombre_annees_retenues, effet).astype(np.int64)
        mise_en_commun = valeur_a_dates(regles.mise_en_commun_des_regimes, effet) > 0
        revalorises = valeur_a_dates(regles.revenus_revalorises, effet) > 0
        profondeur = valeur_a_dates(p.pension_invalidite.salaire_annuel_moyen.profondeur_carriere, effet)
        revalorisation_des_regles = p.pension_invalidite.revalorisation
        plafonds = p.references_sociales.plafond_annuel_securite_sociale
        premiere_annee_plafond = min(int(v.instant_str[:4]) for v in plafonds.values_list)

        def lire(variable, annee_revenu):
            valeurs = entree_donnee(individu, variable, str(annee_revenu))
            if valeurs is None:  # année sans entrée : la valeur par défaut pour tous
                return np.full(concernes.size, individu.get_holder(variable).variable.default_value)
            return valeurs[concernes]

        def revenu(annee_revenu):
            non_salarie = lire("rpns_imposables", annee_revenu)
            salaire = lire("salaire_brut_annuel", annee_revenu)
            return non_salarie + np.where(mise_en_commun, salaire, 0.0)

        indice_effet = indice_cumule(revalorisation_des_regles.coefficient_salaires, effet)

        def revalorisation(annee_revenu):
            coefficient = revalorisation_des_salaires(
                annee_revenu,
                effet,
                revalorisation_des_regles.coefficient_salaires,
                revalorisation_des_regles.revalorisation_anticipee,
                indice_jusqua=indice_effet,
            )
            return np.where(revalorises, coefficient, 1.0)

        premiere_annee = annee_arret - profondeur
        debut = max(int(premiere_annee.min()), premiere_annee_plafond)
        moyenne = moyenne_des_meilleures_annees(
            range(debut, int(annee_arret.max())),
            nombre_retenu,
            revenu=revenu,
            plafond=lambda a: plafonds(f"{a}-01-01"),
            revalorisation=revalorisation,
            seuil_validation=lambda _a: 0.0,
            dans_la_fenetre=lambda a: (a < annee_arret) & (a >= premiere_annee),
        )
        resultat[concernes] = au_centime(moyenne.moyenne)
        return resultat
