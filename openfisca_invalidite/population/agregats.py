"""Agrégats pondérés d'un tableau de résultats (sortie de :func:`.moteur.simuler`).

- :func:`agreger` : bénéficiaires, coût mensuel et annuel, montant moyen, par
  prestation et par scénario, pour l'ensemble, par régime, par catégorie et par
  tranche d'âge ;
- :func:`ecarts_reformes` : pour chaque réforme, écart de coût par prestation,
  gagnants et perdants (sur le revenu disponible tiré des prestations quand le
  modèle le calcule, sinon sur la somme des prestations versées à la personne),
  gain moyen des gagnants et perte moyenne des perdants, pour l'ensemble et
  par régime, tranche d'âge et catégorie.

Tout est pondéré par ``poids`` ; un montant compte un bénéficiaire s'il est > 0
(un prélèvement, négatif, compte un redevable s'il est < 0).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Iterator

from openfisca_invalidite.population.moteur import (
    LOI_EN_VIGUEUR,
    MONTANTS_NETS,
    PRESTATIONS,
    REVENU_DISPONIBLE,
    colonne,
    scenarios_de,
)

DIMENSIONS = ("ensemble", "regime_invalidite", "categorie_invalidite", "tranche_age")
#: Prélèvements sur la pension (montants négatifs) parmi les montants nets.
PRELEVEMENTS = MONTANTS_NETS[1:]
SEUIL_GAIN = 0.005  # euro : en deçà, ni gagnant ni perdant (arrondi au centime)
#: Au-delà, une colonne de regroupement a trop de modalités : c'est une variable continue (déciles).
MODALITES_MAXIMUM = 100
NON_RENSEIGNE = "non renseigné"


class ColonneInconnue(KeyError):
    """Colonne de regroupement ou de déciles absente des résultats : le message la nomme."""

    def __str__(self) -> str:
        return str(self.args[0])


def prestations_de(resultats: pd.DataFrame) -> list[str]:
    """Prestations présentes (sommées dans le total), puis le revenu disponible s'il existe."""
    return [p for p in PRESTATIONS if p in resultats.columns]


def montants_de(resultats: pd.DataFrame) -> list[str]:
    """Montants agrégés : les prestations et, quand le modèle le calcule, le revenu disponible (net)."""
    return [*prestations_de(resultats), *([REVENU_DISPONIBLE] if REVENU_DISPONIBLE in resultats.columns else [])]


def verifier_colonne(resultats: pd.DataFrame, nom: str, *, numerique: bool = False) -> None:
    """Erreur qui nomme une colonne absente (et les plus proches), jamais un oubli silencieux."""
    import difflib

    if nom not in resultats.columns:
        proches = difflib.get_close_matches(nom, [str(c) for c in resultats.columns], n=3)
        suggestion = f" ; voulez-vous dire : {', '.join(proches)} ?" if proches else ""
        msg = f"colonne « {nom} » inconnue (ni une entrée ni un résultat){suggestion}"
        raise ColonneInconnue(msg)
    if numerique and not pd.api.types.is_numeric_dtype(resultats[nom]):
        msg = f"colonne « {nom} » : des déciles demandent une colonne numérique"
        raise ColonneInconnue(msg)


def _groupes(
    resultats: pd.DataFrame, dimensions: tuple[str, ...] = DIMENSIONS
) -> Iterator[tuple[str, str, np.ndarray]]:
    for dimension in dict.fromkeys(dimensions):
        if dimension == "ensemble":
            yield dimension, "ensemble", np.ones(len(resultats), dtype=bool)
            continue
        verifier_colonne(resultats, dimension)
        valeurs = resultats[dimension]
        manquant = valeurs.isna().to_numpy()
        modalites = list(valeurs.cat.categories) if hasattr(valeurs, "cat") else sorted(valeurs.dropna().unique())
        if len(modalites) > MODALITES_MAXIMUM:
            msg = (
                f"colonne « {dimension} » : {len(modalites)} valeurs distinctes, trop pour un regroupement "
                f"(au plus {MODALITES_MAXIMUM}) ; pour une variable continue, demandez ses déciles"
            )
            raise ColonneInconnue(msg)
        for modalite in modalites:
            yield dimension, str(modalite), (valeurs == modalite).fillna(value=False).to_numpy(dtype=bool)
        if manquant.any():
            yield dimension, NON_RENSEIGNE, manquant


def agreger(resultats: pd.DataFrame, nombre_mois: int = 1, dimensions: tuple[str, ...] = DIMENSIONS) -> pd.DataFrame:
    """Table longue : scenario, prestation, dimension, modalite, beneficiaires,
    cout_mensuel, cout_annuel, montant_moyen (par bénéficiaire et par mois),
    personnes (lignes du fichier).

    ``nombre_mois`` : 1 si les montants sont ceux d'un mois (coût annuel = 12 ×),
    12 s'ils sont sommés sur une année (coût mensuel = 1/12).
    """
    poids = resultats["poids"].to_numpy()
    lignes = []
    for scenario in scenarios_de(resultats):
        montants = {
            p: resultats[colonne(p, scenario)].to_numpy(dtype=np.float64)
            for p in prestations_de(resultats)
            if colonne(p, scenario) in resultats
        }
        montants["total"] = sum(montants.values())
        # Hors du total : le revenu disponible, la pension nette et les prélèvements sur la pension.
        for net in (REVENU_DISPONIBLE, *MONTANTS_NETS):
            if colonne(net, scenario) in resultats:
                montants[net] = resultats[colonne(net, scenario)].to_numpy(dtype=np.float64)
        for dimension, modalite, masque in _groupes(resultats, dimensions):
            w = poids[masque]
            for prestation, valeurs in montants.items():
                v = valeurs[masque]
                # Un prélèvement (négatif) compte ses redevables, une prestation ses bénéficiaires.
                beneficiaires = float(w[(v < 0) if prestation in PRELEVEMENTS else (v > 0)].sum())
                cout = float((w * v).sum())
                cout_mensuel = cout / nombre_mois
                lignes.append(
                    {
                        "scenario": scenario,
                        "prestation": prestation,
                        "dimension": dimension,
                        "modalite": modalite,
                        "beneficiaires": beneficiaires,
                        "cout_mensuel": cout_mensuel,
                        "cout_annuel": cout_mensuel * 12,
                        "montant_moyen": cout_mensuel / beneficiaires if beneficiaires else 0.0,
                        "personnes": int(masque.sum()),
                    }
                )
    return pd.DataFrame(lignes)


def revenu(resultats: pd.DataFrame, scenario: str = LOI_EN_VIGUEUR) -> np.ndarray:
    """Revenu tiré de ces prestations : ``revenu_disponible_invalidite`` quand le
    modèle le calcule, sinon la somme des prestations versées."""
    if colonne(REVENU_DISPONIBLE, scenario) in resultats:
        return resultats[colonne(REVENU_DISPONIBLE, scenario)].to_numpy(dtype=np.float64)
    return sum(
        (resultats[colonne(p, scenario)].to_numpy(dtype=np.float64) for p in prestations_de(resultats)),
        np.zeros(len(resultats)),
    )


def gains(resultats: pd.DataFrame, scenario: str) -> np.ndarray:
    """Gain mensuel (ou annuel) de chaque personne sous la réforme (voir :func:`revenu`)."""
    return revenu(resultats, scenario) - revenu(resultats)


def ecarts_reformes(
    resultats: pd.DataFrame, nombre_mois: int = 1, dimensions: tuple[str, ...] = DIMENSIONS
) -> pd.DataFrame:
    """Une ligne par réforme × dimension × modalité : écarts de coût par prestation
    (``ecart_cout_annuel_<prestation>``, ``ecart_cout_annuel_total`` : prestations
    brutes), écart du revenu disponible (``ecart_revenu_disponible_annuel``, qui
    compte aussi les prélèvements sur la pension), gagnants, perdants, inchanges
    (effectifs pondérés, sur le revenu disponible), gain_moyen, perte_moyenne
    (mensuels, parmi gagnants / perdants)."""
    poids = resultats["poids"].to_numpy()
    lignes = []
    for scenario in scenarios_de(resultats)[1:]:
        gain = gains(resultats, scenario) / nombre_mois
        for dimension, modalite, masque in _groupes(resultats, dimensions):
            w, g = poids[masque], gain[masque]
            gagne, perd = g > SEUIL_GAIN, g < -SEUIL_GAIN
            ligne = {"reforme": scenario, "dimension": dimension, "modalite": modalite}
            for p in prestations_de(resultats):
                ecart = resultats[colonne(p, scenario)].to_numpy(dtype=np.float64) - resultats[p].to_numpy(
                    dtype=np.float64
                )
                ligne[f"ecart_cout_annuel_{p}"] = float((w * ecart[masque]).sum()) * 12 / nombre_mois
            total = sum(
                resultats[colonne(p, scenario)].to_numpy(dtype=np.float64) - resultats[p].to_numpy(dtype=np.float64)
                for p in prestations_de(resultats)
            )
            ligne["ecart_cout_annuel_total"] = float((w * np.asarray(total)[masque]).sum()) * 12 / nombre_mois
            ligne["ecart_revenu_disponible_annuel"] = float((w * g).sum()) * 12
            ligne["gagnants"] = float(w[gagne].sum())
            ligne["perdants"] = float(w[perd].sum())
            ligne["inchanges"] = float(w[~gagne & ~perd].sum())
            ligne["gain_moyen"] = float(np.average(g[gagne], weights=w[gagne])) if gagne.any() else 0.0
            ligne["perte_moyenne"] = float(-np.average(g[perd], weights=w[perd])) if perd.any() else 0.0
            lignes.append(ligne)
    return pd.DataFrame(lignes)


def resume(agregats: pd.DataFrame) -> pd.DataFrame:
    """Vue courte : ensemble, par scénario et prestation (bénéficiaires, coût annuel en M€)."""
    vue = agregats[agregats["dimension"] == "ensemble"].copy()
    vue["cout_annuel_M€"] = vue["cout_annuel"] / 1e6
    return vue[["scenario", "prestation", "beneficiaires", "montant_moyen", "cout_annuel_M€"]].round(1)


__all__ = [
    "DIMENSIONS",
    "LOI_EN_VIGUEUR",
    "ColonneInconnue",
    "agreger",
    "ecarts_reformes",
    "gains",
    "montants_de",
    "resume",
    "revenu",
]
