"""Salaire annuel moyen (SAM) servant de base à la pension (R341-4)."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import (
    ANNEE_SANS_ARRET,
    annee,
    fin,
    indice_cumule,
    parametres_historiques,
    valeur_a_dates,
)
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles


class salaire_annuel_moyen_a_l_arret(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.ETERNITY
    unit = "currency-EUR"
    label = "Salaire annuel moyen fixé à la date de l'arrêt de travail (10 meilleures années, plafonnées, revalorisées)"
    reference = articles("R341-4", "L341-6")
    documentation = """
    R341-4 : moyenne des salaires des 10 années civiles d'assurance les plus
    avantageuses antérieures à l'année de l'arrêt de travail (moyenne des
    années accomplies s'il y en a moins de 10 ; une année compte si un salaire
    y est porté — à confirmer : la caisse exige peut-être un trimestre validé,
    de sorte qu'une année à salaire symbolique abaisse ici la moyenne). Chaque salaire est retenu dans la limite du PASS de son année,
    puis revalorisé par les coefficients de L341-6 entrés en vigueur après le
    31 décembre de son année et au plus tard à la date de l'arrêt. Le nombre
    d'années retenues est celui de la loi en vigueur à la date de l'arrêt.
    Montant en euros de la date de l'arrêt, arrondi au centime, calculé une fois par personne
    (il ne dépend pas du mois) ; 0 sans date d'arrêt.
    Calcul vectoriel : boucle sur les années de carrière, jamais sur les
    personnes ; les meilleures années sont choisies par np.partition.
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
        annee_arret = annee(date_arret).astype(np.int16)

        regles = p.pension_invalidite.salaire_annuel_moyen
        nombre_retenu = valeur_a_dates(regles.nombre_annees_retenues, date_arret).astype(np.int64)
        profondeur = valeur_a_dates(regles.profondeur_carriere, date_arret).astype(np.int16)
        coefficients = p.pension_invalidite.revalorisation.coefficient_salaires
        indice_arret = indice_cumule(coefficients, date_arret)
        plafonds = p.references_sociales.plafond_annuel_securite_sociale
        premiere_annee_plafond = min(int(v.instant_str[:4]) for v in plafonds.values_list)

        debut = max(int((annee_arret - profondeur).min()), premiere_annee_plafond)
        annees = range(debut, int(annee_arret.max()))
        plus_grand_nombre = int(nombre_retenu.max())
        # Une ligne par année de carrière (float64 : le SAM doit être juste au centime).
        salaires = np.zeros((max(len(annees), plus_grand_nombre), concernes.size), dtype=np.float64)
        annees_comptees = np.zeros(concernes.size, dtype=np.int64)
        for ligne, annee_salaire in enumerate(annees):
            salaire = individu("salaire_brut_annuel", str(annee_salaire))
            salaire = salaire if tous else salaire[concernes]
            retenu = (salaire > 0) & (annee_salaire < annee_arret) & (annee_salaire >= annee_arret - profondeur)
            if not retenu.any():
                continue
            plafond = plafonds(f"{annee_salaire}-01-01")
            revalorisation = indice_arret / indice_cumule(coefficients, np.datetime64(f"{annee_salaire}-12-31"))
            valeur = salaires[ligne]
            np.minimum(salaire, plafond, out=valeur)
            valeur *= revalorisation
            valeur[~retenu] = 0
            annees_comptees += retenu

        # Les meilleures années : partition, sans tri complet.
        meilleures = np.partition(salaires, salaires.shape[0] - plus_grand_nombre, axis=0)[-plus_grand_nombre:]
        if (nombre_retenu == plus_grand_nombre).all():
            somme = meilleures.sum(axis=0, dtype=np.float64)
        else:  # loi différente selon la date de l'arrêt (réforme) : somme des k premières
            cumul = np.cumsum(np.sort(meilleures, axis=0)[::-1], axis=0, dtype=np.float64)
            somme = np.take_along_axis(cumul, (nombre_retenu - 1)[np.newaxis, :], axis=0)[0]
        diviseur = np.clip(annees_comptees, 1, nombre_retenu)
        # Arrondi au centime ici, en float64, avant le stockage en float32 d'OpenFisca.
        resultat[concernes] = np.where(annees_comptees > 0, np.round(somme / diviseur, 2), 0.0)
        return resultat


class salaire_annuel_moyen(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Salaire annuel moyen des 10 meilleures années, plafonnées au PASS et revalorisées"
    reference = articles("R341-4", "L341-6")
    documentation = """
    Le salaire annuel moyen fixé à la date de l'arrêt
    (salaire_annuel_moyen_a_l_arret), à partir du mois où l'invalidité a
    commencé ; 0 avant. La pension est ensuite revalorisée (voir
    pension_invalidite_avant_cumul).
    """

    def formula(individu, period):
        commencee = individu("date_debut_invalidite", period) <= fin(period)
        return np.where(commencee, individu("salaire_annuel_moyen_a_l_arret", period), 0.0)
