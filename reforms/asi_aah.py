"""Réformes de l'ASI et de l'AAH : plafonds et montants, conjugalisation de l'AAH.

La conjugalisation de l'AAH n'est pas un paramètre mais un changement de
formule (loi 2022-1158 art. 10 : calcul déconjugalisé à compter du
1er octobre 2023) ; ``reforme_conjugalisation_aah`` reprend la formule du
système de référence en vigueur avant (conjugalisée) ou après
(déconjugalisée) cette date et l'applique à compter d'une autre date.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from openfisca_core.variables import Variable
from openfisca_invalidite.reforms.parametres import ReformeInvalide, classe_reforme, instant, reforme_majoration

if TYPE_CHECKING:
    from openfisca_core.reforms import Reform

ASI_PLAFONDS = ("asi.plafond_ressources.personne_seule", "asi.plafond_ressources.couple")
AAH_MONTANT = "aah.montant_maximum"
MOIS_AAH_CONJUGALISEE = "2023-09"  # dernier mois du calcul conjugalisé (loi 2022-1158 art. 10)
MOIS_AAH_DECONJUGALISEE = "2023-10"


class AsiPlafondsPlus10(reforme_majoration(ASI_PLAFONDS, 1.1, "2025-04-01", nom="AsiPlafondsPlus10")):
    """Plafonds de ressources de l'ASI (personne seule et couple) majorés de
    10 % à compter du 1er avril 2025, revalorisations suivantes comprises
    (arrondi au centime).

    L'ASI étant différentielle depuis 2020 (plafond − ressources), chaque
    allocataire gagne 10 % du plafond mensuel (91,49 € pour une personne seule
    en 2025) et de nouveaux pensionnés y entrent ; l'AAH différentielle, qui
    complète pension + ASI, baisse d'autant pour ceux qui la touchent : de quoi
    mesurer le transfert entre le FSI (ASI) et l'État (AAH).
    """


class AahMontantPlus10(reforme_majoration(AAH_MONTANT, 1.1, "2025-04-01", nom="AahMontantPlus10")):
    """Montant maximal de l'AAH majoré de 10 % à compter du 1er avril 2025,
    revalorisations suivantes comprises (arrondi au centime) ; le plafond de
    ressources, multiple du montant, suit.

    Pour chiffrer une revalorisation exceptionnelle de l'AAH et son effet sur
    les pensionnés d'invalidité qui la touchent en complément (AAH =
    montant − pension − ASI).
    """


def reforme_conjugalisation_aah(*, conjugalisee: bool, date_effet, nom: str | None = None) -> type[Reform]:
    """Classe de réforme : à compter de ``date_effet``, l'AAH est calculée avec
    la formule conjugalisée (``conjugalisee=True`` : ressources du couple,
    plafond majoré pour couple, formule en vigueur jusqu'au 30/09/2023) ou
    déconjugalisée (``False`` : formule en vigueur depuis le 1/10/2023, droit
    d'option transitoire compris). Les formules sont prises dans le système
    auquel la réforme s'applique : elles suivent le code de ``aah``."""
    date_texte = str(instant(date_effet))
    mode = "conjugalisée" if conjugalisee else "déconjugalisée"
    libelle = f"AAH {mode} à compter du {date_texte}"
    nom = nom or f"Aah{'Conjugalisee' if conjugalisee else 'Deconjugalisee'}_{date_texte.replace('-', '')}"
    nom_formule = "formula_" + re.sub(r"-", "_", date_texte)

    def appliquer(reforme):
        variable = reforme.get_variable("aah")
        if variable is None:
            msg = "la variable aah n'existe pas dans ce système : réforme de l'AAH impossible"
            raise ReformeInvalide(msg)
        formule = variable.get_formula(MOIS_AAH_CONJUGALISEE if conjugalisee else MOIS_AAH_DECONJUGALISEE)
        if formule is None:
            msg = "aah n'a pas de formule à la date attendue : réforme de l'AAH impossible"
            raise ReformeInvalide(msg)
        nouvelle = type("aah", (Variable,), {nom_formule: formule, "__module__": __name__})
        reforme.update_variable(nouvelle)

    return classe_reforme(nom, libelle + ".", appliquer, libelle=libelle, module=__name__)


class AahConjugalisee(reforme_conjugalisation_aah(conjugalisee=True, date_effet="2023-10-01")):
    """L'AAH reste conjugalisée après le 1er octobre 2023 : ressources du couple
    (celles du conjoint après abattement) et plafond majoré pour couple, pour
    tous les allocataires (la déconjugalisation de la loi 2022-1158 annulée).

    Pour mesurer ce que la déconjugalisation a rapporté aux allocataires en
    couple (et, en sens inverse, ce qu'y perdraient les couples où le conjoint
    ne gagne rien, qui profitent du plafond couple) ; l'AAH différentielle des
    pensionnés d'invalidité en couple en dépend directement.
    """


class AahDeconjugalisee2022(reforme_conjugalisation_aah(conjugalisee=False, date_effet="2022-01-01")):
    """AAH déconjugalisée dès le 1er janvier 2022 au lieu du 1er octobre 2023 :
    le calcul individuel en vigueur depuis (droit d'option compris) appliqué
    21 mois plus tôt.

    Pour chiffrer rétrospectivement une déconjugalisation plus précoce (la
    proposition de loi votée en première lecture en 2021) sur les années
    2022-2023.
    """
