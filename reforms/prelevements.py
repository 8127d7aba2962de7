"""Réformes des prélèvements sociaux sur les pensions d'invalidité."""

from __future__ import annotations

import numpy as np
from openfisca_core.variables import Variable
from openfisca_invalidite.reforms.parametres import classe_reforme, instant

VARIABLE_TAUX = "taux_csg_remplacement"


def reforme_csg_invalidite_taux_reduit(date_effet, nom: str | None = None):
    """Classe de réforme : à compter de ``date_effet``, la pension d'invalidité
    qui supporterait la CSG au taux médian (6,6 %) ou normal (8,3 %) la supporte
    au taux réduit de 3,8 %, donc sans CASA (L137-41 ne vise que les pensions
    au-dessus du seuil du taux réduit) ; la CRDS (0,5 %) reste due. Les pensions
    exonérées le restent. Seule la formule de ``taux_csg_remplacement`` change :
    les taux, les seuils et les autres revenus ne sont pas touchés."""
    debut = instant(date_effet)
    date_texte = str(debut)
    libelle = f"CSG des pensions d'invalidité alignée sur le taux réduit de 3,8 % à compter du {date_texte}"

    def appliquer(reforme):
        origine = reforme.baseline.get_variable(VARIABLE_TAUX, check_existence=True)

        def au_taux_reduit(individu, period, parameters):
            tranche = origine.get_formula(period)(individu, period, parameters)
            if period.start < debut:
                return tranche
            tranches = origine.possible_values
            codes = tranches.encode(tranche) if not hasattr(tranche, "possible_values") else tranche
            au_dessus = (codes == tranches.taux_intermediaire) | (codes == tranches.taux_plein)
            return np.where(au_dessus, tranches.taux_reduit.index, np.asarray(codes))

        attributs = {"__module__": __name__}
        for date_formule in origine.formulas:
            nom_formule = "formula" if date_formule == "0001-01-01" else "formula_" + date_formule.replace("-", "_")
            attributs[nom_formule] = au_taux_reduit
        reforme.update_variable(type(VARIABLE_TAUX, (Variable,), attributs))

    nom = nom or f"CsgInvaliditeTauxReduit{date_texte.replace('-', '')}"
    return classe_reforme(nom, libelle + ".", appliquer, libelle=libelle, module=__name__)


class CsgInvaliditeTauxReduit(reforme_csg_invalidite_taux_reduit("2025-01-01")):
    """CSG des pensions d'invalidité au taux réduit de 3,8 % (au lieu de 6,6 %
    ou 8,3 %) pour les pensionnés au-dessus du seuil du taux réduit, sans CASA,
    à compter du 1er janvier 2025.

    Pour chiffrer ce que gagneraient les pensionnés d'invalidité si leur
    pension, revenu de remplacement d'une capacité de travail perdue, était
    traitée comme les revenus du bas du barème : le gain est de 2,8 ou 4,5
    points de CSG et 0,3 point de CASA sur la pension brute, pour ceux dont le
    revenu fiscal de référence dépasse le seuil du taux réduit deux années de
    suite. Exemple du patron « formule d'origine reprise puis modifiée ».
    """
