"""Montant de l'ASI : forfait réduit du dépassement jusqu'au 31 mars 2020,
différentielle (plafond − ressources) depuis le 1er avril 2020."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import au_centime
from openfisca_invalidite.entities import Individu, parents
from openfisca_invalidite.references import articles


def situation_du_couple(individu, period):
    """Pour chaque personne : parent de la famille, en couple, conjoint
    allocataire de l'ASI, conjoint ayant droit à l'ASPA, nombre d'allocataires."""
    parent = parents(individu)
    eligible = individu("asi_eligibilite", period) & parent
    aspa = individu("aspa_eligibilite", period) & parent
    en_couple = individu.famille("en_couple", period)
    # Sommes sur la famille de valeurs déjà nulles hors des parents : celles des parents.
    allocataires = individu.famille.sum(eligible)
    conjoint_asi = en_couple & (allocataires - eligible > 0)
    conjoint_aspa = en_couple & (individu.famille.sum(aspa) - aspa > 0)
    return eligible, en_couple, conjoint_asi, conjoint_aspa, allocataires


class asi(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.MONTH
    unit = "currency-EUR"
    label = "Allocation supplémentaire d'invalidité (ASI), montant mensuel servi"
    reference = articles("L815-24", "L815-24-1", "D815-19", "L341-5")
    documentation = """
    Depuis le 1er avril 2020 (loi 2019-1479 art. 270, décret 2020-1251) :
    ASI = plafond − ressources du foyer (asi_base_ressources). Personne seule :
    plafond « personne seule ». En couple (D815-19 2°) : plafond « couple » ;
    a) conjoint allocataire de l'ASI : versée par moitié à chacun ; b) conjoint
    non allocataire : au plus plafond seul − minimum de pension d'invalidité
    (L341-5) ; c) conjoint titulaire de l'ASPA : moitié du plafond couple moins
    moitié des ressources du couple. Plafonds annuels / 12, résultat arrondi
    au centime. La version de D815-19 du 1/4/2020 au 31/3/2021 n'a pas été lue :
    la règle b) y est supposée déjà en vigueur (à confirmer).
    Avant le 1er avril 2020 : montant maximal (seul, ou couple pour deux
    allocataires mariés, deux fois le montant seul pour deux allocataires non
    mariés), réduit du dépassement du plafond par ressources + ASI ; partagé
    par moitié entre deux allocataires (OpenFisca-France formula_2007). Le cas
    du conjoint titulaire de l'ASPA avant 2020 (plafonds ASPA) n'est pas
    modélisé : il est traité comme un seul allocataire en couple.
    """

    def formula_2020_04_01(individu, period, parameters):
        p = parameters(period)
        eligible, en_couple, conjoint_asi, conjoint_aspa, _ = situation_du_couple(individu, period)
        # Somme de montants au centime, relue au centime depuis son stockage float32.
        ressources = au_centime(individu.famille("asi_base_ressources", period))
        plafond_seul = p.asi.plafond_ressources.personne_seule / 12
        plafond_couple = p.asi.plafond_ressources.couple / 12
        montant = np.select(
            [~en_couple, conjoint_asi | conjoint_aspa],
            [plafond_seul - ressources, (plafond_couple - ressources) / 2],
            np.minimum(plafond_couple - ressources, plafond_seul - p.pension_invalidite.montant.minimum),
        )
        return np.where(eligible, au_centime(np.maximum(montant, 0)), 0.0)

    def formula(individu, period, parameters):
        p = parameters(period).asi
        eligible, en_couple, _, _, allocataires = situation_du_couple(individu, period)
        deux_allocataires = en_couple & (allocataires >= 2)  # noqa: PLR2004 — les deux membres du couple
        maries = individu.famille("maries", period)
        seul = p.montant_maximum.personne_seule / 12
        montant_maximal = np.where(deux_allocataires, np.where(maries, p.montant_maximum.couple / 12, 2 * seul), seul)
        plafond = np.where(en_couple, p.plafond_ressources.couple, p.plafond_ressources.personne_seule) / 12
        ressources = au_centime(individu.famille("asi_base_ressources", period))
        depassement = np.maximum(ressources + montant_maximal - plafond, 0)
        montant_foyer = np.maximum(montant_maximal - depassement, 0)
        part = np.where(deux_allocataires, montant_foyer / 2, montant_foyer)
        return np.where(eligible, au_centime(part), 0.0)
