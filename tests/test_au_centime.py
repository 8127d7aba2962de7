"""L'arrondi au centime des montants (openfisca_invalidite.commons.au_centime) :
centime le plus proche, la demi-centime comptée pour un centime, que le montant
exact tombe un ulp au-dessus ou au-dessous de la demi-centime en binaire."""

import numpy as np
import pytest

from openfisca_invalidite.commons import au_centime


@pytest.mark.parametrize(
    ("montant", "attendu"),
    [
        (0.005, 0.01),
        (0.125, 0.13),  # exacte en binaire : np.round la donne au pair, 0,12
        (0.135, 0.14),
        (1.005, 1.01),  # 1,00499999999999989… en binaire
        (2.675, 2.68),  # 2,67499999999999982… en binaire
        (283.005, 283.01),
        (422.145, 422.15),
        (17884.225, 17884.23),
        (20689.025, 20689.03),
        (1234567.125, 1234567.13),
    ],
)
def test_demi_centime_comptee_pour_un_centime(montant, attendu):
    assert au_centime(montant) == attendu
    assert au_centime(np.array([montant]))[0] == attendu


def test_np_round_tranche_la_demi_centime_selon_le_dernier_bit():
    # Ce que au_centime corrige : la même demi-centime, deux résultats.
    assert np.round(0.125, 2) == 0.12
    assert np.round(0.135, 2) == 0.14
    assert au_centime(0.125) == 0.13


def test_valeurs_voisines_de_la_demi_centime():
    montants = np.array([17884.2249, 17884.22499, 17884.2251, 0.0049, 0.0051, 0.0, 3.0, 1033.32])
    attendus = np.array([17884.22, 17884.22, 17884.23, 0.0, 0.01, 0.0, 3.0, 1033.32])
    np.testing.assert_array_equal(au_centime(montants), attendus)


def test_meme_resultat_quel_que_soit_l_ordre_des_additions():
    # (15 768,45 + 20 000) / 2 = 17 884,225 : le SAM d'une carrière de deux années,
    # la somme faite dans un ordre ou dans l'autre.
    termes = [15075 * 1.046, 20000.0]
    dans_un_sens = sum(termes) / 2
    dans_l_autre = sum(reversed(termes)) / 2
    assert au_centime(dans_un_sens) == au_centime(dans_l_autre) == 17884.23
    moyennes = np.array([0.1 + 0.2 + 0.005, 0.005 + 0.2 + 0.1, (0.1 + 0.2) + 0.005])
    np.testing.assert_array_equal(au_centime(moyennes), [0.31, 0.31, 0.31])


def test_tableaux_float64_et_float32():
    rng = np.random.default_rng(0)
    centimes = rng.integers(0, 6_500_000, 10_000)  # jusqu'à 65 000 €
    montants = centimes / 100
    # float64 : un montant au centime le reste.
    resultat = au_centime(montants)
    assert resultat.dtype == np.float64
    np.testing.assert_array_equal(resultat, montants)
    # float32 (stockage d'OpenFisca, à 0,004 € près sous 65 536 €) : relu au centime exact.
    stockes = montants.astype(np.float32)
    assert not np.array_equal(stockes.astype(np.float64), montants)
    relus = au_centime(stockes)
    assert relus.dtype == np.float64
    np.testing.assert_array_equal(relus, montants)
    assert stockes.dtype == np.float32  # l'entrée n'est pas modifiée


def test_forme_et_entree_conservees():
    montants = np.array([[1.005, 2.675], [0.125, 7.0]])
    copie = montants.copy()
    resultat = au_centime(montants)
    assert resultat.shape == (2, 2)
    np.testing.assert_array_equal(resultat, [[1.01, 2.68], [0.13, 7.0]])
    np.testing.assert_array_equal(montants, copie)
    assert au_centime([]).shape == (0,)
    assert au_centime(3) == 3.0


def _noeuds(noeud):
    yield noeud.name
    for enfant in noeud.children:
        yield from _noeuds(enfant)


def test_montants_intermediaires_en_float64_restent_dans_la_simulation(tbs):
    """Les ressources de l'AAH et le seuil de cumul sont gardés en float64 par la
    simulation elle-même : leur tableau est en float64 et ``/trace`` (le traceur
    d'OpenFisca) les montre sous le montant qui les lit."""
    from openfisca_core.simulations import SimulationBuilder

    situation = {
        "individus": {
            "allocataire": {
                "date_naissance": {"ETERNITY": "1975-01-01"},
                "taux_incapacite": {"2025-06": 0.8},
                "revenus_activite": {"2023": 10004.2},
            },
            "cumulant": {
                "date_naissance": {"ETERNITY": "1975-05-20"},
                "date_debut_invalidite": {"ETERNITY": "2024-03-15"},
                "reduction_capacite_travail": {"2025-06": 0.8},
                "duree_immatriculation": {"2025-06": 240},
                "heures_travaillees_12_mois": {"2025-06": 1600.0},
                "salaire_cotise_12_mois": {"2025-06": 30000.0},
                "categorie_invalidite": {"2025-06": "categorie_1"},
                "salaire_brut_annuel": {"2023": 29320.0},
                "revenus_activite": {"2024": 32400.0, "2025": 32400.0},
            },
        },
        "familles": {"f": {"parents": ["allocataire"]}, "g": {"parents": ["cumulant"]}},
    }
    simulation = SimulationBuilder().build_from_entities(tbs, situation)
    simulation.trace = True
    simulation.calculate("aah", "2025-06")
    simulation.calculate("pension_invalidite_reduction_cumul", "2025-06")
    lus = {nom for arbre in simulation.tracer.trees for nom in _noeuds(arbre)}
    assert {"aah_base_ressources_individu", "pension_invalidite_seuil_cumul"} <= lus
    for variable in ("aah_base_ressources_individu", "pension_invalidite_seuil_cumul"):
        assert simulation.calculate(variable, "2025-06").dtype == np.float64
