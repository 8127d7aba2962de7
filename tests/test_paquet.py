"""Le paquet se construit, s'installe seul, et chaque paramètre cite sa source."""

import datetime
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from openfisca_core.parameters import Parameter, ParameterNode, ParameterScale

RACINE = Path(__file__).resolve().parents[1]
NOMS_DU_CONTRAT = [
    "date_naissance",
    "date_debut_invalidite",
    "reduction_capacite_travail",
    "categorie_invalidite",
    "duree_immatriculation",
    "heures_travaillees_12_mois",
    "salaire_cotise_12_mois",
    "salaire_brut_annuel",
    "revenus_activite",
    "age",
    "age_legal_retraite",
    "pension_invalidite_eligible",
    "salaire_annuel_moyen",
    "pension_invalidite",
    "majoration_tierce_personne",
    "taux_incapacite",
    "aah_restriction_substantielle_durable_acces_emploi",
    "autres_ressources",
    "en_couple",
    "asi",
    "aah",
]


def test_entites_du_contrat(tbs):
    assert tbs.person_entity.key == "individu" and tbs.person_entity.plural == "individus"
    famille = (
        tbs.get_group_entity_by_key("famille")
        if hasattr(tbs, "get_group_entity_by_key")
        else next(e for e in tbs.entities if e.key == "famille")
    )
    assert famille.plural == "familles"
    roles = {role.key: role for role in famille.roles}
    assert roles["parent"].plural == "parents" and roles["parent"].max == 2
    assert [sous.key for sous in roles["parent"].subroles] == ["demandeur", "conjoint"]
    assert roles["enfant"].plural == "enfants"


@pytest.mark.parametrize("nom", NOMS_DU_CONTRAT)
def test_noms_du_contrat(tbs, nom):
    assert nom in tbs.variables


def feuilles(noeud):
    if isinstance(noeud, ParameterNode):
        for enfant in noeud.children.values():
            yield from feuilles(enfant)
    else:
        yield noeud


def dates_des_valeurs(parametre):
    if isinstance(parametre, Parameter):
        return {v.instant_str for v in parametre.values_list}
    dates = set()
    for tranche in parametre.brackets:
        for nom in ("threshold", "amount", "rate", "average_rate", "base"):
            sous = getattr(tranche, nom, None)
            if isinstance(sous, Parameter):
                dates |= {v.instant_str for v in sous.values_list}
    return dates


def test_chaque_valeur_de_parametre_a_sa_source(tbs):
    """Chaque date de valeur a une référence (titre + adresse) à cette date exacte."""
    manques = []
    parametres = list(feuilles(tbs.parameters))
    assert len(parametres) > 20
    for parametre in parametres:
        assert isinstance(parametre, (Parameter, ParameterScale))
        assert parametre.description, parametre.name
        meta = parametre.metadata
        assert meta.get("unit") or meta.get("amount_unit"), f"{parametre.name} sans unité"
        references = {str(cle): val for cle, val in (meta.get("reference") or {}).items()}
        for date in dates_des_valeurs(parametre):
            ref = references.get(date)
            items = ref if isinstance(ref, list) else [ref]
            if not ref or not all(isinstance(i, dict) and i.get("title") and i.get("href") for i in items):
                manques.append(f"{parametre.name} @ {date}")
    assert not manques, "valeurs sans référence : " + ", ".join(manques)


def test_fraicheur_declaree(tbs):
    """last_value_still_valid_on existe et n'est pas antérieur à la dernière valeur."""
    for parametre in feuilles(tbs.parameters):
        date = parametre.metadata.get("last_value_still_valid_on")
        assert date, f"{parametre.name} sans last_value_still_valid_on"
        derniere = max(dates_des_valeurs(parametre))
        assert str(date) >= derniere, f"{parametre.name} : {date} < {derniere}"
        assert datetime.date.fromisoformat(str(date)) <= datetime.datetime.now().astimezone().date()


# --- La roue et le sdist, installés comme par un utilisateur -------------------------------------------
#
# Une construction (sdist, puis roue construite à partir du sdist, comme pip le fait), une installation
# dans un venv neuf hors du dépôt, puis chaque usage : imports, `openfisca-invalidite simulate`,
# `openfisca test`, `openfisca serve` + /calculate. Les dépendances ne sont pas réinstallées : le venv
# neuf voit le site-packages du venv du projet par un .pth (sans les .pth de celui-ci, donc sans
# l'installation éditable) ; chaque test vérifie que le code importé est bien celui de la roue.

SANS_ROUE = pytest.mark.skipif(os.environ.get("SKIP_WHEEL") == "1", reason="SKIP_WHEEL=1")
DOSSIERS_DU_PAQUET = ("openfisca_invalidite", "parameters", "variables", "reforms")
HORS_SOURCES = shutil.ignore_patterns(
    ".venv*", ".git", "build", "dist", "resultats", "*.egg-info", "__pycache__", "*.pyc", ".*_cache", ".hypothesis"
)
DELAI = 300  # s, pour chaque commande lancée


def fichiers_du_paquet() -> dict[str, str]:
    """Chaque fichier que le paquet doit livrer : chemin dans le dépôt → chemin dans la roue.

    Tout ce qui est sous ``openfisca_invalidite/``, ``parameters/``, ``variables/`` et ``reforms/``
    (modules, ``parameters/**/*.yaml``, ``situation_examples/*.json``, données de population) :
    un fichier ajouté là sans être livré fait échouer le test.
    """
    attendus = {}
    for dossier in DOSSIERS_DU_PAQUET:
        for chemin in sorted((RACINE / dossier).rglob("*")):
            if chemin.is_file() and "__pycache__" not in chemin.parts and chemin.suffix != ".pyc":
                relatif = chemin.relative_to(RACINE).as_posix()
                attendus[relatif] = relatif if dossier == "openfisca_invalidite" else f"openfisca_invalidite/{relatif}"
    return attendus


def module_de(chemin_dans_la_roue: str) -> str:
    nom = chemin_dans_la_roue.removesuffix(".py").replace("/", ".")
    return nom.removesuffix(".__init__")


def environnement_propre() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}


def lancer(commande: list[str], dossier: Path, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        commande,
        cwd=dossier,
        env=environnement_propre(),
        capture_output=True,
        text=True,
        timeout=DELAI,
        check=False,
        **options,
    )


@pytest.fixture(scope="module")
def distribution(tmp_path_factory):
    """sdist et roue construits par ``python -m build`` (la roue à partir du sdist) d'une copie des sources."""
    racine = tmp_path_factory.mktemp("distribution")
    sources = racine / "sources"
    shutil.copytree(RACINE, sources, ignore=HORS_SOURCES)  # la construction ne salit pas le dépôt
    sortie = lancer(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(racine / "dist"), str(sources)], racine
    )
    assert sortie.returncode == 0, sortie.stdout[-3000:] + sortie.stderr[-3000:]
    sdist = next((racine / "dist").glob("openfisca_invalidite-*.tar.gz"))
    roue = next((racine / "dist").glob("openfisca_invalidite-*-py3-none-any.whl"))
    return sdist, roue


@pytest.fixture(scope="module")
def venv_neuf(distribution, tmp_path_factory):
    """Un venv neuf hors du dépôt où seule la roue est installée ; rend (python, site-packages, dossier de travail)."""
    _, roue = distribution
    racine = tmp_path_factory.mktemp("installation")
    venv = racine / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=DELAI)
    python = venv / "bin" / "python"
    site = next((venv / "lib").glob("python3*/site-packages"))
    dependances = next(p for p in sys.path if p.endswith("site-packages") and Path(p, "openfisca_core").is_dir())
    (site / "dependances.pth").write_text(dependances + "\n")
    travail = racine / "travail"  # dossier courant des commandes : ni le dépôt ni ses sources
    travail.mkdir()
    # pip du projet (vu par le .pth), lancé par le python du venv neuf : il installe dans ce venv et y
    # écrit les commandes ; --ignore-installed : l'installation éditable du projet n'est ni vue ni touchée.
    sortie = lancer(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--ignore-installed", str(roue)],
        travail,
    )
    assert sortie.returncode == 0, sortie.stderr[-3000:]
    assert (venv / "bin" / "openfisca-invalidite").is_file()
    return python, site, travail


@SANS_ROUE
def test_sdist_et_roue_livrent_chaque_fichier(distribution):
    import tarfile
    import zipfile

    sdist, roue = distribution
    attendus = fichiers_du_paquet()
    assert sum(c.endswith(".yaml") for c in attendus) > 40
    assert sum(c.startswith("openfisca_invalidite/situation_examples/") and c.endswith(".json") for c in attendus) >= 1
    with tarfile.open(sdist) as archive:
        prefixe = sdist.name.removesuffix(".tar.gz") + "/"
        dans_le_sdist = {n.removeprefix(prefixe) for n in archive.getnames()}
    with zipfile.ZipFile(roue) as archive:
        dans_la_roue = set(archive.namelist())
        metadonnees = archive.read(next(n for n in dans_la_roue if n.endswith(".dist-info/METADATA"))).decode()
    manque_sdist = sorted(set(attendus) - dans_le_sdist)
    manque_roue = sorted(set(attendus.values()) - dans_la_roue)
    assert not manque_sdist, f"absents du sdist : {manque_sdist}"
    assert not manque_roue, f"absents de la roue : {manque_roue}"
    # Le sdist porte aussi de quoi tester et maintenir (MANIFEST.in).
    for fichier in ("LICENSE", "README.md", "CHANGELOG.md", "CONTRIBUTING.md", "pyproject.toml", "setup.py"):
        assert fichier in dans_le_sdist, fichier
    assert any(n.startswith("tests/") and n.endswith(".yaml") for n in dans_le_sdist)
    # Rien au premier niveau de site-packages sauf le paquet et ses métadonnées.
    assert {n.split("/")[0] for n in dans_la_roue} == {
        "openfisca_invalidite",
        roue.name.split("-py3")[0] + ".dist-info",
    }
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in dans_la_roue)
    # Extras : matplotlib et dask n'y sont que par « graphiques » et « dask ».
    dependances = [ligne for ligne in metadonnees.splitlines() if ligne.startswith("Requires-Dist:")]
    assert any(
        ligne.startswith("Requires-Dist: matplotlib") and 'extra == "graphiques"' in ligne for ligne in dependances
    )
    assert any(ligne.startswith("Requires-Dist: dask") and 'extra == "dask"' in ligne for ligne in dependances)
    assert not [
        ligne for ligne in dependances if ("matplotlib" in ligne or "dask" in ligne) and "extra ==" not in ligne
    ]
    assert "Project-URL: Repository, https://" in metadonnees


@SANS_ROUE
def test_roue_chaque_module_s_importe_depuis_le_venv(venv_neuf, tbs):
    python, site, travail = venv_neuf
    attendus = sorted(module_de(c) for c in fichiers_du_paquet().values() if c.endswith(".py"))
    script = textwrap.dedent(
        """
        import importlib, json, sys
        modules = json.loads(sys.argv[1])
        origines = {nom: importlib.import_module(nom).__file__ for nom in modules}
        from openfisca_invalidite import CountryTaxBenefitSystem
        tbs = CountryTaxBenefitSystem()
        print(json.dumps({"origines": origines, "variables": sorted(tbs.variables),
                          "minimum": tbs.parameters("2025-06").pension_invalidite.montant.minimum}))
        """
    )
    sortie = lancer([str(python), "-c", script, json.dumps(attendus)], travail)
    assert sortie.returncode == 0, sortie.stderr[-3000:]
    resultat = json.loads(sortie.stdout.strip().splitlines()[-1])
    hors_roue = {nom: f for nom, f in resultat["origines"].items() if not f or not f.startswith(str(site))}
    assert not hors_roue, f"modules importés hors de la roue : {hors_roue}"
    assert resultat["origines"]["openfisca_invalidite"] == str(site / "openfisca_invalidite" / "__init__.py")
    # Le système installé est celui du dépôt.
    assert resultat["variables"] == sorted(tbs.variables)
    assert resultat["minimum"] == tbs.parameters("2025-06").pension_invalidite.montant.minimum


@SANS_ROUE
def test_roue_simulate_sur_une_petite_population(venv_neuf):
    import pandas as pd

    python, _, travail = venv_neuf
    sortie = travail / "simulation"
    resultat = lancer(
        [str(python.with_name("openfisca-invalidite")), "simulate", "--taille", "300", "--sortie", str(sortie)], travail
    )
    assert resultat.returncode == 0, resultat.stderr[-3000:]
    personnes = pd.read_parquet(sortie / "personnes.parquet")
    assert len(personnes) == 300
    assert (personnes["pension_invalidite"] > 0).sum() > 100
    assert (sortie / "agregats.csv").is_file()
    assert list(sortie.glob("*.png")), "graphiques absents"


@SANS_ROUE
def test_roue_openfisca_test_d_un_cas_yaml(venv_neuf):
    python, _, travail = venv_neuf
    cas = max((RACINE / "tests" / "pension_invalidite").glob("pension_*.yaml"))  # la dernière année
    copie = travail / cas.name
    shutil.copyfile(cas, copie)
    resultat = lancer(
        [
            str(python),
            "-m",
            "openfisca_core.scripts.openfisca_command",
            "test",
            "--country-package",
            "openfisca_invalidite",
            str(copie),
        ],
        travail,
    )
    sortie = resultat.stdout + resultat.stderr
    assert resultat.returncode == 0, sortie[-3000:]
    nombre_de_cas = len(yaml.safe_load(cas.read_text(encoding="utf-8")))
    assert f"{nombre_de_cas} passed" in sortie and " failed" not in sortie, sortie[-3000:]


@SANS_ROUE
def test_roue_openfisca_serve_repond_a_calculate(venv_neuf, tbs):
    import tomllib

    from openfisca_core.simulations import SimulationBuilder

    from openfisca_invalidite.serveur_local import ServeurInjoignable, serveur_local

    python, site, travail = venv_neuf
    exemple = site / "openfisca_invalidite" / "situation_examples" / "pensionne_categorie_2.json"
    situation = json.loads(exemple.read_text(encoding="utf-8"))
    demandes = [
        (individu, variable, periode)
        for individu, valeurs in situation["individus"].items()
        for variable, periodes in valeurs.items()
        for periode, valeur in periodes.items()
        if valeur is None
    ]
    assert demandes
    commande = [str(python), "-m", "openfisca_core.scripts.openfisca_command"]
    try:
        with serveur_local(
            workers=1, openfisca=commande, dossier=travail, environnement=environnement_propre()
        ) as serveur:
            reponse = serveur.post("/calculate", situation)
            variable = serveur.get("/variable/pension_invalidite").json()
    except ServeurInjoignable as erreur:
        pytest.fail(str(erreur))
    assert reponse.status_code == 200, reponse.text[:2000]
    corps = reponse.json()
    simulation = SimulationBuilder().build_from_entities(tbs, json.loads(exemple.read_text(encoding="utf-8")))
    for individu, nom, periode in demandes:
        attendu = simulation.calculate(nom, periode)[0]
        assert corps["individus"][individu][nom][periode] == pytest.approx(attendu), (nom, periode)
    # Le lien de source de /variable pointe dans le dépôt (Repository de pyproject.toml), pas « None/blob/… ».
    projet = tomllib.loads((RACINE / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    prefixe = f"{projet['urls']['Repository']}/blob/{projet['version']}/"
    assert variable["source"].startswith(prefixe), variable["source"]
    chemin = variable["source"].removeprefix(prefixe).split("#")[0]
    assert (RACINE / chemin).is_file(), chemin
