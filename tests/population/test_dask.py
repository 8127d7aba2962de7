"""Le moteur Dask donne exactement les résultats du moteur local."""

import pandas as pd
import pytest

from openfisca_invalidite.population import simuler

pytest.importorskip("dask.distributed")


def test_dask_egal_local(petite_population, reforme_test):
    local = simuler(petite_population, "2025-06", [reforme_test], taille_bloc=700, progression=False)
    distribue = simuler(
        petite_population,
        "2025-06",
        [reforme_test],
        taille_bloc=700,
        progression=False,
        moteur="dask",
        dask_workers=2,
        dask_processes=False,
    )
    pd.testing.assert_frame_equal(local, distribue)
