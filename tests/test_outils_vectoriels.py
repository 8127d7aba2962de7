"""Outils vectoriels rapides de openfisca_invalidite.commons, égaux à numpy :
``si`` est exactement ``np.where`` (mêmes bits, même type, valeurs non finies
et signe de zéro compris) ; ``rang_des_dates`` est ``np.searchsorted`` ; le
calendrier en entiers de ``annee``, ``indice_mois`` et ``jour_du_mois`` est la
conversion de numpy ; la somme des meilleures années par sous-blocs est celle
de ``np.partition`` sur toutes les personnes, au bit près."""

import numpy as np
import pytest

from openfisca_invalidite.commons import annee, indice_mois, jour_du_mois, rang_des_dates, si
from openfisca_invalidite.salaire_moyen import _somme_des_meilleures

SPECIAUX = [np.nan, np.inf, -np.inf, -0.0, 0.0, -1.5, 1e-45]


def _tableaux(type_reel):
    generateur = np.random.default_rng(7)
    alors = ((generateur.random(4000) - 0.5) * 1e5).astype(type_reel)
    sinon = (generateur.random(4000) * 1e5).astype(type_reel)
    alors[: len(SPECIAUX)] = SPECIAUX
    sinon[len(SPECIAUX) : 2 * len(SPECIAUX)] = SPECIAUX
    condition = generateur.random(4000) < 0.5
    return condition, alors, sinon


@pytest.mark.parametrize("type_reel", [np.float32, np.float64])
@pytest.mark.parametrize("sinon_nul", [0.0, 0, None])
def test_si_est_np_where_bit_pour_bit(type_reel, sinon_nul):
    condition, alors, sinon = _tableaux(type_reel)
    sinon = sinon if sinon_nul is None else sinon_nul
    obtenu, attendu = si(condition, alors, sinon), np.where(condition, alors, sinon)
    assert obtenu.dtype == attendu.dtype
    assert obtenu.shape == attendu.shape
    assert np.array_equal(obtenu.view(np.uint8), attendu.view(np.uint8))


@pytest.mark.parametrize(
    ("condition", "alors", "sinon"),
    [
        (np.array([True, False]), np.array([1, 2]), 0),  # entiers
        (np.array([True, False]), np.array([1.5, 2.5]), 3.0),  # autre valeur que 0
        (np.array([True, False]), np.array([1.5, 2.5], dtype=np.float32), np.array([1.0, 2.0])),  # types différents
        (np.array([1, 0]), np.array([1.5, 2.5]), 0.0),  # condition non booléenne
        (np.array([True, False]), 1.5, 0.0),  # scalaire
    ],
)
def test_si_autres_cas_comme_np_where(condition, alors, sinon):
    obtenu, attendu = si(condition, alors, sinon), np.where(condition, alors, sinon)
    assert obtenu.dtype == attendu.dtype
    assert np.array_equal(obtenu, attendu)


def test_calendrier_en_entiers_egal_a_numpy():
    jours = np.arange(-700_000, 2_900_000, 13).astype("datetime64[D]")
    assert np.array_equal(annee(jours), jours.astype("datetime64[Y]").astype(np.int64) + 1970)
    assert np.array_equal(indice_mois(jours), jours.astype("datetime64[M]").astype(np.int64) + 1970 * 12)
    premier_du_mois = jours.astype("datetime64[M]").astype("datetime64[D]")
    assert np.array_equal(jour_du_mois(jours), (jours - premier_du_mois).astype(np.int64) + 1)


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("taille", [10, 5000])
def test_rang_des_dates_egal_a_searchsorted(side, taille):
    generateur = np.random.default_rng(3)
    dates_triees = np.sort(np.datetime64("1990-01-01") + generateur.integers(0, 12_000, 40)).astype("datetime64[D]")
    dates = (np.datetime64("1985-01-01") + generateur.integers(0, 16_000, taille)).astype("datetime64[D]")
    dates[: len(dates_triees) // 4] = dates_triees[::4]  # des dates égales aux dates d'effet
    attendu = np.searchsorted(dates_triees, dates, side=side)
    assert np.array_equal(rang_des_dates(dates_triees, dates, side=side), attendu)
    # une date NaT, ou des dates trop éloignées pour une table : la recherche directe, mêmes rangs
    dates[-1] = np.datetime64("NaT")
    assert np.array_equal(rang_des_dates(dates_triees, dates, side=side), np.searchsorted(dates_triees, dates, side))
    dates[-1] = np.datetime64("9999-12-31")
    assert np.array_equal(rang_des_dates(dates_triees, dates, side=side), np.searchsorted(dates_triees, dates, side))


@pytest.mark.parametrize("nombre", [1, 3, 10, 40])
def test_somme_des_meilleures_annees_au_bit_pres(nombre):
    generateur = np.random.default_rng(5)
    # 40 années × 5 000 personnes, des années nulles (hors fenêtre) et des salaires égaux
    valeurs = np.round(generateur.random((40, 5000)) * 50_000, 2) * (generateur.random((40, 5000)) < 0.6)
    valeurs[:, :100] = 12_345.67
    attendu = np.partition(valeurs, valeurs.shape[0] - nombre, axis=0)[-nombre:].sum(axis=0, dtype=np.float64)
    assert np.array_equal(_somme_des_meilleures(valeurs, nombre), attendu)
