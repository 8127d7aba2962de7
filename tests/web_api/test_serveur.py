"""L'API web testée sur le vrai serveur (``openfisca serve``, voir conftest.py) :
résultats égaux à l'API Python, /trace, et chaque classe d'entrée invalide
donne un 4xx qui nomme le champ — jamais un 500 — sans arrêter le serveur."""

from __future__ import annotations

import copy
import json

import pytest
from openfisca_core.simulations import SimulationBuilder

from openfisca_invalidite.serveur_local import feuilles

MOIS = "2025-06"


def calcul_python(tbs, situation, variable, periode, qui):
    simulation = SimulationBuilder().build_from_entities(tbs, copy.deepcopy(situation))
    population = simulation.persons
    return float(simulation.calculate(variable, periode)[population.get_index(qui)])


def test_calculate_egal_api_python(serveur, tbs, situation):
    reponse = serveur.post("/calculate", situation)
    assert reponse.status_code == 200, reponse.text
    claire = reponse.json()["individus"]["claire"]
    for variable in ("pension_invalidite", "salaire_annuel_moyen"):
        attendu = calcul_python(tbs, situation, variable, MOIS, "claire")
        assert claire[variable][MOIS] == pytest.approx(attendu, abs=0.005)
    assert claire["pension_invalidite"][MOIS] > 0
    assert claire["pension_invalidite_eligible"][MOIS] is True


@pytest.mark.parametrize(
    ("exemple", "qui", "variables"),
    [
        ("invalide_categorie_3_mtp", "sophie", ["pension_invalidite", "majoration_tierce_personne"]),
        ("pensionne_categorie_1_cumul", "julien", ["pension_invalidite", "pension_invalidite_reduction_cumul"]),
        ("pensionne_categorie_2_asi_aah", "marc", ["pension_invalidite", "asi", "aah"]),
        ("salarie_agricole_msa", "lucie", ["salaire_annuel_moyen", "pension_invalidite"]),
        (
            "independant_ssi_pitd",
            "karim",
            ["revenu_annuel_moyen_ssi", "pension_invalidite_minimum", "pension_invalidite"],
        ),
        (
            "exploitant_agricole_msa",
            "bernard",
            ["revenu_professionnel_moyen_agricole", "pension_invalidite", "majoration_tierce_personne"],
        ),
    ],
)
def test_exemples_du_paquet(serveur, tbs, charger_exemple, *, exemple, qui, variables):
    manquantes = [v for v in variables if v not in tbs.variables]
    if manquantes:
        pytest.skip(f"variables pas encore écrites : {manquantes}")
    situation = charger_exemple(exemple)
    reponse = serveur.post("/calculate", situation)
    assert reponse.status_code == 200, reponse.text
    personne = reponse.json()["individus"][qui]
    for variable in variables:
        assert personne[variable][MOIS] == pytest.approx(calcul_python(tbs, situation, variable, MOIS, qui), abs=0.005)
    assert personne[variables[-1]][MOIS] > 0, f"l'exemple {exemple} doit montrer un {variables[-1]} non nul"


def test_trace_explique_le_montant(serveur, situation):
    reponse = serveur.post("/trace", situation)
    assert reponse.status_code == 200, reponse.text
    corps = reponse.json()
    assert f"pension_invalidite<{MOIS}>" in corps["requestedCalculations"]
    trace = corps["trace"]
    noeud = trace[f"pension_invalidite<{MOIS}>"]
    assert f"pension_invalidite_avant_cumul<{MOIS}>" in noeud["dependencies"]
    assert noeud["value"][0] == pytest.approx(
        serveur.post("/calculate", situation).json()["individus"]["claire"]["pension_invalidite"][MOIS]
    )
    avant_cumul = trace[f"pension_invalidite_avant_cumul<{MOIS}>"]
    assert any(p.startswith("pension_invalidite.montant.minimum") for p in avant_cumul["parameters"])
    assert corps["entitiesDescription"] == {"individus": ["claire"], "familles": ["famille_1"]}


def test_trace_cite_les_articles_et_les_sources(serveur, situation):
    """Chaque nœud de /trace porte les articles de sa variable ; chaque paramètre
    lu, la source de sa valeur à la date lue (ici le minimum de 2025, 335,29 €)."""
    trace = serveur.post("/trace", situation).json()["trace"]
    avant_cumul = trace[f"pension_invalidite_avant_cumul<{MOIS}>"]
    assert any("R341-4" in reference for reference in avant_cumul["references"])
    assert avant_cumul["label"].startswith("Pension d'invalidité mensuelle")
    source = avant_cumul["parameters_references"][f"pension_invalidite.montant.minimum<{MOIS}-01>"]
    assert "335,29" in source["title"] and source["href"].startswith("https://")
    assert all(noeud["references"] for noeud in trace.values())


def _individu(situation, variable, periode, valeur):
    situation["individus"]["claire"][variable] = {periode: valeur}
    return situation


# Chaque cas : (nom, modification de la situation ou corps brut, statut attendu, champs que le chemin d'erreur doit nommer)
MAUVAISES_ENTREES = [
    (
        "variable inconnue",
        lambda s: _individu(s, "pension_inconnue", MOIS, None),
        404,
        ["individus", "claire", "pension_inconnue"],
    ),
    ("entité inconnue", lambda s: {**s, "menages": {"m1": {}}}, 400, ["menages"]),
    (
        "rôle inconnu",
        lambda s: s["familles"]["famille_1"].update({"tuteurs": ["claire"]}) or s,
        404,
        ["familles", "famille_1", "tuteurs"],
    ),
    (
        "personne absente d'un rôle",
        lambda s: s["familles"]["famille_1"].update({"parents": ["inconnu"]}) or s,
        400,
        ["familles", "famille_1", "parents"],
    ),
    (
        "valeur d'énumération",
        lambda s: _individu(s, "categorie_invalidite", MOIS, "categorie_4"),
        400,
        ["individus", "claire", "categorie_invalidite", MOIS],
    ),
    (
        "date d'effet de la pension antérieure à l'arrêt",
        lambda s: _individu(s, "date_effet_pension_invalidite", "ETERNITY", "2000-01-01"),
        400,
        ["individus", "claire", "date_effet_pension_invalidite"],
    ),
    (
        "date mal formée",
        lambda s: _individu(s, "date_naissance", "ETERNITY", "1975-02-30"),
        400,
        ["individus", "claire", "date_naissance", "ETERNITY"],
    ),
    (
        "période mal formée",
        lambda s: _individu(s, "pension_invalidite", "2025-13", None),
        400,
        ["individus", "claire", "pension_invalidite"],
    ),
    (
        "variable mensuelle demandée pour une année (core #916)",
        lambda s: _individu(s, "pension_invalidite", "2025", None),
        400,
        ["individus", "claire", "pension_invalidite", "2025"],
    ),
    (
        "variable mensuelle demandée pour ETERNITY",
        lambda s: _individu(s, "pension_invalidite", "ETERNITY", None),
        400,
        ["individus", "claire", "pension_invalidite", "ETERNITY"],
    ),
    (
        "variable mensuelle demandée pour 3 mois",
        lambda s: _individu(s, "pension_invalidite", "month:2025-01:3", None),
        400,
        ["individus", "claire", "pension_invalidite", "month:2025-01:3"],
    ),
    (
        "période avant les barèmes",
        lambda s: _individu(s, "pension_invalidite", "1800-01", None),
        400,
        ["individus", "claire", "pension_invalidite", "1800-01"],
    ),
    (
        "montant négatif",
        lambda s: _individu(s, "salaire_brut_annuel", "2019", -5000),
        400,
        ["individus", "claire", "salaire_brut_annuel", "2019"],
    ),
    (
        "montant non numérique",
        lambda s: _individu(s, "salaire_brut_annuel", "2019", "abc"),
        400,
        ["individus", "claire", "salaire_brut_annuel", "2019"],
    ),
    (
        "réduction de capacité > 1",
        lambda s: _individu(s, "reduction_capacite_travail", MOIS, 1.5),
        400,
        ["individus", "claire", "reduction_capacite_travail", MOIS],
    ),
    (
        "NaN sur une entrée bornée",
        '{"individus": {"claire": {"salaire_cotise_12_mois": {"2025-06": NaN}, "pension_invalidite": {"2025-06": null}}}}',
        400,
        ["individus", "claire", "salaire_cotise_12_mois", MOIS],
    ),
    (
        "Infinity sur une variable calculée",
        '{"individus": {"claire": {"salaire_annuel_moyen": {"2025-06": Infinity}, "pension_invalidite": {"2025-06": null}}}}',
        400,
        ["individus", "claire", "salaire_annuel_moyen", MOIS],
    ),
    (
        "1e999",
        '{"individus": {"claire": {"revenus_activite": {"2025-06": 1e999}, "pension_invalidite": {"2025-06": null}}}}',
        400,
        ["individus", "claire", "revenus_activite", MOIS],
    ),
    ("identifiant avec /", lambda _: {"individus": {"a/b": {"pension_invalidite": {MOIS: None}}}}, 400, ["individus"]),
    ("identifiant vide", lambda _: {"individus": {"": {"pension_invalidite": {MOIS: None}}}}, 400, ["individus"]),
    (
        "caractère non UTF-8",
        '{"individus": {"\\udcff": {"pension_invalidite": {"2025-06": null}}}}',
        400,
        ["individus"],
    ),
    ("trop de personnes", lambda _: {"individus": {f"p{i}": {} for i in range(600)}}, 413, ["individus"]),
    (
        "axes démesurés",
        lambda s: {
            **s,
            "axes": [[{"count": 100000, "name": "salaire_cotise_12_mois", "min": 0, "max": 1e5, "period": MOIS}]],
        },
        413,
        ["axes"],
    ),
    (
        "corps trop grand (3 Mo)",
        '{"individus": {"claire": {"x": "' + "a" * (3 * 1024 * 1024) + '"}}}',
        413,
        ["situation"],
    ),
    ("JSON invalide", '{"individus": ', 400, ["error"]),
    ("corps liste", "[]", 400, ["error"]),
]


@pytest.mark.parametrize(
    ("nom", "entree", "statut", "champs"), MAUVAISES_ENTREES, ids=[c[0] for c in MAUVAISES_ENTREES]
)
@pytest.mark.parametrize("point", ["/calculate", "/trace"])
def test_mauvaise_entree_4xx_nommee(serveur, situation, point, *, nom, entree, statut, champs):
    corps = entree if isinstance(entree, str) else json.dumps(entree(copy.deepcopy(situation)))
    reponse = serveur.post(point, data=corps)
    assert reponse.status_code == statut, f"{nom} : {reponse.status_code} {reponse.text[:500]}"
    erreur = reponse.json()
    chemins = list(feuilles(erreur))
    assert any(tuple(champs) == chemin[: len(champs)] for chemin, _ in chemins), (
        f"{nom} : le champ {champs} n'est pas nommé dans {erreur}"
    )
    assert all(isinstance(message, str) and message for _, message in chemins), erreur
    assert "NaN" not in reponse.text.replace("NaN et", "") and "Infinity" not in reponse.text.replace("Infinity ne", "")
    # Le serveur répond encore, et juste.
    suite = serveur.post("/calculate", situation)
    assert suite.status_code == 200 and suite.json()["individus"]["claire"]["pension_invalidite"][MOIS] > 0
    assert serveur.vivant()


@pytest.mark.parametrize("chemin", ["/parameters", "/variables", "/entities", "/spec"])
def test_points_de_lecture(serveur, chemin):
    reponse = serveur.get(chemin)
    assert reponse.status_code == 200
    assert reponse.json()


def test_parametre_et_variable(serveur):
    variable = serveur.get("/variable/pension_invalidite").json()
    assert variable["definitionPeriod"] == "MONTH" and variable["references"]
    assert "pension_invalidite" in serveur.get("/variables").json()
    parametre = serveur.get("/parameter/pension_invalidite.montant.taux.categorie_2").json()
    assert parametre["description"] and parametre["values"]
    assert serveur.get("/variable/inexistante").status_code == 404


def test_spec_montre_un_cas_reel(serveur):
    spec = serveur.get("/spec").json()
    exemple = json.dumps(spec)
    assert "pension_invalidite" in exemple and "salaire_brut_annuel" in exemple
    assert spec["servers"][0]["url"].startswith("http://127.0.0.1:")


def test_reponse_413_en_json(serveur):
    reponse = serveur.post("/calculate", data="[" + "0," * (1200 * 1024) + "0]")
    assert reponse.status_code == 413
    assert "situation" in reponse.json()


@pytest.mark.parametrize("point", ["/calculate", "/trace"])
def test_post_sans_type_json(serveur, situation, point):
    """Trouvé par schemathesis : sans Content-Type JSON, core répondait 500 (None.args)."""
    import requests

    reponse = requests.post(serveur.url + point, data=json.dumps(situation), timeout=30)
    assert reponse.status_code == 415
    assert "Content-Type" in reponse.json()
    assert requests.post(serveur.url + point, timeout=30).status_code == 415
