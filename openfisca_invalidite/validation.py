"""Contrôle des entrées : une valeur hors de son domaine est refusée avec un
message qui nomme la variable, la personne et la période.

L'erreur dérive de ``SituationParsingError`` : l'API web OpenFisca la rend en
réponse 400 (et non 500), et l'API Python la lève telle quelle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from openfisca_core.errors import SituationParsingError

if TYPE_CHECKING:
    from collections.abc import Callable

    from numpy.typing import ArrayLike
    from openfisca_core.holders import Holder
    from openfisca_core.periods import Period
    from openfisca_core.populations import Population

    #: ``set_input`` d'une variable OpenFisca : (holder, période, valeurs).
    SetInput = Callable[[Holder, Period, ArrayLike], None]

#: Personnes nommées dans le message d'une entrée refusée ; au-delà : « et N autres ».
PERSONNES_NOMMEES = 5


class EntreeInvalide(SituationParsingError):
    """Valeur d'entrée hors du domaine de la variable."""

    def __init__(
        self, population: Population, variable: str, period: Period | str, indices: np.ndarray, message: str
    ) -> None:
        ids = getattr(population, "ids", None)
        noms = [str(ids[i]) if ids is not None and len(ids) > i else str(i) for i in indices[:PERSONNES_NOMMEES]]
        plural = population.entity.plural
        reste = f" (et {len(indices) - PERSONNES_NOMMEES} autres)" if len(indices) > PERSONNES_NOMMEES else ""
        texte = f"{variable} : {message} — {plural} {', '.join(noms)}{reste}."
        self.variable = variable
        self.indices = indices
        super().__init__([plural, noms[0], variable, str(period)], texte, code=400)


def verifier(
    population: Population,
    variable: str,
    period: Period,
    valeurs: ArrayLike,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
) -> None:
    """Lève ``EntreeInvalide`` si une valeur est non finie ou hors de [minimum, maximum]."""
    valeurs = np.asarray(valeurs)
    if valeurs.dtype.kind not in "fiu":
        return
    if valeurs.size:
        # Le cas courant, toutes les valeurs admises, se voit à la plus petite et à la plus
        # grande (une valeur non finie les rend non finies) : sans tableau par personne.
        plus_petite, plus_grande = valeurs.min(), valeurs.max()
        if (
            np.isfinite(plus_petite)
            and np.isfinite(plus_grande)
            and (minimum is None or plus_petite >= minimum)
            and (maximum is None or plus_grande <= maximum)
        ):
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
                population,
                variable,
                period,
                indices,
                f"{valeurs[indices[0]]:g} est inférieur au minimum admis {minimum:g}",
            )
    if maximum is not None:
        hors = valeurs > maximum
        if hors.any():
            indices = np.flatnonzero(hors)
            raise EntreeInvalide(
                population,
                variable,
                period,
                indices,
                f"{valeurs[indices[0]]:g} est supérieur au maximum admis {maximum:g}",
            )


def entree_bornee(
    minimum: float | None = None, maximum: float | None = None, repartition: SetInput | None = None
) -> SetInput:
    """Fabrique un ``set_input`` qui contrôle le domaine avant d'enregistrer.

    ``repartition`` est, au besoin, la fonction OpenFisca de répartition sur
    les sous-périodes (``set_input_divide_by_period``…).
    """

    def set_input(holder: Holder, period: Period, array: ArrayLike) -> None:
        # Protocole ``set_input`` d'OpenFisca : le crochet convertit et enregistre par
        # ``Holder._to_array`` / ``Holder._set``, comme ``openfisca_core.holders.helpers``.
        tableau = holder._to_array(array)  # noqa: SLF001
        verifier(holder.population, holder.variable.name, period, tableau, minimum=minimum, maximum=maximum)
        if repartition is not None:
            return repartition(holder, period, tableau)
        return holder._set(period, tableau)  # noqa: SLF001

    return set_input
