"""Les moteurs parallèles et la lecture des colonnes donnent exactement les
résultats du moteur local, bloc par bloc ou d'un seul tenant."""

import numpy as np
import pandas as pd
import pytest

from openfisca_invalidite.population import simuler
from openfisca_invalidite.population.moteur import (
    Colonnes,
    _calculer,
    arreter_dask,
    calculer_bloc,
    decouper,
    en_tranche,
    systeme_de_base,
)
from openfisca_invalidite.population.schema import valider_population
from openfisca_invalidite.population.synthetique import generer_population

MOIS = "2025-06"
#: Une réforme du registre : les processus travailleurs la retrouvent par son nom.
REFORME = "minimum_plus_10"


@pytest.fixture(scope="module")
def population():
    return generer_population(2_000, MOIS, graine=11)


@pytest.fixture(scope="module")
def local(population):
    return simuler(population, MOIS, [REFORME], taille_bloc=600, progression=False)


def test_blocs_egaux_a_un_seul_bloc(population, local):
    """Le découpage en blocs ne change aucun résultat."""
    entier = simuler(population, MOIS, [REFORME], taille_bloc=len(population), progression=False)
    pd.testing.assert_frame_equal(local, entier, check_exact=True)


def test_calculer_bloc_egal_au_moteur(population, local):
    bloc = calculer_bloc(valider_population(population), MOIS, (REFORME,))
    for nom in bloc.columns:
        np.testing.assert_array_equal(bloc[nom].to_numpy(), local[nom].to_numpy(), err_msg=nom)


def test_processus_egal_local(population, local):
    parallele = simuler(
        population, MOIS, [REFORME], taille_bloc=600, progression=False, moteur="processus", processus=2
    )
    pd.testing.assert_frame_equal(local, parallele, check_exact=True)


def test_blocs_de_familles_entieres_et_en_tranches(population):
    blocs = decouper(population, 600)
    assert sum(b.size for b in blocs) == len(population)
    familles = [set(population["famille_id"].to_numpy()[b]) for b in blocs]
    assert all(not (a & b) for i, a in enumerate(familles) for b in familles[i + 1 :])
    assert all(isinstance(en_tranche(b), slice) for b in blocs)  # des lignes qui se suivent : des vues
    assert isinstance(en_tranche(np.array([0, 2, 3])), np.ndarray)


def test_colonnes_exportees_puis_ouvertes(population, tmp_path):
    """Ce que lisent les travailleurs d'un LocalCluster : les mêmes résultats."""
    colonnes = Colonnes(valider_population(population), systeme_de_base())
    colonnes.exporter(tmp_path)
    ouvertes = Colonnes.ouvrir(tmp_path)
    assert len(ouvertes) == len(colonnes)
    lignes = slice(100, 900)
    avant = _calculer(colonnes, lignes, MOIS, (REFORME,))
    apres = _calculer(ouvertes, lignes, MOIS, (REFORME,))
    assert avant.keys() == apres.keys()
    for nom in avant:
        np.testing.assert_array_equal(avant[nom], apres[nom], err_msg=nom)


def test_codes_inconnus_refuses():
    from openfisca_invalidite.population.schema import PopulationInvalide

    with pytest.raises(PopulationInvalide, match="valeur « chef » inconnue du modèle"):
        Colonnes.codes(pd.Series(["demandeur", "chef"], name="role_famille"), ["demandeur", "conjoint", "enfant"])


def test_dask_processus_et_ordonnanceur_egaux_local(population, local):
    """Dask en processus (LocalCluster gardé d'un appel à l'autre) et sur un
    ordonnanceur donné par son adresse, comme sur un cluster."""
    pytest.importorskip("dask.distributed")
    from dask.distributed import LocalCluster

    try:
        for _ in range(2):  # le second appel reprend le LocalCluster du premier
            processus = simuler(
                population, MOIS, [REFORME], taille_bloc=600, progression=False, moteur="dask", dask_processes=True
            )
            pd.testing.assert_frame_equal(local, processus, check_exact=True)
    finally:
        arreter_dask()
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0") as cluster:
        distant = simuler(
            population,
            MOIS,
            [REFORME],
            taille_bloc=600,
            progression=False,
            moteur="dask",
            scheduler=cluster.scheduler_address,
        )
    pd.testing.assert_frame_equal(local, distant, check_exact=True)


def test_par_morceaux_egal_d_un_seul_tenant(population, local):
    """Une population en morceaux de familles entières : les mêmes résultats."""
    from openfisca_invalidite.population import simuler_par_morceaux

    coupures = [b[0] for b in decouper(population, 700)[1:]]
    morceaux = np.split(np.arange(len(population)), coupures)
    resultats = list(simuler_par_morceaux((population.iloc[m] for m in morceaux), MOIS, [REFORME], progression=False))
    assert len(resultats) == len(morceaux)
    pd.testing.assert_frame_equal(local, pd.concat(resultats, ignore_index=True), check_exact=True)


def test_par_morceaux_refuse_une_famille_coupee(population):
    from openfisca_invalidite.population import simuler_par_morceaux
    from openfisca_invalidite.population.schema import PopulationInvalide

    couple = population[population.duplicated("famille_id", keep=False)]["famille_id"].iloc[0]
    lignes = np.flatnonzero(population["famille_id"].to_numpy() == couple)
    morceaux = [population.iloc[: lignes[0] + 1], population.iloc[lignes[0] + 1 :]]
    with pytest.raises(PopulationInvalide, match="coupée entre deux morceaux"):
        list(simuler_par_morceaux(morceaux, MOIS, progression=False))
