"""`simuler --morceaux N` : une population lue (CSV, Parquet) ou tirée morceau par
morceau, calculée et écrite au fil de l'eau, donne les mêmes résultats que d'un
seul tenant ; une famille dont les lignes sont dans deux morceaux est refusée."""

import itertools

import pandas as pd
import pyarrow.parquet as pq
import pytest

from openfisca_invalidite import cli
from openfisca_invalidite.population import moteur
from openfisca_invalidite.population.lecture import lire_par_morceaux

MORCEAU = 700
TABLES = ("agregats.csv", "ecarts_reformes.csv", "deciles.csv")


def _simuler(entree, sortie, *options):
    commande = ["simuler", "--entree", str(entree), "--mois", "2025-06", "--sortie", str(sortie), "--silencieux"]
    return cli.main([*commande, *options])


@pytest.fixture(scope="module")
def population_csv(tmp_path_factory, petite_population):
    chemin = tmp_path_factory.mktemp("entree") / "population.csv"
    petite_population.to_csv(chemin, index=False, sep=";")
    return chemin


@pytest.fixture
def reforme(monkeypatch, reforme_test):
    """Le nom d'une réforme du registre (celle des tests)."""
    nom, classe = reforme_test
    monkeypatch.setattr(moteur, "reformes_disponibles", lambda: {nom: classe})
    return nom


@pytest.mark.parametrize("format_", ["csv", "parquet"])
def test_morceaux_memes_resultats(tmp_path, capsys, reforme, petite_population, format_):
    nom = reforme
    entree = tmp_path / f"population.{format_}"
    if format_ == "csv":
        petite_population.to_csv(entree, index=False, sep=";")
    else:
        petite_population.to_parquet(entree, row_group_size=1_000)
    options = ("--reforme", nom, "--grouper-par", "sexe")
    assert _simuler(entree, tmp_path / "entier", *options) == 0
    assert _simuler(entree, tmp_path / "morceaux", *options, "--morceaux", str(MORCEAU)) == 0
    capsys.readouterr()
    entier = pd.read_parquet(tmp_path / "entier" / "personnes.parquet")
    morceaux = pd.read_parquet(tmp_path / "morceaux" / "personnes.parquet")
    pd.testing.assert_frame_equal(entier, morceaux, check_exact=True)
    # Écrit morceau par morceau : un groupe de lignes par morceau de familles entières.
    assert pq.ParquetFile(tmp_path / "morceaux" / "personnes.parquet").num_row_groups >= len(petite_population) // (
        MORCEAU + 10
    )
    for table in TABLES:
        pd.testing.assert_frame_equal(
            pd.read_csv(tmp_path / "entier" / table), pd.read_csv(tmp_path / "morceaux" / table), check_exact=True
        )
    assert (tmp_path / "morceaux" / "gagnants_perdants_par_age.png").exists()
    manifeste = (tmp_path / "morceaux" / "execution.json").read_text(encoding="utf-8")
    assert '"personnes.parquet"' in manifeste
    assert '"morceaux": 700' in manifeste


def test_alias_anglais(tmp_path, capsys, population_csv):
    assert _simuler(population_csv, tmp_path / "fr", "--morceaux", "1000", "--sans-graphiques") == 0
    assert _simuler(population_csv, tmp_path / "en", "--chunks", "1000", "--no-plots") == 0
    capsys.readouterr()
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "fr" / "personnes.parquet"), pd.read_parquet(tmp_path / "en" / "personnes.parquet")
    )


def test_famille_dans_deux_morceaux_refusee(tmp_path, capsys, petite_population):
    """Les lignes d'une famille qui ne se suivent pas : l'erreur la nomme, sans trace, rien n'est écrit."""
    conjoints = petite_population.index[petite_population["role_famille"] == "conjoint"]
    deplace = conjoints[0]
    famille = petite_population.loc[deplace, "famille_id"]
    melangee = pd.concat([petite_population.drop(index=deplace), petite_population.loc[[deplace]]])
    entree = tmp_path / "melangee.csv"
    melangee.to_csv(entree, index=False)
    sortie = tmp_path / "r"
    assert _simuler(entree, sortie, "--morceaux", str(MORCEAU), "--sans-graphiques") == 2
    erreur = capsys.readouterr().err
    assert f"la famille « {famille} » a des lignes dans deux morceaux" in erreur
    assert f"ligne {len(melangee) + 1}" in erreur or f"lignes {len(melangee) + 1}" in erreur
    assert "Traceback" not in erreur
    assert not (sortie / "personnes.parquet").exists()
    # D'un seul tenant, l'ordre des lignes est libre.
    assert _simuler(entree, tmp_path / "entier", "--sans-graphiques") == 0


def test_erreur_d_un_morceau_lointain_nomme_la_ligne_du_fichier(tmp_path, capsys, petite_population):
    fautive = petite_population.astype({"date_naissance": str})
    fautive.loc[2_500, "date_naissance"] = "pas une date"
    entree = tmp_path / "fautive.csv"
    fautive.to_csv(entree, index=False)
    sortie = tmp_path / "r"
    assert _simuler(entree, sortie, "--morceaux", str(MORCEAU), "--sans-graphiques") == 2
    erreur = capsys.readouterr().err
    assert "« date_naissance »" in erreur
    assert "2502" in erreur  # la ligne du fichier (en-tête = ligne 1), pas celle du morceau
    assert str(entree) in erreur
    assert not (sortie / "personnes.parquet").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--annees", "2026-2027"], "pas une projection"),
        (["--morceaux", "0"], "au moins 1"),
    ],
)
def test_options_refusees(tmp_path, capsys, population_csv, options, message):
    arguments = ["simuler", "--entree", str(population_csv), "--sortie", str(tmp_path / "r"), "--morceaux", "500"]
    assert cli.main([*arguments, *options]) == 2
    assert message in capsys.readouterr().err


def test_excel_refuse(tmp_path, capsys, petite_population):
    entree = tmp_path / "population.xlsx"
    petite_population.head(5).to_excel(entree, index=False)
    assert _simuler(entree, tmp_path / "r", "--morceaux", "500") == 2
    assert "un CSV ou un Parquet" in capsys.readouterr().err


def test_population_synthetique_par_morceaux(tmp_path, capsys):
    sortie = tmp_path / "r"
    commande = ["simuler", "--taille", "2000", "--morceaux", "700", "--sortie", str(sortie), "--silencieux"]
    assert cli.main([*commande, "--sans-graphiques"]) == 0
    capsys.readouterr()
    personnes = pd.read_parquet(sortie / "personnes.parquet")
    assert len(personnes) == 2000
    assert personnes["id"].is_unique
    # Les poids de chaque morceau sont ceux de sa part : ensemble, une population.
    entier = tmp_path / "entier"
    assert cli.main(["simuler", "--taille", "2000", "--sortie", str(entier), "--silencieux", "--sans-graphiques"]) == 0
    assert personnes["poids"].sum() == pytest.approx(
        pd.read_parquet(entier / "personnes.parquet")["poids"].sum(), rel=0.05
    )


def test_lecture_par_morceaux_familles_entieres(population_csv, petite_population):
    morceaux = list(lire_par_morceaux(population_csv, 250))
    assert sum(len(m) for m in morceaux) == len(petite_population)
    familles = [set(m["famille_id"]) for m in morceaux]
    assert all(not (a & b) for a, b in itertools.pairwise(familles))
    assert all(len(m) >= 250 - 5 for m in morceaux[:-1])  # la dernière famille passe au morceau suivant


def test_parquet_lu_en_petits_lots_assembles(tmp_path, monkeypatch, petite_population):
    """Un morceau fait de plusieurs lots Arrow : les mêmes lignes, dans l'ordre."""
    from openfisca_invalidite.population import lecture

    monkeypatch.setattr(lecture, "LOT_ARROW", 128)
    entree = tmp_path / "population.parquet"
    petite_population.to_parquet(entree, row_group_size=1_000)
    morceaux = list(lire_par_morceaux(entree, MORCEAU))
    assert len(morceaux) == -(-len(petite_population) // MORCEAU)
    assert all(len(m) >= MORCEAU - 5 for m in morceaux[:-1])
    lus = pd.concat(morceaux, ignore_index=True)
    assert lus["id"].tolist() == petite_population["id"].tolist()
