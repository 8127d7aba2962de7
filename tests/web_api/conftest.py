"""Le VRAI serveur : ``openfisca serve`` lancé en sous-processus sur un port
libre de 127.0.0.1, attendu par sondage de /spec (60 s au plus), toujours
arrêté à la fin de la session (SIGTERM puis SIGKILL de son groupe)."""

from __future__ import annotations

import json

import pytest

from openfisca_invalidite import SITUATION_EXAMPLES_DIR
from openfisca_invalidite.serveur_local import ServeurInjoignable, serveur_local


@pytest.fixture(scope="session")
def serveur():
    try:
        with serveur_local(workers=2) as instance:
            yield instance
    except ServeurInjoignable as erreur:
        pytest.fail(str(erreur))


def charger_exemple(nom: str) -> dict:
    with (SITUATION_EXAMPLES_DIR / f"{nom}.json").open(encoding="utf-8") as fichier:
        return json.load(fichier)


@pytest.fixture(name="charger_exemple")
def _charger_exemple():
    return charger_exemple


@pytest.fixture
def situation():
    return charger_exemple("pensionne_categorie_2")


def pytest_configure(config):
    config.addinivalue_line("markers", "charge: charge concurrente bornée sur le serveur local (< 60 s)")
