"""Fin de la pension d'invalidité à l'âge de la retraite (L341-15, L341-16 ;
code rural R732-3, R732-3-1 ; règlement des travailleurs indépendants)."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import (
    age_en_mois,
    bareme_par_generation,
    date_naissance_verifiee,
    debut,
    indice_mois,
    le_meme,
    une_fois,
)
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles
from openfisca_invalidite.regimes import REGIMES_DU_CODE_DE_LA_SECURITE_SOCIALE, RegimeInvalidite, selon_regime


class pension_invalidite_age_fin(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "Âge auquel la pension d'invalidité de la personne prend fin (en années)"
    reference = articles(
        "L341-15",
        "L351-1-5",
        "LFRSS 2023 art. 11",
        "CRPM R732-3",
        "Arrêté du 1er août 2023 (règlement SSI)",
    )
    documentation = """
    Régime général et salariés agricoles (L341-15) : l'âge de L351-1-5
    (age_retraite_inaptitude : 62 ans pour les générations 1955 et suivantes,
    l'âge légal général jusqu'au 31 août 2023). Travailleurs indépendants :
    l'âge de L161-17-2 (règlement de 2014, art. 23), puis celui de L351-1-5
    (règlement de 2023, art. 1er) — le même barème. Non-salariés agricoles :
    R732-3 VIII, « jusqu'à la fin du mois au cours duquel l'intéressé atteint
    l'âge prévu à l'article L. 732-18 », l'âge légal de la retraite de
    L161-17-2 (age_legal_retraite) ; aucun texte lu ne ramène cet âge à celui
    de L351-1-5 après la loi de 2023 comme pour le régime général : à confirmer.
    Une réforme qui ferait suivre aux invalides l'âge légal général remplace
    cette seule formule (FinPensionAgeLegal).
    """

    def formula(individu, period):
        return selon_regime(
            individu,
            period,
            {
                (*REGIMES_DU_CODE_DE_LA_SECURITE_SOCIALE, RegimeInvalidite.ssi): (
                    lambda: individu("age_retraite_inaptitude", period)
                ),
                (RegimeInvalidite.msa_non_salarie,): lambda: individu("age_legal_retraite", period),
            },
            garder="pension_invalidite_age_fin",
            dtype=np.float32,  # le type de la variable : OpenFisca garde le tableau tel quel
        )


class pension_invalidite_maintien_en_activite_possible(Variable):
    value_type = bool
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "Le régime maintient la pension au-delà de l'âge de fin à l'assuré qui travaille"
    reference = articles("L341-16", "CRPM R732-3-1", "LFSS 2017 art. 51")
    documentation = """
    Régime général et salariés agricoles : L341-16 (depuis 2010). Non-salariés
    agricoles : R732-3-1 (depuis le décret 2010-668). Travailleurs indépendants : depuis
    le 1er janvier 2017 seulement (LFSS 2017, art. 51, à L635-5) ; avant, le
    règlement de 2014 supprimait la pension à l'âge de L161-17-2 sans exception
    (paramètre pension_invalidite.ssi.fin_de_droit.maintien_en_activite_possible).
    """

    def formula(individu, period, parameters):
        possible = selon_regime(
            individu,
            period,
            {
                (*REGIMES_DU_CODE_DE_LA_SECURITE_SOCIALE, RegimeInvalidite.msa_non_salarie): (
                    lambda: np.ones(individu.count, dtype=bool)
                ),
                (RegimeInvalidite.ssi,): lambda: np.full(
                    individu.count,
                    bool(parameters(period).pension_invalidite.ssi.fin_de_droit.maintien_en_activite_possible),
                ),
            },
            defaut=False,
        )
        return le_meme(individu, "pension_invalidite_maintien_en_activite_possible", possible)


class pension_invalidite_en_activite(Variable):
    value_type = bool
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "La personne exerce une activité professionnelle (salariée ou non salariée) ce mois"
    reference = articles("L341-16", "CRPM R732-3-1", "LFSS 2017 art. 51")
    documentation = """
    Revenus d'activité du mois (revenus_activite > 0), ou revenus
    professionnels non salariés (rpns_imposables) ou agricoles (rag) de
    l'année du mois positifs. Le maintien de la pension au-delà de l'âge de
    fin suppose l'exercice d'une activité et qu'aucune pension de vieillesse
    ne soit demandée : le modèle suppose qu'elle ne l'est pas tant que
    l'activité dure.
    """

    def formula(individu, period):
        revenus = individu("revenus_activite", period)
        non_salaries = individu("rpns_imposables", period.this_year)
        agricoles = individu("rag", period.this_year)
        return une_fois(
            individu,
            "pension_invalidite_en_activite",
            lambda: (revenus > 0) | (non_salaries > 0) | (agricoles > 0),
            revenus,
            non_salaries,
            agricoles,
        )


class pension_invalidite_condition_age(Variable):
    value_type = bool
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "La personne n'a pas atteint l'âge de fin de la pension d'invalidité (ou la garde en travaillant)"
    reference = articles("L341-15", "L341-16", "L351-1-5", "LFRSS 2023 art. 11", "CRPM R732-3", "CRPM R732-3-1")
    documentation = """
    La pension est due jusqu'au mois où la personne atteint l'âge de fin de la
    pension de son régime (pension_invalidite_age_fin), ce mois inclus : la
    pension de vieillesse pour inaptitude prend le relais le 1er du mois
    suivant. Si elle exerce une activité (pension_invalidite_en_activite) et que
    son régime le permet (pension_invalidite_maintien_en_activite_possible), la
    pension est maintenue jusqu'au mois où elle atteint l'âge du taux plein
    automatique (67 ans : L351-8 1° pour le régime général et les
    indépendants, L732-25 du code rural pour les non-salariés agricoles, même
    barème), tant que l'activité dure.
    """

    def formula(individu, period, parameters):
        fin_de_droit = parameters(period).pension_invalidite.fin_de_droit
        date_naissance_verifiee(individu, period)
        mois_naissance = individu("rang_mois_naissance", period)
        mois_calcul = int(indice_mois(debut(period)))
        age_fin = individu("pension_invalidite_age_fin", period)
        age_limite = bareme_par_generation(individu, period, fin_de_droit.age_limite_poursuite_activite)
        # Derniers mois de droit : relus d'un mois à l'autre tant que les âges ne changent pas.
        dernier_mois = une_fois(
            individu, "dernier_mois", lambda: mois_naissance + age_en_mois(age_fin), mois_naissance, age_fin
        )
        dernier_mois_en_activite = une_fois(
            individu,
            "dernier_mois_en_activite",
            lambda: mois_naissance + age_en_mois(age_limite),
            mois_naissance,
            age_limite,
        )
        en_activite = individu("pension_invalidite_en_activite", period)
        possible = individu("pension_invalidite_maintien_en_activite_possible", period)
        maintien = une_fois(individu, "maintien", lambda: en_activite & possible, en_activite, possible)
        condition = (mois_calcul <= dernier_mois) | (maintien & (mois_calcul <= dernier_mois_en_activite))
        return le_meme(individu, "pension_invalidite_condition_age", condition)
