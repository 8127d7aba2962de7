"""Un million de personnes pour un mois : la chaîne de la pension tourne.

Banc d'essai, pas une assertion de temps : le temps et la mémoire sont
affichés (pytest -s) et repris dans la note de clôture.
"""

import resource
import time

import numpy as np
from openfisca_core.simulations import SimulationBuilder

N = 1_000_000
MOIS = "2025-06"


def un_million_de_naissances_et_d_arrets(tbs, rng):
    """Une simulation de N personnes nées de 1964 à 1998, en arrêt de 2008 à 2024."""
    simulation = SimulationBuilder().build_default_simulation(tbs, count=N)
    simulation.set_input(
        "date_naissance",
        "ETERNITY",
        np.datetime64("1964-01-01") + rng.integers(0, 365 * 35, N).astype("timedelta64[D]"),
    )
    simulation.set_input(
        "date_debut_invalidite",
        "ETERNITY",
        np.datetime64("2008-01-01") + rng.integers(0, 365 * 17, N).astype("timedelta64[D]"),
    )
    return simulation


def afficher(capsys, quoi, debut, prepare, fin):
    """Le banc d'essai affiche ses mesures (pytest -s), sans rien asserter du temps."""
    pic = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with capsys.disabled():
        print(  # noqa: T201 — le banc d'essai affiche ses mesures
            f"\n[banc] {N:,} personnes, {quoi} de {MOIS} : entrées {prepare - debut:.2f} s, "
            f"calcul {fin - prepare:.2f} s, pic mémoire du processus {pic:.0f} Mo"
        )


def test_un_million_de_pensions(tbs, capsys):
    rng = np.random.default_rng(2025)
    debut = time.perf_counter()
    simulation = un_million_de_naissances_et_d_arrets(tbs, rng)
    categories = rng.choice(
        np.array(["non_classe", "categorie_1", "categorie_2", "categorie_3"]), N, p=[0.1, 0.2, 0.65, 0.05]
    )
    simulation.set_input("categorie_invalidite", MOIS, categories)
    simulation.set_input("reduction_capacite_travail", MOIS, rng.uniform(0.5, 1, N))
    simulation.set_input("duree_immatriculation", MOIS, rng.integers(0, 400, N))
    simulation.set_input("heures_travaillees_12_mois", MOIS, rng.uniform(0, 1800, N))
    for annee in range(1985, 2025):
        simulation.set_input("salaire_brut_annuel", str(annee), rng.uniform(0, 60000, N).astype(np.float32))
    prepare = time.perf_counter()
    pension = simulation.calculate("pension_invalidite", MOIS)
    mtp = simulation.calculate("majoration_tierce_personne", MOIS)
    fin = time.perf_counter()
    afficher(capsys, "pension + MTP", debut, prepare, fin)

    eligible = simulation.calculate("pension_invalidite_eligible", MOIS)
    minimum = tbs.parameters(MOIS).pension_invalidite.montant.minimum
    maximum = simulation.calculate("pension_invalidite_maximum", MOIS)
    assert 0.2 < eligible.mean() < 0.9
    assert np.all(pension[~eligible] == 0)
    assert np.all((pension[eligible] >= minimum - 0.005) & (pension[eligible] <= maximum[eligible] + 0.005))
    assert np.all((mtp > 0) == (eligible & (categories == "categorie_3")))


def test_un_million_tous_regimes(tbs, capsys):
    """Le même million réparti entre les quatre régimes (routage par np.select,
    carrières non salariées) : chaque pension reste entre les bornes de son régime."""
    rng = np.random.default_rng(2026)
    debut = time.perf_counter()
    simulation = un_million_de_naissances_et_d_arrets(tbs, rng)
    regimes = rng.choice(
        np.array(["regime_general", "msa_salarie", "ssi", "msa_non_salarie"]), N, p=[0.9, 0.04, 0.04, 0.02]
    )
    simulation.set_input("regime_invalidite", "ETERNITY", regimes)
    categories = rng.choice(np.array(["categorie_1", "categorie_2", "categorie_3"]), N, p=[0.25, 0.7, 0.05])
    simulation.set_input("categorie_invalidite", MOIS, categories)
    simulation.set_input("reduction_capacite_travail", MOIS, rng.uniform(0.7, 1, N))
    simulation.set_input("duree_immatriculation", MOIS, rng.integers(12, 400, N))
    simulation.set_input("heures_travaillees_12_mois", MOIS, rng.uniform(600, 1800, N))
    simulation.set_input("revenus_activite", "2024", (rng.uniform(size=N) < 0.1) * rng.uniform(0, 30000, N))
    ssi, exploitant = regimes == "ssi", regimes == "msa_non_salarie"
    for annee in range(1995, 2025):
        simulation.set_input("salaire_brut_annuel", str(annee), rng.uniform(0, 60000, N).astype(np.float32))
        simulation.set_input("rpns_imposables", str(annee), (ssi * rng.uniform(0, 40000, N)).astype(np.float32))
        simulation.set_input("rag", str(annee), (exploitant * rng.uniform(-5000, 40000, N)).astype(np.float32))
    prepare = time.perf_counter()
    pension = simulation.calculate("pension_invalidite", MOIS)
    simulation.calculate("majoration_tierce_personne", MOIS)
    fin = time.perf_counter()
    afficher(capsys, "quatre régimes, pension + MTP", debut, prepare, fin)

    avant_cumul = simulation.calculate("pension_invalidite_avant_cumul", MOIS)
    minimum = simulation.calculate("pension_invalidite_minimum", MOIS)
    maximum = simulation.calculate("pension_invalidite_maximum", MOIS)
    servie = avant_cumul > 0
    for regime in ("regime_general", "msa_salarie", "ssi", "msa_non_salarie"):
        du_regime = servie & (regimes == regime)
        assert du_regime.sum() > 1000, regime
        assert np.all(avant_cumul[du_regime] >= minimum[du_regime] - 0.005), regime
        assert np.all(avant_cumul[du_regime] <= np.maximum(maximum, minimum)[du_regime] + 0.005), regime
    assert np.all(pension <= avant_cumul + 0.005)
