"""Le paquet se construit, s'installe seul, et chaque paramètre cite sa source."""

import datetime
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
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


@pytest.mark.skipif(os.environ.get("SKIP_WHEEL") == "1", reason="SKIP_WHEEL=1")
def test_la_roue_installee_est_autonome(tmp_path):
    """pip install de la roue dans un venv neuf, puis chargement depuis un autre dossier."""
    # Copie des sources : la construction (build/, *.egg-info) ne salit pas le dépôt.
    sources = tmp_path / "sources"
    shutil.copytree(
        RACINE,
        sources,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "build", "dist", "resultats", "*.egg-info", "__pycache__", ".hypothesis"
        ),
    )
    roues = tmp_path / "roues"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(roues),
            str(sources),
        ],
        check=True,
        cwd=tmp_path,
    )
    roue = next(roues.glob("openfisca_invalidite-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    # Les dépendances viennent du venv du projet, sans ses .pth (donc sans l'installation éditable).
    dependances = next(p for p in sys.path if p.endswith("site-packages") and Path(p, "openfisca_core").is_dir())
    (site / "dependances.pth").write_text(dependances + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(roue)],
        check=True,
        cwd=tmp_path,
    )
    assert not any((site / nom).exists() for nom in ("variables", "reforms", "parameters")), sorted(
        chemin.name for chemin in site.iterdir()
    )
    script = textwrap.dedent(
        """
        import openfisca_invalidite, json
        from openfisca_invalidite import CountryTaxBenefitSystem
        tbs = CountryTaxBenefitSystem()
        print(json.dumps({"fichier": openfisca_invalidite.__file__, "variables": len(tbs.variables),
                          "minimum": tbs.parameters("2025-06").pension_invalidite.montant.minimum}))
        """
    )
    sortie = subprocess.run(
        [str(venv / "bin" / "python"), "-c", script],
        check=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    import json

    resultat = json.loads(sortie.stdout.strip().splitlines()[-1])
    assert resultat["fichier"].startswith(str(site))
    assert resultat["variables"] >= len(NOMS_DU_CONTRAT)
    assert resultat["minimum"] == 335.29
