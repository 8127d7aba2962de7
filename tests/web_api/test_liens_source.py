"""Les liens de source de /variable et /parameter mènent au fichier du dépôt.

openfisca-core les construit comme ``<Repository>/blob/<version><chemin>`` à
partir des métadonnées du paquet (``[project.urls] Repository`` de
``pyproject.toml``) : sans cette adresse, ils commencent par « None/blob/ ».
"""

import re
import tomllib
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parents[2]
PROJET = tomllib.loads((RACINE / "pyproject.toml").read_text(encoding="utf-8"))["project"]
PREFIXE = f"{PROJET['urls']['Repository']}/blob/{PROJET['version']}/"


def test_adresse_du_depot_declaree():
    assert PROJET["urls"]["Repository"].startswith("https://")
    assert PROJET["urls"]["Homepage"].startswith("https://")


@pytest.mark.parametrize("nom", ["pension_invalidite", "asi", "aah", "age"])
def test_lien_de_source_d_une_variable(serveur, nom):
    source = serveur.get(f"/variable/{nom}").json()["source"]
    assert source.startswith(PREFIXE), source
    chemin, lignes = source.removeprefix(PREFIXE).split("#")
    fichier = RACINE / chemin
    assert fichier.is_file(), chemin
    debut, fin = (int(n) for n in re.fullmatch(r"L(\d+)-L(\d+)", lignes).groups())
    texte = fichier.read_text(encoding="utf-8").splitlines()[debut - 1 : fin]
    assert any(ligne.startswith(f"class {nom}(") for ligne in texte), (source, texte[:3])


def test_lien_de_source_d_un_parametre(serveur):
    source = serveur.get("/parameter/pension_invalidite.montant.minimum").json()["source"]
    assert source == f"{PREFIXE}parameters/pension_invalidite/montant/minimum.yaml"
