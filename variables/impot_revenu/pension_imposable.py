"""Traitement fiscal de la pension d'invalidité : part imposable de l'année,
abattement de 10 %, exonération des pensions de faible montant ; MTP, ASI et
AAH non imposables (CGI 79, 81, 154 quinquies, 158)."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.populations import ADD
from openfisca_core.variables import Variable

from openfisca_invalidite.commons import au_centime
from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import textes
from openfisca_invalidite.validation import EntreeInvalide


class pension_invalidite_exoneree_ir(Variable):
    value_type = bool
    entity = Individu
    definition_period = DateUnit.YEAR
    label = "La pension d'invalidité de l'année est exonérée d'impôt sur le revenu (pension de faible montant)"
    reference = textes("BOI-RSA-PENS-10-10-10-20", "CGI 81")
    documentation = """
    Doctrine fiscale (décision ministérielle reprise par le BOFiP) : la pension
    d'invalidité servie par un régime de sécurité sociale n'est pas imposable
    si son montant annuel brut « ne dépasse pas » celui de l'AVTS et si les
    ressources du bénéficiaire « n'excèdent pas » le plafond du minimum
    vieillesse (personne seule, ou couple marié ou pacsé : famille maries). Les
    deux bornes sont incluses. Montants en vigueur au 31 décembre de l'année.
    Ressources : le revenu fiscal de référence de l'année (rfr) du foyer, à
    défaut d'un relevé des ressources ; il est exigé (erreur sinon) pour une
    pension au plus égale à l'AVTS. Simplification : seule la pension
    d'invalidité calculée ici est comparée à l'AVTS (pas les autres pensions).
    """

    def formula(individu, period, parameters):
        decembre = period.first_month.offset(11)  # montants en vigueur au 31 décembre de l'année
        p = parameters(decembre).impot_revenu.pensions_faible_montant
        # Montants au centime, lus en float64 (OpenFisca les stocke en float32 : 12 411,44 y devient 12 411,4404).
        pension = au_centime(individu("pension_invalidite", period, options=[ADD]).astype(np.float64))
        faible = (pension > 0) & (pension <= p.montant_avts)  # « ne dépasse pas » : borne incluse
        rfr = au_centime(individu("rfr", period).astype(np.float64))
        manquant = faible & (rfr < 0)
        if manquant.any():
            raise EntreeInvalide(
                individu,
                "rfr",
                period,
                np.flatnonzero(manquant),
                f"revenu fiscal de référence de {period} non renseigné ; une pension d'invalidité au plus égale à "
                f"l'AVTS n'est exonérée d'impôt que si les ressources de {period} n'excèdent pas le plafond "
                "du minimum vieillesse : le donner pour cette année",
            )
        couple = individu.famille("maries", decembre)
        plafond = np.where(couple, p.plafond_ressources.couple, p.plafond_ressources.personne_seule)
        return faible & (rfr <= plafond)  # « n'excèdent pas » : borne incluse


class pension_invalidite_imposable(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.YEAR
    unit = "currency-EUR"
    label = "Pension d'invalidité imposable de l'année (case 1AZ), avant l'abattement de 10 %"
    reference = textes("CGI 79", "CGI 154 quinquies", "BOI-RSA-PENS-10-10-10-20")
    documentation = """
    Somme sur l'année de pension_invalidite + csg_deductible_pension_invalidite
    (la CSG déductible est retranchée, CGI 154 quinquies ; la CSG non
    déductible, la CRDS et la CASA restent imposables) ; 0 si la pension est
    exonérée (pension_invalidite_exoneree_ir). C'est le montant qu'un modèle
    d'impôt sur le revenu prend en entrée : pensions_invalidite
    d'OpenFisca-France. La MTP, l'ASI et l'AAH n'en font pas partie (non
    imposables, prestations_invalidite_non_imposables).
    """

    def formula(individu, period):
        montant = individu("pension_invalidite", period, options=[ADD]) + individu(
            "csg_deductible_pension_invalidite", period, options=[ADD]
        )
        return np.where(individu("pension_invalidite_exoneree_ir", period), 0.0, au_centime(montant))


class abattement_pension_invalidite(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.YEAR
    unit = "currency-EUR"
    label = "Abattement de 10 % sur la pension d'invalidité imposable de l'année"
    reference = textes("CGI 158")
    documentation = """
    CGI 158, 5, a : 10 % de la pension imposable, au moins le minimum par
    pensionné sans excéder la pension, au plus le plafond par foyer fiscal
    (montant non arrondi : l'arrondi des revenus à l'euro de la déclaration
    n'est pas modélisé). Simplification : l'abattement
    est calculé sur la seule pension d'invalidité de la personne ; le plafond,
    commun à toutes les pensions du foyer, ne peut mordre qu'au-delà de dix fois
    son montant (plus de 43 000 € de pension par an).
    """

    def formula(individu, period, parameters):
        p = parameters(period).impot_revenu.abattement_pensions
        pension = individu("pension_invalidite_imposable", period)
        abattement = np.maximum(p.taux * pension, p.minimum)
        return np.minimum(np.minimum(abattement, pension), p.maximum)


class pension_invalidite_imposable_apres_abattement(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.YEAR
    unit = "currency-EUR"
    label = "Pension d'invalidité de l'année retenue dans le revenu imposable, après l'abattement de 10 %"
    reference = textes("CGI 158", "CGI 79")
    documentation = "pension_invalidite_imposable − abattement_pension_invalidite (revenu catégoriel des pensions)."

    def formula(individu, period):
        return individu("pension_invalidite_imposable", period) - individu("abattement_pension_invalidite", period)


class prestations_invalidite_non_imposables(Variable):
    value_type = float
    entity = Individu
    definition_period = DateUnit.YEAR
    unit = "currency-EUR"
    label = "Prestations d'invalidité de l'année exclues du revenu imposable : MTP, ASI, AAH"
    reference = textes("CGI 81", "BOI-RSA-PENS-10-10-10-20")
    documentation = """
    Somme sur l'année de majoration_tierce_personne (majoration pour assistance
    d'une tierce personne servie par un régime de sécurité sociale), asi
    (allocation non contributive, décision ministérielle du 30 novembre 1956
    reprise par le BOFiP) et aah (CGI 81) : ni déclarées ni imposées.
    """

    def formula(individu, period):
        return (
            individu("majoration_tierce_personne", period, options=[ADD])
            + individu("asi", period, options=[ADD])
            + individu("aah", period, options=[ADD])
        )
