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


def test_effectif_des_pensionnes(resultats):
    servis = resultats["pension_invalidite"] > 0
    proche(resultats.loc[servis, "poids"].sum(), "pensionnes")


def test_parts_des_categories(resultats):
    servis = resultats[resultats["pension_invalidite"] > 0]
    parts = servis.groupby("categorie_invalidite", observed=True)["poids"].sum() / servis["poids"].sum()
    for categorie in ("categorie_1", "categorie_2", "categorie_3"):
        proche(parts[categorie], f"part_{categorie}")


def test_structure_par_age(resultats):
    servis = resultats[resultats["pension_invalidite"] > 0]
    part = servis.loc[servis["age"].between(50, 60), "poids"].sum() / servis["poids"].sum()
    proche(part, "part_50_60_ans")


def test_pension_moyenne(resultats):
    agregats = agreger(resultats)
    ligne = agregats.query(
        "scenario == 'loi_en_vigueur' and prestation == 'pension_invalidite' and dimension == 'ensemble'"
    )
    proche(float(ligne["montant_moyen"].iloc[0]), "pension_moyenne")


@pytest.mark.parametrize("prestation", ["asi", "aah"])
def test_beneficiaires_asi_aah(resultats, prestation):
    if prestation not in _systemes(())["loi_en_vigueur"].variables:
        pytest.skip(f"{prestation} pas encore dans le modèle")
    beneficiaires = resultats.loc[resultats[prestation] > 0, "poids"].sum()
    proche(beneficiaires, f"beneficiaires_{prestation}")


def test_poids_et_lignes(resultats):
    assert len(resultats) == 20_000
    assert np.all(resultats["poids"] > 0)
