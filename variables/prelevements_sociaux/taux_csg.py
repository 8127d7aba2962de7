"""Taux de CSG de la pension : exonération, taux réduit, médian ou normal,
selon le revenu fiscal de référence (L136-1-2, L136-8 III, III bis)."""

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_invalidite.entities import Individu
from openfisca_invalidite.references import textes
from openfisca_invalidite.validation import EntreeInvalide

DEMI_PART = 0.5


class TauxCsgRemplacement(Enum):
    __order__ = "non_renseigne exonere taux_reduit taux_intermediaire taux_plein"
    non_renseigne = "Non renseigné : pas de pension, revenu fiscal de référence inconnu"
    exonere = "Exonéré de CSG et de CRDS"
    taux_reduit = "Taux réduit (3,8 %)"
    taux_intermediaire = "Taux médian (6,6 %, depuis 2019)"
    taux_plein = "Taux normal (6,6 % jusqu'en 2017, 8,3 % depuis 2018)"


def _arrondi_euro(montant):
    """À l'euro le plus proche, la demie comptée pour 1 (arrondi des seuils, L136-8 III ter)."""
    return np.floor(np.asarray(montant, dtype=np.float64) + 0.5)


def quarts_de_part(parts):
    """Quarts de part au-delà de la première part (0 pour une part ou moins)."""
    return np.round((np.maximum(parts, 1) - 1) / (DEMI_PART / 2)).astype(np.int64)


def _seuil_des_quarts(premiere_part, premiere_demi_part, demi_part_suivante, quarts):
    demi_parts, quart = quarts // 2, quarts % 2
    seuil = (
        premiere_part
        + premiere_demi_part * np.minimum(demi_parts, 1)
        + demi_part_suivante * np.maximum(demi_parts - 1, 0)
    )
    quart_de_part = np.where(demi_parts == 0, premiere_demi_part, demi_part_suivante) / 2
    return seuil + quart * _arrondi_euro(quart_de_part)


def seuil_par_parts(premiere_part, premiere_demi_part, demi_part_suivante, parts):
    """Seuil d'un foyer de ``parts`` parts : première part, majorée de la première
    demi-part puis de chaque demi-part suivante ; un quart de part vaut la moitié
    de la demi-part dont il fait partie, arrondie à l'euro (tableaux des caisses).
    Calculé une fois par nombre de parts distinct (une table), puis lu pour
    chaque foyer."""
    quarts = quarts_de_part(parts)
    table = _seuil_des_quarts(
        premiere_part, premiere_demi_part, demi_part_suivante, np.arange(int(quarts.max(initial=0)) + 1)
    )
    return table[quarts]


def seuil_zone(bareme, zone, parts):
    """Seuil de L136-8 III selon la zone de résidence : métropole, Martinique-
    Guadeloupe-La Réunion, Guyane et Mayotte (montants propres écrits par la loi).
    Une table zone × nombre de parts, lue pour chaque foyer."""
    zones = zone.possible_values
    quarts = quarts_de_part(parts)
    tous = np.arange(int(quarts.max(initial=0)) + 1)
    noeud_de_la_zone = {
        zones.metropole: bareme.metropole,
        zones.martinique_guadeloupe_reunion: bareme.martinique_guadeloupe_reunion,
        zones.guyane: bareme.guyane_mayotte,
        zones.mayotte: bareme.guyane_mayotte,
    }
    table = np.zeros((len(zones), tous.size))  # une zone sans montant écrit : 0
    for code, n in noeud_de_la_zone.items():
        table[code.index] = _seuil_des_quarts(n.premiere_part, n.premiere_demi_part, n.demi_part_suivante, tous)
    return table[np.asarray(zone), quarts]


def parts_du_foyer(individu, annee, parts_par_defaut):
    """``nbptr`` de l'année, ou ``parts_par_defaut`` s'il n'est pas renseigné (0)."""
    parts = individu("nbptr", annee)
    return np.where(parts > 0, parts, parts_par_defaut)


class assujetti_csg_remplacement(Variable):
    value_type = bool
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "La personne est redevable de la CSG sur ses pensions, avant tout critère de revenu"
    reference = textes("CSS L136-1", "CSS L136-1-2", "CSS L137-41")
    documentation = """
    L136-1 1° : domiciliée en France pour l'impôt et à la charge d'un régime
    obligatoire français d'assurance maladie. L136-1-2 II 1° (et L137-41 II 2°
    pour la CASA) : pas titulaire d'un avantage d'invalidité ou de vieillesse
    non contributif sous conditions de ressources — l'ASI servie ce mois-ci, ou
    le droit à l'ASPA. Mayotte : selon le paramètre assujettissement_mayotte.
    Simplification : l'exonération des allocataires de l'ASI est appréciée
    mois par mois (les caisses l'accordent pour l'année civile).
    """

    def formula(individu, period, parameters):
        csg = parameters(period).prelevements_sociaux.csg_remplacement
        zone = individu("zone_residence", period)
        hors_mayotte = (zone != zone.possible_values.mayotte) | bool(csg.assujettissement_mayotte)
        avantage_non_contributif = (individu("asi", period) > 0) | individu("aspa_eligibilite", period)
        return (
            individu("residence_fiscale_france", period)
            & individu("affilie_assurance_maladie_france", period)
            & hors_mayotte
            & ~avantage_non_contributif
        )


def _exiger_rfr(individu, manquant, annee, period):
    if manquant.any():
        raise EntreeInvalide(
            individu,
            "rfr",
            annee,
            np.flatnonzero(manquant),
            f"revenu fiscal de référence de {annee} non renseigné ; il fixe le taux de CSG de la pension "
            f"d'invalidité de {period} (L136-8) : le donner pour l'année {annee}",
        )


class taux_csg_remplacement(Variable):
    value_type = Enum
    possible_values = TauxCsgRemplacement
    default_value = TauxCsgRemplacement.non_renseigne
    entity = Individu
    definition_period = DateUnit.MONTH
    label = "Taux de CSG de la pension d'invalidité du mois, selon le revenu fiscal de référence"
    reference = textes("CSS L136-8", "CSS L136-1-2", "Loi 2018-1213 art. 3")
    documentation = """
    Seuils de l'année du mois calculé, selon la zone et les parts du foyer de
    chaque année de revenus. Exonéré : non assujetti, ou revenu fiscal de
    référence de N-2 au plus égal au seuil d'exonération (L136-1-2 II 1° :
    « n'excède pas »). Jusqu'en 2018 : 3,8 % s'il est inférieur au seuil du
    taux réduit (« inférieurs à »), taux normal sinon. Depuis 2019 : 3,8 % si
    le revenu de N-2 ou celui de N-3 est inférieur ou égal au seuil du taux
    réduit (L136-8 III 2°, « inférieurs ou égaux » : il faut le dépasser deux
    années de suite pour en sortir) ; 6,6 % si celui de N-2 est inférieur au
    seuil du taux médian (III bis 2°, « inférieurs à ») ; 8,3 % sinon. Un
    pensionné assujetti dont le revenu fiscal de référence nécessaire manque
    fait échouer le calcul (erreur nommant rfr, la personne et l'année). Sans
    pension ni revenu connu : non_renseigne.
    """

    def formula(individu, period, parameters):
        seuils = parameters(period).prelevements_sociaux.csg_remplacement.seuils
        zone = individu("zone_residence", period)
        parts = parts_du_foyer(individu, period.n_2, 1)
        rfr = individu("rfr", period.n_2)
        assujetti = individu("assujetti_csg_remplacement", period)
        pension = individu("pension_invalidite", period) > 0
        connu = rfr >= 0
        _exiger_rfr(individu, assujetti & pension & ~connu, period.n_2, period)
        # La tranche de chaque personne, par son code (index) : OpenFisca la range sans
        # passer par un objet Python par personne.
        tranches = TauxCsgRemplacement
        return np.select(
            [
                ~assujetti,
                ~connu,
                rfr <= seuil_zone(seuils.exoneration, zone, parts),  # L136-1-2 II 1°, « n'excède pas »
                rfr < seuil_zone(seuils.taux_reduit, zone, parts),  # L136-8 III 2°, « sont inférieurs à »
            ],
            [tranches.exonere.index, tranches.non_renseigne.index, tranches.exonere.index, tranches.taux_reduit.index],
            tranches.taux_plein.index,  # L136-8 II 2°
        )

    def formula_2019_01_01(individu, period, parameters):
        seuils = parameters(period).prelevements_sociaux.csg_remplacement.seuils
        zone = individu("zone_residence", period)
        annee_n_3 = period.this_year.offset(-3)
        parts_n_2 = parts_du_foyer(individu, period.n_2, 1)
        parts_n_3 = parts_du_foyer(individu, annee_n_3, parts_n_2)
        rfr_n_2 = individu("rfr", period.n_2)
        rfr_n_3 = individu("rfr", annee_n_3)
        assujetti = individu("assujetti_csg_remplacement", period)
        pension = individu("pension_invalidite", period) > 0
        connu = rfr_n_2 >= 0
        _exiger_rfr(individu, assujetti & pension & ~connu, period.n_2, period)
        exonere = rfr_n_2 <= seuil_zone(seuils.exoneration, zone, parts_n_2)  # L136-1-2 II 1°
        reduit_n_2 = rfr_n_2 <= seuil_zone(seuils.taux_reduit, zone, parts_n_2)  # L136-8 III 2°
        # Au-dessus du seuil en N-2 : le taux réduit reste dû si N-3 n'en sortait pas (III 2°,
        # « l'avant-dernière ou l'antépénultième année ») ; N-3 est alors nécessaire.
        _exiger_rfr(individu, assujetti & pension & connu & ~exonere & ~reduit_n_2 & (rfr_n_3 < 0), annee_n_3, period)
        reduit_n_3 = (rfr_n_3 >= 0) & (rfr_n_3 <= seuil_zone(seuils.taux_reduit, zone, parts_n_3))
        median = seuils.taux_median
        sous_median = rfr_n_2 < seuil_par_parts(
            median.premiere_part, median.demi_part, median.demi_part, parts_n_2
        )  # III bis 2°, « sont inférieurs à » ; pas de montant propre à l'outre-mer
        # La tranche de chaque personne, par son code (index) : OpenFisca la range sans
        # passer par un objet Python par personne.
        tranches = TauxCsgRemplacement
        return np.select(
            [~assujetti, ~connu, exonere, reduit_n_2 | reduit_n_3, sous_median],
            [
                tranches.exonere.index,
                tranches.non_renseigne.index,
                tranches.exonere.index,
                tranches.taux_reduit.index,
                tranches.taux_intermediaire.index,
            ],
            tranches.taux_plein.index,  # L136-8 II 2°
        )
