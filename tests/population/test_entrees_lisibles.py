"""Entrées qui ne peuvent pas être mal lues : chaque classe de mauvaise entrée arrête
la ligne de commande avec le code 2, une ligne qui nomme le fichier, la colonne et
les lignes, et rien d'écrit ; les CSV à la française et Excel sont lus sans perte."""

import json

import numpy as np
import pandas as pd
import pytest

from openfisca_invalidite import cli
from openfisca_invalidite.population import generer_population, lire_population, moteur, simuler


@pytest.fixture(scope="module")
def population():
    return generer_population(40, "2025-06", graine=11)


def lancer(capsys, *arguments):
    code = cli.main(["simuler", "--silencieux", "--sans-graphiques", *map(str, arguments)])
    sortie = capsys.readouterr()
    return code, sortie.err.strip(), sortie.out


def refus_cli(capsys, tmp_path, fichier, *fragments, options=()):
    sortie = tmp_path / "r"
    code, erreur, _ = lancer(capsys, "--entree", fichier, "--mois", "2025-06", "--sortie", sortie, *options)
    assert code == 2, erreur
    assert len(erreur.splitlines()) == 1, erreur  # une ligne, aucune trace
    assert "Traceback" not in erreur
    assert str(fichier) in erreur
    for fragment in fragments:
        assert fragment in erreur, erreur
    assert not sortie.exists() or not any(sortie.iterdir())  # rien d'écrit
    return erreur


def en_texte(population, colonne):
    texte = population.copy()
    texte[colonne] = texte[colonne].dt.strftime("%Y-%m-%d")
    return texte


@pytest.mark.parametrize(
    ("valeur", "fragments"),
    [
        ("12/03/1970", ("« date_naissance »", "12/03/1970", "ISO", "lignes 6")),
        ("25/03/1970", ("« date_naissance »", "25/03/1970", "ISO", "lignes 6")),
        ("0000-01-01", ("« date_naissance »", "0000-01-01", "lignes 6")),
        ("1970", ("« date_naissance »", "nombre « 1970 »", "lignes 6")),
        ("1970-02-31", ("« date_naissance »", "date invalide", "lignes 6")),
        ("2031-01-01", ("« date_naissance »", "postérieure à la période", "lignes 6")),
    ],
)
def test_date_ambigue_ou_invalide(capsys, tmp_path, population, valeur, fragments):
    fautive = en_texte(population, "date_naissance")
    fautive.loc[4, "date_naissance"] = valeur
    fichier = tmp_path / "p.csv"
    fautive.to_csv(fichier, index=False)
    refus_cli(capsys, tmp_path, fichier, *fragments)


def test_format_de_date_declare(capsys, tmp_path, population):
    francaise = population.copy()
    for colonne in ("date_naissance", "date_debut_invalidite"):
        francaise[colonne] = francaise[colonne].dt.strftime("%d/%m/%Y")
    fichier = tmp_path / "p.csv"
    francaise.to_csv(fichier, index=False)
    sortie = tmp_path / "r"
    code, erreur, _ = lancer(
        capsys, "--entree", fichier, "--format-date", "%d/%m/%Y", "--mois", "2025-06", "--sortie", sortie
    )
    assert code == 0, erreur
    attendu = simuler(population, "2025-06", progression=False)
    lu = pd.read_parquet(sortie / "personnes.parquet")
    np.testing.assert_array_equal(lu["pension_invalidite"], attendu["pension_invalidite"])


def test_entier_dans_une_colonne_date_parquet(capsys, tmp_path, population):
    fautive = population.copy()
    fautive["date_naissance"] = fautive["date_naissance"].dt.year  # 1970 → lu 1970-01-01 sans contrôle
    fichier = tmp_path / "p.parquet"
    fautive.to_parquet(fichier)
    refus_cli(capsys, tmp_path, fichier, "« date_naissance »", "nombre", "lignes 2, 3, 4, 5, 6", "et 35 autres")


@pytest.mark.parametrize(
    ("colonne", "valeur", "fragment"),
    [
        ("poids", 1e308, "trop grande (au plus 100 000 000)"),
        ("poids", np.inf, "infinie"),
        ("poids", np.nan, "manquante"),
        ("revenus_activite", 1e39, "trop grande (au plus 3.403e+38)"),
        ("duree_immatriculation", 3e9, "trop grande (au plus 2 147 483 647)"),
    ],
)
def test_nombre_qui_deborde(capsys, tmp_path, population, colonne, valeur, fragment):  # noqa: PLR0917 — paramètres pytest
    fautive = population.copy()
    fautive[colonne] = fautive[colonne].astype(np.float64)
    fautive.loc[7, colonne] = valeur
    fichier = tmp_path / "p.parquet"
    fautive.to_parquet(fichier)
    refus_cli(capsys, tmp_path, fichier, f"« {colonne} »", fragment, "lignes 9")


def test_periode_avant_les_baremes(capsys, tmp_path):
    sortie = tmp_path / "r"
    code, erreur, _ = lancer(capsys, "--taille", "20", "--mois", "1990-01", "--sortie", sortie)
    assert code == 2
    assert "période 1990-01" in erreur and "barème" in erreur
    assert not sortie.exists()


def test_sortie_qui_est_un_fichier(capsys, tmp_path):
    fichier = tmp_path / "resultats"
    fichier.write_text("déjà là")
    code, erreur, _ = lancer(capsys, "--taille", "20", "--sortie", fichier)
    assert code == 2
    assert "c'est un fichier" in erreur
    assert fichier.read_text() == "déjà là"


def test_dossier_de_sortie_jamais_melange(capsys, tmp_path, monkeypatch, reforme_test):
    monkeypatch.setattr(moteur, "reformes_disponibles", lambda: dict([reforme_test]))
    sortie = tmp_path / "r"
    assert lancer(capsys, "--taille", "30", "--reforme", reforme_test[0], "--sortie", sortie)[0] == 0
    assert (sortie / "ecarts_reformes.csv").exists()
    (sortie / "mes_notes.txt").write_text("pas un résultat")
    code, erreur, _ = lancer(capsys, "--taille", "30", "--sortie", sortie)
    assert code == 2
    assert "--ecraser" in erreur
    code, _, _ = lancer(capsys, "--taille", "30", "--sortie", sortie, "--ecraser")
    assert code == 0
    assert not (sortie / "ecarts_reformes.csv").exists()  # fichier de l'exécution précédente supprimé
    assert (sortie / "mes_notes.txt").exists()  # ce qui n'est pas un résultat reste
    manifeste = json.loads((sortie / "execution.json").read_text(encoding="utf-8"))
    assert set(manifeste["fichiers"]) == {f.name for f in sortie.iterdir()} - {"execution.json", "mes_notes.txt"}
    assert manifeste["reformes"] == []


def test_colonne_de_regroupement_mal_orthographiee(capsys, tmp_path):
    sortie = tmp_path / "r"
    code, erreur, _ = lancer(capsys, "--taille", "20", "--grouper-par", "categorie_invalidte", "--sortie", sortie)
    assert code == 2
    assert "« categorie_invalidte » inconnue" in erreur and "categorie_invalidite" in erreur
    assert not sortie.exists()


@pytest.mark.parametrize(
    ("separateur", "decimale", "encodage"),
    [(";", ",", "utf-8-sig"), (";", ",", "cp1252"), (";", ",", "utf-8"), (",", ".", "latin-1"), ("\t", ",", "utf-8")],
)
def test_csv_a_la_francaise(tmp_path, population, separateur, decimale, encodage):
    fichier = tmp_path / "p.csv"
    francaise = population.assign(commentaire="prévoyance é")
    francaise.to_csv(fichier, index=False, sep=separateur, decimal=decimale, encoding=encodage)
    lue = lire_population(fichier)
    assert (lue["commentaire"] == "prévoyance é").all()
    np.testing.assert_allclose(lue["reduction_capacite_travail"], population["reduction_capacite_travail"])
    np.testing.assert_array_equal(
        simuler(lue, "2025-06", progression=False)["pension_invalidite"],
        simuler(population, "2025-06", progression=False)["pension_invalidite"],
    )


def test_excel_en_entree_et_en_sortie(capsys, tmp_path, population):
    fichier = tmp_path / "p.xlsx"
    population.to_excel(fichier, index=False)
    sortie = tmp_path / "r"
    code, erreur, _ = lancer(capsys, "--entree", fichier, "--mois", "2025-06", "--sortie", sortie)
    assert code == 0, erreur
    classeur = pd.read_excel(sortie / "resultats.xlsx", sheet_name=None)
    assert {"execution", "agregats"} <= set(classeur)
    execution = dict(zip(classeur["execution"]["cle"], classeur["execution"]["valeur"], strict=True))
    assert execution["periode"] == "2025-06" and "simuler" in execution["commande"]
    attendu = simuler(population, "2025-06", progression=False)
    lu = pd.read_parquet(sortie / "personnes.parquet")
    np.testing.assert_array_equal(lu["pension_invalidite"], attendu["pension_invalidite"])


def test_excel_date_en_texte_refusee(capsys, tmp_path, population):
    fautive = en_texte(population, "date_naissance")
    fautive.loc[2, "date_naissance"] = "03/12/1970"
    fichier = tmp_path / "p.xlsx"
    fautive.to_excel(fichier, index=False)
    refus_cli(capsys, tmp_path, fichier, "« date_naissance »", "03/12/1970", "lignes 4")
