"""Une population fautive est refusée : le message nomme la colonne et les premières lignes."""

import numpy as np
import pytest

from openfisca_invalidite.population import PopulationInvalide, generer_population, simuler, valider_population
from openfisca_invalidite.population.schema import carriere_longue_en_colonnes, lire_population


@pytest.fixture
def population():
    return generer_population(50, "2025-06", graine=1)


def refus(df, colonne, *fragments):
    with pytest.raises(PopulationInvalide) as erreur:
        valider_population(df)
    message = str(erreur.value)
    assert erreur.value.colonne == colonne
    assert f"« {colonne} »" in message
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_colonne_absente(population):
    refus(population.drop(columns="reduction_capacite_travail"), "reduction_capacite_travail", "absente")


def test_type_illisible(population):
    population["heures_travaillees_12_mois"] = population["heures_travaillees_12_mois"].astype(object)
    population.loc[4, "heures_travaillees_12_mois"] = "beaucoup"
    refus(population, "heures_travaillees_12_mois", "beaucoup", "lignes 6")


def test_nan(population):
    population.loc[[3, 9], "revenus_activite"] = np.nan
    refus(population, "revenus_activite", "NaN", "lignes 5, 11")


def test_montant_negatif(population):
    population.loc[7, "salaire_2010"] = -100
    refus(population, "salaire_2010", "négative", "lignes 9")


def test_categorie_inconnue(population):
    population["categorie_invalidite"] = population["categorie_invalidite"].astype(object)
    population.loc[2, "categorie_invalidite"] = "categorie_4"
    refus(population, "categorie_invalidite", "categorie_4", "lignes 4")


@pytest.mark.parametrize(
    ("colonne", "valeur"),
    [("regime_invalidite", "rsi"), ("statut_non_salarie_agricole", "conjoint_collaborateur")],
)
def test_regime_ou_statut_inconnu(population, colonne, valeur):
    population[colonne] = population[colonne].astype(object)
    population.loc[2, colonne] = valeur
    refus(population, colonne, valeur, "lignes 4")


def test_revenus_non_salaries(population):
    population.loc[3, "rpns_2015"] = -10
    refus(population.copy(), "rpns_2015", "négative", "lignes 5")
    population.loc[3, "rpns_2015"] = 0
    population.loc[6, "rag_2015"] = np.nan
    refus(population.copy(), "rag_2015", "NaN", "lignes 8")
    population.loc[6, "rag_2015"] = -2500.0  # un déficit agricole est admis
    assert valider_population(population).loc[6, "rag_2015"] == pytest.approx(-2500.0)


def test_regime_absent_ou_vide_vaut_regime_general(population):
    population = population.drop(columns=["regime_invalidite", "statut_non_salarie_agricole"])
    valide = valider_population(population)
    assert (valide["regime_invalidite"].astype(str) == "regime_general").all()
    assert (valide["statut_non_salarie_agricole"].astype(str) == "chef_exploitation").all()


def test_identifiant_en_double(population):
    population.loc[5, "id"] = population.loc[1, "id"]
    refus(population, "id", "double", "lignes 3, 7")


def test_date_illisible(population):
    population["date_naissance"] = population["date_naissance"].astype(str)
    population.loc[0, "date_naissance"] = "31/02/1970x"
    refus(population, "date_naissance", "ISO", "lignes 2")


def test_csv_fautif_nomme_la_ligne(tmp_path, population):
    chemin = tmp_path / "pop.csv"
    population.loc[10, "duree_immatriculation"] = -3
    population.to_csv(chemin, index=False)
    with pytest.raises(PopulationInvalide, match=r"duree_immatriculation.*lignes 12"):
        lire_population(chemin)


def test_csv_et_parquet_sans_perte(tmp_path, population):
    population.to_csv(tmp_path / "p.csv", index=False)
    population.to_parquet(tmp_path / "p.parquet")
    for chemin in (tmp_path / "p.csv", tmp_path / "p.parquet"):
        lue = lire_population(chemin)
        resultats = simuler(lue, "2025-06", progression=False)
        assert len(resultats) == len(population)
        assert list(resultats["id"].astype(str)) == list(population["id"].astype(str))


def test_carriere_longue(population):
    salaires = [c for c in population.columns if c.startswith("salaire_2")]
    longue = population.melt(id_vars="id", value_vars=salaires, var_name="annee", value_name="salaire_brut_annuel")
    longue["annee"] = longue["annee"].str[-4:].astype(int)
    large = carriere_longue_en_colonnes(population.drop(columns=salaires), longue)
    a = simuler(population, "2025-06", progression=False)
    b = simuler(large, "2025-06", progression=False)
    np.testing.assert_array_equal(a["pension_invalidite"], b["pension_invalidite"])


def test_date_effet_de_la_pension(population):
    # Facultative : vide = la date de l'arrêt ; une date d'effet avant l'arrêt est refusée (R341-12).
    population["date_effet_pension_invalidite"] = None
    assert (valider_population(population)["date_effet_pension_invalidite"] == np.datetime64("9999-12-31")).all()
    pensionne = population.index[population["categorie_invalidite"] != "non_classe"][0]
    arret = population.loc[pensionne, "date_debut_invalidite"]
    population["date_effet_pension_invalidite"] = population["date_effet_pension_invalidite"].astype(object)
    population.loc[pensionne, "date_effet_pension_invalidite"] = str(np.datetime64(arret, "D") - 1)
    refus(population, "date_effet_pension_invalidite", "antérieure à l'arrêt", f"lignes {pensionne + 2}")


def test_date_effet_transmise_au_modele():
    # Une date d'effet après le mois calculé : la pension n'est due qu'à partir de son mois.
    sans = simuler(generer_population(50, "2025-06", graine=1), "2025-06", progression=False)
    pensionne = int(np.flatnonzero(sans["pension_invalidite"].to_numpy() > 0)[0])
    population = generer_population(50, "2025-06", graine=1)
    population["date_effet_pension_invalidite"] = None
    population.loc[pensionne, "date_effet_pension_invalidite"] = "2025-07-01"
    avec = simuler(population, "2025-06", progression=False)
    assert avec.loc[pensionne, "pension_invalidite"] == 0
    autres = np.arange(len(sans)) != pensionne
    np.testing.assert_array_equal(avec["pension_invalidite"][autres], sans["pension_invalidite"][autres])
