"""Salaire annuel moyen (SAM) servant de base à la pension (R341-4)."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import annee, fin, indice_cumule, parametres_historiques
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles


class salaire_annuel_moyen(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Salaire annuel moyen des 10 meilleures années, plafonnées au PASS et revalorisées"
    reference = articles("R341-4", "L341-6")
    documentation = """
    R341-4 : moyenne des salaires des 10 années civiles d'assurance les plus
    avantageuses antérieures à l'année de l'arrêt de travail (moyenne des
    années accomplies s'il y en a moins de 10 ; une année compte si un salaire
    y est porté). Chaque salaire est retenu dans la limite du PASS de son année,
    puis revalorisé par les coefficients de L341-6 entrés en vigueur après le
    31 décembre de son année et au plus tard à la date de l'arrêt. Montant en
    euros de la date de l'arrêt ; la pension est ensuite revalorisée (voir
    pension_invalidite_avant_cumul). 0 si l'invalidité n'a pas commencé.
    Calcul vectoriel : boucle sur les années de carrière, jamais sur les
    personnes ; les meilleures années sont tenues dans un tableau n × 10.
    """

    def formula(individu, period, parameters):
        p = parametres_historiques(individu)
        date_arret = individu("date_debut_invalidite", period)
        resultat = np.zeros(individu.count, dtype=np.float64)
        concernes = np.flatnonzero(date_arret <= fin(period))
        if concernes.size == 0:
            return resultat

        sam = parameters(period).pension_invalidite.salaire_annuel_moyen
        nombre_retenu = int(sam.nombre_annees_retenues)
        date_arret = date_arret[concernes]
        annee_arret = annee(date_arret)
        coefficients = p.pension_invalidite.revalorisation.coefficient_salaires
        indice_arret = indice_cumule(coefficients, date_arret)
        plafonds = p.references_sociales.plafond_annuel_securite_sociale
        premiere_annee_plafond = min(int(v.instant_str[:4]) for v in plafonds.values_list)

        meilleurs = np.zeros((concernes.size, nombre_retenu))
        lignes = np.arange(concernes.size)
        annees_comptees = np.zeros(concernes.size, dtype=np.int64)
        debut = max(int(annee_arret.min()) - int(sam.profondeur_carriere), premiere_annee_plafond)
        for annee_salaire in range(debut, int(annee_arret.max())):
            salaire = individu("salaire_brut_annuel", str(annee_salaire))[concernes]
            retenu = (salaire > 0) & (annee_salaire < annee_arret) & (annee_salaire >= annee_arret - int(sam.profondeur_carriere))
            if not retenu.any():
                continue
            plafond = plafonds(f"{annee_salaire}-01-01")
            revalorisation = indice_arret / indice_cumule(coefficients, np.datetime64(f"{annee_salaire}-12-31"))
            valeur = np.where(retenu, np.minimum(salaire, plafond) * revalorisation, 0.0)
            annees_comptees += retenu
            # Garde les `nombre_retenu` meilleures valeurs : remplace la plus petite si dépassée.
            colonne = meilleurs.argmin(axis=1)
            remplace = valeur > meilleurs[lignes, colonne]
            meilleurs[lignes[remplace], colonne[remplace]] = valeur[remplace]

        diviseur = np.clip(annees_comptees, 1, nombre_retenu)
        resultat[concernes] = np.where(annees_comptees > 0, meilleurs.sum(axis=1) / diviseur, 0.0)
        return resultat
