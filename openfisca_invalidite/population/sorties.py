"""Dossier de sortie d'une simulation : jamais deux exécutions mêlées, chaque
fichier rattaché à l'exécution qui l'a écrit.

- :func:`preparer_dossier` est appelé avant tout calcul : un chemin qui est un
  fichier, un dossier non inscriptible, ou un dossier qui contient déjà des
  résultats sont refusés (sauf ``ecraser`` : les fichiers d'une exécution
  précédente, ceux que ce module écrit, sont alors supprimés d'abord) ;
- :func:`ecrire` écrit les tables en CSV et dans un classeur Excel
  (``resultats.xlsx``, une feuille par table et une feuille ``execution``),
  les personnes en Parquet (l'exécution dans les métadonnées du fichier), les
  graphiques en PNG (l'exécution en légende et dans les métadonnées), et
  ``execution.json`` : commande, version, période, réformes, revalorisation,
  avertissements et empreinte SHA-256 de chaque fichier.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import sys
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    import pandas as pd

journal = logging.getLogger(__name__)

MANIFESTE = "execution.json"
CLASSEUR = "resultats.xlsx"
PERSONNES = "personnes.parquet"
#: Fichiers qu'une exécution peut écrire (outre ceux listés par son manifeste).
NOMS_ECRITS = frozenset(
    {
        PERSONNES,
        CLASSEUR,
        MANIFESTE,
        *(
            f"{nom}.csv"
            for nom in ("agregats", "ecarts_reformes", "deciles", "annuel", "budget", "groupes", "demographie")
        ),
        *(
            f"{nom}.png"
            for nom in (
                "distribution_pensions",
                "cout_par_prestation",
                "gagnants_perdants_par_age",
                "gains_par_decile",
                "budget",
            )
        ),
    }
)
CLE_METADONNEES = b"openfisca_invalidite.execution"


class SortieInvalide(ValueError):
    """Dossier de sortie refusé (dit avant le calcul)."""


def version() -> str:
    try:
        return metadata.version("openfisca-invalidite")
    except metadata.PackageNotFoundError:
        return "inconnue"


def execution_de_base(commande: str | None = None) -> dict:
    """Début du manifeste : commande, versions, date."""
    try:
        coeur = metadata.version("openfisca-core")
    except metadata.PackageNotFoundError:
        coeur = "inconnue"
    return {
        "commande": commande or "API Python (" + " ".join(sys.argv[:1]) + ")",
        "version": version(),
        "openfisca_core": coeur,
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }


def _nos_fichiers(dossier: Path) -> list[Path]:
    """Fichiers d'une exécution précédente : ceux de son manifeste et ceux qui portent un nom que nous écrivons."""
    noms = set(NOMS_ECRITS)
    manifeste = dossier / MANIFESTE
    if manifeste.is_file():
        try:
            listes = json.loads(manifeste.read_text(encoding="utf-8")).get("fichiers", {})
        except (ValueError, OSError, AttributeError):
            listes = {}
        noms |= {str(nom) for nom in listes if "/" not in str(nom)}
    return [dossier / nom for nom in sorted(noms) if (dossier / nom).is_file()]


def preparer_dossier(dossier: str | Path, *, ecraser: bool = False) -> Path:
    """Contrôle le dossier de sortie avant le calcul (voir le module) ; le crée au besoin."""
    dossier = Path(dossier)
    if dossier.exists() and not dossier.is_dir():
        msg = f"sortie « {dossier} » : c'est un fichier, pas un dossier (choisissez un dossier)"
        raise SortieInvalide(msg)
    if dossier.is_dir():
        presents = sorted(f.name for f in dossier.iterdir())
        if presents and not ecraser:
            extrait = ", ".join(presents[:4]) + (" …" if len(presents) > 4 else "")  # noqa: PLR2004
            msg = (
                f"sortie « {dossier} » : le dossier contient déjà des fichiers ({extrait}) ; "
                "--ecraser (ecraser=True) remplace les résultats d'une exécution précédente, "
                "ou choisissez un dossier vide"
            )
            raise SortieInvalide(msg)
        if presents:
            anciens = _nos_fichiers(dossier)
            for fichier in anciens:
                fichier.unlink()
            restes = sorted(f.name for f in dossier.iterdir())
            journal.info("sortie %s : %d fichiers de l'exécution précédente supprimés", dossier, len(anciens))
            if restes:
                journal.warning(
                    "sortie %s : fichiers qui ne viennent pas d'une exécution, laissés : %s", dossier, restes
                )
    try:
        dossier.mkdir(parents=True, exist_ok=True)
        essai = dossier / ".essai_ecriture"
        essai.write_bytes(b"")
        essai.unlink()
    except OSError as erreur:
        msg = f"sortie « {dossier} » : impossible d'y écrire ({erreur.strerror or erreur})"
        raise SortieInvalide(msg) from None
    return dossier


def legende(execution: Mapping) -> str:
    """Une ligne pour le pied des graphiques."""
    reformes = ", ".join(execution.get("reformes", [])) or "aucune réforme"
    return (
        f"openfisca-invalidite {execution.get('version')} — {execution.get('periode')} — {reformes} — "
        f"revalorisation : {execution.get('revalorisation_courte', execution.get('revalorisation'))}"
    )


def texte(execution: Mapping) -> str:
    """L'exécution en JSON, telle que les métadonnées des fichiers la portent."""
    return json.dumps(execution, ensure_ascii=False, default=str)


def _empreinte(chemin: Path) -> str:
    return hashlib.sha256(chemin.read_bytes()).hexdigest()


def ecrire(
    dossier: str | Path,
    tables: Mapping[str, pd.DataFrame],
    personnes: pd.DataFrame | None,
    execution: dict,
    *,
    graphiques: Callable[[Path, str], list[Path]] | None = None,
    ecraser: bool = False,
    deja_prepare: bool = False,
    deja_ecrits: Sequence[Path] = (),
) -> list[Path]:
    """Écrit les sorties (voir le module) ; rend la liste des fichiers écrits.
    ``deja_ecrits`` : fichiers de l'exécution déjà écrits dans ``dossier`` (les
    personnes écrites morceau par morceau), comptés dans le manifeste."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    dossier = Path(dossier) if deja_prepare else preparer_dossier(dossier, ecraser=ecraser)
    texte_execution = texte(execution)
    fichiers: list[Path] = [Path(f) for f in deja_ecrits]
    if personnes is not None:
        table = pa.Table.from_pandas(personnes, preserve_index=False)
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), CLE_METADONNEES: texte_execution})
        pq.write_table(table, dossier / PERSONNES)
        fichiers.append(dossier / PERSONNES)
    for nom, tableau in tables.items():
        chemin = dossier / f"{nom}.csv"
        tableau.to_csv(chemin, index=False)
        fichiers.append(chemin)
    with pd.ExcelWriter(dossier / CLASSEUR, engine="openpyxl") as classeur:
        pd.DataFrame(
            [
                (cle, json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, (dict, list)) else v)
                for cle, v in execution.items()
            ],
            columns=["cle", "valeur"],
        ).to_excel(classeur, sheet_name="execution", index=False)
        for nom, tableau in tables.items():
            tableau.to_excel(classeur, sheet_name=nom[:31], index=False)
        proprietes = classeur.book.properties
        proprietes.title = "openfisca-invalidite : résultats"
        proprietes.description = texte_execution[:30000]
    fichiers.append(dossier / CLASSEUR)
    if graphiques is not None:
        fichiers += graphiques(dossier, legende(execution))
    manifeste = {**execution, "fichiers": {f.name: _empreinte(f) for f in fichiers}}
    (dossier / MANIFESTE).write_text(json.dumps(manifeste, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    fichiers.append(dossier / MANIFESTE)
    return fichiers


def lire_execution(chemin: str | Path) -> dict:
    """L'exécution enregistrée dans un ``personnes.parquet`` (ou un ``execution.json``)."""
    chemin = Path(chemin)
    if chemin.suffix == ".json":
        return json.loads(chemin.read_text(encoding="utf-8"))
    import pyarrow.parquet as pq

    return json.loads(pq.read_schema(chemin).metadata[CLE_METADONNEES])
