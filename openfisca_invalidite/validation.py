"""Contrôle des entrées : une valeur hors de son domaine est refusée avec un
message qui nomme la variable, la personne et la période.

L'erreur dérive de ``SituationParsingError`` : l'API web OpenFisca la rend en
réponse 400 (et non 500), et l'API Python la lève telle quelle.
"""

from __future__ import annotations

import numpy as np
from openfisca_core.errors import SituationParsingError


class EntreeInvalide(SituationParsingError):
    """Valeur d'entrée hors du domaine de la variable."""

    def __init__(self, population, variable: str, period, indices: np.ndarray, message: str) -> None:
        ids = getattr(population, "ids", None)
        noms = [str(ids[i]) if ids is not None and len(ids) > i else str(i) for i in indices[:5]]
        plural = population.entity.plural
        reste = f" (et {len(indices) - 5} autres)" if len(indices) > 5 else ""
        texte = f"{variable} : {message} — {plural} {', '.join(noms)}{reste}."
        self.variable = variable
        self.indices = indices
        super().__init__([plural, noms[0], variable, str(period)], texte, code=400)


def verifier(population, variable: str, period, valeurs: np.ndarray, minimum=None, maximum=None) -> None:
    """Lève ``EntreeInvalide`` si une valeur est non finie ou hors de [minimum, maximum]."""
    valeurs = np.asarray(valeurs)
    if valeurs.dtype.kind not in "fiu":
        return
    hors = ~np.isfinite(valeurs) if valeurs.dtype.kind == "f" else np.zeros(valeurs.shape, dtype=bool)
    if hors.any():
        indices = np.flatnonzero(hors)
        raise EntreeInvalide(population, variable, period, indices, f"valeur non finie ({valeurs[indices[0]]})")
    if minimum is not None:
        hors = valeurs < minimum
        if hors.any():
            indices = np.flatnonzero(hors)
            raise EntreeInvalide(
                population, variable, period, indices,
                f"{valeurs[indices[0]]:g} est inférieur au minimum admis {minimum:g}",
            )
    if maximum is not None:
        hors = valeurs > maximum
        if hors.any():
            indices = np.flatnonzero(hors)
            raise EntreeInvalide(
                population, variable, period, indices,
                f"{valeurs[indices[0]]:g} est supérieur au maximum admis {maximum:g}",
            )


def entree_bornee(minimum=None, maximum=None, repartition=None):
    """Fabrique un ``set_input`` qui contrôle le domaine avant d'enregistrer.

    ``repartition`` est, au besoin, la fonction OpenFisca de répartition sur
    les sous-périodes (``set_input_divide_by_period``…).
    """

    def set_input(holder, period, array):
        tableau = holder._to_array(array)
        verifier(holder.population, holder.variable.name, period, tableau, minimum, maximum)
        if repartition is not None:
            return repartition(holder, period, tableau)
        return holder._set(period, tableau)

    return set_input
