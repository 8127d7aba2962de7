"""Réformes structurelles : une formule remplacée (``update_variable``), et non
un simple paramètre changé.

Patron : on écrit une variable de même nom que celle du système de référence,
avec la nouvelle formule, puis ``self.update_variable(variable)`` dans
``apply`` ; les attributs non redéfinis (entité, période, libellé…) sont repris
de la variable d'origine. ``self.replace_variable`` la remplacerait entièrement.
"""

from __future__ import annotations

import numpy as np
from openfisca_core.reforms import Reform
from openfisca_core.variables import Variable

from openfisca_invalidite.references import articles

#: Arguments d'une formule OpenFisca qui lit les paramètres : (population, period, parameters).
ARGUMENTS_FORMULE_AVEC_PARAMETRES = 3


class pension_invalidite_age_fin(Variable):
    label = "Âge auquel la pension d'invalidité prend fin : l'âge légal général de la génération (réforme)"
    reference = articles("L341-15", "L351-1", "L161-17-2")
    documentation = """
    Réforme FinPensionAgeLegal : la pension prend fin au mois où la personne
    atteint l'âge légal général de sa génération (age_legal_retraite, L351-1
    al. 1, barème en vigueur au mois calculé), comme avant la LFRSS 2023, au
    lieu de l'âge de L351-1-5 (62 ans). Maintien en activité (L341-16) inchangé.
    """

    def formula(individu, period):
        return individu("age_legal_retraite", period)


class FinPensionAgeLegal(Reform):
    """La pension d'invalidité prend fin à l'âge légal général de la génération
    (jusqu'à 64 ans) au lieu de 62 ans : la formule de la condition d'âge lit
    ``age_legal_retraite`` au lieu de ``age_retraite_inaptitude`` : seule la
    variable ``pension_invalidite_age_fin`` est remplacée.

    Contrefactuel structurel de l'article 11 de la LFRSS 2023 (L341-15 renvoyait
    avant elle à l'âge légal général) : les invalides suivent le droit commun,
    y compris la montée progressive par génération et sa suspension par la
    LFSS 2026, et toute réforme de l'âge légal (``reforme_age_retraite``,
    ``RetourA62``…) se répercute alors sur eux. Exemple du patron
    ``update_variable``.
    """

    name = "Fin de la pension d'invalidité à l'âge légal général de la génération"

    def apply(self):
        self.update_variable(pension_invalidite_age_fin)


def _appeler(formule, population, period, parameters):
    """Appelle une formule OpenFisca avec les arguments qu'elle attend."""
    if formule.__code__.co_argcount >= ARGUMENTS_FORMULE_AVEC_PARAMETRES:
        return formule(population, period, parameters)
    return formule(population, period)


class PlancherAAH(Reform):
    """La pension d'invalidité (avant cumul) ne peut être inférieure au montant
    maximal de l'AAH : pour tout pensionné éligible, pension = max(pension
    calculée par la loi en vigueur, montant de l'AAH du mois).

    Idée débattue d'un minimum d'invalidité au niveau de l'AAH (aujourd'hui
    le minimum L341-5, aligné sur l'AVTS, vaut environ le tiers de l'AAH et
    l'écart est comblé par l'ASI puis l'AAH différentielle, sous conditions de
    ressources). Pour mesurer qui gagne (pensionnés sans droit à l'ASI ni à
    l'AAH, p. ex. à cause des ressources du foyer) et le transfert du FSI et de
    l'État vers l'assurance invalidité. La formule d'origine est reprise telle
    quelle puis relevée (patron ``update_variable`` réutilisant la formule du
    système de référence) ; le plancher s'applique après le maximum de la
    catégorie et avant la réduction pour cumul avec des revenus.
    """

    name = "Pension d'invalidité au moins égale au montant maximal de l'AAH"

    def apply(self):
        origine = self.baseline.get_variable("pension_invalidite_avant_cumul", check_existence=True)
        formules = dict(origine.formulas)

        def plancher(individu, period, parameters):
            formule = origine.get_formula(period)
            montant = _appeler(formule, individu, period, parameters)
            montant_aah = parameters(period).aah.montant_maximum
            eligible = individu("pension_invalidite_eligible", period)
            return np.where(eligible, np.maximum(montant, montant_aah), montant)

        attributs = {"__module__": __name__}
        for date_formule in formules:
            attributs["formula" if date_formule == "0001-01-01" else "formula_" + date_formule.replace("-", "_")] = (
                plancher
            )
        self.update_variable(type("pension_invalidite_avant_cumul", (Variable,), attributs))
