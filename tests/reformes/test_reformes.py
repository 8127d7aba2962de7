"""Réformes : registre, fabriques, erreurs claires, et l'API web lancée avec
``--reforms`` (vrai ``openfisca serve`` sur 127.0.0.1, port libre, temps borné)."""

from __future__ import annotations

import numpy as np
import pytest
from openfisca_core.reforms import Reform
from openfisca_core.simulation_builder import SimulationBuilder
from openfisca_invalidite.reforms import (
    REFORMES,
    ReformeInconnue,
    ReformeInvalide,
    chemin,
    reforme,
    reforme_age_retraite,
    reforme_bornes_msa_non_salaries,
    reforme_majoration,
    reforme_minimum_ssi_regime_general,
    reforme_parametres,
    reforme_taux_categorie,
)

from openfisca_invalidite.serveur_local import ServeurInjoignable, serveur_local

NOMS_ATTENDUS = {
    "age_fin_64",
    "retour_62",
    "acceleration_64_1968",
    "taux_cat1_40",
    "mtp_plus_10",
    "fin_a_age_legal",
    "asi_plafond_plus_10",
    "aah_conjugalisee",
    "plancher_aah",
    "ssi_minimum_regime_general",
    "msa_non_salaries_maxima_regime_general",
}


def simuler(tbs, individus: dict, variable: str, periode: str) -> np.ndarray:
    situation = {"individus": individus, "familles": {f"f_{nom}": {"parents": [nom]} for nom in individus}}
    return SimulationBuilder().build_from_entities(tbs, situation).calculate(variable, periode)


# --- Registre -----------------------------------------------------------------


def test_registre_contient_les_noms_courts():
    assert set(REFORMES) >= NOMS_ATTENDUS
    for nom, classe in REFORMES.items():
        assert issubclass(classe, Reform), nom
        assert classe.__doc__ and len(classe.__doc__.strip()) > 80, f"{nom} : docstring absente ou trop courte"
        assert classe.name, nom


def test_chaque_reforme_s_applique_par_son_chemin_pointe(tbs):
    """Le chemin pointé est ce que citent les tests YAML (reforms:) et --reforms."""
    for nom, classe in REFORMES.items():
        reformee = tbs.apply_reform(chemin(classe))
        assert type(reformee) is classe, nom
        assert reformee.baseline is tbs


def test_reforme_inconnue_liste_les_noms():
    with pytest.raises(ReformeInconnue) as erreur:
        reforme("retour_60")
    message = str(erreur.value)
    assert "retour_60" in message
    for nom in REFORMES:
        assert nom in message
    assert reforme("retour_62") is REFORMES["retour_62"]


# --- reforme_parametres --------------------------------------------------------


def test_reforme_parametres_dictionnaire(tbs):
    classe = reforme_parametres({"pension_invalidite.montant.taux.categorie_1": {"2025-01-01": 0.4}})
    reformee = classe(tbs)
    assert reformee.parameters("2024-12-01").pension_invalidite.montant.taux.categorie_1 == 0.3
    assert reformee.parameters("2025-01-01").pension_invalidite.montant.taux.categorie_1 == 0.4
    # Le système de référence n'est pas touché.
    assert tbs.parameters("2025-01-01").pension_invalidite.montant.taux.categorie_1 == 0.3
    assert "categorie_1" in classe.__doc__


def test_reforme_parametres_yaml_texte_et_fichier_plusieurs_dates(tbs, tmp_path):
    texte = """
pension_invalidite.montant.minimum:
  "2025-01-01": 400
  "2026-01-01": 420
"""
    fichier = tmp_path / "changement.yaml"
    fichier.write_text(texte, encoding="utf-8")
    for source in (texte, fichier, str(fichier)):
        reformee = reforme_parametres(source)(tbs)
        minimum = {
            date: reformee.parameters(date).pension_invalidite.montant.minimum
            for date in ("2024-06-01", "2025-06-01", "2026-06-01")
        }
        assert minimum["2024-06-01"] == 328.07
        assert minimum["2025-06-01"] == 400
        assert minimum["2026-06-01"] == 420


def test_reforme_parametres_tranche_de_bareme(tbs):
    """Le rang 5 du barème de l'âge légal (générations 1955 à 08/1961) passe à 63 ans."""
    reformee = reforme_parametres({"retraite.age_legal.brackets.5.amount": {"2025-01-01": 63}})(tbs)
    generations = np.array([195412, 195501, 196108, 196109])
    assert list(reformee.parameters("2025-06-01").retraite.age_legal.calc(generations)) == pytest.approx(
        [61.583333, 63, 63, 62.25]
    )


@pytest.mark.parametrize(
    ("modifications", "attendu"),
    [
        (
            {"pension_invalidite.montant.tx.categorie_1": {"2025-01-01": 0.4}},
            "possibles : maximum_en_part_du_pmss, minimum, taux",
        ),
        ({"pension_invalidite.montant.taux": {"2025-01-01": 0.4}}, "n'est pas une valeur datée"),
    ],
)
def test_reforme_parametres_chemin_errone(tbs, modifications, attendu):
    with pytest.raises(ReformeInvalide, match=attendu):
        reforme_parametres(modifications)(tbs)


@pytest.mark.parametrize(
    "modifications",
    [
        {"pension_invalidite.montant.minimum": {"2025-01-01": "beaucoup"}},
        {"pension_invalidite.montant.minimum": {"le 1er janvier": 400}},
        {"pension_invalidite.montant.minimum": 400},
        {},
    ],
)
def test_reforme_parametres_entree_illisible(modifications):
    with pytest.raises(ReformeInvalide):
        reforme_parametres(modifications)


def test_reforme_majoration_arrondit_et_garde_les_revalorisations(tbs):
    reformee = reforme_majoration(
        "pension_invalidite.majoration_tierce_personne.montant", 1.1, "2025-01-01", nom="Mtp"
    )(tbs)
    mtp = lambda date: reformee.parameters(date).pension_invalidite.majoration_tierce_personne.montant  # noqa: E731
    assert mtp("2024-12-01") == 1266.60
    assert mtp("2025-01-01") == 1393.26  # 1 266,60 × 1,1
    assert mtp("2025-04-01") == 1416.94  # 1 288,13 × 1,1 = 1 416,943
    assert mtp("2026-04-01") == 1428.28  # 1 298,44 × 1,1 = 1 428,284


# --- reforme_age_retraite --------------------------------------------------------


def test_age_pour_un_intervalle_de_generations(tbs):
    """65 ans pour les seules générations 1962-1963 dès 2030 : 1961 et 1964 inchangées."""
    classe = reforme_age_retraite(
        65, "2030-01-01", generations_depuis=1962, generations_jusqua=1963, nom="Age65_1962_1963"
    )
    assert classe.__name__ == "Age65_1962_1963"
    assert "65 ans" in classe.__doc__ and "12/1963" in classe.__doc__
    reformee = classe(tbs)
    generations = np.array([196112, 196201, 196312, 196401])
    avant = tbs.parameters("2030-01-01").retraite.age_legal.calc(generations)
    apres = reformee.parameters("2030-01-01").retraite.age_legal.calc(generations)
    assert list(apres) == [avant[0], 65, 65, avant[3]]
    # Avant la date d'effet, rien ne change ; la fin de la pension non plus.
    assert list(reformee.parameters("2029-12-01").retraite.age_legal.calc(generations)) == list(
        tbs.parameters("2029-12-01").retraite.age_legal.calc(generations)
    )
    assert (
        list(reformee.parameters("2030-01-01").pension_invalidite.fin_de_droit.age_fin_pension.calc(generations))
        == [62] * 4
    )


def test_age_les_deux_cibles_et_personne(tbs):
    """Fin de pension à 64 ans pour 1968+ : un invalide de 63 ans né en 1968
    garde la condition d'âge sous la réforme, pas en loi en vigueur."""
    classe = reforme_age_retraite(64, "2024-01-01", generations_depuis="1968-01", cible="les_deux")
    individus = {"a": {"date_naissance": {"ETERNITY": "1968-01-01"}}}
    assert not simuler(tbs, individus, "pension_invalidite_condition_age", "2031-06")[0]
    assert simuler(classe(tbs), individus, "pension_invalidite_condition_age", "2031-06")[0]
    assert simuler(classe(tbs), individus, "age_legal_retraite", "2031-06")[0] == 64


@pytest.mark.parametrize(
    ("arguments", "attendu"),
    [
        ({"age": 640, "date_effet": "2025-01-01"}, "hors de"),
        ({"age": 64, "date_effet": "2025-13-01"}, "date d'effet"),
        ({"age": 64, "date_effet": "2025-01-01", "generations_depuis": 196813}, "génération illisible"),
        (
            {"age": 64, "date_effet": "2025-01-01", "generations_depuis": 1970, "generations_jusqua": 1968},
            "intervalle vide",
        ),
        ({"age": 64, "date_effet": "2025-01-01", "cible": "age_aspa"}, "cible inconnue"),
    ],
)
def test_age_arguments_errones(arguments, attendu):
    with pytest.raises(ReformeInvalide, match=attendu):
        reforme_age_retraite(**arguments)


def test_taux_categorie_erreurs():
    with pytest.raises(ReformeInvalide, match="catégorie inconnue"):
        reforme_taux_categorie("categorie_4", 0.4, "2025-01-01")
    with pytest.raises(ReformeInvalide, match=r"0\.4 = 40 %"):
        reforme_taux_categorie("categorie_1", 40, "2025-01-01")


# --- API web ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments",
    [
        {},
        {"taux_partielle": 1.5},
        {"maximum_totale": -0.1},
    ],
)
def test_bornes_msa_non_salaries_erreurs(arguments):
    with pytest.raises(ReformeInvalide, match="parts entre 0 et 1"):
        reforme_bornes_msa_non_salaries("2026-01-01", **arguments)


def test_minimum_ssi_regime_general_suit_les_revalorisations_du_minimum(tbs):
    """Chaque date de valeur du minimum du régime général après la date d'effet
    devient une date de valeur des minima de la SSI."""
    reformee = reforme_minimum_ssi_regime_general("2024-06-01")(tbs)
    ssi = reformee.parameters.pension_invalidite.ssi.minimum
    minimum = reformee.parameters.pension_invalidite.montant.minimum
    for date in ("2024-06-01", "2025-01-01", "2025-06-01", "2026-01-01", "2026-06-01"):
        assert ssi.pipm(date) == ssi.pitd(date) == minimum(date), date
    assert ssi.pipm("2024-05-01") == tbs.parameters.pension_invalidite.ssi.minimum.pipm("2024-05-01")
    with pytest.raises(ReformeInvalide, match="date d'effet"):
        reforme_minimum_ssi_regime_general("juin 2024")


def test_api_web_avec_reforme():
    """``openfisca serve --reforms <chemin>`` démarre et calcule sous la réforme :
    un invalide de 63 ans né le 1/3/1962 est éligible en juin 2025 (AgeFinPension64),
    ce qu'il n'est pas en loi en vigueur (tests/reformes/age_retraite.yaml)."""
    pytest.importorskip("requests")
    try:
        with serveur_local(reformes=[chemin(REFORMES["age_fin_64"])], workers=1) as serveur:
            situation = {
                "individus": {
                    "p": {
                        "date_naissance": {"ETERNITY": "1962-03-01"},
                        "date_debut_invalidite": {"ETERNITY": "2020-01-10"},
                        "categorie_invalidite": {"2025-06": "categorie_2"},
                        "reduction_capacite_travail": {"2025-06": 0.8},
                        "duree_immatriculation": {"2025-06": 240},
                        "heures_travaillees_12_mois": {"2025-06": 1500},
                        "pension_invalidite_condition_age": {"2025-06": None},
                        "pension_invalidite_eligible": {"2025-06": None},
                    }
                },
                "familles": {"f": {"parents": ["p"]}},
            }
            reponse = serveur.post("/calculate", situation)
            assert reponse.status_code == 200, reponse.text
            p = reponse.json()["individus"]["p"]
            assert p["pension_invalidite_condition_age"]["2025-06"] is True
            assert p["pension_invalidite_eligible"]["2025-06"] is True
            # Le paramètre réformé est celui que publie l'API.
            bareme = serveur.get("/parameter/pension_invalidite.fin_de_droit.age_fin_pension")
            assert bareme.status_code == 200
            tranches = bareme.json()["brackets"]
            assert tranches["2023-09-01"]["196109"] == 64
            assert tranches["2015-01-01"]["196109"] == 62
    except ServeurInjoignable as erreur:
        pytest.fail(str(erreur))
