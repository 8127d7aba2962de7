"""Déciles pondérés, gagnants et perdants par décile, regroupement par toute colonne."""

import numpy as np
import pandas as pd
import pytest

from openfisca_invalidite.comparaison import comparer
from openfisca_invalidite.population import moteur
from openfisca_invalidite.population.agregats import ColonneInconnue, agreger, revenu
from openfisca_invalidite.population.distribution import deciles, gains_par_decile


def test_deciles_ponderes_a_la_main():
    # 10 personnes de revenus 1..10, poids 1 sauf la dernière qui pèse autant que les 9 autres :
    # la moitié du poids total est au revenu 10 (déciles 6 à 10), les 9 autres se partagent 1 à 5.
    resultats = pd.DataFrame(
        {"poids": [1.0] * 9 + [9.0], "pension_invalidite": np.arange(1.0, 11.0), "asi": 0.0, "aah": 0.0}
    )
    rang = deciles(resultats)
    assert rang[-1] == 10
    np.testing.assert_array_equal(rang[:9], [1, 2, 2, 3, 3, 4, 4, 5, 5])
    # Décile d'une autre colonne numérique : la dernière personne, la plus basse, pèse la moitié
    # du total : son rang pondéré est 0,5, décile 5 ; les 9 autres sont au-dessus.
    resultats["autre"] = -resultats["pension_invalidite"]
    rang = deciles(resultats, "autre")
    assert rang[-1] == 5
    assert (rang[:9] > 5).all()


@pytest.fixture(scope="module")
def comparaison(petite_population, reforme_test):
    moteur_avant = moteur.reformes_disponibles
    moteur.reformes_disponibles = lambda: dict([reforme_test])
    try:
        return comparer(
            petite_population,
            "2025-06",
            [reforme_test[0]],
            groupes=["sexe", "role_famille"],
            progression=False,
        )
    finally:
        moteur.reformes_disponibles = moteur_avant


def test_gains_par_decile_additifs(comparaison, reforme_test):
    nom = reforme_test[0]
    table = comparaison.deciles
    # Décile 0 : les personnes sans revenu de ces prestations dans aucun scénario (conjoints,
    # anciens pensionnés) ; les 10 déciles des personnes concernées sont tous peuplés.
    assert list(table["decile"]) == list(range(11))
    assert (table.query("decile > 0")["personnes"] > 0).all()
    assert table.query("decile == 0")["maximum"].iloc[0] == 0
    p = comparaison.personnes
    assert table["personnes"].sum() == pytest.approx(p["poids"].sum())
    ensemble = comparaison.ecarts.query("dimension == 'ensemble' and reforme == @nom").iloc[0]
    assert comparaison.ecart(nom) > 0  # coût brut
    assert table["gain_annuel_total"].sum() == pytest.approx(ensemble["ecart_revenu_disponible_annuel"])
    assert table["gagnants"].sum() == pytest.approx(
        comparaison.ecarts.query("dimension == 'ensemble'")["gagnants"].iloc[0]
    )
    # Le revenu des déciles est celui de la loi en vigueur, croissant d'un décile à l'autre.
    pleins = table.dropna(subset=["minimum"])
    assert (pleins["minimum"].diff().dropna() >= 0).all()
    # La population synthétique donne le revenu fiscal : les déciles sont ceux du revenu disponible.
    np.testing.assert_array_equal(revenu(p), p["revenu_disponible_invalidite"].to_numpy(dtype=np.float64))


def test_regroupement_par_toute_colonne(comparaison):
    agregats = comparaison.agregats
    par_sexe = agregats.query("dimension == 'sexe' and scenario == 'loi_en_vigueur' and prestation == 'total'")
    ensemble = agregats.query("dimension == 'ensemble' and scenario == 'loi_en_vigueur' and prestation == 'total'")
    assert set(par_sexe["modalite"]) == {"femme", "homme"}
    assert par_sexe["cout_annuel"].sum() == pytest.approx(ensemble["cout_annuel"].iloc[0])
    assert {"sexe", "role_famille"} <= set(comparaison.ecarts["dimension"])


def test_champ_des_deciles():
    # Deux personnes sans revenu dans aucun scénario : hors champ (décile 0) par défaut,
    # classées avec les autres si le champ est « tous » ; une troisième ne gagne qu'avec la réforme.
    resultats = pd.DataFrame(
        {
            "poids": [1.0] * 12,
            "pension_invalidite": [0.0, 0.0, 0.0, *np.arange(1.0, 10.0)],
            "pension_invalidite__r": [0.0, 0.0, 5.0, *np.arange(1.0, 10.0)],
        }
    )
    rang = deciles(resultats)
    np.testing.assert_array_equal(rang[:2], [0, 0])
    assert rang[2] == 1  # revenu nul sous la loi en vigueur, concerné par la réforme
    assert (rang[2:] >= 1).all()
    assert (deciles(resultats, champ="tous") >= 1).all()
    with pytest.raises(ValueError, match="champ des déciles inconnu"):
        deciles(resultats, champ="menages")


def test_revenu_disponible_quand_il_existe():
    resultats = pd.DataFrame(
        {
            "poids": [1.0, 1.0],
            "pension_invalidite": [100.0, 200.0],
            "revenu_disponible_invalidite": [90.0, 180.0],
            "pension_invalidite__r": [150.0, 200.0],
            "revenu_disponible_invalidite__r": [135.0, 180.0],
        }
    )
    np.testing.assert_array_equal(revenu(resultats), [90.0, 180.0])
    table = gains_par_decile(resultats)
    assert table["gain_annuel_total"].sum() == pytest.approx(45.0 * 12)
    agregats = agreger(resultats, dimensions=("ensemble",))
    assert "revenu_disponible_invalidite" in set(agregats["prestation"])


def test_colonne_mal_orthographiee_nommee(petite_population):
    with pytest.raises(ColonneInconnue, match=r"« sex » inconnue.*sexe"):
        comparer(petite_population, "2025-06", groupes=["sex"], progression=False)
    with pytest.raises(ColonneInconnue, match="« revenus_activit » inconnue"):
        comparer(petite_population, "2025-06", decile_de="revenus_activit", progression=False)
    with pytest.raises(ColonneInconnue, match="numérique"):
        comparer(petite_population, "2025-06", decile_de="sexe", progression=False)
