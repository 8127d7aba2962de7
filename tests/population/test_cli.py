"""La commande `openfisca-invalidite simulate` de bout en bout, sur 2 000 personnes."""

import pandas as pd
import pytest

from openfisca_invalidite import cli
from openfisca_invalidite.population import moteur


def test_simulate_population_synthetique(tmp_path, capsys):
    sortie = tmp_path / "r"
    assert cli.main(["simulate", "--taille", "2000", "--mois", "2025-06", "--sortie", str(sortie), "--silencieux"]) == 0
    personnes = pd.read_parquet(sortie / "personnes.parquet")
    assert len(personnes) == 2000
    assert personnes["id"].is_unique
    agregats = pd.read_csv(sortie / "agregats.csv")
    total = agregats.query(
        "scenario == 'loi_en_vigueur' and prestation == 'pension_invalidite' and dimension == 'ensemble'"
    )
    attendu = (personnes["poids"] * personnes["pension_invalidite"]).sum() * 12
    assert total["cout_annuel"].iloc[0] == pytest.approx(attendu)
    for png in ("distribution_pensions.png", "cout_par_prestation.png"):
        assert (sortie / png).read_bytes()[:4] == b"\x89PNG"
    assert "pension_invalidite" in capsys.readouterr().out


def test_simulate_avec_reforme_et_fichier(tmp_path, monkeypatch, reforme_test, petite_population):
    nom, classe = reforme_test
    monkeypatch.setattr(moteur, "reformes_disponibles", lambda: {nom: classe})
    entree = tmp_path / "pop.parquet"
    petite_population.to_parquet(entree)
    sortie = tmp_path / "r"
    code = cli.main(
        [
            "simulate",
            "--entree",
            str(entree),
            "--mois",
            "2025-06",
            "--reforme",
            nom,
            "--sortie",
            str(sortie),
            "--silencieux",
        ]
    )
    assert code == 0
    ecarts = pd.read_csv(sortie / "ecarts_reformes.csv")
    ensemble = ecarts.query("dimension == 'ensemble'").iloc[0]
    assert ensemble["ecart_cout_annuel_pension_invalidite"] > 0
    assert ensemble["gagnants"] > 0
    assert (sortie / "gagnants_perdants_par_age.png").exists()
    personnes = pd.read_parquet(sortie / "personnes.parquet")
    assert f"pension_invalidite__{nom}" in personnes.columns


def test_reforme_inconnue_liste_les_noms(tmp_path, monkeypatch, capsys, reforme_test):
    monkeypatch.setattr(moteur, "reformes_disponibles", lambda: dict([reforme_test]))
    code = cli.main(["simulate", "--taille", "100", "--reforme", "nexiste_pas", "--sortie", str(tmp_path)])
    assert code == 2
    erreur = capsys.readouterr().err
    assert "nexiste_pas" in erreur and reforme_test[0] in erreur


def test_entree_invalide_code_2(tmp_path, capsys, petite_population):
    fautive = petite_population.drop(columns="poids")
    fautive.to_csv(tmp_path / "p.csv", index=False)
    assert cli.main(["simulate", "--entree", str(tmp_path / "p.csv"), "--sortie", str(tmp_path / "r")]) == 2
    assert "« poids »" in capsys.readouterr().err


def test_aide_documentee(capsys):
    assert cli.main(["simuler", "--help"]) == 0
    aide = capsys.readouterr().out
    for francaise, anglaise in (
        ("--taille", "--size"),
        ("--mois", "--month"),
        ("--annee", "--year"),
        ("--annees", "--years"),
        ("--entree", "--input"),
        ("--reforme", "--reform"),
        ("--moteur", "--engine"),
        ("--ordonnanceur", "--scheduler"),
        ("--sortie", "--output"),
        ("--ecraser", "--overwrite"),
        ("--revalorisation", "--uprating"),
        ("--grouper-par", "--group-by"),
        ("--decile-de", "--decile-of"),
        ("--format-date", "--date-format"),
    ):
        assert any(f"  {francaise}" in ligne and f", {anglaise}" in ligne for ligne in aide.splitlines()), francaise
    # Texte brut : ni balisage reStructuredText ni rôles Sphinx.
    for balise in ("``", ":func:", ":mod:", ":class:", "show this help"):
        assert balise not in aide


def test_alias_anglais_memes_resultats(tmp_path, capsys):
    francais, anglais = tmp_path / "fr", tmp_path / "en"
    assert cli.main(["simuler", "--taille", "200", "--mois", "2025-06", "--sortie", str(francais), "--silencieux"]) == 0
    assert cli.main(["simulate", "--size", "200", "--month", "2025-06", "--output", str(anglais), "--quiet"]) == 0
    capsys.readouterr()
    pd.testing.assert_frame_equal(
        pd.read_parquet(francais / "personnes.parquet"), pd.read_parquet(anglais / "personnes.parquet")
    )
