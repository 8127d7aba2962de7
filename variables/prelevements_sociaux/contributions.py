"""CSG (part déductible et part imposable), CRDS et CASA sur la pension
d'invalidité du mois, quel que soit le régime qui la verse (L136-8, CGI 154
quinquies, ordonnance 96-50, L137-41).

Mêmes conventions qu'OpenFisca-France (csg_deductible_retraite,
csg_imposable_retraite, crds_retraite, casa) : un prélèvement est un montant
négatif, la pension nette est la somme de la pension brute et des prélèvements.
L'assiette est la pension brute (pension_invalidite, après la réduction pour
cumul) ; la majoration pour tierce personne n'en fait pas partie.
"""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import au_centime
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import textes


def pension_brute(individu, period):
    """Assiette : la pension brute du mois, relue au centime en float64. OpenFisca la
    stocke en float32 (1 003 € × 0,5 % y donnerait 5,01499… au lieu de 5,015), ce qui
    ferait tomber une demi-centime du mauvais côté de l'arrondi."""
    return au_centime(individu("pension_invalidite", period).astype(np.float64))


def taux_de_la_tranche(tranche, bareme):
    """Taux de ``bareme`` (nœud taux_reduit / taux_median / taux_normal) pour la
    tranche de chaque personne ; 0 si exonérée. Le taux médian n'existe que
    depuis 2019 (III bis de L136-8) : avant, personne n'est dans cette tranche."""
    tranches = tranche.possible_values
    median = getattr(bareme, "taux_median", None)
    # Une table des taux par tranche (0 pour les autres), lue au code de la tranche de chacun.
    taux = np.zeros(len(tranches), dtype=np.float64)
    taux[tranches.taux_reduit.index] = bareme.taux_reduit
    taux[tranches.taux_intermediaire.index] = 0.0 if median is None else median
    taux[tranches.taux_plein.index] = bareme.taux_normal
    return taux[np.asarray(tranche)]


def csg_pension(individu, period, parameters, part):
    """Montant (négatif) de la CSG sur la pension : ``part`` = "deductible" ou "imposable"."""
    csg = parameters(period).prelevements_sociaux.csg_remplacement
    tranche = individu("taux_csg_remplacement", period)
    deductible = taux_de_la_tranche(tranche, csg.deductible)
    taux = deductible if part == "deductible" else taux_de_la_tranche(tranche, csg.taux) - deductible
    return 0.0 - au_centime(np.round(taux, 6) * pension_brute(individu, period))


class csg_deductible_pension_invalidite(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "CSG déductible sur la pension d'invalidité du mois (montant négatif)"
    reference = textes("CSS L136-8", "CGI 154 quinquies", "CSS L136-1-2")
    documentation = """
    − taux déductible × pension_invalidite, arrondi au centime : 3,8 % au taux
    réduit (tout), 4,2 points au taux médian (6,6 %), 4,2 points puis 5,9
    depuis 2018 au taux normal ; 0 si exonérée. Déduite du revenu imposable
    (CGI 154 quinquies). Pour toute pension d'invalidité, quel que soit le
    régime qui la verse.
    """

    def formula(individu, period, parameters):
        return csg_pension(individu, period, parameters, "deductible")


class csg_imposable_pension_invalidite(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "CSG non déductible (imposable) sur la pension d'invalidité du mois (montant négatif)"
    reference = textes("CSS L136-8", "CGI 154 quinquies")
    documentation = """
    − (taux global − taux déductible) × pension_invalidite, arrondi au centime :
    0 au taux réduit, 2,4 points au taux médian et au taux normal. Reste dans
    le revenu imposable.
    """

    def formula(individu, period, parameters):
        return csg_pension(individu, period, parameters, "imposable")


class crds_pension_invalidite(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "CRDS sur la pension d'invalidité du mois (montant négatif)"
    reference = textes("Ordonnance 96-50 art. 14", "Ordonnance 96-50 art. 19")
    documentation = """
    − 0,5 % × pension_invalidite, arrondi au centime, dès que la CSG est due
    (taux réduit, médian ou normal) ; 0 pour une pension exonérée de CSG
    (ordonnance 96-50, art. 14 : mêmes exonérations).
    """

    def formula(individu, period, parameters):
        tranche = individu("taux_csg_remplacement", period)
        tranches = tranche.possible_values
        due = (
            (tranche == tranches.taux_reduit)
            | (tranche == tranches.taux_intermediaire)
            | (tranche == tranches.taux_plein)
        )
        taux = parameters(period).prelevements_sociaux.crds.taux
        return 0.0 - np.where(due, au_centime(taux * pension_brute(individu, period)), 0.0)


class casa_pension_invalidite(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = (
        "Contribution additionnelle de solidarité pour l'autonomie (CASA) sur la pension d'invalidité (montant négatif)"
    )
    reference = textes("CSS L137-41")
    documentation = """
    − 0,3 % × pension_invalidite, arrondi au centime, si la CSG est due au taux
    médian ou normal : L137-41 II 1° exclut les pensions des personnes dont le
    revenu fiscal de référence de N-2 ou de N-3 n'excède pas le seuil du taux
    réduit, II 2° les titulaires d'un avantage non contributif (jusqu'en 2020 :
    code de l'action sociale et des familles, L14-10-4, même champ).
    """

    def formula(individu, period, parameters):
        tranche = individu("taux_csg_remplacement", period)
        tranches = tranche.possible_values
        due = (tranche == tranches.taux_intermediaire) | (tranche == tranches.taux_plein)
        taux = parameters(period).prelevements_sociaux.casa.taux
        return 0.0 - np.where(due, au_centime(taux * pension_brute(individu, period)), 0.0)


class pension_invalidite_nette(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Pension d'invalidité nette du mois : pension brute moins CSG, CRDS et CASA"
    reference = textes("CSS L136-8", "Ordonnance 96-50 art. 19", "CSS L137-41")
    documentation = """
    pension_invalidite + csg_deductible_pension_invalidite +
    csg_imposable_pension_invalidite + crds_pension_invalidite +
    casa_pension_invalidite (prélèvements négatifs). Montant avant impôt sur le
    revenu (prélèvement à la source non modélisé), hors majoration pour tierce
    personne. Non modélisés : la cotisation d'assurance maladie des
    non-résidents (L131-9) et celle propre à Mayotte.
    """

    def formula(individu, period):
        return (
            individu("pension_invalidite", period)
            + individu("csg_deductible_pension_invalidite", period)
            + individu("csg_imposable_pension_invalidite", period)
            + individu("crds_pension_invalidite", period)
            + individu("casa_pension_invalidite", period)
        )
