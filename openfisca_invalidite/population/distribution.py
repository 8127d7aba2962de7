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

Champ : par défaut (``champ="concernes"``) les déciles sont ceux des
personnes qui tirent un revenu de ces prestations dans au moins un scénario
(loi en vigueur ou réforme) ; les autres (conjoints sans prestation, anciens
pensionnés que rien ne touche) ont le décile 0, « hors champ », et une ligne
à part. Sans cela, près de la moitié de la population synthétique a un revenu
nul et les premiers déciles sont vides. ``champ="tous"`` classe tout le monde.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from openfisca_invalidite.population.agregats import SEUIL_GAIN, gains, revenu, verifier_colonne
from openfisca_invalidite.population.moteur import LOI_EN_VIGUEUR, REVENU_DISPONIBLE, scenarios_de

NOMBRE_DECILES = 10
#: Décile des personnes hors du champ (aucun revenu de ces prestations dans aucun scénario).
HORS_CHAMP = 0
CHAMPS = ("concernes", "tous")
#: Variable des déciles sans revenu disponible calculé : la somme des prestations versées.
REVENU_DES_PRESTATIONS = "somme des prestations"


def concernes(resultats: pd.DataFrame) -> np.ndarray:
    """Personnes qui tirent un revenu de ces prestations dans au moins un scénario."""
    return np.logical_or.reduce([revenu(resultats, s) != 0 for s in scenarios_de(resultats)])


def deciles(resultats: pd.DataFrame, decile_de: str | None = None, champ: str = "concernes") -> np.ndarray:
    """Décile (1 à 10) de chaque personne, pondéré, de ``decile_de`` (défaut : le revenu
    tiré de ces prestations sous la loi en vigueur) ; 0 hors du champ (voir le module)."""
    import microdf

    if champ not in CHAMPS:
        msg = f"champ des déciles inconnu « {champ} » (admis : {', '.join(CHAMPS)})"
        raise ValueError(msg)
    valeurs = revenu(resultats, LOI_EN_VIGUEUR) if decile_de is None else _numerique(resultats, decile_de)
    dans_le_champ = concernes(resultats) if champ == "concernes" else np.ones(len(resultats), dtype=bool)
    rang = np.full(len(resultats), HORS_CHAMP, dtype=np.int64)
    if dans_le_champ.any():
        poids = resultats["poids"].to_numpy(dtype=np.float64)[dans_le_champ]
        serie = microdf.MicroSeries(valeurs[dans_le_champ], weights=poids)
        rang[dans_le_champ] = np.asarray(serie.decile_rank(), dtype=np.int64)
    return rang


def _numerique(resultats: pd.DataFrame, nom: str) -> np.ndarray:
    verifier_colonne(resultats, nom, numerique=True)
    valeurs = resultats[nom].to_numpy(dtype=np.float64)
    if not np.isfinite(valeurs).all():
        msg = f"colonne « {nom} » : valeurs manquantes ou infinies, déciles impossibles"
        raise ValueError(msg)
    return valeurs


def gains_par_decile(
    resultats: pd.DataFrame, nombre_mois: int = 1, decile_de: str | None = None, champ: str = "concernes"
) -> pd.DataFrame:
    """Par réforme et par décile : personnes (pondérées), bornes et moyenne de la
    variable des déciles, gain moyen (tous), gagnants, perdants, gain moyen des
    gagnants et perte moyenne des perdants (€ par mois), gain annuel total (pondéré).
    Le décile 0 (« hors champ ») n'a de ligne que s'il compte des personnes."""
    rang = deciles(resultats, decile_de, champ)
    poids = resultats["poids"].to_numpy(dtype=np.float64)
    variable = revenu(resultats) / nombre_mois if decile_de is None else _numerique(resultats, decile_de)
    if decile_de is not None:
        nom_variable = decile_de
    else:
        nom_variable = REVENU_DISPONIBLE if REVENU_DISPONIBLE in resultats.columns else REVENU_DES_PRESTATIONS
    lignes = []
    for reforme in scenarios_de(resultats)[1:]:
        gain = gains(resultats, reforme) / nombre_mois
        for decile in range(HORS_CHAMP, NOMBRE_DECILES + 1):
            masque = rang == decile
            if decile == HORS_CHAMP and not masque.any():
                continue
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
