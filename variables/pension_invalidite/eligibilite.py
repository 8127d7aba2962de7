import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import le_meme, une_fois
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles
from openfisca_invalidite.regimes import REGIMES_DU_CODE_DE_LA_SECURITE_SOCIALE, RegimeInvalidite, selon_regime

#: Conditions de la pension de chaque régime ; toutes doivent être remplies.
CONDITIONS_PAR_REGIME = {
    # L341-1, L341-2, R313-5, L341-15 ; salariés agricoles par L742-3 et R742-2 du code rural.
    REGIMES_DU_CODE_DE_LA_SECURITE_SOCIALE: (
        "pension_invalidite_condition_reconnaissance",
        "pension_invalidite_condition_reduction_capacite",
        "pension_invalidite_condition_immatriculation",
        "pension_invalidite_condition_activite",
        "pension_invalidite_condition_age",
    ),
    # Règlement du régime invalidité-décès des travailleurs indépendants, art. 1er, 7 et 12.
    (RegimeInvalidite.ssi,): (
        "pension_invalidite_condition_reconnaissance",
        "pension_invalidite_condition_reduction_capacite",
        "pension_invalidite_ssi_condition_ouverture",
        "pension_invalidite_condition_age",
    ),
    # Code rural L732-8, R732-3.
    (RegimeInvalidite.msa_non_salarie,): (
        "pension_invalidite_condition_reconnaissance",
        "pension_invalidite_condition_reduction_capacite",
        "pension_invalidite_msa_non_salarie_condition_statut",
        "pension_invalidite_msa_non_salarie_condition_assujettissement",
        "pension_invalidite_condition_age",
    ),
}


def toutes_remplies(individu, period, conditions):
    valeurs = [individu(condition, period) for condition in conditions]

    def et():
        eligible = np.asarray(valeurs[0])
        for valeur in valeurs[1:]:
            eligible = eligible & valeur
        return eligible

    # Le même tableau d'un mois à l'autre tant qu'aucune condition ne change.
    return une_fois(individu, ("toutes_remplies", *conditions), et, *valeurs)


class pension_invalidite_eligible(Variable):
    value_type = bool
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "Toutes les conditions de la pension d'invalidité du régime de la personne sont remplies ce mois"
    reference = articles(
        "L341-1",
        "L341-2",
        "L341-4",
        "R313-5",
        "L341-15",
        "CRPM L742-3",
        "CRPM L732-8",
        "CRPM R732-3",
        "Arrêté du 1er août 2023 (règlement SSI)",
    )
    documentation = """
    Selon regime_invalidite. Régime général et salariés agricoles : invalidité
    reconnue et classée, réduction de capacité d'au moins 2/3, 12 mois
    d'immatriculation, condition d'activité (600 heures ou 2 030 SMIC), âge de
    fin de la pension non atteint (ou maintien en activité). Travailleurs
    indépendants (SSI) : invalidité reconnue et classée (PIPM ou PITD),
    réduction de capacité d'au moins 2/3, voie des indemnités journalières ou
    affiliation et revenu minimal (pension_invalidite_ssi_condition_ouverture),
    âge. Non-salariés agricoles : invalidité reconnue et classée (inaptitude
    partielle ou totale), réduction de capacité d'au moins 2/3, qualité qui
    ouvre cette inaptitude (L732-8), 12 mois d'assujettissement (R732-3 III),
    âge. Chaque condition est une variable : une analyste voit laquelle manque.
    """

    def formula(individu, period):
        eligible = selon_regime(
            individu,
            period,
            {
                regimes: (lambda conditions=conditions: toutes_remplies(individu, period, conditions))
                for regimes, conditions in CONDITIONS_PAR_REGIME.items()
            },
            defaut=False,
        )
        return le_meme(individu, "pension_invalidite_eligible", eligible)
