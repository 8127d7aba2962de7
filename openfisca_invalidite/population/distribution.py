"""Déciles pondérés, gagnants et perdants par décile.

Les déciles sont ceux du revenu tiré de ces prestations sous la loi en
vigueur (:func:`.agregats.revenu` : ``revenu_disponible_invalidite`` quand le
modèle le calcule, sinon la somme des prestations), ou de toute colonne
numérique d'entrée ou de résultat (``decile_de``). Ils sont pondérés par
``poids``.

Statistiques pondérées : `microdf <https://github.com/PolicyEngine/microdf>`_
(``MicroSeries.decile_rank``), la bibliothèque de PolicyEngine tenue pour ses
microsimulations (numpy et pandas pour seules dépendances). Elle range les
ex æquo dans le même décile : quand beaucoup de personnes ont le même revenu
(0 € pour les conjoints sans prestation), un décile peut être vide et le
suivant plus gros. C'est voulu : couper des ex æquo au hasard ferait dépendre
un décile de l'ordre du fichier.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from openfisca_invalidite.population.agregats import SEUIL_GAIN, gains, revenu, verifier_colonne
from openfisca_invalidite.population.moteur import LOI_EN_VIGUEUR, REVENU_DISPONIBLE, scenarios_de

NOMBRE_DECILES = 10
#: Variable des déciles sans revenu disponible calculé : la somme des prestations versées.
REVENU_DES_PRESTATIONS = "somme des prestations"


def deciles(resultats: pd.DataFrame, decile_de: str | None = None) -> np.ndarray:
    """Décile (1 à 10) de chaque personne, pondéré, de ``decile_de`` (défaut : le revenu
    tiré de ces prestations sous la loi en vigueur)."""
    import microdf

    valeurs = revenu(resultats, LOI_EN_VIGUEUR) if decile_de is None else _numerique(resultats, decile_de)
    serie = microdf.MicroSeries(valeurs, weights=resultats["poids"].to_numpy(dtype=np.float64))
    return np.asarray(serie.decile_rank(), dtype=np.int64)


def _numerique(resultats: pd.DataFrame, nom: str) -> np.ndarray:
    verifier_colonne(resultats, nom, numerique=True)
    valeurs = resultats[nom].to_numpy(dtype=np.float64)
    if not np.isfinite(valeurs).all():
        msg = f"colonne « {nom} » : valeurs manquantes ou infinies, déciles impossibles"
        raise ValueError(msg)
    return valeurs


def gains_par_decile(resultats: pd.DataFrame, nombre_mois: int = 1, decile_de: str | None = None) -> pd.DataFrame:
    """Par réforme et par décile : personnes (pondérées), bornes et moyenne de la
    variable des déciles, gain moyen (tous), gagnants, perdants, gain moyen des
    gagnants et perte moyenne des perdants (€ par mois), gain annuel total (pondéré)."""
    rang = deciles(resultats, decile_de)
    poids = resultats["poids"].to_numpy(dtype=np.float64)
    variable = revenu(resultats) / nombre_mois if decile_de is None else _numerique(resultats, decile_de)
    if decile_de is not None:
        nom_variable = decile_de
    else:
        nom_variable = REVENU_DISPONIBLE if REVENU_DISPONIBLE in resultats.columns else REVENU_DES_PRESTATIONS
    lignes = []
    for reforme in scenarios_de(resultats)[1:]:
        gain = gains(resultats, reforme) / nombre_mois
        for decile in range(1, NOMBRE_DECILES + 1):
            masque = rang == decile
            w, g, v = poids[masque], gain[masque], variable[masque]
            gagne, perd = g > SEUIL_GAIN, g < -SEUIL_GAIN
            total = float(w.sum())
            lignes.append(
                {
                    "reforme": reforme,
                    "decile_de": nom_variable,
                    "decile": decile,
                    "personnes": total,
                    "minimum": float(v.min()) if masque.any() else np.nan,
                    "maximum": float(v.max()) if masque.any() else np.nan,
                    "moyenne": float(np.average(v, weights=w)) if total else np.nan,
                    "gain_moyen": float(np.average(g, weights=w)) if total else 0.0,
                    "gagnants": float(w[gagne].sum()),
                    "perdants": float(w[perd].sum()),
                    "gain_moyen_gagnants": float(np.average(g[gagne], weights=w[gagne])) if gagne.any() else 0.0,
                    "perte_moyenne_perdants": float(-np.average(g[perd], weights=w[perd])) if perd.any() else 0.0,
                    "gain_annuel_total": float((w * g).sum()) * 12,
                }
            )
    return pd.DataFrame(lignes)
