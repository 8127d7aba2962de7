"""Le carnet d'exemple (exemples/chiffrage_decennal.ipynb) s'exécute sans erreur,
sur une petite population : il ne peut pas pourrir."""

import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

CARNET = Path(__file__).resolve().parents[2] / "exemples" / "chiffrage_decennal.ipynb"


def test_carnet_chiffrage_decennal(monkeypatch):
    monkeypatch.setenv("TAILLE_CARNET", "600")
    monkeypatch.delenv("MPLBACKEND", raising=False)
    carnet = nbformat.read(CARNET, as_version=4)
    nbclient.NotebookClient(
        carnet, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(CARNET.parent)}}
    ).execute()
    sorties = [s for cellule in carnet.cells if cellule.cell_type == "code" for s in cellule.outputs]
    assert not [s for s in sorties if s.output_type == "error"]
    textes = " ".join(str(s.get("data", {}).get("text/plain", "")) for s in sorties)
    assert "cumul 2026-2035" in textes
    assert any("image/png" in s.get("data", {}) for s in sorties)  # les graphiques sont tracés
    assert os.environ["TAILLE_CARNET"] == "600"
