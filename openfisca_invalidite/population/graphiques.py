"""Graphiques PNG (matplotlib, moteur Agg : aucun affichage requis).

matplotlib vient de l'extra ``graphiques`` : sans lui, importer ce module lève
``ExtraManquant`` (:mod:`openfisca_invalidite.extras`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from openfisca_invalidite.extras import imports_de
from openfisca_invalidite.population.agregats import SEUIL_GAIN, gains, prestations_de
from openfisca_invalidite.population.moteur import colonne, scenarios_de

with imports_de("graphiques"):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def distribution_pensions(resultats: pd.DataFrame, chemin: Path) -> Path:
    fig, ax = plt.subplots(figsize=(8, 4.5))
    maximum = max(float(resultats[colonne("pension_invalidite", s)].max()) for s in scenarios_de(resultats))
    bornes = np.linspace(0, max(maximum, 1.0), 60)
    for scenario in scenarios_de(resultats):
        v = resultats[colonne("pension_invalidite", scenario)].to_numpy()
        servi = v > 0
        ax.hist(
            v[servi],
            bins=bornes,
            weights=resultats["poids"].to_numpy()[servi] / 1000,
            histtype="step",
            linewidth=1.5,
            label=scenario,
        )
    ax.set_xlabel("pension d'invalidité (€ par mois)")
    ax.set_ylabel("pensionnés (milliers, pondéré)")
    ax.set_title("Distribution des pensions d'invalidité servies")
    ax.legend()
    return _enregistrer(fig, chemin)


def cout_par_prestation(agregats: pd.DataFrame, chemin: Path) -> Path:
    vue = agregats[(agregats["dimension"] == "ensemble") & (agregats["prestation"] != "total")]
    # Une ligne par (prestation, scénario) : « first » ne fait que la reprendre.
    tableau = (
        vue.pivot_table(index="prestation", columns="scenario", values="cout_annuel", aggfunc="first", dropna=False)
        / 1e9
    )
    tableau = tableau[list(dict.fromkeys(vue["scenario"]))]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    tableau.plot.bar(ax=ax, rot=0)
    ax.set_ylabel("coût annuel (Md€)")
    ax.set_title("Coût par prestation")
    return _enregistrer(fig, chemin)


def gagnants_perdants_par_age(resultats: pd.DataFrame, chemin: Path) -> Path | None:
    reformes = scenarios_de(resultats)[1:]
    if not reformes:
        return None
    fig, axes = plt.subplots(len(reformes), 1, figsize=(8, 3.5 * len(reformes)), squeeze=False)
    poids = resultats["poids"].to_numpy()
    tranches = resultats["tranche_age"]
    for ax, reforme in zip(axes[:, 0], reformes, strict=True):
        g = gains(resultats, reforme)
        table = (
            pd.DataFrame(
                {
                    "gagnants": pd.Series(np.where(g > SEUIL_GAIN, poids, 0.0))
                    .groupby(tranches.to_numpy(), observed=False)
                    .sum(),
                    "perdants": pd.Series(np.where(g < -SEUIL_GAIN, poids, 0.0))
                    .groupby(tranches.to_numpy(), observed=False)
                    .sum(),
                }
            ).reindex(tranches.cat.categories)
            / 1000
        )
        table.plot.bar(ax=ax, color=["tab:green", "tab:red"], rot=20)
        ax.set_ylabel("personnes (milliers)")
        ax.set_title(f"Gagnants et perdants par tranche d'âge — {reforme}")
    return _enregistrer(fig, chemin)


def tracer_tout(resultats: pd.DataFrame, agregats: pd.DataFrame, dossier: Path) -> list[Path]:
    dossier = Path(dossier)
    dossier.mkdir(parents=True, exist_ok=True)
    faits = [distribution_pensions(resultats, dossier / "distribution_pensions.png")]
    if prestations_de(resultats):
        faits.append(cout_par_prestation(agregats, dossier / "cout_par_prestation.png"))
    chemin = gagnants_perdants_par_age(resultats, dossier / "gagnants_perdants_par_age.png")
    if chemin is not None:
        faits.append(chemin)
    return faits


def _enregistrer(fig: Figure, chemin: Path) -> Path:
    fig.tight_layout()
    fig.savefig(chemin, dpi=110)
    plt.close(fig)
    return Path(chemin)
