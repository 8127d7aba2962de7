"""Un couple donne la même ASI par l'API web et par le moteur de population :
``en_couple`` se déduit des deux parents de la famille quand la situation ne
le donne pas (D815-19 2° b : conjoint non allocataire, ASI plafonnée à
plafond seul − minimum de pension)."""

from __future__ import annotations

import pandas as pd
import pytest

from openfisca_invalidite.population import simuler

MOIS = "2025-06"
#: min(plafond couple 19 212,03 / 12 − ressources 735,29 ; plafond seul 10 978,30 / 12 − minimum 335,29).
ASI_ATTENDUE = 579.57
SALAIRES = {str(annee): 5000.0 for annee in range(2015, 2024)}


def situation_du_couple() -> dict:
    """Pensionnée de 2e catégorie au minimum (335,29 €), conjoint salarié (400 €/mois), en_couple non donné."""
    return {
        "individus": {
            "ines": {
                "date_naissance": {"ETERNITY": "1975-03-12"},
                "date_debut_invalidite": {"ETERNITY": "2024-02-10"},
                "categorie_invalidite": {MOIS: "categorie_2"},
                "reduction_capacite_travail": {MOIS: 0.8},
                "duree_immatriculation": {MOIS: 240},
                "heures_travaillees_12_mois": {MOIS: 1500},
                "salaire_brut_annuel": SALAIRES,
                "asi": {MOIS: None},
                "pension_invalidite": {MOIS: None},
            },
            "paul": {"date_naissance": {"ETERNITY": "1973-09-01"}, "revenus_activite": {MOIS: 400}},
        },
        "familles": {"foyer": {"parents": ["ines", "paul"], "en_couple": {MOIS: None}}},
    }


def population_du_couple() -> pd.DataFrame:
    lignes = [
        {
            "id": "ines",
            "famille_id": "foyer",
            "role_famille": "demandeur",
            "poids": 1.0,
            "date_naissance": "1975-03-12",
            "date_debut_invalidite": "2024-02-10",
            "categorie_invalidite": "categorie_2",
            "reduction_capacite_travail": 0.8,
            "duree_immatriculation": 240,
            "heures_travaillees_12_mois": 1500.0,
            "revenus_activite": 0.0,
        },
        {
            "id": "paul",
            "famille_id": "foyer",
            "role_famille": "conjoint",
            "poids": 1.0,
            "date_naissance": "1973-09-01",
            "date_debut_invalidite": None,
            "categorie_invalidite": "non_classe",
            "reduction_capacite_travail": 0.0,
            "duree_immatriculation": 240,
            "heures_travaillees_12_mois": 1500.0,
            "revenus_activite": 400.0,
        },
    ]
    population = pd.DataFrame(lignes)
    for annee, montant in SALAIRES.items():
        population[f"salaire_{annee}"] = [montant, 0.0]
    return population


def test_asi_du_couple_identique_api_web_et_moteur_de_population(serveur):
    reponse = serveur.post("/calculate", situation_du_couple())
    assert reponse.status_code == 200, reponse.text
    corps = reponse.json()
    assert corps["individus"]["ines"]["pension_invalidite"][MOIS] == pytest.approx(335.29, abs=0.005)
    assert corps["familles"]["foyer"]["en_couple"][MOIS] is True
    asi_api = corps["individus"]["ines"]["asi"][MOIS]

    resultats = simuler(population_du_couple(), MOIS, progression=False)
    asi_population = float(resultats.loc[resultats["id"] == "ines", "asi"].iloc[0])

    assert asi_api == pytest.approx(ASI_ATTENDUE, abs=0.005)
    assert asi_population == pytest.approx(asi_api, abs=0.005)
