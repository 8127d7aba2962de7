"""Chaque mauvaise entrée de la ligne de commande, classe par classe : code 2, une
ligne qui nomme le fichier, la colonne et les lignes (ou l'option), aucune trace,
dite avant le calcul, et rien d'écrit (le dossier de sortie n'est pas même créé).
Puis le dossier de sortie, qui ne mêle jamais deux exécutions, et le tableau de
bord de Dask, qui n'écoute que sur la boucle locale.

Quelques cas passent par un vrai processus (la sortie d'erreur réelle) ; les
autres par ``cli.main`` dans ce processus, pour que la suite reste rapide."""

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from openfisca_invalidite import cli
from openfisca_invalidite.population import PeriodeInvalide, generer_population, moteur, simuler, sorties

MOIS = "2025-06"
COLONNES_DATE = ("date_naissance", "date_debut_invalidite")


# --------------------------------------------------------------------------- fichiers d'entrée
def _texte(population):
    """La population telle qu'un tableur l'écrit : des dates ISO en texte."""
    texte = population.copy()
    for colonne in COLONNES_DATE:
        texte[colonne] = texte[colonne].dt.strftime("%Y-%m-%d")
    return texte


def _sans_salaires(population):
    return population.drop(columns=[c for c in population.columns if re.fullmatch(r"salaire_\d{4}", c)])


@pytest.fixture(scope="module")
def fichiers(tmp_path_factory):
    """Une population de 40 personnes et ses variantes fautives, écrites une fois."""
    dossier = tmp_path_factory.mktemp("entrees")
    population = generer_population(40, MOIS, graine=11)
    texte = _texte(population)
    chemins = {}

    def ecrire(nom, tableau, **options):
        chemins[nom] = dossier / nom
        if nom.endswith(".parquet"):
            tableau.to_parquet(chemins[nom])
        elif nom.endswith(".xlsx"):
            tableau.to_excel(chemins[nom], index=False)
        else:
            tableau.to_csv(chemins[nom], index=False, **options)

    def variante(nom, tableau, ligne, colonne, valeur):
        fautive = tableau.copy()
        fautive[colonne] = fautive[colonne].astype(object)
        fautive.loc[ligne, colonne] = valeur
        ecrire(nom, fautive)

    ecrire("population.csv", texte)
    ecrire("sans_salaires.csv", _sans_salaires(texte))
    variante("naissance_2031.csv", texte, 4, "date_naissance", "2031-01-01")
    variante("naissance_2027.csv", texte, 4, "date_naissance", "2027-05-01")
    variante("naissance_2031_sans_salaires.csv", _sans_salaires(texte), 4, "date_naissance", "2031-01-01")
    variante("duree_1e19.csv", texte, 7, "duree_immatriculation", "10000000000000000000")
    variante("duree_1e19.parquet", population, 7, "duree_immatriculation", 1e19)
    carriere = pd.DataFrame({"id": texte["id"].astype(str), "annee": "2020", "salaire_brut_annuel": "20000"})
    ecrire("carriere.csv", carriere)
    variante("carriere_texte.csv", carriere, 3, "salaire_brut_annuel", "beaucoup")
    variante("carriere_annee_20200.csv", carriere, 3, "annee", "20200")
    variante("carriere_negative.csv", carriere, 3, "salaire_brut_annuel", "-5")
    variante("carriere_inconnu.csv", carriere, 3, "id", "999")
    (dossier / "dossier.csv").mkdir()
    chemins["dossier.csv"] = dossier / "dossier.csv"
    for nom, contenu in (
        ("vide.csv", b""),
        ("entete.csv", (",".join(texte.columns) + "\n").encode()),
        ("binaire.csv", bytes(range(256)) * 8),
        ("corrompu.xlsx", b"PK\x03\x04" + bytes(2000)),
        ("vide.xlsx", b""),
    ):
        chemins[nom] = dossier / nom
        chemins[nom].write_bytes(contenu)
    ecrire("entier.parquet", population)
    chemins["tronque.parquet"] = dossier / "tronque.parquet"
    entier = chemins["entier.parquet"].read_bytes()
    chemins["tronque.parquet"].write_bytes(entier[: len(entier) // 2])
    chemins["un_fichier"] = dossier / "un_fichier"
    chemins["un_fichier"].write_text("pas un dossier")
    return chemins


# --------------------------------------------------------------------------- lancer
def _dans_ce_processus(capsys, arguments):
    code = cli.main(["simuler", "--silencieux", "--sans-graphiques", *map(str, arguments)])
    sortie = capsys.readouterr()
    return code, sortie.err


def _dans_un_processus(arguments, cwd):
    commande = [sys.executable, "-m", "openfisca_invalidite.cli", "simuler", "--silencieux", "--sans-graphiques"]
    resultat = subprocess.run(
        [*commande, *map(str, arguments)], capture_output=True, text=True, cwd=cwd, check=False, timeout=300
    )
    return resultat.returncode, resultat.stderr


def _temporaires(dossier):
    return [p.name for p in Path(dossier).iterdir() if p.name.startswith(sorties.PREFIXE_EN_COURS)]


def refus(code, erreur, sortie, fragments):
    """Code 2, une ligne, aucune trace, les fragments attendus, rien d'écrit."""
    assert code == 2, erreur
    assert "Traceback" not in erreur, erreur
    assert len(erreur.strip().splitlines()) == 1, erreur
    assert erreur.startswith("openfisca-invalidite : erreur : "), erreur
    for fragment in fragments:
        assert fragment in erreur, f"« {fragment} » absent de : {erreur}"
    assert not sortie.exists(), sorted(p.name for p in sortie.iterdir())
    assert not _temporaires(sortie.parent)
    return erreur


def _options(options, fichiers):
    """Les options d'un cas, ses noms de fichiers remplacés par leur chemin."""
    return [str(fichiers[o]) if o in fichiers else o for o in options]


# --------------------------------------------------------------------------- les classes
#: (cas, options, fragments du message) ; un nom de ``fichiers`` est remplacé par son chemin.
CAS = [
    # Une naissance après la période : fichier, colonne, ligne du fichier.
    ("naissance", ["--entree", "naissance_2031.csv", "--mois", MOIS], ["naissance_2031.csv", "« date_naissance »", "postérieure à la période", "lignes 6"]),
    ("naissance_projection", ["--entree", "naissance_2027.csv", "--annees", "2026-2028"], ["naissance_2027.csv", "« date_naissance »", "2026-01-01", "lignes 6"]),
    ("naissance_morceaux", ["--entree", "naissance_2031.csv", "--morceaux", "10"], ["naissance_2031.csv", "« date_naissance »", "lignes 6"]),
    ("naissance_avec_carriere", ["--entree", "naissance_2031_sans_salaires.csv", "--carriere", "carriere.csv"], ["naissance_2031_sans_salaires.csv", "« date_naissance »", "lignes 6"]),
    # Une période antérieure aux barèmes : le premier mois couvert est nommé.
    ("mois_1990", ["--taille", "20", "--mois", "1990-01"], ["période 1990-01", "à partir de 2015-"]),
    ("annee_1990", ["--taille", "20", "--annee", "1990"], ["période 1990", "à partir de 2015-"]),
    ("annees_1990", ["--taille", "20", "--annees", "1990-1992"], ["période 1990", "à partir de 2015-"]),
    ("mois_2015_01", ["--taille", "20", "--mois", "2015-01"], ["période 2015-01", "à partir de 2015-", "2014-10-01"]),
    ("mois_1990_fichier", ["--entree", "population.csv", "--mois", "1990-01"], ["période 1990-01", "à partir de 2015-"]),
    ("mois_2200", ["--taille", "20", "--mois", "2200-01"], ["--mois 2200-01", "hors de 1900-2100"]),
    # Une carrière dont les colonnes entrent en conflit avec celles de la population, ou fautive.
    ("carriere_en_conflit", ["--entree", "population.csv", "--carriere", "carriere.csv"], ["carriere.csv", "« annee »", "salaire_2020", "lignes 2, 3, 4, 5, 6"]),
    ("carriere_texte", ["--entree", "sans_salaires.csv", "--carriere", "carriere_texte.csv"], ["carriere_texte.csv", "« salaire_brut_annuel »", "beaucoup", "lignes 5"]),
    ("carriere_annee", ["--entree", "sans_salaires.csv", "--carriere", "carriere_annee_20200.csv"], ["carriere_annee_20200.csv", "« annee »", "20200 trop grande (au plus 2100)", "lignes 5"]),
    ("carriere_negative", ["--entree", "sans_salaires.csv", "--carriere", "carriere_negative.csv"], ["carriere_negative.csv", "« salaire_brut_annuel »", "négative", "lignes 5"]),
    ("carriere_inconnu", ["--entree", "sans_salaires.csv", "--carriere", "carriere_inconnu.csv"], ["carriere_inconnu.csv", "« id »", "absents de la population", "lignes 5"]),
    ("carriere_dossier", ["--entree", "sans_salaires.csv", "--carriere", "dossier.csv"], ["dossier.csv", "c'est un dossier"]),
    # Un chemin d'entrée qui est un dossier.
    ("entree_dossier", ["--entree", "dossier.csv"], ["dossier.csv", "c'est un dossier, pas un fichier"]),
    ("entree_dossier_morceaux", ["--entree", "dossier.csv", "--morceaux", "10"], ["dossier.csv", "c'est un dossier"]),
    # Une taille de bloc (ou de population, de morceau, un nombre de processus) nulle ou négative.
    ("bloc_0", ["--taille", "20", "--taille-bloc", "0"], ["--taille-bloc 0 : au moins 1"]),
    ("bloc_negatif", ["--taille", "20", "--taille-bloc", "-5"], ["--taille-bloc -5 : au moins 1"]),
    ("taille_0", ["--taille", "0"], ["--taille 0 : au moins 1"]),
    ("taille_negative", ["--taille", "-5"], ["--taille -5 : au moins 1"]),
    ("morceaux_1e19", ["--taille", "20", "--morceaux", "10000000000000000000"], ["--morceaux 10000000000000000000 : trop grand, au plus 1 000 000 000"]),
    ("processus_0", ["--taille", "20", "--moteur", "processus", "--processus", "0"], ["--processus 0 : au moins 1"]),
    ("travailleurs_dask_0", ["--taille", "20", "--moteur", "dask", "--processus", "0"], ["--processus 0 : au moins 1"]),
    ("graine_negative", ["--taille", "20", "--graine", "-1"], ["--graine -1 : au moins 0"]),
    # --annee reçoit un mois, --mois une année, --annees mal formé.
    ("annee_recoit_un_mois", ["--taille", "20", "--annee", "2025-06"], ["--annee 2025-06 : une année AAAA attendue", "--mois 2025-06"]),
    ("mois_recoit_une_annee", ["--taille", "20", "--mois", "2025"], ["--mois 2025 : un mois AAAA-MM attendu", "--annee 2025"]),
    ("mois_13", ["--taille", "20", "--mois", "2025-13"], ["--mois 2025-13 : un mois AAAA-MM attendu"]),
    ("mois_illisible", ["--taille", "20", "--mois", "juin"], ["--mois juin : un mois AAAA-MM attendu"]),
    ("annees_un_mois", ["--taille", "20", "--annees", "2026-06"], ["--annees 2026-06 : AAAA-AAAA attendu", "--mois 2026-06"]),
    ("annees_a_l_envers", ["--taille", "20", "--annees", "2030-2026"], ["--annees 2030-2026 : une suite croissante"]),
    # Une valeur qui déborde : dite trop grande, avec sa borne.
    ("duree_1e19_csv", ["--entree", "duree_1e19.csv"], ["duree_1e19.csv", "« duree_immatriculation »", "1e+19 trop grande (au plus 2 147 483 647)", "lignes 9"]),
    ("duree_1e19_parquet", ["--entree", "duree_1e19.parquet"], ["duree_1e19.parquet", "« duree_immatriculation »", "trop grande (au plus 2 147 483 647)", "lignes 9"]),
    ("taille_1e19", ["--taille", "10000000000000000000"], ["--taille 10000000000000000000 : trop grand, au plus 1 000 000 000"]),
    ("processus_1e19", ["--taille", "20", "--moteur", "processus", "--processus", "10000000000000000000"], ["--processus 10000000000000000000 : trop grand"]),
    ("inflation_nan", ["--taille", "20", "--annees", "2026-2027", "--inflation", "nan"], ["--inflation nan : un taux annuel fini"]),
    ("croissance_infinie", ["--taille", "20", "--annees", "2026-2027", "--croissance-salaires", "inf"], ["--croissance-salaires inf : un taux annuel fini"]),
    # Formats de date, fichiers vides, illisibles ou corrompus.
    ("format_date_inconnu", ["--entree", "population.csv", "--format-date", "%Q"], ["--format-date « %Q » : directive inconnue « %Q »"]),
    ("format_date_sans_directive", ["--entree", "population.csv", "--format-date", "jour/mois"], ["--format-date « jour/mois »", "ne lit pas le jour"]),
    ("format_date_deux_chiffres", ["--entree", "population.csv", "--format-date", "%d/%m/%y"], ["%y", "%Y"]),
    ("fichier_vide", ["--entree", "vide.csv"], ["vide.csv", "fichier vide"]),
    ("entete_seul", ["--entree", "entete.csv"], ["entete.csv", "aucune personne"]),
    ("binaire", ["--entree", "binaire.csv"], ["binaire.csv", "octets nuls"]),
    ("excel_corrompu", ["--entree", "corrompu.xlsx"], ["corrompu.xlsx", "fichier illisible"]),
    ("excel_vide", ["--entree", "vide.xlsx"], ["vide.xlsx", "fichier illisible"]),
    ("parquet_tronque", ["--entree", "tronque.parquet"], ["tronque.parquet", "fichier illisible"]),
    ("parquet_tronque_morceaux", ["--entree", "tronque.parquet", "--morceaux", "10"], ["tronque.parquet", "fichier illisible"]),
    # Options d'argparse : une ligne en français, pas l'usage entier.
    ("option_inconnue", ["--taille", "20", "--quantite", "3"], ["option inconnue : --quantite"]),
    ("moteur_inconnu", ["--taille", "20", "--moteur", "gpu"], ["--moteur : choix « gpu » inconnu"]),
    ("tableau_de_bord_sans_dask", ["--taille", "20", "--tableau-de-bord", "0.0.0.0:8787"], ["--tableau-de-bord", "--moteur dask"]),
    ("tableau_de_bord_illisible", ["--taille", "20", "--moteur", "dask", "--tableau-de-bord", "hôte"], ["--tableau-de-bord hôte : hôte:port attendu"]),
]  # fmt: skip


@pytest.mark.parametrize("cas", [c[0] for c in CAS])
def test_refus_en_une_ligne_avant_le_calcul(capsys, tmp_path, fichiers, cas):
    _, options, fragments = next(c for c in CAS if c[0] == cas)
    sortie = tmp_path / "r"
    code, erreur = _dans_ce_processus(capsys, [*_options(options, fichiers), "--sortie", sortie])
    refus(code, erreur, sortie, fragments)


#: Des cas par un vrai processus : la sortie d'erreur réelle, rien de plus.
CAS_PROCESSUS = [
    "naissance",
    "mois_1990",
    "carriere_en_conflit",
    "annee_recoit_un_mois",
    "duree_1e19_csv",
    "excel_corrompu",
]


@pytest.mark.parametrize("cas", CAS_PROCESSUS)
def test_refus_dans_un_vrai_processus(tmp_path, fichiers, cas):
    _, options, fragments = next(c for c in CAS if c[0] == cas)
    sortie = tmp_path / "r"
    code, erreur = _dans_un_processus([*_options(options, fichiers), "--sortie", sortie], tmp_path)
    refus(code, erreur, sortie, fragments)


def test_le_premier_mois_nomme_est_le_premier_qui_se_calcule(capsys, tmp_path):
    """Le mois que nomme le refus d'une période trop ancienne se calcule, et le mois d'avant non."""
    code, erreur = _dans_ce_processus(capsys, ["--taille", "20", "--mois", "1990-01", "--sortie", tmp_path / "r"])
    assert code == 2
    premier = re.search(r"à partir de (\d{4})-(\d{2})", erreur)
    annee, mois = int(premier.group(1)), int(premier.group(2))
    avant = f"{annee - (mois == 1)}-{12 if mois == 1 else mois - 1:02d}"
    population = generer_population(200, f"{annee}-{mois:02d}", graine=5)
    assert len(simuler(population, f"{annee}-{mois:02d}", progression=False)) == 200
    with pytest.raises(PeriodeInvalide, match=f"à partir de {annee}-{mois:02d}"):
        simuler(generer_population(200, avant, graine=5), avant, progression=False)


def test_sortie_qui_est_un_fichier_ou_sous_un_fichier(capsys, tmp_path):
    fichier = tmp_path / "resultats"
    fichier.write_text("déjà là")
    code, erreur = _dans_ce_processus(capsys, ["--taille", "20", "--sortie", fichier])
    assert code == 2 and len(erreur.strip().splitlines()) == 1
    assert f"sortie « {fichier} » : c'est un fichier, pas un dossier" in erreur
    assert fichier.read_text() == "déjà là"
    sous = fichier / "r"
    code, erreur = _dans_ce_processus(capsys, ["--taille", "20", "--sortie", sous])
    assert code == 2 and len(erreur.strip().splitlines()) == 1
    assert f"sortie « {sous} » : « {fichier} » est un fichier, pas un dossier" in erreur
    assert fichier.read_text() == "déjà là"
    assert not _temporaires(tmp_path)


def test_sortie_sans_droit_d_ecrire(capsys, tmp_path):
    if os.geteuid() == 0:  # root écrit partout où les droits le permettraient : un système de fichiers qui refuse
        if not Path("/sys/kernel").is_dir():
            pytest.skip("ni utilisateur ordinaire ni /sys pour un dossier où l'on ne peut pas écrire")
        sortie, raison = Path("/sys/kernel/openfisca-invalidite-essai"), "opération non permise"
    else:
        ferme = tmp_path / "ferme"
        ferme.mkdir()
        ferme.chmod(0o500)
        sortie, raison = ferme / "r", "droits insuffisants"
    code, erreur = _dans_ce_processus(capsys, ["--taille", "20", "--sortie", sortie])
    assert code == 2 and len(erreur.strip().splitlines()) == 1 and "Traceback" not in erreur
    assert f"sortie « {sortie} » : impossible d'y écrire ({raison})" in erreur
    assert not sortie.exists()


def test_csv_utf16_du_tableur_lu(capsys, tmp_path):
    """Le « texte Unicode » d'Excel (UTF-16 avec BOM, tabulations) se lit comme un autre CSV."""
    population = generer_population(30, MOIS, graine=4)
    fichier = tmp_path / "p.txt"
    _texte(population).to_csv(fichier, index=False, sep="\t", encoding="utf-16")
    sortie = tmp_path / "r"
    code, erreur = _dans_ce_processus(capsys, ["--entree", fichier, "--mois", MOIS, "--sortie", sortie])
    assert code == 0, erreur
    lu = pd.read_parquet(sortie / "personnes.parquet")
    np.testing.assert_array_equal(
        lu["pension_invalidite"], simuler(population, MOIS, progression=False)["pension_invalidite"]
    )


def test_carriere_longue_d_un_tableur_francais(capsys, tmp_path, fichiers):
    """Une carrière à virgule décimale se lit ; le manifeste nomme les deux fichiers."""
    carriere = pd.read_csv(fichiers["carriere.csv"], dtype=str).assign(salaire_brut_annuel="20000,5")
    chemin = tmp_path / "carriere.csv"
    carriere.to_csv(chemin, index=False, sep=";")
    sortie = tmp_path / "r"
    options = ["--entree", fichiers["sans_salaires.csv"], "--carriere", chemin, "--sortie", sortie]
    code, erreur = _dans_ce_processus(capsys, options)
    assert code == 0, erreur
    assert (pd.read_parquet(sortie / "personnes.parquet")["salaire_annuel_moyen"] > 0).any()
    execution = sorties.lire_execution(sortie / "execution.json")
    assert execution["population"]["carriere"] == str(chemin)
    assert execution["population"]["fichier"] == str(fichiers["sans_salaires.csv"])


# --------------------------------------------------------------------------- dossier jamais mêlé
def _empreintes(dossier):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(dossier.iterdir())}


def _avec_reforme(monkeypatch, reforme_test):
    monkeypatch.setattr(moteur, "reformes_disponibles", lambda: dict([reforme_test]))
    return ["--reforme", reforme_test[0]]


def test_noms_ecrits_couvrent_chaque_sortie(capsys, tmp_path, monkeypatch, reforme_test):
    """Chaque fichier qu'une exécution écrit porte un nom que --ecraser reconnaît,
    même sans le manifeste d'une exécution interrompue."""
    reforme = _avec_reforme(monkeypatch, reforme_test)
    for nom, periode in (("mois", ["--mois", MOIS]), ("annees", ["--annees", "2026-2027"])):
        sortie = tmp_path / nom
        code = cli.main(["simuler", "--silencieux", "--taille", "300", *periode, *reforme, "--sortie", str(sortie)])
        assert code == 0, capsys.readouterr().err
        assert {p.name for p in sortie.iterdir()} <= sorties.NOMS_ECRITS


def test_ecraser_ne_garde_rien_d_une_execution_precedente(capsys, tmp_path, monkeypatch, reforme_test):
    """Une exécution avec réforme et graphiques, interrompue avant son manifeste ;
    puis une exécution sans réforme ni graphique : le dossier n'a que les fichiers
    de la seconde, et le fichier de l'utilisateur."""
    sortie = tmp_path / "r"
    code = cli.main(
        [
            "simuler",
            "--silencieux",
            "--taille",
            "300",
            *_avec_reforme(monkeypatch, reforme_test),
            "--sortie",
            str(sortie),
        ]
    )
    assert code == 0
    (sortie / sorties.MANIFESTE).unlink()  # comme une exécution interrompue avant la fin
    (sortie / "mes_notes.txt").write_text("pas un résultat")
    code, erreur = _dans_ce_processus(capsys, ["--taille", "300", "--sortie", sortie])
    assert code == 2 and "--ecraser" in erreur  # refus sans --ecraser
    code, erreur = _dans_ce_processus(capsys, ["--taille", "300", "--sortie", sortie, "--ecraser"])
    assert code == 0, erreur
    manifeste = sorties.lire_execution(sortie / sorties.MANIFESTE)
    assert manifeste["reformes"] == []
    assert {p.name for p in sortie.iterdir()} == {*manifeste["fichiers"], sorties.MANIFESTE, "mes_notes.txt"}
    assert not list(sortie.glob("*.png")) and not (sortie / "ecarts_reformes.csv").exists()
    assert (sortie / "mes_notes.txt").read_text() == "pas un résultat"


def test_une_execution_qui_echoue_laisse_les_resultats_precedents(capsys, tmp_path, fichiers):
    """--ecraser et une entrée fautive : les résultats précédents restent, intacts."""
    sortie = tmp_path / "r"
    assert _dans_ce_processus(capsys, ["--taille", "300", "--sortie", sortie])[0] == 0
    avant = _empreintes(sortie)
    code, erreur = _dans_ce_processus(
        capsys, ["--entree", fichiers["naissance_2031.csv"], "--sortie", sortie, "--ecraser"]
    )
    assert code == 2 and "date_naissance" in erreur
    assert _empreintes(sortie) == avant
    assert not _temporaires(tmp_path) and not _temporaires(sortie)


def test_une_execution_interrompue_pendant_l_ecriture_ne_publie_rien(capsys, tmp_path, monkeypatch):
    """Ctrl-C pendant l'écriture des graphiques (tables et Parquet déjà écrits) :
    le dossier reste celui de l'exécution précédente, le dossier temporaire est supprimé."""
    from openfisca_invalidite.population import graphiques

    sortie = tmp_path / "r"
    assert _dans_ce_processus(capsys, ["--taille", "300", "--sortie", sortie])[0] == 0
    avant = _empreintes(sortie)

    def interrompre(*_, **__):
        raise KeyboardInterrupt

    monkeypatch.setattr(graphiques, "tracer_tout", interrompre)
    code = cli.main(["simuler", "--silencieux", "--taille", "200", "--sortie", str(sortie), "--ecraser"])
    assert code == 130
    assert _empreintes(sortie) == avant
    assert not _temporaires(sortie) and not _temporaires(tmp_path)


def test_dossier_neuf_publie_en_une_fois(capsys, tmp_path):
    """Un dossier de sortie (et ses parents) qui n'existe pas : créé à la fin, avec
    les droits d'un dossier ordinaire, et rien d'autre à côté."""
    sortie = tmp_path / "a" / "b" / "r"
    code, erreur = _dans_ce_processus(capsys, ["--taille", "100", "--sortie", sortie])
    assert code == 0, erreur
    masque = os.umask(0)
    os.umask(masque)
    assert (sortie.stat().st_mode & 0o777) == (0o777 & ~masque)
    assert {p.name for p in sortie.iterdir()} == {
        *sorties.lire_execution(sortie / "execution.json")["fichiers"],
        "execution.json",
    }
    assert not _temporaires(tmp_path) and not _temporaires(tmp_path / "a" / "b")


# --------------------------------------------------------------------------- tableau de bord Dask
def _ecoutes(psutil):
    """Les adresses (ip, port) où écoutent ce processus et ses enfants."""
    processus = [psutil.Process(), *psutil.Process().children(recursive=True)]
    adresses = set()
    for p in processus:
        try:
            connexions = p.net_connections(kind="inet")
        except psutil.Error:
            continue
        adresses |= {(c.laddr.ip, c.laddr.port) for c in connexions if c.status == psutil.CONN_LISTEN}
    return adresses


@pytest.fixture
def espion_dask(monkeypatch):
    """Remplace LocalCluster par une sous-classe qui note ce que chaque cluster
    ouvre en écoute (ce processus et ses enfants), l'adresse du serveur HTTP de son
    ordonnanceur (tableau de bord) et les options reçues."""
    distributed = pytest.importorskip("dask.distributed")
    psutil = pytest.importorskip("psutil")
    notes = []

    class Espion(distributed.LocalCluster):
        def __init__(self, *args, **kwargs):
            avant = _ecoutes(psutil)
            super().__init__(*args, **kwargs)
            serveur = self.scheduler.http_server  # tornado ne donne ses prises qu'ainsi
            http = {tuple(prise.getsockname()[:2]) for prise in serveur._sockets.values()}
            notes.append({"nouvelles": _ecoutes(psutil) - avant, "http": http, "options": kwargs})

    monkeypatch.setattr(distributed, "LocalCluster", Espion)
    moteur.arreter_dask()
    yield notes
    moteur.arreter_dask()


BOUCLES_LOCALES = {"127.0.0.1", "::1"}


@pytest.mark.parametrize("processus", [False, True], ids=["fils", "processus"])
def test_localcluster_n_ecoute_que_sur_la_boucle_locale(espion_dask, processus):
    population = generer_population(200, MOIS, graine=2)
    attendu = simuler(population, MOIS, progression=False)
    calcule = simuler(population, MOIS, progression=False, moteur="dask", dask_workers=1, dask_processes=processus)
    pd.testing.assert_frame_equal(calcule, attendu)
    (note,) = espion_dask
    assert note["http"], "pas de serveur HTTP (tableau de bord) ?"
    assert note["nouvelles"], "le cluster n'écoute nulle part ?"
    assert {ip for ip, _ in note["nouvelles"]} <= BOUCLES_LOCALES, note
    assert {ip for ip, _ in note["http"]} <= BOUCLES_LOCALES, note


def test_tableau_de_bord_sur_demande_ou_aucun(espion_dask, capsys, tmp_path):
    population = generer_population(100, MOIS, graine=2)
    simuler(population, MOIS, progression=False, moteur="dask", dask_workers=1, dask_tableau_de_bord="0.0.0.0:0")
    ouvert = espion_dask.pop()
    assert {ip for ip, _ in ouvert["http"]} == {"0.0.0.0"}  # noqa: S104 — demandé
    autres = {(ip, port) for ip, port in ouvert["nouvelles"] if (ip, port) not in ouvert["http"]}
    assert {ip for ip, _ in autres} <= BOUCLES_LOCALES  # seul le tableau de bord demandé sort de la boucle
    options = ["--taille", "100", "--moteur", "dask", "--processus", "1", "--tableau-de-bord", "aucun"]
    code, erreur = _dans_ce_processus(capsys, [*options, "--sortie", tmp_path / "r"])
    assert code == 0, erreur
    ferme = espion_dask.pop()
    assert ferme["options"]["dashboard_address"] is None  # pas de tableau de bord ;
    assert {ip for ip, _ in ferme["http"]} <= BOUCLES_LOCALES  # le serveur de santé reste sur la boucle
    assert {ip for ip, _ in ferme["nouvelles"]} <= BOUCLES_LOCALES
