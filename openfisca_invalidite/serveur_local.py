"""Le vrai serveur de l'API web, lancé pour un test ou une démonstration.

``openfisca serve`` en sous-processus sur un port libre de 127.0.0.1, attendu
par sondage de /spec, toujours arrêté en sortie (SIGTERM puis SIGKILL de son
groupe, workers gunicorn compris). Sert aux tests de l'API web et des réformes.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from http import HTTPStatus
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    import requests

DELAI_DEMARRAGE = 90  # s
DELAI_REQUETE = 30  # s, pour chaque requête


def feuilles(erreur: object, chemin: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], object]]:
    """(chemin, message) de chaque message d'une réponse d'erreur de l'API, qui
    emboîte des objets entité → identifiant → variable → période (jamais de liste)."""
    if isinstance(erreur, dict):
        for cle, valeur in erreur.items():
            yield from feuilles(valeur, (*chemin, cle))
    else:
        yield chemin, erreur


class ServeurInjoignable(RuntimeError):
    """Le serveur s'est arrêté ou ne répond pas dans le délai ; le message cite son journal."""


def port_libre() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def commande_openfisca() -> str:
    voisin = Path(sys.executable).with_name("openfisca")
    return str(voisin) if voisin.exists() else (shutil.which("openfisca") or "openfisca")


class Serveur:
    def __init__(self, url: str, processus: subprocess.Popen, journal: IO[bytes]) -> None:
        self.url = url
        self.processus = processus
        self.journal = journal

    def get(self, chemin: str, **kwargs: object) -> requests.Response:
        import requests

        return requests.get(self.url + chemin, timeout=DELAI_REQUETE, **kwargs)

    def post(
        self, chemin: str, corps: object = None, *, data: str | bytes | None = None, **kwargs: object
    ) -> requests.Response:
        import requests

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


@contextlib.contextmanager
def serveur_local(
    reformes: Sequence[str] = (),
    workers: int = 2,
    delai: float = DELAI_DEMARRAGE,
    *,
    openfisca: Sequence[str] | None = None,
    dossier: str | Path | None = None,
    environnement: dict[str, str] | None = None,
) -> Iterator[Serveur]:
    """Démarre ``openfisca serve --country-package openfisca_invalidite`` (et ses
    ``--reforms``), attend qu'il réponde, le rend, puis l'arrête quoi qu'il arrive.

    ``openfisca`` : la commande à lancer (défaut : l'exécutable ``openfisca``
    voisin de l'interpréteur), par exemple ``[python, "-m",
    "openfisca_core.scripts.openfisca_command"]`` d'un autre environnement ;
    ``dossier`` : son dossier courant ; ``environnement`` : ses variables
    d'environnement (défaut : celles du processus).
    """
    import requests

    port = port_libre()
    commande = [*(openfisca or [commande_openfisca()]), "serve", "--country-package", "openfisca_invalidite"]
    if reformes:
        commande += ["--reforms", *reformes]
    commande += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "60"]
    with tempfile.TemporaryFile() as journal:
        # Commande en liste, sans shell : l'exécutable openfisca et des noms de réformes.
        processus = subprocess.Popen(  # noqa: S603
            commande,
            stdout=journal,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=dossier,
            env={**(os.environ if environnement is None else environnement), "PYTHONUNBUFFERED": "1"},
        )
        instance = Serveur(f"http://127.0.0.1:{port}", processus, journal)
        try:
            limite = time.monotonic() + delai
            while True:
                if processus.poll() is not None:
                    msg = (
                        f"openfisca serve s'est arrêté (code {processus.returncode}) :\n"
                        f"{instance.journal_texte()[-3000:]}"
                    )
                    raise ServeurInjoignable(msg)
                try:
                    if requests.get(instance.url + "/spec", timeout=2).status_code == HTTPStatus.OK:
                        break
                except requests.ConnectionError:
                    pass
                if time.monotonic() > limite:
                    msg = f"openfisca serve ne répond pas après {delai} s :\n{instance.journal_texte()[-3000:]}"
                    raise ServeurInjoignable(msg)
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
