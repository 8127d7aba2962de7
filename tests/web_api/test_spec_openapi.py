"""La spécification servie par /spec (``openfisca_invalidite/spec_openapi.py``)
et les réponses qu'elle a fait corriger, sur le vrai serveur (127.0.0.1).

Le parcours complet de l'API d'après la spécification est dans
test_schemathesis.py ; ici, ce que chaque correction garantit, un cas à la fois.
"""

from __future__ import annotations

import copy
import json
import re

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from openfisca_invalidite.spec_openapi import exemple_axes, motif_intervalle

MOIS = "2025-06"


def valider(spec: dict, nom: str, instance: object) -> None:
    """Valide ``instance`` contre le schéma ``#/components/schemas/<nom>`` de la spécification."""
    registre = Registry().with_resource("urn:spec", Resource.from_contents(spec, default_specification=DRAFT202012))
    Draft202012Validator({"$ref": f"urn:spec#/components/schemas/{nom}"}, registry=registre).validate(instance)


def json_strict(texte: str) -> object:
    """JSON standard : ``Infinity`` et ``NaN`` nus (que ``json.loads`` accepte) sont refusés."""

    def refuser(constante: str) -> None:
        msg = f"{constante} n'est pas du JSON"
        raise ValueError(msg)

    return json.loads(texte, parse_constant=refuser)


@pytest.fixture(scope="module")
def spec(serveur):
    reponse = serveur.get("/spec")
    assert reponse.status_code == 200
    return reponse.json()


def test_motif_intervalle_exact():
    for debut, fin in ((1900, 2100), (2015, 2026), (0, 9999), (1999, 2000), (1234, 5678)):
        motif = re.compile(f"^({motif_intervalle(debut, fin)})$")
        assert all(bool(motif.match(f"{n:04d}")) == (debut <= n <= fin) for n in range(10_000)), (debut, fin)


def test_spec_openapi_31_et_schemas_valides(spec):
    assert spec["openapi"] == "3.1.0"
    for schema in spec["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    for route in ("/calculate", "/trace"):
        reponses = spec["paths"][route]["post"]["responses"]
        assert {"200", "400", "404", "413", "415"} <= set(reponses), route
        for code in ("400", "404", "413", "415"):
            assert reponses[code]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Erreur"}
    for route in ("/variable/{variableID}", "/parameter/{parameterID}"):
        assert "application/json" in spec["paths"][route]["get"]["responses"]["404"]["content"]


def test_exemples_conformes_et_acceptes(serveur, spec):
    """Chaque exemple de la spécification (dont celui à axes) est conforme au
    schéma d'entrée, et sa réponse (200) à celui de sortie."""
    exemples = spec["paths"]["/calculate"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    assert "axes_salaire_2022" in exemples
    assert exemples["axes_salaire_2022"]["value"] == exemple_axes()
    for nom, exemple in exemples.items():
        valider(spec, "SituationInput", exemple["value"])
        for route, schema in (("/calculate", "SituationOutput"), ("/trace", "Trace")):
            reponse = serveur.post(route, copy.deepcopy(exemple["value"]))
            assert reponse.status_code == 200, (nom, route, reponse.text[:300])
            valider(spec, schema, json_strict(reponse.text))


def test_axes_une_liste_par_valeur_demandee(serveur):
    """Avec des axes, chaque valeur demandée est la liste de ses valeurs le long de
    l'axe ; chacune est celle de la même situation calculée sans axes."""
    situation = exemple_axes()
    axe = situation["axes"][0][0]
    reponse = serveur.post("/calculate", situation)
    assert reponse.status_code == 200, reponse.text[:500]
    pensions = reponse.json()["individus"]["claire"]["pension_invalidite"][MOIS]
    assert isinstance(pensions, list) and len(pensions) == axe["count"]
    for k, pension in enumerate(pensions):
        seule = copy.deepcopy(situation)
        del seule["axes"]
        salaire = axe["min"] + k * (axe["max"] - axe["min"]) / (axe["count"] - 1)
        seule["individus"]["claire"]["salaire_brut_annuel"][axe["period"]] = salaire
        attendu = serveur.post("/calculate", seule).json()["individus"]["claire"]["pension_invalidite"][MOIS]
        assert pension == attendu, (k, salaire)
    assert len(set(pensions)) == axe["count"]


@pytest.mark.parametrize(
    ("chemin", "champ", "nom"),
    [("/variable/inexistante", "variableID", "inexistante"), ("/parameter/pas.un.parametre", "parameterID", "pas")],
)
def test_404_en_json_nommant_l_identifiant(serveur, chemin, champ, nom):
    reponse = serveur.get(chemin)
    assert reponse.status_code == 404
    assert reponse.headers["Content-Type"] == "application/json"
    assert nom in reponse.json()[champ]


def test_405_en_json_avec_allow(serveur):
    import requests

    reponse = requests.delete(serveur.url + "/variables", timeout=30)
    assert reponse.status_code == 405
    assert reponse.headers["Content-Type"] == "application/json"
    assert "GET" in reponse.headers["Allow"]
    assert "DELETE" in reponse.json()["error"]


def test_parametre_sans_limite_en_json_standard(serveur, spec):
    """``.inf`` (sans limite) était écrit ``Infinity``, que JSON n'a pas."""
    reponse = serveur.get("/parameter/pension_invalidite.cumul_revenus.plafond_salaire_reference_en_pass")
    parametre = json_strict(reponse.text)
    assert parametre["values"]["2011-06-01"] == "Infinity"
    valider(spec, "Parameter", parametre)


def test_trace_avant_2022_lit_le_plafond_sans_limite(serveur, charger_exemple):
    """Avant avril 2022, le seuil de cumul lit ce plafond infini : /trace répondait
    400 (« valeur non finie ») à une situation valide."""
    situation = json.loads(json.dumps(charger_exemple("pensionne_categorie_1_cumul")).replace(MOIS, "2020-06"))
    situation["individus"]["julien"]["pension_invalidite_seuil_cumul"] = {"2020-06": None}
    reponse = serveur.post("/trace", situation)
    assert reponse.status_code == 200, reponse.text[:500]
    noeud = json_strict(reponse.text)["trace"]["pension_invalidite_seuil_cumul<2020-06>"]
    assert noeud["parameters"]["pension_invalidite.cumul_revenus.plafond_salaire_reference_en_pass<2020-06-01>"] == (
        "Infinity"
    )
    calcul = serveur.post("/calculate", situation).json()["individus"]["julien"]["pension_invalidite_seuil_cumul"]
    assert noeud["value"] == [calcul["2020-06"]]


def test_trace_dates_iso(serveur, situation):
    """Les dates de /trace étaient au format HTTP (« Wed, 12 Mar 1975 00:00:00 GMT »)."""
    trace = serveur.post("/trace", situation).json()["trace"]
    assert trace[f"date_naissance<{MOIS}>"]["value"] == ["1975-03-12"]


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        ("2*3", "nombre entier attendu, reçu la chaîne « 2*3 »"),
        ("0x10", "nombre entier attendu, reçu la chaîne « 0x10 »"),
        ("11.9", "nombre entier attendu, reçu le nombre 11.9"),
        ("1e10", "trop grand"),
    ],
)
def test_nombre_ecrit_en_chaine(serveur, situation, valeur, attendu):
    """Une chaîne, OpenFisca l'évalue comme une expression : « 2*3 » donnait 6 mois,
    « 0x10 » 16, « 11.9 » était tronqué à 11 et « 1e10 » débordait l'int32. Seul un
    nombre écrit en chaîne est admis, contrôlé comme un nombre (la spécification
    dit le même motif)."""
    juste = serveur.post("/calculate", situation).json()["individus"]["claire"]["pension_invalidite"][MOIS]
    fausse = copy.deepcopy(situation)
    fausse["individus"]["claire"]["duree_immatriculation"] = {MOIS: valeur}
    reponse = serveur.post("/calculate", fausse)
    assert reponse.status_code == 400, reponse.text[:300]
    assert attendu in reponse.json()["individus"]["claire"]["duree_immatriculation"][MOIS]
    for admis in ("240", "240.0", 240.0):
        ecrit = copy.deepcopy(situation)
        ecrit["individus"]["claire"]["duree_immatriculation"] = {MOIS: admis}
        assert serveur.post("/calculate", ecrit).json()["individus"]["claire"]["pension_invalidite"][MOIS] == juste


def test_famille_homonyme_d_une_personne_seule(serveur, situation):
    """Une personne dans aucune famille reçoit une famille de son nom : une famille
    déjà nommée ainsi en faisait deux (500, ou une famille de trop sans mot dire)."""
    fausse = copy.deepcopy(situation)
    fausse["individus"]["marc"] = {}
    fausse["familles"] = {"claire": {"parents": ["marc"]}}  # claire n'est dans aucune famille
    reponse = serveur.post("/calculate", fausse)
    assert reponse.status_code == 400, reponse.text[:300]
    assert "aucune des familles" in reponse.json()["familles"]["claire"]
    assert serveur.post("/calculate", situation).json()["individus"]["claire"]["pension_invalidite"][MOIS] > 0


def test_periode_demesuree(serveur, situation):
    """Une période de 10^14 années (« year:1960:76822317983891 ») faisait déborder
    le calcul de sa dernière année (OverflowError, 500) ; trouvé par schemathesis."""
    fausse = copy.deepcopy(situation)
    fausse["individus"]["claire"]["salaire_brut_annuel"] = {"year:1960:76822317983891": 5}
    reponse = serveur.post("/calculate", fausse)
    # 413 : la borne des périodes données est dépassée avant celle des années (400).
    assert reponse.status_code == 413, reponse.text[:300]
    assert "« year:1960:76822317983891 »" in reponse.json()["situation"]
    assert serveur.post("/calculate", situation).json()["individus"]["claire"]["pension_invalidite"][MOIS] > 0


@pytest.mark.parametrize("valeur", ["2*3", "0x10", "inf", "11.9"])
def test_nombre_ecrit_en_chaine_api_python(tbs, situation, valeur):
    """La même règle dans une situation de l'API Python (et des tests YAML)."""
    from openfisca_core.errors import SituationParsingError
    from openfisca_core.simulations import SimulationBuilder

    situation["individus"]["claire"]["duree_immatriculation"] = {MOIS: valeur}
    with pytest.raises(SituationParsingError, match="duree_immatriculation : nombre entier attendu"):
        SimulationBuilder().build_from_entities(tbs, situation)
    situation["individus"]["claire"]["duree_immatriculation"] = {MOIS: "240"}
    simulation = SimulationBuilder().build_from_entities(tbs, situation)
    assert simulation.calculate("duree_immatriculation", MOIS)[0] == 240
