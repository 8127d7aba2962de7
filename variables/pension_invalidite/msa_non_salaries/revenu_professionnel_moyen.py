"""Revenu professionnel moyen des non-salariés agricoles (code rural
R732-4-1) : les 3 meilleures des 7 dernières années déclarées, par le moteur
commun des meilleures années (openfisca_invalidite.salaire_moyen)."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import (
    ANNEE_SANS_ARRET,
    annee,
    au_centime,
    entree_donnee,
    parametres_historiques,
    valeur_a_dates,
)
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles
from openfisca_invalidite.regimes import RegimeInvalidite, date_d_effet
from openfisca_invalidite.salaire_moyen import moyenne_des_meilleures_annees


class revenu_professionnel_moyen_agricole(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.ETERNITY
    unit = "currency-EUR"
    label = "Revenu professionnel moyen des 3 meilleures des 7 dernières années déclarées (non-salarié agricole)"
    reference = articles("CRPM R732-4-1", "Décret 2020-602")
    documentation = """
    R732-4-1 : revenus professionnels (L731-14 à L731-21) ayant servi de base
    aux cotisations au cours des trois années civiles d'assurance les plus
    avantageuses parmi les sept dernières années civiles dont le revenu a été
    déclaré, avant l'année de l'interruption de travail suivie d'invalidité ;
    « les déficits sont retenus pour un montant nul » ; moins de sept années
    d'assurance : les trois meilleures parmi celles accomplies (1°) ; moins de
    trois : la moyenne de celles accomplies (2°) ; aucun revenu connu : 0,
    d'où le montant minimum (3°). Une année d'assurance est une année dont le
    revenu (rag) est déclaré non nul, déficit compris : le déficit compte pour
    0 dans la moyenne et dans le nombre d'années. Revenus non revalorisés (le
    texte ne le prévoit pas) ni plafonnés. Sert aux pensions liquidées depuis
    le 1er janvier 2020 ; calculé une fois par personne, pour les seuls
    non-salariés agricoles (0 pour les autres) ; arrondi au centime.
    """

    def formula(individu, period):
        resultat = np.zeros(individu.count, dtype=np.float64)
        effet = date_d_effet(individu, period)
        regime = individu("regime_invalidite", period)
        concernes = np.flatnonzero((regime == RegimeInvalidite.msa_non_salarie) & (annee(effet) < ANNEE_SANS_ARRET))
        if concernes.size == 0:
            return resultat
        p = parametres_historiques(individu)
        regles = p.pension_invalidite.msa_non_salaries.revenus
        date_arret = individu("date_debut_invalidite", period)[concernes]
        annee_arret = annee(date_arret)
        nombre_retenu = valeur_a_dates(regles.nombre_annees_retenues, date_arret).astype(np.int64)
        fenetre = valeur_a_dates(regles.fenetre_annees, date_arret).astype(np.int64)
        profondeur = valeur_a_dates(p.pension_invalidite.salaire_annuel_moyen.profondeur_carriere, date_arret)
        annees = range(int((annee_arret - profondeur).min()), int(annee_arret.max()))

        def rag(a):
            valeurs = entree_donnee(individu, "rag", str(a))
            if valeurs is None:  # année sans entrée : la valeur par défaut pour tous
                return np.full(concernes.size, individu.get_holder("rag").variable.default_value, dtype=np.float64)
            return valeurs[concernes].astype(np.float64)

        revenus = {a: rag(a) for a in annees}
        # Les sept dernières années déclarées : en remontant depuis l'année qui précède l'arrêt.
        dans_la_fenetre, declarees = {}, np.zeros(concernes.size, dtype=np.int64)
        for a in reversed(annees):
            declaree = (revenus[a] != 0) & (a < annee_arret) & (a >= annee_arret - profondeur)
            dans_la_fenetre[a] = declaree & (declarees < fenetre)
            declarees += dans_la_fenetre[a]

        moyenne = moyenne_des_meilleures_annees(
            annees,
            nombre_retenu,
            revenu=lambda a: np.maximum(revenus[a], 0.0),  # R732-4-1 : déficits retenus pour un montant nul
            plafond=lambda _a: np.inf,
            revalorisation=lambda _a: 1.0,
            seuil_validation=lambda _a: 0.0,
            dans_la_fenetre=lambda a: dans_la_fenetre[a],
        )
        # Le moteur ne compte que les années de revenu positif ; R732-4-1 2° divise par
        # toutes les années d'assurance de la fenêtre, déficits compris.
        somme = moyenne.moyenne * np.clip(moyenne.annees_comptees, 1, nombre_retenu)
        resultat[concernes] = au_centime(somme / np.clip(declarees, 1, nombre_retenu))
        return resultat
