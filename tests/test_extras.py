"""Sans l'extra ``graphiques`` (matplotlib) ou ``dask``, ce qui en a besoin le dit clairement.

L'absence est simulée par ``sys.modules[nom] = None`` (Python refuse alors
l'import comme pour un module non installé) ; le module des graphiques est
retiré du cache pour être réimporté.
"""

import subprocess
import sys
import textwrap

import pytest

from openfisca_invalidite import cli
from openfisca_invalidite.extras import ExtraManquant, exiger
from openfisca_invalidite.population.synthetique import generer_population

GRAPHIQUES = "pip install 'openfisca-invalidite[graphiques]'"
DASK = "pip install 'openfisca-invalidite[dask]'"


@pytest.fixture
def sans_matplotlib(monkeypatch):
    for nom in [n for n in sys.modules if n == "matplotlib" or n.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, nom)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.delitem(sys.modules, "openfisca_invalidite.population.graphiques", raising=False)


@pytest.fixture
def sans_dask_distributed(monkeypatch):
    for nom in ("distributed", "dask.distributed"):
        monkeypatch.setitem(sys.modules, nom, None)


def test_les_extras_presents_ne_levent_rien():
    pytest.importorskip("matplotlib")
    pytest.importorskip("distributed")
    exiger("graphiques")
    exiger("dask")


@pytest.mark.usefixtures("sans_matplotlib")
def test_import_des_graphiques_sans_matplotlib():
    with pytest.raises(ExtraManquant, match=r"extra « graphiques » \(matplotlib n'est pas installé\)") as erreur:
        import openfisca_invalidite.population.graphiques  # noqa: F401
    assert GRAPHIQUES in str(erreur.value)
    assert isinstance(erreur.value, ImportError)


@pytest.mark.usefixtures("sans_dask_distributed")
def test_simuler_dask_sans_dask():
    from openfisca_invalidite.population import simuler

    population = generer_population(50, "2025-06", graine=3)
    with pytest.raises(ExtraManquant, match="le moteur Dask demande l'extra « dask »") as erreur:
        simuler(population, "2025-06", moteur="dask", progression=False)
    assert DASK in str(erreur.value)


@pytest.mark.usefixtures("sans_matplotlib")
def test_cli_sans_matplotlib_une_ligne_code_2_avant_le_calcul(tmp_path, capsys):
    sortie = tmp_path / "r"
    code = cli.main(["simulate", "--taille", "50", "--sortie", str(sortie), "--silencieux"])
    assert code == 2
    erreur = capsys.readouterr().err
    assert erreur.count("\n") == 1, erreur
    assert GRAPHIQUES in erreur and "--sans-graphiques" in erreur
    assert not sortie.exists(), "l'erreur doit venir avant le calcul et l'écriture"


@pytest.mark.usefixtures("sans_matplotlib")
def test_cli_sans_matplotlib_mais_sans_graphiques_fonctionne(tmp_path):
    sortie = tmp_path / "r"
    assert cli.main(["simulate", "--taille", "50", "--sortie", str(sortie), "--silencieux", "--sans-graphiques"]) == 0
    assert (sortie / "personnes.parquet").is_file()
    assert not list(sortie.glob("*.png"))


@pytest.mark.usefixtures("sans_dask_distributed")
def test_cli_sans_dask(tmp_path, capsys):
    code = cli.main(
        [
            "simulate",
            "--taille",
            "50",
            "--engine",
            "dask",
            "--sortie",
            str(tmp_path),
            "--sans-graphiques",
            "--silencieux",
        ]
    )
    assert code == 2
    erreur = capsys.readouterr().err
    assert erreur.count("\n") == 1, erreur
    assert DASK in erreur


def test_commande_reelle_sans_matplotlib_sans_trace(tmp_path):
    """Le vrai processus : une ligne sur stderr, code 2, pas de trace Python."""
    script = textwrap.dedent(
        """
        import sys
        sys.modules["matplotlib"] = None
        from openfisca_invalidite.cli import main
        sys.exit(main(sys.argv[1:]))
        """
    )
    resultat = subprocess.run(
        [sys.executable, "-c", script, "simulate", "--taille", "50", "--sortie", str(tmp_path / "r")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        timeout=120,
    )
    assert resultat.returncode == 2, resultat.stderr
    assert "Traceback" not in resultat.stderr
    lignes = resultat.stderr.strip().splitlines()
    assert len(lignes) == 1, resultat.stderr
    assert lignes[0].startswith("openfisca-invalidite : erreur : les graphiques demandent l'extra « graphiques »")
    assert GRAPHIQUES in lignes[0]
