"""Une entrée hors domaine donne une erreur claire qui nomme la variable et la
personne : jamais une trace de pile illisible, jamais un montant faux en silence."""

import copy
import json

import numpy as np
import pytest
from openfisca_core.errors import SituationParsingError
from openfisca_core.indexed_enums import EnumArray
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
    del situation["individus"]["claire"]["date_debut_invalidite"]  # un arrêt avant la naissance est refusé plus tôt
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


# Booléens, énumérations et dates : contrôlés avant la conversion de numpy, qui lirait
# vraie la chaîne « false », garderait le code 99 et la naissance en l'an 0.


@pytest.mark.parametrize(
    ("variable", "periode", "valeur", "mots"),
    [
        ("aspa_eligibilite", MOIS, "false", ["booléen attendu", "« false »"]),
        ("aspa_eligibilite", MOIS, "0", ["booléen attendu", "« 0 »"]),
        ("residence_france", MOIS, "non", ["booléen attendu", "« non »"]),
        ("inapte_travail", MOIS, 1, ["booléen attendu", "nombre 1"]),
        ("pension_invalidite_eligible", MOIS, "true", ["booléen attendu"]),
        ("categorie_invalidite", MOIS, 99, ["nombre 99", "categorie_2"]),
        ("categorie_invalidite", MOIS, 2, ["nombre 2", "categorie_2"]),
        ("zone_residence", MOIS, -1, ["nombre -1"]),
        ("regime_invalidite", "ETERNITY", 0, ["nombre 0", "regime_general"]),
        ("date_naissance", "ETERNITY", "0000-01-01", ["0000-01-01", "1900-01-01"]),
        ("date_naissance", "ETERNITY", "1899-12-31", ["1899-12-31", "1900-01-01"]),
        ("date_naissance", "ETERNITY", "10000-01-01", ["10000-01-01", "2100-12-31"]),
        ("date_naissance", "ETERNITY", "1975", ["AAAA-MM-JJ", "« 1975 »"]),
        ("date_debut_invalidite", "ETERNITY", "1960-01-01", ["antérieure à date_naissance", "1975-03-12"]),
        ("date_effet_pension_invalidite", "ETERNITY", "3023-01-01", ["3023-01-01", "2100-12-31"]),
        # Nombres : ``true`` serait lu 1, 179,5 mois tronqués en 179, 1e39 deviendrait inf (float32).
        ("salaire_cotise_12_mois", MOIS, True, ["nombre attendu", "booléen true"]),
        ("duree_immatriculation", MOIS, 179.5, ["nombre entier attendu", "179.5"]),
        ("duree_immatriculation", MOIS, 3e9, ["trop grand", "int32"]),
        ("duree_immatriculation", MOIS, 10**19, ["trop grand", "int32"]),
        pytest.param(
            "duree_immatriculation", MOIS, 10**5000, ["un entier démesuré", "int32"], id="entier_de_5001_chiffres"
        ),
        ("salaire_cotise_12_mois", MOIS, 1e39, ["trop grand", "float32"]),
        ("salaire_cotise_12_mois", MOIS, -1e308, ["trop grand", "float32"]),
    ],
)
def test_valeur_mal_ecrite_refusee(tbs, situation, *, variable, periode, valeur, mots):
    juste = situation["individus"]["claire"].get(variable)
    situation["individus"]["claire"][variable] = {periode: valeur}
    with pytest.raises(SituationParsingError) as erreur:
        construire(tbs, situation)
    message = erreur.value.error["individus"]["claire"][variable][periode]
    assert message.startswith(f"{variable} : ")
    for mot in mots:
        assert mot in message, message
    if juste is not None:  # la même situation, bien écrite, se calcule
        situation["individus"]["claire"][variable] = juste
        assert construire(tbs, situation).calculate("pension_invalidite", MOIS)[0] > 0


def test_nombre_entier_ecrit_en_flottant_admis(tbs, situation):
    """180.0 est un entier (JSON ne distingue pas 180 de 180.0) ; une chaîne « 180 »
    reste lue par OpenFisca : seules les écritures qui changeraient la valeur sont refusées."""
    for valeur in (180.0, "180"):
        situation["individus"]["claire"]["duree_immatriculation"] = {MOIS: valeur}
        assert construire(tbs, situation).calculate("duree_immatriculation", MOIS)[0] == 180


def test_booleen_d_une_famille(tbs, situation):
    situation["familles"]["famille_1"]["en_couple"] = {MOIS: "false"}
    with pytest.raises(SituationParsingError) as erreur:
        construire(tbs, situation)
    assert "booléen attendu" in erreur.value.error["familles"]["famille_1"]["en_couple"][MOIS]


def test_arret_avant_naissance_quel_que_soit_l_ordre(tbs, situation):
    """Le contrôle est fait par la seconde des deux dates enregistrée."""
    claire = situation["individus"]["claire"]
    naissance = claire.pop("date_naissance")
    claire["date_debut_invalidite"] = {"ETERNITY": "1970-01-01"}
    claire["date_naissance"] = naissance  # après l'arrêt dans la situation
    with pytest.raises(EntreeInvalide, match="antérieure à date_naissance"):
        construire(tbs, situation)


def test_forme_courte_des_tests_yaml(tbs):
    """Variables sans entités (``input: {aspa_eligibilite: …}`` d'un test YAML) : même contrôle."""
    with pytest.raises(EntreeInvalide, match=r"booléen attendu .* la chaîne « false »") as erreur:
        SimulationBuilder().build_from_dict(tbs, {"aspa_eligibilite": {MOIS: "false"}})
    assert erreur.value.variable == "aspa_eligibilite"
    simulation = SimulationBuilder().build_from_dict(tbs, {"aspa_eligibilite": {MOIS: False}})
    assert simulation.calculate("aspa_eligibilite", MOIS)[0] == False  # noqa: E712


@pytest.mark.parametrize("reforme", [None, "openfisca_invalidite.reforms.asi_aah.AahConjugalisee"])
def test_systeme_copie_par_openfisca_test(tbs, situation, reforme):
    """``openfisca test`` calcule sur ``tbs.clone()`` (variables et entités copiées en
    profondeur), avec les réformes du cas : le contrôle les suit."""
    systeme = tbs.clone() if reforme is None else tbs.clone().apply_reform(reforme)
    situation["individus"]["claire"]["inapte_travail"] = {MOIS: "false"}
    with pytest.raises(SituationParsingError, match="booléen attendu"):
        construire(systeme, situation)
    with pytest.raises(SituationParsingError, match="booléen attendu"):
        SimulationBuilder().build_from_dict(systeme, {"inapte_travail": {MOIS: "non"}})


def _trois(tbs):
    return SimulationBuilder().build_default_simulation(tbs, count=3)


@pytest.mark.parametrize(
    "valeurs",
    [np.array(["false", "true", "false"]), ["false", "true", "false"], np.array([0, 1, 0]), "false"],
    ids=["tableau de chaînes", "liste de chaînes", "tableau d'entiers", "chaîne"],
)
def test_api_numpy_booleens(tbs, valeurs):
    simulation = _trois(tbs)
    with pytest.raises(EntreeInvalide, match=r"booléens? attendus?"):
        simulation.set_input("aspa_eligibilite", MOIS, valeurs)
    simulation.set_input("aspa_eligibilite", MOIS, np.array([False, True, False]))
    assert simulation.calculate("aspa_eligibilite", MOIS).tolist() == [False, True, False]


@pytest.mark.parametrize(
    ("valeurs", "indices", "mot"),
    [
        (lambda categorie, _: EnumArray(np.array([0, 99, 2], dtype=np.int16), categorie), [1], "code 99"),
        (lambda *_: np.array([0, -1, 2]), [1], "code -1"),
        (lambda *_: np.array([0, 4, 4]), [1, 2], "code 4"),
        (lambda _, zone: EnumArray(np.array([0, 1, 0], dtype=np.int16), zone), [0, 1, 2], "ZoneResidence"),
        (lambda *_: [0, 1, 2], [0, 1, 2], "nom attendu"),
        (lambda *_: np.array([0.0, 1.0, 2.0]), [0, 1, 2], "nom attendu"),
        (lambda *_: np.array(["categorie_1", "categorie_9", "categorie_2"]), [1], "categorie_9"),
    ],
    ids=["EnumArray 99", "code négatif", "code 4", "autre énumération", "liste d'entiers", "réels", "nom inconnu"],
)
def test_api_numpy_enumeration(tbs, *, valeurs, indices, mot):
    simulation = _trois(tbs)
    categorie = tbs.variables["categorie_invalidite"].possible_values
    zone = tbs.variables["zone_residence"].possible_values
    with pytest.raises(EntreeInvalide, match=mot) as erreur:
        simulation.set_input("categorie_invalidite", MOIS, valeurs(categorie, zone))
    assert list(erreur.value.indices) == indices
    # Les codes numpy valides (ceux du moteur de population) restent admis, comme les noms.
    simulation.set_input("categorie_invalidite", MOIS, EnumArray(np.array([0, 3, 2], dtype=np.int16), categorie))
    simulation.set_input("categorie_invalidite", "2025-07", np.array([1, 2, 3]))
    simulation.set_input("categorie_invalidite", "2025-08", np.array(["non_classe", "categorie_1", "categorie_3"]))
    assert simulation.calculate("categorie_invalidite", MOIS).decode_to_str().tolist() == [
        "non_classe",
        "categorie_3",
        "categorie_2",
    ]


@pytest.mark.parametrize(
    ("valeurs", "indices", "mot"),
    [
        (np.array(["1970-01-01", "0000-01-01", "1980-01-01"], dtype="datetime64[D]"), [1], "0000-01-01 hors"),
        (np.array(["1970-01-01", "NaT", "1980-01-01"], dtype="datetime64[D]"), [1], "NaT hors"),
        (np.array(["1970-01-01", "1980-01-01", "2200-01-01"]), [2], "2200-01-01 hors"),
        (np.array(["1970-01-01", "1980", "1980-01-01"]), [1], "« 1980 »"),
        (np.array([1970, 1980, 1990]), [0, 1, 2], "dates attendues"),
    ],
    ids=["an 0", "NaT", "2200", "année seule", "entiers"],
)
def test_api_numpy_dates(tbs, *, valeurs, indices, mot):
    simulation = _trois(tbs)
    with pytest.raises(EntreeInvalide, match=mot) as erreur:
        simulation.set_input("date_naissance", "ETERNITY", valeurs)
    assert list(erreur.value.indices) == indices
    simulation.set_input("date_naissance", "ETERNITY", np.array(["1970-01-01", "1980-01-01", "1990-01-01"]))


def test_api_numpy_arret_avant_naissance(tbs):
    simulation = _trois(tbs)
    simulation.set_input("date_naissance", "ETERNITY", np.array(["1970-01-01", "1980-01-01", "1990-01-01"]))
    arrets = np.array(["2020-01-01", "1979-12-31", "9999-12-31"], dtype="datetime64[D]")
    with pytest.raises(EntreeInvalide, match="1979-12-31 est antérieure à date_naissance") as erreur:
        simulation.set_input("date_debut_invalidite", "ETERNITY", arrets)
    assert erreur.value.variable == "date_debut_invalidite"
    assert list(erreur.value.indices) == [1]
    arrets[1] = np.datetime64("1980-01-01")  # le jour de la naissance : admis
    simulation.set_input("date_debut_invalidite", "ETERNITY", arrets)
