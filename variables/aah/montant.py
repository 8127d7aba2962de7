"""AAH versée en complément d'une pension d'invalidité et de l'ASI (L821-1),
dans la limite du plafond de ressources (D821-2) : conjugalisée jusqu'au
30 septembre 2023, déconjugalisée ensuite (loi 2022-1158 art. 10)."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import MOIS_PAR_AN, au_centime
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import articles


def plafond_annuel(individu, period, parameters, conjugalise):
    p = parameters(period).aah
    majoration = p.plafond_ressources.majoration_par_enfant * individu.famille("nombre_enfants_a_charge", period)
    if conjugalise:
        majoration = majoration + p.plafond_ressources.majoration_couple * individu.famille("en_couple", period)
    return 12 * p.montant_maximum * (1 + majoration)


class aah_avantage_invalidite(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Avantage d'invalidité comparé au montant de l'AAH : pension d'invalidité + ASI"
    reference = articles("L821-1")
    documentation = """
    L821-1 : l'AAH ne complète un avantage d'invalidité que jusqu'au montant
    de l'AAH. Avantage = pension_invalidite + asi (les CAF exigent la demande
    d'ASI d'abord ; OpenFisca-France aah_base_non_cumulable). La majoration pour
    tierce personne en est exclue (prestation pour tierce personne, par analogie
    avec L355-1 : à confirmer).
    """

    def formula(individu, period):
        return individu("pension_invalidite", period) + individu("asi", period)


def montant_aah(individu, period, parameters, conjugalise):
    # Ressources (gardées en float64), plafond et avantage (somme de montants au centime,
    # relue au centime) : l'arrondi au centime est celui du montant exact.
    montant_maximum = parameters(period).aah.montant_maximum
    base = individu("aah_base_ressources_individu", period)
    if conjugalise:
        base = base + individu("aah_ressources_conjoint", period)
    sous_plafond = (plafond_annuel(individu, period, parameters, conjugalise) - base) / MOIS_PAR_AN
    differentiel = montant_maximum - au_centime(individu("aah_avantage_invalidite", period))
    montant = np.clip(np.minimum(differentiel, sous_plafond), 0, montant_maximum)
    return np.where(individu("aah_eligible", period), au_centime(montant), 0.0)


class aah(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Allocation aux adultes handicapés (AAH) versée, en complément éventuel d'une pension d'invalidité"
    reference = articles("L821-1", "L821-3", "D821-2", "Loi 2022-1158 art. 10", "Décret 2022-1694")
    documentation = """
    AAH = min(montant maximal − (pension + ASI) ; (plafond − ressources) / 12),
    borné à [0 ; montant maximal], si aah_eligible ; arrondi au centime.
    Plafond annuel = 12 × montant maximal × (1 + majoration couple si en couple
    + 0,5 par enfant). Jusqu'au 30/09/2023 : ressources du couple (conjoint
    après abattement, aah_ressources_conjoint). Depuis le 1/10/2023 : calcul
    déconjugalisé (ressources et plafond du seul allocataire, + enfants) ;
    l'allocataire qui a aah_conjugalise_eligible garde le plus favorable des
    deux calculs (décret 2022-1694). Réductions pour hospitalisation ou
    incarcération non modélisées.
    """

    def formula(individu, period, parameters):
        return montant_aah(individu, period, parameters, conjugalise=True)

    def formula_2023_10_01(individu, period, parameters):
        deconjugalise = montant_aah(individu, period, parameters, conjugalise=False)
        option = individu("aah_conjugalise_eligible", period)
        if not option.any():
            return deconjugalise
        return np.where(
            option,
            np.maximum(deconjugalise, montant_aah(individu, period, parameters, conjugalise=True)),
            deconjugalise,
        )
