"""Projections pluriannuelles : population qui évolue (graine reproductible),
revalorisation des barèmes eux-mêmes (ou gel annoncé), budget, et mêmes nombres
par la ligne de commande et par l'API Python."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from openfisca_invalidite import cli
from openfisca_invalidite.comparaison import comparer
from openfisca_invalidite.population import moteur
from openfisca_invalidite.population.demographie import FICHIER_MORTALITE, quotients, table_mortalite
from openfisca_invalidite.population.projection import lire_annees, projeter
from openfisca_invalidite.population.revalorisation import (
    REGLES,
    Revalorisation,
    baremes_geles,
    hypotheses_publiees,
    reforme_revalorisation,
)

ANNEES = "2026-2028"


@pytest.fixture(scope="module")
def projection():
    return projeter(annees=ANNEES, taille=1_500, graine=4, progression=False)


def test_reproductible(projection):
    autre = projeter(annees=ANNEES, taille=1_500, graine=4, progression=False)
    pd.testing.assert_frame_equal(projection.annuel, autre.annuel)
    pd.testing.assert_frame_equal(projection.demographie, autre.demographie)
    differente = projeter(annees=ANNEES, taille=1_500, graine=5, progression=False)
    assert not differente.annuel.equals(projection.annuel)


def test_population_qui_evolue(projection):
    demographie = projection.demographie.set_index("annee")
    assert list(demographie.index) == [2026, 2027, 2028]
    # Décès et entrées chaque année après la première ; flux d'entrée = taux publié × effectif en service.
    assert (demographie.loc[2027:, "deces_ponderes"] > 0).all()
    for annee in (2027, 2028):
        attendu = 0.1097 * demographie.loc[annee - 1, "pensionnes_en_service_1er_janvier"]
        assert demographie.loc[annee, "entrees_ponderees"] == pytest.approx(attendu, rel=1e-9)
    assert (demographie["personnes"].diff().dropna() > 0).all()
    # Les âges avancent avec la période ; la pension s'arrête à l'âge de fin (62 ans, L341-15)
    # pour qui ne travaille pas, et les foyers de plus de 70 ans sortent du champ.
    personnes = projection.personnes
    assert personnes["age"].max() <= 70 + 1
    agees = (personnes["age"] >= 63) & (personnes["revenus_activite"] == 0)
    assert agees.any()
    assert (personnes.loc[agees, "pension_invalidite"] == 0).all()
    jeunes = (personnes["age"] < 61) & (personnes["categorie_invalidite"] != "non_classe")
    assert (personnes.loc[jeunes, "pension_invalidite"] > 0).mean() > 0.9


def test_sans_deces_ni_entrees_la_population_vieillit_seulement():
    p = projeter(annees="2026-2027", taille=400, graine=2, deces=False, entrees=False, progression=False)
    assert p.demographie["personnes"].tolist()[0] >= p.demographie["personnes"].tolist()[1]
    assert p.demographie.loc[1, "deces_ponderes"] == 0
    assert p.demographie.loc[1, "entrees_ponderees"] == 0


def test_revalorisation_agit_sur_les_parametres():
    revalorisation = Revalorisation.depuis({"inflation": 0.02, "croissance_salaires": 0.03})
    base = moteur.systeme_de_base()
    revalorise = reforme_revalorisation(revalorisation, 2030)(base)
    # AAH : dernière valeur publiée (1er avril 2026) × 1,02 chaque 1er avril.
    derniere = base.parameters("2026-04-01").aah.montant_maximum
    assert revalorise.parameters("2030-04-01").aah.montant_maximum == pytest.approx(
        round(round(round(round(derniere * 1.02, 2) * 1.02, 2) * 1.02, 2) * 1.02, 2)
    )
    assert revalorise.parameters("2027-03-31").aah.montant_maximum == derniere
    # PMSS revalorisé du salaire moyen, PASS = 12 × PMSS.
    pmss = revalorise.parameters("2027-01-01").references_sociales.plafond_mensuel_securite_sociale
    assert pmss == round(base.parameters("2026-01-01").references_sociales.plafond_mensuel_securite_sociale * 1.03)
    assert revalorise.parameters("2027-01-01").references_sociales.plafond_annuel_securite_sociale == 12 * pmss
    # Coefficient des pensions au 1er avril : 1 + inflation de l'année précédente.
    assert revalorise.parameters("2028-04-01").pension_invalidite.revalorisation.coefficient_pensions == 1.02
    assert baremes_geles(revalorise, "2030-12-31") == {}
    assert set(baremes_geles(base, "2030-12-31")) == {r.chemin for r in REGLES}


def test_sans_revalorisation_un_avertissement_dit_le_gel():
    with pytest.warns(UserWarning, match=r"gelés à leur dernière valeur publiée à partir du 2027-01-01"):
        p = projeter(annees="2026-2027", taille=200, revalorisation=None, progression=False)
    assert p.avertissements and "gelés" in p.execution["avertissements"][0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        projeter(annees="2026", taille=200, revalorisation=None, progression=False)  # rien de gelé en 2026


def test_revalorisation_change_les_montants_apres_la_derniere_valeur():
    with pytest.warns(UserWarning, match="gelés"):
        gel = projeter(annees="2027", taille=600, revalorisation="aucune", progression=False)
    revalorise = projeter(annees="2027", taille=600, progression=False)
    cout = {
        nom: p.annuel.query("prestation == 'pension_invalidite'")["cout_annuel"].iloc[0]
        for nom, p in (("gel", gel), ("revalorise", revalorise))
    }
    assert cout["revalorise"] > cout["gel"]
    assert "hypothèses publiées" in revalorise.execution["revalorisation"]
    assert revalorise.execution["sources_revalorisation"]


def test_budget_ecart_de_cout(monkeypatch, reforme_test):
    monkeypatch.setattr(moteur, "reformes_disponibles", lambda: dict([reforme_test]))
    nom = reforme_test[0]
    p = projeter(annees="2026-2027", reformes=[nom], taille=500, graine=3, progression=False)
    for annee in (2026, 2027):
        couts = p.annuel.query("annee == @annee and prestation == 'total'").set_index("scenario")["cout_annuel"]
        assert p.ecart(nom, annee) == pytest.approx(couts[nom] - couts["loi_en_vigueur"], rel=1e-9)
        assert p.ecart(nom, annee) > 0
    assert p.ecart(nom) == pytest.approx(p.ecart(nom, 2026) + p.ecart(nom, 2027))


def test_annees_illisibles():
    assert lire_annees("2026-2028") == [2026, 2027, 2028]
    assert lire_annees(2030) == [2030]
    for fautive in ("2028-2026", "2026/2028", "vingt"):
        with pytest.raises(ValueError, match="années"):
            lire_annees(fautive)


def test_hypotheses_illisibles():
    with pytest.raises(ValueError, match="série inconnue « inflaton »"):
        Revalorisation.depuis({"inflaton": 0.02})
    with pytest.raises(ValueError, match="un taux annuel"):
        Revalorisation.depuis({"inflation": 2.0})
    assert hypotheses_publiees().taux("inflation", 2040) == 0.0175


def test_table_de_mortalite_stockee_egale_a_sa_derivation():
    stockee = pd.read_csv(FICHIER_MORTALITE)
    pd.testing.assert_frame_equal(stockee, table_mortalite(), check_exact=False, atol=1e-6)
    # Espérance de vie à la naissance de la table : celle publiée par l'Insee (85,7 et 80,0 ans).
    for sexe, esperance in (("femme", 85.7), ("homme", 80.0)):
        survie = np.cumprod(1 - quotients()[f"quotient_{sexe}"].to_numpy())
        assert 0.5 + survie.sum() == pytest.approx(esperance, abs=0.6)


def _lire_sortie(dossier):
    return pd.read_csv(dossier / "annuel.csv"), pd.read_parquet(dossier / "personnes.parquet")


def test_cli_et_python_memes_nombres_sur_plusieurs_annees(tmp_path, capsys, monkeypatch, reforme_test):
    monkeypatch.setattr(moteur, "reformes_disponibles", lambda: dict([reforme_test]))
    nom = reforme_test[0]
    sortie = tmp_path / "r"
    arguments = ["--annees", "2026-2027", "--reforme", nom, "--taille", "400", "--graine", "9"]
    assert cli.main(["simuler", *arguments, "--sortie", str(sortie), "--silencieux", "--sans-graphiques"]) == 0
    capsys.readouterr()
    python = projeter(annees="2026-2027", reformes=[nom], taille=400, graine=9, progression=False)
    annuel, personnes = _lire_sortie(sortie)
    pd.testing.assert_frame_equal(annuel, python.annuel.reset_index(drop=True), check_dtype=False)
    np.testing.assert_array_equal(personnes[f"gain__{nom}"], python.personnes[f"gain__{nom}"])
    execution = json.loads((sortie / "execution.json").read_text(encoding="utf-8"))
    assert execution["commande"].startswith("openfisca-invalidite simuler --annees 2026-2027")
    assert execution["reformes"] == [nom] and execution["annees"] == [2026, 2027]
    assert "hypothèses publiées" in execution["revalorisation"]


@pytest.mark.parametrize("periode", [("--annee", "2025"), ("--mois", "2025-12")])
def test_cli_et_python_memes_nombres_sur_une_periode(tmp_path, capsys, periode):
    option, valeur = periode
    sortie = tmp_path / "r"
    code = cli.main(
        ["simuler", option, valeur, "--taille", "300", "--sortie", str(sortie), "--silencieux", "--sans-graphiques"]
    )
    assert code == 0
    capsys.readouterr()
    python = comparer(periode=valeur, taille=300, progression=False)
    pd.testing.assert_frame_equal(
        pd.read_csv(sortie / "agregats.csv"), python.agregats.reset_index(drop=True), check_dtype=False
    )
