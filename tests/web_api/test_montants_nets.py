"""Montants nets servis par le vrai serveur : l'exemple du paquet, et un revenu
fiscal de référence manquant rendu en 400 qui nomme la variable."""

from __future__ import annotations

import copy

import pytest

MOIS = "2025-06"


def test_exemple_montants_nets(serveur, charger_exemple):
    reponse = serveur.post("/calculate", charger_exemple("pensionne_categorie_2_montants_nets"))
    assert reponse.status_code == 200, reponse.text
    claire = reponse.json()["individus"]["claire"]
    brute = claire["pension_invalidite"][MOIS]
    prelevements = sum(
        claire[v][MOIS]
        for v in (
            "csg_deductible_pension_invalidite",
            "csg_imposable_pension_invalidite",
            "crds_pension_invalidite",
            "casa_pension_invalidite",
        )
    )
    assert claire["taux_csg_remplacement"][MOIS] == "taux_intermediaire"
    assert claire["pension_invalidite_nette"][MOIS] == pytest.approx(brute + prelevements, abs=0.005)
    assert prelevements == pytest.approx(-0.074 * brute, abs=0.03)


def test_rfr_manquant_400(serveur, charger_exemple):
    situation = copy.deepcopy(charger_exemple("pensionne_categorie_2_montants_nets"))
    del situation["individus"]["claire"]["rfr"]
    reponse = serveur.post("/calculate", situation)
    assert reponse.status_code == 400, reponse.text
    assert "rfr" in reponse.text and "claire" in reponse.text
