"""Valeurs qu'OpenFisca-Core lirait de travers sans rien dire, envoyées au vrai
serveur (conftest.py) : un booléen écrit en chaîne (« false » serait vrai), une
énumération donnée par un entier (99 n'est aucun membre), une date absurde
(naissance en l'an 0, arrêt de travail avant la naissance…).

Pour chaque cas : réponse 400 dont le chemin nomme entité, identifiant,
variable et période, et dont le message nomme la variable ; puis la même
requête, corrigée, rend le montant de l'API Python.
"""

from __future__ import annotations

import copy

import pytest
from openfisca_core.simulations import SimulationBuilder

from openfisca_invalidite.serveur_local import feuilles

MOIS = "2025-06"
ASI_AAH = "pensionne_categorie_2_asi_aah"  # marc : ASI et AAH différentielle
CATEGORIE_2 = "pensionne_categorie_2"  # claire : pension de 2e catégorie


def calcul_python(tbs, situation, variable, qui):
    simulation = SimulationBuilder().build_from_entities(tbs, copy.deepcopy(situation))
    return float(simulation.calculate(variable, MOIS)[simulation.persons.get_index(qui)])


def _marc(variable, mauvaise, *, juste, montant="asi", entite="individus", qui="marc"):
    """Un cas sur l'exemple ASI/AAH (marc, famille_1), pour le mois calculé."""
    return (ASI_AAH, entite, qui, variable, MOIS, mauvaise, juste, montant, "marc")


def _claire(variable, periode, mauvaise, juste):
    """Un cas sur l'exemple de la pension de 2e catégorie (claire)."""
    return (CATEGORIE_2, "individus", "claire", variable, periode, mauvaise, juste, "pension_invalidite", "claire")


# (exemple, entité, identifiant, variable, période, valeur refusée, valeur juste, montant vérifié, personne)
CAS = [
    # Booléens : la chaîne « false » (ou « 0 », « non ») serait lue vraie ; l'ASI passerait de 579,57 € à 0.
    *[_marc("aspa_eligibilite", mauvaise, juste=False) for mauvaise in ("false", "0", "non", "faux", "", 0, 1, 0.5)],
    _marc("aspa_eligibilite", "true", juste=True, montant="aah"),
    _marc("residence_france", "false", juste=False),
    _marc("en_couple", "false", juste=False, montant="aah", entite="familles", qui="famille_1"),
    # Énumérations : le nom d'un membre seulement, jamais un entier (99 hors domaine, 2 ambigu).
    *[_claire("categorie_invalidite", MOIS, code, "categorie_2") for code in (99, -1, 2, 2.0, True, "CATEGORIE_2")],
    _claire("regime_invalidite", "ETERNITY", 1, "regime_general"),
    # Dates : entre 1900-01-01 et 2100-12-31 (ou 9999-12-31, « pas de date »), écrites AAAA-MM-JJ.
    *[
        _claire("date_naissance", "ETERNITY", mauvaise, "1975-03-12")
        for mauvaise in ("0000-01-01", "0001-01-01", "1899-12-31", "1975", "1975-03")
    ],
    *[
        _claire("date_debut_invalidite", "ETERNITY", mauvaise, "2023-05-10")
        for mauvaise in ("1970-05-10", "0023-05-10", "2101-01-01", "10000-01-01")
    ],
    _claire("date_effet_pension_invalidite", "ETERNITY", "12023-05-10", "2023-05-10"),
    # Nombres : ``true`` serait lu 1 €, 179,5 mois tronqués en 179, 1e39 deviendrait inf en float32.
    _marc("autres_ressources", True, juste=0),  # noqa: FBT003 — la valeur refusée est le booléen
    *[
        _marc("duree_immatriculation", mauvaise, juste=180, montant="pension_invalidite")
        for mauvaise in (179.5, 3e9, 10**19, True)
    ],
    _marc("salaire_cotise_12_mois", 1e39, juste=7000, montant="pension_invalidite"),
]


def _identifiant(cas):
    return f"{cas[3]}={cas[5]!r}"


@pytest.mark.parametrize(
    ("exemple", "entite", "qui", "variable", "periode", "mauvaise", "juste", "montant", "personne"),
    CAS,
    ids=[_identifiant(cas) for cas in CAS],
)
def test_valeur_refusee_puis_juste(
    serveur, tbs, charger_exemple, *, exemple, entite, qui, variable, periode, mauvaise, juste, montant, personne
):
    situation = charger_exemple(exemple)
    situation[entite][qui][variable] = {periode: mauvaise}
    situation["individus"][personne][montant] = {MOIS: None}
    reponse = serveur.post("/calculate", situation)
    assert reponse.status_code == 400, f"{variable}={mauvaise!r} : {reponse.status_code} {reponse.text[:300]}"
    chemins = dict(feuilles(reponse.json()))
    assert list(chemins) == [(entite, qui, variable, periode)], chemins
    message = chemins[entite, qui, variable, periode]
    assert message.startswith(f"{variable} : "), message

    situation[entite][qui][variable] = {periode: juste}
    reponse = serveur.post("/calculate", situation)
    assert reponse.status_code == 200, reponse.text[:300]
    obtenu = reponse.json()["individus"][personne][montant][MOIS]
    assert obtenu == pytest.approx(calcul_python(tbs, situation, montant, personne), abs=0.005)
    # Hors de France, ni ASI : le montant juste est nul (« false » lu vrai donnait 579,57 €).
    assert obtenu > 0 or (variable, juste) == ("residence_france", False)


def test_trace_refuse_aussi(serveur, charger_exemple):
    """/trace passe par le même constructeur de simulation."""
    situation = charger_exemple(ASI_AAH)
    situation["individus"]["marc"]["aspa_eligibilite"] = {MOIS: "false"}
    reponse = serveur.post("/trace", situation)
    assert reponse.status_code == 400
    assert "aspa_eligibilite : booléen attendu" in reponse.json()["individus"]["marc"]["aspa_eligibilite"][MOIS]
    situation["individus"]["marc"]["aspa_eligibilite"] = {MOIS: False}
    reponse = serveur.post("/trace", situation)
    assert reponse.status_code == 200
    assert reponse.json()["trace"][f"asi<{MOIS}>"]["value"][0] > 0


def test_messages_exacts(serveur, charger_exemple):
    """Le texte rendu, tel que docs/web_api.md le cite."""
    attendus = {
        ("aspa_eligibilite", MOIS, "false"): (
            "aspa_eligibilite : booléen attendu (true ou false), reçu la chaîne « false »."
        ),
        ("categorie_invalidite", MOIS, 99): (
            "categorie_invalidite : le nombre 99 n'est pas une valeur admise ; écrire le nom de l'une de : "
            "non_classe, categorie_1, categorie_2, categorie_3."
        ),
        ("date_naissance", "ETERNITY", "0000-01-01"): (
            "date_naissance : 0000-01-01 hors des dates admises (du 1900-01-01 au 2100-12-31, "
            "ou 9999-12-31 : pas de date) — individus claire."
        ),
        ("date_debut_invalidite", "ETERNITY", "1970-05-10"): (
            "date_debut_invalidite : 1970-05-10 est antérieure à date_naissance (1975-03-12) — individus claire."
        ),
    }
    for (variable, periode, valeur), message in attendus.items():
        situation = charger_exemple(CATEGORIE_2)
        situation["individus"]["claire"][variable] = {periode: valeur}
        reponse = serveur.post("/calculate", situation)
        assert reponse.status_code == 400
        assert reponse.json() == {"individus": {"claire": {variable: {periode: message}}}}
    assert serveur.vivant()
