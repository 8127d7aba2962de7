"""Montants nets : un revenu fiscal de référence manquant est une erreur claire
(jamais un taux nul en silence), les parts se saisissent par quarts, la réforme
de la CSG est au registre, et les montants suivent la pension quel que soit le
régime qui la verse."""

from __future__ import annotations

import json

import numpy as np
import pytest
from openfisca_core.simulations import SimulationBuilder
from openfisca_invalidite.reforms import REFORMES, ReformeInvalide, reforme_csg_invalidite_taux_reduit

from openfisca_invalidite import SITUATION_EXAMPLES_DIR
from openfisca_invalidite.validation import EntreeInvalide

MOIS = "2025-06"


def simulation(tbs, individus: dict):
    situation = {"individus": individus, "familles": {f"f_{nom}": {"parents": [nom]} for nom in individus}}
    return SimulationBuilder().build_from_entities(tbs, situation)


def test_rfr_manquant_nomme_la_variable_la_personne_et_l_annee(tbs):
    sim = simulation(tbs, {"lea": {"pension_invalidite": {MOIS: 900}}, "tom": {"pension_invalidite": {MOIS: 0}}})
    with pytest.raises(EntreeInvalide) as erreur:
        sim.calculate("pension_invalidite_nette", MOIS)
    message = str(erreur.value)
    assert "rfr" in message and "lea" in message and "2023" in message and "tom" not in message
    assert erreur.value.code == 400


def test_rfr_n_3_exige_seulement_au_dessus_du_seuil_du_taux_reduit(tbs):
    # RFR 2023 sous le seuil du taux réduit (16 755 €) : N-3 inutile ; au-dessus : N-3 exigé.
    sim = simulation(tbs, {"sous": {"pension_invalidite": {MOIS: 900}, "rfr": {"2023": 15000}}})
    assert sim.calculate("taux_csg_remplacement", MOIS).decode_to_str()[0] == "taux_reduit"
    sim = simulation(tbs, {"dessus": {"pension_invalidite": {MOIS: 900}, "rfr": {"2023": 30000}}})
    with pytest.raises(EntreeInvalide, match=r"rfr.*2022"):
        sim.calculate("taux_csg_remplacement", MOIS)


def test_sans_pension_ni_rfr_pas_d_erreur(tbs):
    sim = simulation(tbs, {"conjoint": {"pension_invalidite": {MOIS: 0}}})
    assert sim.calculate("taux_csg_remplacement", MOIS).decode_to_str()[0] == "non_renseigne"
    assert sim.calculate("pension_invalidite_nette", MOIS)[0] == 0


def test_non_assujetti_sans_rfr_pas_d_erreur(tbs):
    """Un non-résident n'a pas de taux à déterminer : son RFR n'est pas exigé."""
    sim = simulation(tbs, {"ana": {"pension_invalidite": {MOIS: 900}, "residence_fiscale_france": {MOIS: False}}})
    assert sim.calculate("pension_invalidite_nette", MOIS)[0] == pytest.approx(900)


def test_exoneration_impot_exige_le_rfr_de_l_annee(tbs):
    sim = simulation(tbs, {"lea": {"pension_invalidite": {"2025": 3000}, "rfr": {"2023": 10000, "2022": 10000}}})
    with pytest.raises(EntreeInvalide, match=r"rfr.*2025"):
        sim.calculate("pension_invalidite_imposable", "2025")


@pytest.mark.parametrize("parts", [0.5, 1.3, 2.1, -1, 60])
def test_parts_par_quarts(tbs, parts):
    with pytest.raises(EntreeInvalide, match="nbptr"):
        simulation(tbs, {"lea": {"nbptr": {"2023": parts}}})


def test_rfr_negatif_refuse(tbs):
    with pytest.raises(EntreeInvalide, match="rfr"):
        simulation(tbs, {"lea": {"rfr": {"2023": -1}}})


def test_quart_de_part(tbs):
    """1,25 part : seuil d'exonération 2025 = 12 817 + 3 422 / 2 = 14 528 €."""
    individus = {
        nom: {"pension_invalidite": {MOIS: 1000}, "rfr": {"2023": rfr, "2022": rfr}, "nbptr": {"2023": 1.25}}
        for nom, rfr in (("au_seuil", 14528), ("dessus", 14529))
    }
    tranches = simulation(tbs, individus).calculate("taux_csg_remplacement", MOIS).decode_to_str()
    assert list(tranches) == ["exonere", "taux_reduit"]


def test_toute_pension_d_invalidite_quel_que_soit_le_regime(tbs):
    """Les prélèvements ne lisent que pension_invalidite : une pension d'un autre
    régime routée dans cette variable est traitée de même (ici donnée en entrée)."""
    sim = simulation(tbs, {"lea": {"pension_invalidite": {MOIS: 1500}, "rfr": {"2023": 40000, "2022": 40000}}})
    assert sim.calculate("pension_invalidite_nette", MOIS)[0] == pytest.approx(1500 - 88.5 - 36 - 7.5 - 4.5)


def test_exemple_du_paquet(tbs):
    with (SITUATION_EXAMPLES_DIR / "pensionne_categorie_2_montants_nets.json").open(encoding="utf-8") as f:
        sim = SimulationBuilder().build_from_entities(tbs, json.load(f))
    brute = sim.calculate("pension_invalidite", MOIS)[0]
    assert sim.calculate("taux_csg_remplacement", MOIS).decode_to_str()[0] == "taux_intermediaire"
    assert 0 < sim.calculate("pension_invalidite_nette", MOIS)[0] < brute


def test_reforme_au_registre_et_date_illisible():
    assert "csg_invalidite_3_8" in REFORMES
    with pytest.raises(ReformeInvalide):
        reforme_csg_invalidite_taux_reduit("1er janvier")


def test_vectorise_sur_une_population(tbs):
    """Les bandes de taux se calculent d'un bloc pour 10 000 personnes."""
    n = 10_000
    rng = np.random.default_rng(1)
    sim = SimulationBuilder().build_default_simulation(tbs, count=n)
    sim.set_input("pension_invalidite", MOIS, rng.uniform(0, 2000, n))
    sim.set_input("rfr", "2023", rng.uniform(0, 40000, n))
    sim.set_input("rfr", "2022", rng.uniform(0, 40000, n))
    sim.set_input("asi", MOIS, np.zeros(n))
    nette = sim.calculate("pension_invalidite_nette", MOIS)
    brute = sim.calculate("pension_invalidite", MOIS)
    assert np.all(nette <= brute + 1e-3) and np.all(nette >= brute * (1 - 0.091) - 0.03)


#: Tableaux publiés par la Caisse des dépôts pour les pensions dues en 2018 (seuils de RFR 2016
#: par nombre de parts : exonération, puis taux plein « RFR ≥ seuil ») : métropole,
#: Martinique-Guadeloupe-Réunion, Guyane.
PARTS_2018 = (1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75, 3)
TABLEAUX_2018 = {
    "metropole": (
        (11018, 12489, 13960, 15431, 16902, 18373, 19844, 21315, 22786),
        (14404, 16327, 18250, 20173, 22096, 24019, 25942, 27865, 29788),
    ),
    "martinique_guadeloupe_reunion": (
        (13037, 14655, 16273, 17744, 19215, 20686, 22157, 23628, 25099),
        (15757, 17872, 19986, 21909, 23832, 25755, 27678, 29601, 31524),
    ),
    "guyane": (
        (13632, 15324, 17015, 18486, 19957, 21428, 22899, 24370, 25841),
        (16507, 18719, 20930, 22853, 24776, 26699, 28622, 30545, 32468),
    ),
}


def test_seuils_par_parts_et_par_zone_reproduisent_les_tableaux_2018(tbs):
    """Première part, première demi-part, demi-parts suivantes et quarts de part (la
    moitié d'une demi-part, arrondie à l'euro : 3 383 / 2 → 1 692 en Guyane) : le modèle
    retrouve chaque case publiée, des deux côtés de chaque seuil."""
    individus, attendu = {}, []
    for zone, (exoneration, plein) in TABLEAUX_2018.items():
        for parts, s1, s2 in zip(PARTS_2018, exoneration, plein, strict=True):
            for rfr, tranche in ((s1, "exonere"), (s1 + 1, "taux_reduit"), (s2 - 1, "taux_reduit"), (s2, "taux_plein")):
                individus[f"{zone}_{parts}_{rfr}"] = {
                    "pension_invalidite": {"2018-06": 1000},
                    "rfr": {"2016": rfr},
                    "nbptr": {"2016": parts},
                    "zone_residence": {"2018-06": zone},
                }
                attendu.append(tranche)
    tranches = simulation(tbs, individus).calculate("taux_csg_remplacement", "2018-06").decode_to_str()
    assert list(tranches) == attendu
