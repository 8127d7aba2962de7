"""Écarts au centime entre la référence numpy sobre et le moteur de population,
chacun rattaché à sa cause.

Un écart est une personne dont le montant diffère d'au moins un centime
(plus de 0,005 €) entre les deux chemins. Les deux arrondissent chaque montant
au centime par la même règle (la demi-centime comptée pour un centime, à un
millionième de centime près : openfisca_invalidite.commons.au_centime, réécrite
dans numpy_sobre), depuis son montant exact calculé en float64 ; le modèle relit
au centime les montants que son stockage float32 n'a gardés qu'à 0,004 € près.
Aucun écart n'est donc admis au titre de l'arrondi : le stockage float32
d'OpenFisca n'en explique plus aucun.

Un écart qui en entraîne d'autres n'est compté qu'une fois :

- une cause amont : ``salaire_annuel_moyen``, ``pension_invalidite``,
  ``pension_du_couple``, ``asi``… : la variable dont elle dépend diffère
  déjà pour cette personne (ou, pour l'ASI, pour un parent de sa famille) ;
- ``somme`` : une somme (pension nette, revenu disponible) dont l'écart est
  exactement celui de ses termes.

Tout autre écart est ``inexplique`` : le test de la suite en exige zéro, et
n'admet aucun écart du tout.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: Au moins un centime d'écart.
SEUIL = 0.005
#: Un écart dû à une cause amont n'excède pas un centime, plus l'arrondi float32 du
#: résultat stocké par le modèle (0,002 € au plus sous 65 536 € : un SAM de
#: 20 689,03 € y vaut 20 689,0293).
UN_CENTIME = 0.0125
#: Variables qui ne s'arrondissent pas : aucun écart admis.
EXACTES = ("age", "pension_invalidite_eligible", "majoration_tierce_personne")
CONTRIBUTIONS = (
    "csg_deductible_pension_invalidite",
    "csg_imposable_pension_invalidite",
    "crds_pension_invalidite",
    "casa_pension_invalidite",
)
SOMMES = {
    "pension_invalidite_nette": ("pension_invalidite", *CONTRIBUTIONS),
    "revenu_disponible_invalidite": ("pension_invalidite_nette", "majoration_tierce_personne", "asi", "aah"),
}


@dataclass
class Ecarts:
    """Écarts d'une variable : nombre, plus grand, causes, personnes inexpliquées."""

    variable: str
    nombre: int = 0
    maximum: float = 0.0
    causes: dict[str, int] = field(default_factory=dict)
    inexpliques: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))


def _causes(population: pd.DataFrame, ecart: dict[str, np.ndarray]) -> dict[str, dict]:
    """Pour chaque variable arrondie : {cause amont: personnes chez qui elle peut jouer}."""
    famille = pd.factorize(population["famille_id"], sort=False)[0]
    parent = population["role_famille"].isin(["demandeur", "conjoint"]).to_numpy()

    def dans_la_famille(masque: np.ndarray) -> np.ndarray:
        return np.bincount(famille, weights=masque & parent, minlength=famille.max() + 1)[famille] > 0

    causes = {
        "pension_invalidite": {"salaire_annuel_moyen": ecart["salaire_annuel_moyen"]},
        "asi": {"pension_du_couple": dans_la_famille(ecart["pension_invalidite"])},
        "aah": {
            "pension_invalidite": ecart["pension_invalidite"],
            "asi": ecart["asi"],
            "salaire_annuel_moyen": ecart["salaire_annuel_moyen"],
        },
    }
    for contribution in CONTRIBUTIONS:
        causes[contribution] = {"pension_invalidite": ecart["pension_invalidite"], "asi": ecart["asi"]}
    return causes


def _ecarts_de(
    variable: str, difference: dict[str, np.ndarray], ecart: dict[str, np.ndarray], causes: dict[str, np.ndarray]
) -> Ecarts:
    """Écarts d'une variable, chacun rattaché à la première cause qui l'explique."""
    d = difference[variable]
    e = Ecarts(variable)
    qui = np.flatnonzero(ecart[variable])
    e.nombre, e.maximum = qui.size, float(np.abs(d).max(initial=0.0))
    restants = qui
    if variable in SOMMES:  # l'écart d'une somme est celui de ses termes
        termes = [t for t in SOMMES[variable] if t in difference]
        somme_des_termes = sum(difference[t] for t in termes)
        un_terme = np.any([ecart[t] for t in termes], axis=0)
        explique = un_terme[qui] & (np.abs(d - somme_des_termes)[qui] <= 1e-3)
        restants = qui[~explique]
        if explique.any():
            e.causes["somme"] = int(explique.sum())
    elif variable not in EXACTES:
        petits = np.abs(d[qui]) <= UN_CENTIME
        for cause, masque in causes.items():
            expliques = petits & masque[qui] & np.isin(qui, restants)
            if expliques.any():
                e.causes[cause] = int(expliques.sum())
                restants = restants[~np.isin(restants, qui[expliques])]
    e.inexpliques = restants
    if restants.size:
        e.causes["inexplique"] = int(restants.size)
    return e


def expliquer(
    population: pd.DataFrame, reference: dict[str, np.ndarray], details: dict, modele: pd.DataFrame
) -> dict[str, Ecarts]:
    """Écarts de chaque variable de ``reference`` contre les résultats ``modele`` de
    ``population.simuler`` sur la même population. ``details`` (les montants de la
    référence avant arrondi) n'explique aucun écart : il sert à les examiner."""
    del details
    difference = {
        v: np.asarray(reference[v], dtype=np.float64) - modele[v].to_numpy().astype(np.float64) for v in reference
    }
    ecart = {v: np.abs(d) > SEUIL for v, d in difference.items()}
    causes = _causes(population, ecart)
    return {v: _ecarts_de(v, difference, ecart, causes.get(v, {})) for v in difference}


def rapport(ecarts: dict[str, Ecarts], n: int) -> str:
    """Une ligne par variable : écarts, plus grand écart, causes."""
    lignes = [f"Écarts au centime (> {SEUIL} €) sur {n:,} personnes :".replace(",", " ")]
    for e in ecarts.values():
        causes = ", ".join(f"{c} {k}" for c, k in e.causes.items()) or "—"
        lignes.append(f"  {e.variable:<36} {e.nombre:>6}  max {e.maximum:.4f} €  {causes}")
    return "\n".join(lignes)
