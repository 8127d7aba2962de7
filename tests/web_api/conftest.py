"""Le VRAI serveur : ``openfisca serve`` lancé en sous-processus sur un port
libre de 127.0.0.1, attendu par sondage de /spec (60 s au plus), toujours
arrêté à la fin de la session (SIGTERM puis SIGKILL de son groupe)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

from openfisca_invalidite import SITUATION_EXAMPLES_DIR

DELAI_DEMARRAGE = 90  # s
DELAI_REQUETE = 30  # s, pour chaque requête des tests


def port_libre() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def commande_openfisca() -> str:
    voisin = Path(sys.executable).with_name("openfisca")
    return str(voisin) if voisin.exists() else (shutil.which("openfisca") or "openfisca")


class Serveur:
    def __init__(self, url: str, processus: subprocess.Popen, journal) -> None:
        self.url = url
        self.processus = processus
        self.journal = journal

    def get(self, chemin: str, **kwargs):
        return requests.get(self.url + chemin, timeout=DELAI_REQUETE, **kwargs)

    def post(self, chemin: str, corps=None, *, data=None, **kwargs):
        if data is None:
            data = json.dumps(corps)
        return requests.post(
            self.url + chemin, data=data, headers={"Content-Type": "application/json"}, timeout=DELAI_REQUETE, **kwargs
        )

    def vivant(self) -> bool:
        return self.processus.poll() is None

    def journal_texte(self) -> str:
        self.journal.flush()
        self.journal.seek(0)
        return self.journal.read().decode("utf-8", "replace")


@pytest.fixture(scope="session")
def serveur():
    port = port_libre()
    journal = tempfile.TemporaryFile()
    processus = subprocess.Popen(
        [
            commande_openfisca(), "serve",
            "--country-package", "openfisca_invalidite",
            "--bind", f"127.0.0.1:{port}",
            "--workers", "2",
            "--timeout", "60",
        ],
        stdout=journal,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # son propre groupe : on arrête aussi les workers gunicorn
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    instance = Serveur(url, processus, journal)
    try:
        limite = time.monotonic() + DELAI_DEMARRAGE
        while True:
            if processus.poll() is not None:
                pytest.fail(f"openfisca serve s'est arrêté (code {processus.returncode}) :\n{instance.journal_texte()[-3000:]}")
            try:
                if requests.get(url + "/spec", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > limite:
                pytest.fail(f"openfisca serve ne répond pas après {DELAI_DEMARRAGE} s :\n{instance.journal_texte()[-3000:]}")
            time.sleep(0.25)
        yield instance
    finally:
        if processus.poll() is None:
            os.killpg(processus.pid, signal.SIGTERM)
            try:
                processus.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(processus.pid, signal.SIGKILL)
                processus.wait(timeout=15)
        journal.close()


def charger_exemple(nom: str) -> dict:
    with open(SITUATION_EXAMPLES_DIR / f"{nom}.json", encoding="utf-8") as fichier:
        return json.load(fichier)


@pytest.fixture(name="charger_exemple")
def _charger_exemple():
    return charger_exemple


@pytest.fixture
def situation():
    return charger_exemple("pensionne_categorie_2")


def pytest_configure(config):
    config.addinivalue_line("markers", "charge: charge concurrente bornée sur le serveur local (< 60 s)")
