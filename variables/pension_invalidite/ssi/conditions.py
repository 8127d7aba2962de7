"""Conditions d'ouverture propres à la pension d'invalidité des travailleurs
indépendants (SSI) : règlement du régime invalidité-décès, art. 1er.

Les autres conditions sont celles de la chaîne commune : invalidité reconnue
et classée (pension_invalidite_condition_reconnaissance : 1re catégorie =
pension pour incapacité partielle au métier, PIPM ; 2e et 3e = pension
d'invalidité totale et définitive, PITD), perte de capacité de plus des deux
tiers (art. 7 et 12), âge de fin (pension_invalidite_condition_age).
"""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import (
    ANNEE_SANS_ARRET,
    annee,
    entree_a_la_periode_de_chacun,
    indice_mois,
    parametres_historiques,
    une_fois,
    valeur_a_dates,
    valeur_au_premier_janvier,
)
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles
from openfisca_invalidite.regimes import date_d_effet

REGLEMENTS = ("Arrêté du 4 juillet 2014 (règlement SSI)", "Arrêté du 1er août 2023 (règlement SSI)")


def _par_annee(individu, variable, annees, connus):
    """Valeur d'une variable annuelle à l'année propre à chaque personne dont
    la date d'effet est connue (boucle sur les années distinctes, jamais sur
    les personnes) ; 0 pour les autres."""
    valeurs = entree_a_la_periode_de_chacun(individu, variable, annees, connus)
    return np.where(connus, valeurs, 0.0)


class pension_invalidite_ssi_indemnites_journalieres_a_la_demande(Variable):
    value_type = bool
    entity = Individu
    definition_period = DateUnit.ETERNITY
    label = "Le travailleur indépendant perçoit des indemnités journalières maladie à la date de sa demande"
    reference = articles(*REGLEMENTS)
    documentation = """
    Règlement de 2014, art. 1er 2° : « Lorsque l'assuré bénéficie de ces
    indemnités journalières maladie à la date de la demande de pension […],
    les conditions d'être à jour des cotisations […] et de durée d'affiliation
    […] ne sont plus exigées ». La demande précède la date d'effet (qui est le
    1er jour du 2e mois suivant la demande quand l'assuré perçoit des
    indemnités, art. 23) : le modèle lit indemnites_journalieres_maladie au
    mois qui précède la date d'effet de la pension.
    """

    def formula(individu, period):
        effet = date_d_effet(individu, period)
        mois_precedent = indice_mois(effet) - 1
        connus = annee(effet) < ANNEE_SANS_ARRET
        ij = entree_a_la_periode_de_chacun(
            individu, "indemnites_journalieres_maladie", mois_precedent, connus, mensuelle=True
        )
        return connus & (ij > 0)


class pension_invalidite_ssi_condition_affiliation(Variable):
    value_type = bool
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "Affilié au régime invalidité-décès des indépendants depuis au moins 12 mois à la date de la demande"
    reference = articles(*REGLEMENTS)
    documentation = """
    Règlement de 2014, art. 1er 2° : « avoir été affilié un an au moins au
    régime invalidité-décès […] à la date de la demande » (et avoir versé les
    cotisations dues, supposées à jour). Lu dans duree_immatriculation (mois
    d'affiliation au régime qui sert la pension) ≥ 12 (paramètre
    pension_invalidite.ssi.conditions.duree_affiliation_minimale en vigueur à la
    date d'effet).
    """

    def formula(individu, period):
        conditions = parametres_historiques(individu).pension_invalidite.ssi.conditions
        effet = date_d_effet(individu, period)
        # Durée exigée à la date d'effet : fixée une fois par personne.
        exige = une_fois(
            individu,
            "ssi_affiliation_exigee",
            lambda: valeur_a_dates(conditions.duree_affiliation_minimale, effet),
            effet,
        )
        duree = individu("duree_immatriculation", period)
        return une_fois(individu, "ssi_condition_affiliation", lambda: np.asarray(duree) >= exige, duree, exige)


class pension_invalidite_ssi_revenu_moyen_annees_precedentes(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.ETERNITY
    unit = "currency-EUR"
    label = "Revenu d'activité annuel moyen des années civiles précédant la date d'effet (travailleur indépendant)"
    reference = articles("Arrêté du 1er août 2023 (règlement SSI)")
    documentation = """
    Moyenne de rpns_imposables sur les années civiles qui précèdent l'année de
    la date d'effet (3 années : pension_invalidite.ssi.conditions.
    nombre_annees_revenu_minimal). Fixé une fois par personne.
    Simplifications : pas de prorata des périodes non cotisées ni de moyenne
    depuis l'affiliation pour moins de trois années d'affiliation (règle de
    l'art. 34 pour le capital décès, non lue pour la pension).
    """

    def formula(individu, period):
        conditions = parametres_historiques(individu).pension_invalidite.ssi.conditions
        effet = date_d_effet(individu, period)
        nombre = valeur_a_dates(conditions.nombre_annees_revenu_minimal, effet).astype(int)
        annee_effet = annee(effet)
        connus = annee_effet < ANNEE_SANS_ARRET
        somme = np.zeros(individu.count)
        for rang in range(1, int(nombre.max(initial=0)) + 1):
            revenu = _par_annee(individu, "rpns_imposables", annee_effet - rang, connus)
            somme += np.where(rang <= nombre, revenu, 0.0)
        return np.where(nombre > 0, somme / np.maximum(nombre, 1), 0.0)


class pension_invalidite_ssi_revenu_minimal_exige(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.ETERNITY
    unit = "currency-EUR"
    label = "Revenu annuel moyen exigé sur les années précédant la date d'effet (part du PASS moyen de ces années)"
    reference = articles("Arrêté du 1er août 2023 (règlement SSI)", "L241-3")
    documentation = """
    Part du plafond (10 % depuis le règlement de 2023, 0 avant : paramètre
    pension_invalidite.ssi.conditions.revenu_minimal_en_part_du_pass, en vigueur
    à la date d'effet) × moyenne des PASS des mêmes années. Fixé une fois par
    personne.
    """

    def formula(individu, period):
        p = parametres_historiques(individu)
        conditions = p.pension_invalidite.ssi.conditions
        effet = date_d_effet(individu, period)
        part = valeur_a_dates(conditions.revenu_minimal_en_part_du_pass, effet)
        nombre = valeur_a_dates(conditions.nombre_annees_revenu_minimal, effet).astype(int)
        annee_effet = annee(effet)
        somme = np.zeros(individu.count)
        for rang in range(1, int(nombre.max(initial=0)) + 1):
            plafond = valeur_au_premier_janvier(
                p.references_sociales.plafond_annuel_securite_sociale, np.minimum(annee_effet, ANNEE_SANS_ARRET) - rang
            )
            somme += np.where(rang <= nombre, plafond, 0.0)
        return np.where(nombre > 0, part * somme / np.maximum(nombre, 1), 0.0)


class pension_invalidite_ssi_condition_revenu(Variable):
    value_type = bool
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "Le revenu annuel moyen des 3 années précédant la date d'effet atteint 10 % du PASS moyen"
    reference = articles("Arrêté du 1er août 2023 (règlement SSI)")
    documentation = """
    Voie hors indemnités journalières, règlement de 2023 (art. 1er, texte non
    lu en entier ; condition décrite par ameli) : revenu d'activité annuel
    moyen des 3 années civiles précédant la date d'effet au moins égal à 10 %
    de la moyenne des PASS de ces années. Toujours remplie pour une date
    d'effet antérieure au règlement (part exigée 0).
    """

    def formula(individu, period):
        revenu = individu("pension_invalidite_ssi_revenu_moyen_annees_precedentes", period)
        exige = individu("pension_invalidite_ssi_revenu_minimal_exige", period)
        return une_fois(individu, "ssi_condition_revenu", lambda: revenu >= exige, revenu, exige)


class pension_invalidite_ssi_condition_ouverture(Variable):
    value_type = bool
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "Conditions administratives de la pension SSI : voie des indemnités journalières, ou affiliation et revenu"
    reference = articles(*REGLEMENTS)
    documentation = """
    Règlement, art. 1er : l'assuré qui perçoit des indemnités journalières
    maladie à la date de sa demande n'a pas d'autre condition
    (pension_invalidite_ssi_indemnites_journalieres_a_la_demande) ; sinon il
    doit être affilié depuis 12 mois (pension_invalidite_ssi_condition_affiliation)
    et, depuis le règlement de 2023, justifier du revenu minimal
    (pension_invalidite_ssi_condition_revenu).
    """

    def formula(individu, period):
        voie_ij = individu("pension_invalidite_ssi_indemnites_journalieres_a_la_demande", period)
        affiliation = individu("pension_invalidite_ssi_condition_affiliation", period)
        revenu = individu("pension_invalidite_ssi_condition_revenu", period)
        return une_fois(
            individu, "ssi_condition_ouverture", lambda: voie_ij | (affiliation & revenu), voie_ij, affiliation, revenu
        )
