"""Une entrée hors domaine donne une erreur claire qui nomme la variable et la
personne : jamais une trace de pile illisible, jamais un montant faux en silence."""

import copy
import json

import numpy as np
import pytest
from openfisca_core.errors import SituationParsingError
from openfisca_core.simulations import SimulationBuilder

from openfisca_invalidite import SITUATION_EXAMPLES_DIR
from openfisca_invalidite.validation import EntreeInvalide

MOIS = "2025-06"


@pytest.fixture
def situation():
    with (SITUATION_EXAMPLES_DIR / "pensionne_categorie_2.json").open(encoding="utf-8") as f:
        return json.load(f)


def construire(tbs, situation):
    return SimulationBuilder().build_from_entities(tbs, situation)


def test_situation_valide(tbs, situation):
    simulation = construire(tbs, situation)
    assert simulation.calculate("pension_invalidite", MOIS)[0] > 0


@pytest.mark.parametrize(
    ("variable", "periode", "valeur", "mot"),
    [
        ("salaire_brut_annuel", "2019", -5000, "minimum"),
        ("reduction_capacite_travail", MOIS, 1.5, "maximum"),
        ("reduction_capacite_travail", MOIS, -0.1, "minimum"),
        ("heures_travaillees_12_mois", MOIS, -1, "minimum"),
        ("salaire_cotise_12_mois", MOIS, float("nan"), "non finie"),
        ("revenus_activite", MOIS, float("inf"), "non finie"),
        ("duree_immatriculation", MOIS, -3, "minimum"),
        ("rpns_imposables", "2019", -1200, "minimum"),
        ("rag", "2019", float("nan"), "non finie"),
        ("indemnites_journalieres_maladie", MOIS, -10, "minimum"),
    ],
)
def test_valeur_hors_domaine(tbs, situation, *, variable, periode, valeur, mot):
    situation = copy.deepcopy(situation)
    situation["individus"]["claire"][variable] = {periode: valeur}
    with pytest.raises(EntreeInvalide) as erreur:
        construire(tbs, situation)
    message = str(erreur.value)
    assert variable in message and "claire" in message and mot in message
    assert erreur.value.code == 400
    assert isinstance(erreur.value, SituationParsingError)


def test_categorie_inconnue(tbs, situation):
    situation["individus"]["claire"]["categorie_invalidite"] = {MOIS: "categorie_4"}
    with pytest.raises(SituationParsingError) as erreur:
        construire(tbs, situation)
    assert "categorie_invalidite" in str(erreur.value) and "categorie_4" in str(erreur.value)


@pytest.mark.parametrize(
    ("variable", "valeur"),
    [("regime_invalidite", "rsi"), ("statut_non_salarie_agricole", "conjoint")],
)
def test_regime_ou_statut_inconnu(tbs, situation, *, variable, valeur):
    situation["individus"]["claire"][variable] = {"ETERNITY": valeur}
    with pytest.raises(SituationParsingError) as erreur:
        construire(tbs, situation)
    assert variable in str(erreur.value) and valeur in str(erreur.value)


def test_un_deficit_agricole_est_une_entree_valide(tbs, situation):
    situation["individus"]["claire"]["regime_invalidite"] = {"ETERNITY": "msa_non_salarie"}
    situation["individus"]["claire"]["rag"] = {"2019": -3000, "2020": 12000}
    simulation = construire(tbs, situation)
    assert simulation.calculate("revenu_professionnel_moyen_agricole", MOIS)[0] == pytest.approx(6000)


def test_naissance_apres_la_periode(tbs, situation):
    situation["individus"]["claire"]["date_naissance"] = {"ETERNITY": "2025-07-01"}
    simulation = construire(tbs, situation)
    with pytest.raises(EntreeInvalide) as erreur:
        simulation.calculate("pension_invalidite", MOIS)
    assert "date_naissance" in str(erreur.value) and "claire" in str(erreur.value)


def test_api_numpy_nan_nomme_l_indice(tbs):
    simulation = SimulationBuilder().build_default_simulation(tbs, count=3)
    with pytest.raises(EntreeInvalide) as erreur:
        simulation.set_input("salaire_brut_annuel", "2020", np.array([1000.0, np.nan, 2000.0]))
    assert "salaire_brut_annuel" in str(erreur.value)
    assert list(erreur.value.indices) == [1]


def test_sans_date_d_invalidite_pas_de_pension(tbs, situation):
    """Date de début absente : valeur par défaut 9999-12-31, donc aucune pension (et non le minimum)."""
    del situation["individus"]["claire"]["date_debut_invalidite"]
    simulation = construire(tbs, situation)
    assert simulation.calculate("pension_invalidite_condition_reconnaissance", MOIS)[0] == False  # noqa: E712
    assert simulation.calculate("pension_invalidite", MOIS)[0] == 0


def test_date_effet_anterieure_a_l_arret(tbs, situation):
    """R341-12 : la pension prend effet quand l'invalidité est appréciée, jamais avant l'arrêt de travail."""
    arret = situation["individus"]["claire"]["date_debut_invalidite"]["ETERNITY"]
    situation["individus"]["claire"]["date_effet_pension_invalidite"] = {"ETERNITY": "2000-01-01"}
    simulation = construire(tbs, situation)
    with pytest.raises(EntreeInvalide) as erreur:
        simulation.calculate("pension_invalidite", MOIS)
    message = str(erreur.value)
    assert "date_effet_pension_invalidite" in message and "claire" in message and "antérieure" in message
    assert arret > "2000-01-01"


def test_date_effet_sans_arret(tbs, situation):
    del situation["individus"]["claire"]["date_debut_invalidite"]
    situation["individus"]["claire"]["date_effet_pension_invalidite"] = {"ETERNITY": "2024-01-01"}
    simulation = construire(tbs, situation)
    with pytest.raises(EntreeInvalide, match="sans date_debut_invalidite"):
        simulation.calculate("pension_invalidite", MOIS)


def test_date_effet_absente_garde_le_calcul_a_l_arret(tbs, situation):
    """Sans date d'effet, la liquidation est l'arrêt : donner la date d'arrêt comme date d'effet ne change rien."""
    sans = construire(tbs, copy.deepcopy(situation)).calculate("pension_invalidite", MOIS)[0]
    arret = situation["individus"]["claire"]["date_debut_invalidite"]["ETERNITY"]
    situation["individus"]["claire"]["date_effet_pension_invalidite"] = {"ETERNITY": arret}
    avec = construire(tbs, situation).calculate("pension_invalidite", MOIS)[0]
    assert sans == avec > 0
