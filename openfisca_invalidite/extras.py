"""Parties optionnelles du paquet, installées par des extras.

- ``graphiques`` (matplotlib) : les PNG de ``openfisca-invalidite simulate`` et
  de ``Comparaison.ecrire`` ;
- ``dask`` (dask.distributed) : ``--engine dask``, ``simuler(moteur="dask")``.

``pip install "openfisca-invalidite[graphiques,dask]"`` les installe (l'extra
``dev`` les contient). Sans l'extra, ce qui en a besoin lève
:class:`ExtraManquant`, un ``ImportError`` dont le message dit quoi
installer ; la ligne de commande l'écrit sur une ligne et sort avec le code 2.
"""

from __future__ import annotations

import contextlib
import importlib.util
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

# extra → (module importé, ce qui en a besoin)
EXTRAS = {
    "graphiques": ("matplotlib", "les graphiques demandent"),
    "dask": ("distributed", "le moteur Dask demande"),
}


class ExtraManquant(ImportError):
    """Une fonction demande un extra qui n'est pas installé."""

    def __init__(self, extra: str, module: str | None = None) -> None:
        module_attendu, usage = EXTRAS[extra]
        self.extra = extra
        super().__init__(
            f"{usage} l'extra « {extra} » ({module or module_attendu} n'est pas installé) : "
            f"pip install 'openfisca-invalidite[{extra}]'",
            name=module or module_attendu,
        )


def exiger(extra: str) -> None:
    """Lève :class:`ExtraManquant` si le module de ``extra`` est introuvable (sans l'importer)."""
    module = EXTRAS[extra][0]
    try:
        trouve = importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        trouve = False
    if not trouve:
        raise ExtraManquant(extra, module)


@contextlib.contextmanager
def imports_de(extra: str) -> Iterator[None]:
    """Les imports du bloc appartiennent à ``extra`` : un module absent devient :class:`ExtraManquant`."""
    try:
        yield
    except ModuleNotFoundError as erreur:
        raise ExtraManquant(extra, erreur.name) from erreur
