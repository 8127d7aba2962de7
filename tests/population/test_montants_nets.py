"""Population : revenu fiscal de référence tiré, montants nets et revenu
disponible en sortie, gagnants et perdants sur le revenu disponible."""

import numpy as np
import pytest

from openfisca_invalidite.comparaison import comparer
from openfisca_invalidite.population import PopulationInvalide, agreger, simuler, valider_population

MOIS = "2025-06"
NETS = ["csg_deductible_pension_invalidite", "csg_imposable_pension_invalidite", "crds_pension_invalidite"]


@pytest.fixture(scope="module")
def resultats(petite_population):
    return simuler(petite_population, MOIS, progression=False)


def test_population_synthetique_a_un_rfr_par_foyer(petite_population):
    p = petite_population
    assert {"rfr_2023", "rfr_2022", "nbptr"} <= set(p.columns)
    assert (p["rfr_2023"] >= 0).all() and set(p["nbptr"]) <= {1.0, 2.0}
    # Les deux membres d'un couple portent le revenu fiscal et les parts du foyer.
    par_famille = p.groupby("famille_id")[["rfr_2023", "nbptr"]].nunique()
    assert (par_famille == 1).all().all()
    couples = p.groupby("famille_id")["id"].transform("size") == 2
    assert (p.loc[couples, "nbptr"] == 2).all() and (p.loc[~couples, "nbptr"] == 1).all()


def test_montants_nets_en_sortie(resultats):
    r = resultats
    brute = r["pension_invalidite"].to_numpy()
    nette = r["pension_invalidite_nette"].to_numpy()
    assert np.all(nette <= brute + 1e-3) and np.all(nette >= 0.9 * brute - 0.05)
    prelevements = sum(r[v].to_numpy() for v in [*NETS, "casa_pension_invalidite"])
    np.testing.assert_allclose(nette, brute + prelevements, atol=1e-3)
    disponible = nette + r["majoration_tierce_personne"] + r["asi"] + r["aah"]
    np.testing.assert_allclose(r["revenu_disponible_invalidite"], disponible, atol=1e-3)
    # Les trois situations : exonérés, taux réduit, taux médian ou normal (CASA).
    pensionnes = brute > 0
    assert (prelevements[pensionnes] == 0).mean() > 0.1
    assert (r["casa_pension_invalidite"].to_numpy()[pensionnes] < 0).mean() > 0.1


def test_agregats_chiffrent_les_montants_nets(resultats):
    a = agreger(resultats).query("dimension == 'ensemble'").set_index("prestation")
    assert a.loc["revenu_disponible_invalidite", "cout_annuel"] > a.loc["pension_invalidite_nette", "cout_annuel"] > 0
    assert a.loc["csg_deductible_pension_invalidite", "cout_annuel"] < 0
    assert a.loc["csg_deductible_pension_invalidite", "beneficiaires"] > 0  # redevables
    # Le total reste celui des prestations brutes.
    brutes = a.loc[["pension_invalidite", "majoration_tierce_personne", "asi", "aah"], "cout_annuel"].sum()
    assert a.loc["total", "cout_annuel"] == pytest.approx(brutes)


def test_sans_rfr_montants_bruts_seulement(petite_population):
    sans = petite_population.drop(columns=["rfr_2023", "rfr_2022"]).head(200)
    r = simuler(sans, MOIS, progression=False)
    assert "pension_invalidite" in r and "pension_invalidite_nette" not in r


def test_annee_de_rfr_manquante_nommee(petite_population):
    with pytest.raises(PopulationInvalide, match="rfr_2022"):
        simuler(petite_population.drop(columns=["rfr_2022"]).head(50), MOIS, progression=False)


@pytest.mark.parametrize(
    ("colonne", "valeur", "mot"),
    [("zone_residence", "corse", "zone inconnue"), ("nbptr", 1.3, "quarts"), ("rfr_2023", -5, "négative")],
)
def test_entrees_fiscales_refusees(petite_population, colonne, valeur, mot):
    population = petite_population.head(20).copy()
    population[colonne] = population[colonne].astype(object) if colonne in population else None
    population.loc[population.index[3], colonne] = valeur
    with pytest.raises(PopulationInvalide, match=mot):
        valider_population(population)


def test_reforme_csg_gagnants_sur_le_revenu_disponible(petite_population):
    c = comparer(petite_population, MOIS, ["csg_invalidite_3_8"], progression=False)
    e = c.ecarts.query("dimension == 'ensemble'").iloc[0]
    assert e["ecart_cout_annuel_total"] == pytest.approx(0, abs=1e-6)  # les prestations brutes ne bougent pas
    assert e["ecart_revenu_disponible_annuel"] > 0
    assert e["gagnants"] > 0 and e["perdants"] == 0
    gain = c.personnes["gain__csg_invalidite_3_8"].to_numpy()
    assert np.all(gain >= -1e-6)
