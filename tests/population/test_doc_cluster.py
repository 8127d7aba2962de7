"""L'exemple de docs/population.md qui pointe le moteur Dask sur un ordonnanceur
(un LocalCluster de processus, comme un cluster) s'exécute tel quel."""

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "population.md"


def exemple_du_cluster() -> str:
    texte = DOC.read_text(encoding="utf-8")
    section = texte[texte.index("Essayer sans cluster") :]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


def test_exemple_dask_sur_un_ordonnanceur():
    pytest.importorskip("dask.distributed")
    code = exemple_du_cluster()
    assert "scheduler=cluster.scheduler_address" in code
    assert "processes=True" in code
    espace = {}
    exec(compile(code, str(DOC), "exec"), espace)  # noqa: S102 — l'exemple de la documentation du dépôt
    assert len(espace["sur_le_cluster"]) == len(espace["population"])
    assert espace["sur_le_cluster"].equals(espace["local"])
