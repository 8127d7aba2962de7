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


def cout_par_regime(agregats: pd.DataFrame, chemin: Path) -> Path | None:
    """Pensionnés et coût annuel de la pension d'invalidité par régime qui la sert, par scénario."""
    vue = agregats[(agregats["dimension"] == "regime_invalidite") & (agregats["prestation"] == "pension_invalidite")]
    if vue.empty:
        return None
    scenarios = list(dict.fromkeys(vue["scenario"]))
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.5))
    for ax, (valeur, echelle, titre) in zip(
        axes,
        (("beneficiaires", 1e3, "pensionnés (milliers)"), ("cout_annuel", 1e9, "coût annuel (Md€)")),
        strict=True,
    ):
        # Une ligne par (régime, scénario) : « first » ne fait que la reprendre.
        tableau = vue.pivot_table(index="modalite", columns="scenario", values=valeur, aggfunc="first") / echelle
        tableau[scenarios].plot.bar(ax=ax, rot=20, legend=ax is axes[0])
        ax.set_xlabel("")
        ax.set_ylabel(titre)
    fig.suptitle("Pension d'invalidité par régime")
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


def gains_par_decile(deciles: pd.DataFrame, chemin: Path, titre: str = "") -> Path | None:
    """Gain moyen par décile (€ par mois, toutes personnes du décile), une barre par réforme."""
    if deciles.empty:
        return None
    tableau = deciles.pivot_table(index="decile", columns="reforme", values="gain_moyen", aggfunc="first")
    tableau = tableau.reindex(range(1, 11))
    fig, ax = plt.subplots(figsize=(8, 4.5))
    tableau.plot.bar(ax=ax, rot=0)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlabel(f"décile de {deciles['decile_de'].iloc[0]} (loi en vigueur, pondéré)")
    ax.set_ylabel("gain moyen (€ par mois)")
    ax.set_title(f"Gain moyen par décile{titre}")
    return _enregistrer(fig, chemin)


def budget(annuel: pd.DataFrame, budget_reformes: pd.DataFrame, chemin: Path) -> Path:
    """Coût annuel total par scénario sur la fenêtre et, par réforme, l'écart à la loi en vigueur."""
    avec_reformes = not budget_reformes.empty
    fig, axes = plt.subplots(1 + avec_reformes, 1, figsize=(8, 4 + 3.5 * avec_reformes), squeeze=False)
    total = annuel[annuel["prestation"] == "total"]
    tableau = total.pivot_table(index="annee", columns="scenario", values="cout_annuel", aggfunc="first") / 1e9
    tableau = tableau[list(dict.fromkeys(total["scenario"]))]
    tableau.plot(ax=axes[0, 0], marker="o")
    axes[0, 0].set_xticks(list(tableau.index))
    axes[0, 0].set_xlabel("année")
    axes[0, 0].set_ylabel("coût annuel (Md€)")
    axes[0, 0].set_title("Coût annuel des prestations")
    if avec_reformes:
        ecarts = budget_reformes.pivot_table(
            index="annee", columns="reforme", values="ecart_cout_annuel_total", aggfunc="first"
        )
        (ecarts / 1e6).plot.bar(ax=axes[1, 0], rot=0)
        axes[1, 0].axhline(0, color="black", linewidth=0.8)
        axes[1, 0].set_xlabel("année")
        axes[1, 0].set_ylabel("réforme − loi en vigueur (M€)")
        axes[1, 0].set_title("Écart de coût annuel des réformes")
    return _enregistrer(fig, chemin)


def tracer_tout(
    resultats: pd.DataFrame,
    agregats: pd.DataFrame,
    dossier: Path,
    legende: str = "",
    deciles: pd.DataFrame | None = None,
) -> list[Path]:
    dossier = Path(dossier)
    dossier.mkdir(parents=True, exist_ok=True)
    with _legende(legende):
        faits = [distribution_pensions(resultats, dossier / "distribution_pensions.png")]
        if prestations_de(resultats):
            faits.append(cout_par_prestation(agregats, dossier / "cout_par_prestation.png"))
            chemin = cout_par_regime(agregats, dossier / "cout_par_regime.png")
            if chemin is not None:
                faits.append(chemin)
        chemin = gagnants_perdants_par_age(resultats, dossier / "gagnants_perdants_par_age.png")
        if chemin is not None:
            faits.append(chemin)
        if deciles is not None:
            chemin = gains_par_decile(deciles, dossier / "gains_par_decile.png")
            if chemin is not None:
                faits.append(chemin)
    return faits


def tracer_projection(
    annuel: pd.DataFrame,
    budget_reformes: pd.DataFrame,
    deciles: pd.DataFrame,
    dossier: Path,
    legende: str = "",
) -> list[Path]:
    """Graphiques d'une projection : budget sur la fenêtre, gains par décile de la dernière année."""
    dossier = Path(dossier)
    with _legende(legende):
        faits = [budget(annuel, budget_reformes, dossier / "budget.png")]
        if not deciles.empty:
            derniere = deciles[deciles["annee"] == deciles["annee"].max()]
            chemin = gains_par_decile(derniere, dossier / "gains_par_decile.png", f" en {derniere['annee'].iloc[0]}")
            if chemin is not None:
                faits.append(chemin)
    return faits


_LEGENDE = {"texte": ""}


class _legende:
    """Légende (exécution) mise au pied de chaque graphique tracé dans le bloc."""

    def __init__(self, texte: str) -> None:
        self.texte = texte

    def __enter__(self) -> None:
        _LEGENDE["texte"] = self.texte

    def __exit__(self, *exc: object) -> None:
        _LEGENDE["texte"] = ""


def _enregistrer(fig: Figure, chemin: Path) -> Path:
    texte = _LEGENDE["texte"]
    if texte:
        fig.text(0.01, 0.005, texte, fontsize=6, color="dimgray", ha="left", va="bottom", wrap=True)
    fig.tight_layout(rect=(0, 0.03 if texte else 0, 1, 1))
    fig.savefig(chemin, dpi=110, metadata={"Description": texte, "Software": "openfisca-invalidite"})
    plt.close(fig)
    return Path(chemin)
