"""La population synthétique reproduit les agrégats publiés (CIBLES, sources dans
openfisca_invalidite/population/synthetique.py) à la tolérance indiquée."""

import numpy as np
import pandas as pd
import pytest

from openfisca_invalidite.population import CIBLES, agreger, generer_population, simuler
from openfisca_invalidite.population.moteur import _systemes

MOIS = "2025-06"


@pytest.fixture(scope="module")
def resultats():
    return simuler(generer_population(20_000, MOIS, graine=2025), MOIS, progression=False)


def proche(mesure, cible):
    valeur, tolerance = CIBLES[cible]["valeur"], CIBLES[cible]["tolerance"]
    assert abs(mesure - valeur) <= tolerance * valeur, f"{cible} : {mesure:.3f} contre {valeur} ± {tolerance:.0%}"


def test_reproductible():
    a, b = generer_population(500, MOIS, graine=3), generer_population(500, MOIS, graine=3)
    pd.testing.assert_frame_equal(a, b)
    assert not generer_population(500, MOIS, graine=4).equals(a)


def servis_du_regime_general(resultats):
    return (resultats["pension_invalidite"] > 0) & (resultats["regime_invalidite"] == "regime_general")


def test_effectif_des_pensionnes(resultats):
    proche(resultats.loc[servis_du_regime_general(resultats), "poids"].sum(), "pensionnes")


@pytest.mark.parametrize("regime", ["ssi", "msa_salarie", "msa_non_salarie"])
def test_pensionnes_des_autres_regimes(resultats, regime):
    """Pensionnés de chaque régime rapportés à ceux du régime général : les rapports publiés."""
    servis = resultats["pension_invalidite"] > 0
    du_regime = servis & (resultats["regime_invalidite"] == regime)
    rapport = (
        resultats.loc[du_regime, "poids"].sum() / resultats.loc[servis_du_regime_general(resultats), "poids"].sum()
    )
    proche(rapport, f"rapport_{regime}")


def test_carrieres_propres_aux_regimes():
    population = generer_population(3_000, MOIS, graine=7)
    regime = population["regime_invalidite"].astype(str)
    rpns = population.filter(regex=r"^rpns_").to_numpy().sum(axis=1)
    rag = population.filter(regex=r"^rag_").to_numpy()
    assert (rpns[regime != "ssi"] == 0).all() and (rpns[regime == "ssi"] > 0).mean() > 0.9
    assert (rag[(regime != "msa_non_salarie").to_numpy()] == 0).all()
    assert (rag[(regime == "msa_non_salarie").to_numpy()] < 0).any(), "des années en déficit"
    statut = population["statut_non_salarie_agricole"].astype(str)
    familiaux = statut.isin(["aide_familial", "associe_exploitation"])
    assert (population.loc[familiaux, "categorie_invalidite"].astype(str) != "categorie_1").all()


def test_parts_des_categories(resultats):
    servis = resultats[servis_du_regime_general(resultats)]
    parts = servis.groupby("categorie_invalidite", observed=True)["poids"].sum() / servis["poids"].sum()
    for categorie in ("categorie_1", "categorie_2", "categorie_3"):
        proche(parts[categorie], f"part_{categorie}")


def test_structure_par_age(resultats):
    servis = resultats[servis_du_regime_general(resultats)]
    part = servis.loc[servis["age"].between(50, 60), "poids"].sum() / servis["poids"].sum()
    proche(part, "part_50_60_ans")


def test_pension_moyenne(resultats):
    agregats = agreger(resultats)
    ligne = agregats.query(
        "scenario == 'loi_en_vigueur' and prestation == 'pension_invalidite' "
        "and dimension == 'regime_invalidite' and modalite == 'regime_general'"
    )
    proche(float(ligne["montant_moyen"].iloc[0]), "pension_moyenne")


@pytest.mark.parametrize("prestation", ["asi", "aah"])
def test_beneficiaires_asi_aah(resultats, prestation):
    if prestation not in _systemes(())["loi_en_vigueur"].variables:
        pytest.skip(f"{prestation} pas encore dans le modèle")
    # Cibles du régime général : ses pensionnés et leur famille (le conjoint d'un pensionné
    # d'un autre régime porte le régime par défaut mais n'a pas de pension).
    familles_autres = resultats.loc[resultats["regime_invalidite"] != "regime_general", "famille_id"]
    du_regime_general = ~resultats["famille_id"].isin(familles_autres)
    beneficiaires = resultats.loc[(resultats[prestation] > 0) & du_regime_general, "poids"].sum()
    proche(beneficiaires, f"beneficiaires_{prestation}")


def test_poids_et_lignes(resultats):
    assert len(resultats) == 20_000
    assert np.all(resultats["poids"] > 0)
