"""comparer() : loi en vigueur et réforme sur la même population."""

import numpy as np
import pytest

from openfisca_invalidite.comparaison import comparer
from openfisca_invalidite.population import PRESTATIONS, ReformeInconnue, simuler


def test_reforme_taux_categorie_2(petite_population, reforme_test):
    nom, _ = reforme_test
    c = comparer(petite_population, "2025-06", [reforme_test], progression=False)
    p = c.personnes
    gain = p[f"gain__{nom}"].to_numpy()
    hausse = (p[f"pension_invalidite__{nom}"] - p["pension_invalidite"]).to_numpy()
    categorie_2 = (p["categorie_invalidite"] == "categorie_2").to_numpy()
    # La pension ne change qu'en catégorie 2, et n'y baisse jamais (taux 50 % → 60 %,
    # sous le même maximum) ; l'ASI et l'AAH, différentielles, peuvent reprendre une part du gain.
    assert np.all(hausse[~categorie_2] == 0) and np.all(
        gain[~categorie_2 & (p["role_famille"] == "demandeur").to_numpy()] == 0
    )
    assert np.all(hausse >= 0)
    assert (hausse[categorie_2] > 0).mean() > 0.3
    # Agrégats = sommes pondérées des écarts individuels, × 12 : le coût sur les
    # prestations brutes, le gain sur le revenu disponible (net des prélèvements).
    brut = sum((p[f"{v}__{nom}"] - p[v]).to_numpy() for v in PRESTATIONS)
    assert c.ecart(nom) == pytest.approx(float((p["poids"] * brut).sum() * 12))
    ensemble = c.ecarts[(c.ecarts["reforme"] == nom) & (c.ecarts["dimension"] == "ensemble")]
    assert ensemble["ecart_revenu_disponible_annuel"].iloc[0] == pytest.approx(float((p["poids"] * gain).sum() * 12))
    net = (p[f"revenu_disponible_invalidite__{nom}"] - p["revenu_disponible_invalidite"]).to_numpy()
    np.testing.assert_allclose(gain, net)
    assert c.ecart(nom, "pension_invalidite") == pytest.approx(float((p["poids"] * hausse).sum() * 12))
    assert c.ecart(nom, "pension_invalidite") > 0
    # La loi en vigueur est la même que sans réforme.
    seule = simuler(petite_population, "2025-06", progression=False)
    np.testing.assert_array_equal(seule["pension_invalidite"], p["pension_invalidite"])


def test_annee_somme_des_mois(petite_population):
    un_an = simuler(petite_population.head(300), "2025", progression=False)
    mois = sum(
        simuler(petite_population.head(300), f"2025-{m:02d}", progression=False)["pension_invalidite"].to_numpy(
            np.float64
        )
        for m in range(1, 13)
    )
    np.testing.assert_allclose(un_an["pension_invalidite"], mois, atol=1e-6)


def test_reforme_inconnue():
    with pytest.raises(ReformeInconnue, match="réformes disponibles"):
        comparer(taille=10, reformes=["nexiste_pas"], progression=False)
