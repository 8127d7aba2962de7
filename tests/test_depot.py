"""Habitudes de dépôt : docs sans traces de développement, rien qui pointe hors du dépôt,
cas YAML lisibles, bornes basses des dépendances tenues à jour."""

import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.version import Version

RACINE = Path(__file__).resolve().parents[1]
CE_FICHIER = Path(__file__).resolve()

DOCS = sorted(
    [RACINE / "README.md", RACINE / "CHANGELOG.md", RACINE / "CONTRIBUTING.md", *(RACINE / "docs").glob("*.md")]
)

# Ce qui pointe hors du dépôt : les notes de travail partagées et les chemins de la machine.
HORS_DU_DEPOT = {
    "dossier partagé": r"\.\./shared",
    "chemin de la machine": r"(?<![\w.])/(?:work|home|Users|root)/",
    "note de travail": r"\b(?:regles|baremes|anchors|api-contract|autres_regimes_et_net)\.md\b|\bseeds/",
}
# Traces de développement dans les docs utilisateur.
TRACES = {
    **HORS_DU_DEPOT,
    "numéro d'issue": r"(?i)\bissues? ?(?:n°|#)? ?\d+",
    "renvoi #N nu": r"(?<![\w/-])#\d+\b",
    "hash de commit": r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,40}\b",
    "historique": r"(?i)corrigée? depuis|fixed since|\bsessions?\b",
}
EXTENSIONS_TEXTE = {".py", ".yaml", ".yml", ".md", ".toml", ".txt", ".json", ".cfg", ".in", ".ipynb", ".csv", ""}

NOM_MAX = 200  # caractères : un titre sur une ligne
LIGNE_DESCRIPTION_MAX = 130  # caractères par ligne de description : une étape de la dérivation


def fichiers_du_depot() -> list[Path]:
    try:
        sortie = subprocess.run(
            ["git", "ls-files", "-z"], cwd=RACINE, capture_output=True, check=True, text=True, timeout=60
        ).stdout
        fichiers = [RACINE / nom for nom in sortie.split("\0") if nom]
    except (OSError, subprocess.CalledProcessError):  # sdist décompressé : pas de git
        exclus = {".git", ".venv", "build", "dist", "__pycache__", "resultats", ".hypothesis"}
        fichiers = [f for f in RACINE.rglob("*") if f.is_file() and not exclus & set(f.relative_to(RACINE).parts)]
    return [f for f in fichiers if f.suffix in EXTENSIONS_TEXTE and f.is_file() and f.resolve() != CE_FICHIER]


def trouver(motifs: dict[str, str], fichiers: list[Path]) -> list[str]:
    trouves = []
    for fichier in fichiers:
        for numero, ligne in enumerate(fichier.read_text(encoding="utf-8").splitlines(), 1):
            trouves += [
                f"{fichier.relative_to(RACINE)}:{numero} ({quoi}) : {ligne.strip()[:120]}"
                for quoi, motif in motifs.items()
                if re.search(motif, ligne)
            ]
    return trouves


def test_docs_utilisateur_sans_traces_de_developpement():
    assert len(DOCS) >= 5 and all(doc.is_file() for doc in DOCS), DOCS
    trouves = trouver(TRACES, DOCS)
    assert not trouves, "\n".join(trouves)


def test_rien_ne_pointe_hors_du_depot():
    fichiers = fichiers_du_depot()
    assert any(f.suffix == ".yaml" for f in fichiers) and any(f.suffix == ".py" for f in fichiers)
    trouves = trouver(HORS_DU_DEPOT, fichiers)
    assert not trouves, "\n".join(trouves)


@pytest.mark.parametrize(
    ("texte", "quoi"),
    [
        # Écrits en deux morceaux : ce fichier ne doit pas lui-même pointer hors du dépôt.
        ("voir ../" + "shared/reference/regles.md", "dossier partagé"),
        ("/" + "work/main/docs", "chemin de la machine"),
        ("d'après baremes.md § 4", "note de travail"),
        ("Objectifs de l'issue 5", "numéro d'issue"),
        ("(Issue #12)", "numéro d'issue"),
        ("période incohérente, #916", "renvoi #N nu"),
        ("commit 3ec74c1", "hash de commit"),
        ("bloquant, corrigé depuis", "historique"),
        ("dans une session", "historique"),
    ],
)
def test_les_motifs_reconnaissent_les_traces(texte, quoi):
    assert re.search(TRACES[quoi], texte)


@pytest.mark.parametrize(
    "texte",
    [
        "[openfisca-core#916](https://github.com/openfisca/openfisca-core/issues/916)",
        "LEGIARTI000006742553, JORFTEXT000046739540",
        "au plus 2097152 octets, 1 000 000 de personnes",
        "## Résultats",
    ],
)
def test_les_motifs_laissent_passer_les_citations(texte):
    assert not [quoi for quoi, motif in TRACES.items() if re.search(motif, texte)]


def cas_yaml() -> list[Path]:
    return sorted((RACINE / "tests").rglob("*.yaml"))


def anomalies_de_cas(texte: str) -> list[str]:
    """Ancres (&id) et alias (*id) YAML, noms trop longs, lignes de description trop longues."""
    anomalies = [
        f"ligne {e.start_mark.line + 1} : ancre ou alias YAML"
        for e in yaml.parse(texte)
        if isinstance(e, yaml.AliasEvent) or getattr(e, "anchor", None)
    ]
    for rang, cas in enumerate(yaml.safe_load(texte) or [], 1):
        nom = str(cas.get("name", ""))
        if "\n" in nom.strip() or len(nom) > NOM_MAX:
            anomalies.append(f"cas {rang} : name de {len(nom)} caractères (au plus {NOM_MAX}, une ligne)")
        anomalies.extend(
            f"cas {rang} : ligne de description de {len(ligne)} caractères (au plus {LIGNE_DESCRIPTION_MAX})"
            for ligne in str(cas.get("description") or "").splitlines()
            if len(ligne) > LIGNE_DESCRIPTION_MAX
        )
    return anomalies


def test_cas_yaml_lisibles():
    """Chaque cas se lit seul (ni ancre ni alias), son nom tient sur une ligne courte, sa description
    est une dérivation, une étape par ligne."""
    assert len(cas_yaml()) > 30
    anomalies = [
        f"{fichier.relative_to(RACINE)} {anomalie}"
        for fichier in cas_yaml()
        for anomalie in anomalies_de_cas(fichier.read_text(encoding="utf-8"))
    ]
    assert not anomalies, "\n".join(anomalies)


@pytest.mark.parametrize(
    "texte",
    [
        "- name: a\n  input: &entrees {age: 1}\n- name: b\n  input: *entrees\n",
        f"- name: {'n' * (NOM_MAX + 1)}\n",
        f"- name: a\n  description: |-\n    Étape 1.\n    {'x' * (LIGNE_DESCRIPTION_MAX + 1)}\n",
        f'- name: a\n  description: "{"x" * (LIGNE_DESCRIPTION_MAX + 1)}"\n',
    ],
)
def test_le_controle_des_cas_refuse(texte):
    assert anomalies_de_cas(texte)


def test_le_controle_des_cas_accepte_une_derivation():
    texte = "- name: Pension 2025\n  description: |-\n    SAM = 20 000 €.\n    Pension = 50 % × SAM / 12 = 833,33 €.\n"
    assert anomalies_de_cas(texte) == []


def test_bornes_basses_epinglees():
    """constraints/bornes-basses.txt épingle chaque dépendance à la borne basse de pyproject.toml, et
    chaque dépendance a une borne haute."""
    projet = tomllib.loads((RACINE / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    exigences = [Requirement(e) for e in projet["dependencies"]]
    for extra, liste in projet["optional-dependencies"].items():
        exigences += [Requirement(e) for e in liste if not e.startswith(projet["name"])]
        assert extra in {"graphiques", "dask", "dev"}
    epingles = {}
    for ligne in (RACINE / "constraints" / "bornes-basses.txt").read_text(encoding="utf-8").splitlines():
        if ligne.strip() and not ligne.startswith("#"):
            nom, version = ligne.split("==")
            epingles[nom.strip().lower()] = Version(version.strip())
    sans_borne_haute, ecarts = [], []
    for exigence in exigences:
        bornes = {s.operator: Version(s.version) for s in exigence.specifier}
        if not ({"<", "<="} & set(bornes)):
            sans_borne_haute.append(str(exigence))
        basse = bornes.get(">=")
        if basse is None or epingles.get(exigence.name.lower()) != basse:
            ecarts.append(f"{exigence} : épinglé {epingles.get(exigence.name.lower())}")
    assert not sans_borne_haute, f"sans borne haute : {sans_borne_haute}"
    assert not ecarts, f"borne basse non épinglée dans constraints/bornes-basses.txt : {ecarts}"
