"""Dossier de sortie d'une simulation : jamais deux exécutions mêlées, chaque
fichier rattaché à l'exécution qui l'a écrit.

- :func:`preparer_dossier` est appelé avant tout calcul et rend un
  :class:`DossierDeSortie`. Il refuse un chemin qui est un fichier (ou dont
  un parent est un fichier), un dossier où l'on ne peut pas écrire, et un
  dossier qui contient déjà des fichiers (sauf ``ecraser``). Il crée un
  dossier temporaire caché (``PREFIXE_EN_COURS``), dans le dossier de sortie
  s'il existe, sinon dans son plus proche parent existant : l'exécution y
  écrit tout.
- :meth:`DossierDeSortie.publier`, une fois tout écrit, place les fichiers
  dans le dossier de sortie : un renommage du dossier temporaire si le
  dossier de sortie n'existait pas ; sinon un renommage par fichier, puis,
  avec ``ecraser``, la suppression des fichiers de l'exécution précédente
  que la nouvelle n'a pas réécrits (ceux de son ``execution.json`` et ceux
  qui portent un nom de résultat, ``NOMS_ECRITS``). Un fichier de
  l'utilisateur n'est jamais supprimé. Une exécution qui échoue ou qu'on
  interrompt (erreur, Ctrl-C) n'a rien publié : le dossier temporaire est
  supprimé, le dossier de sortie est tel qu'avant. Seul un arrêt brutal du
  processus (``kill -9``, panne) peut laisser le dossier temporaire, qu'une
  exécution suivante avec ``ecraser`` supprime.
- :func:`ecrire` écrit les tables en CSV et dans un classeur Excel
  (``resultats.xlsx``, une feuille par table et une feuille ``execution``),
  les personnes en Parquet (l'exécution dans les métadonnées du fichier), les
  graphiques en PNG (l'exécution en légende et dans les métadonnées), et
  ``execution.json`` : commande, version, période, réformes, revalorisation,
  avertissements et empreinte SHA-256 de chaque fichier.
"""

from __future__ import annotations

import datetime
import errno
import hashlib
import json
import logging
import secrets
import shutil
import sys
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Self

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
                "cout_par_regime",
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


#: Début du nom du dossier temporaire où une exécution écrit avant de publier.
PREFIXE_EN_COURS = ".openfisca-invalidite-en-cours-"
#: Raisons d'un refus d'écrire, par code d'erreur du système.
RAISONS = {
    errno.EACCES: "droits insuffisants",
    errno.EPERM: "opération non permise",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.ENOSPC: "plus de place sur le disque",
    errno.EDQUOT: "quota du disque dépassé",
    errno.ENOTDIR: "un élément du chemin est un fichier, pas un dossier",
    errno.ENOENT: "chemin introuvable",
    errno.ENAMETOOLONG: "nom trop long",
    errno.EISDIR: "un dossier porte le nom d'un fichier à écrire",
}
#: Fichiers cités dans un refus (les autres sont comptés).
FICHIERS_CITES = 4


def raison(erreur: OSError) -> str:
    """La raison d'une erreur du système, en français."""
    return RAISONS.get(erreur.errno, erreur.strerror or str(erreur))


def _nos_fichiers(dossier: Path) -> list[Path]:
    """Ce qu'une exécution précédente a écrit dans ``dossier`` : les fichiers de son
    manifeste, ceux qui portent un nom que nous écrivons, et un dossier temporaire
    qu'un arrêt brutal aurait laissé."""
    noms = set(NOMS_ECRITS)
    manifeste = dossier / MANIFESTE
    if manifeste.is_file():
        try:
            listes = json.loads(manifeste.read_text(encoding="utf-8")).get("fichiers", {})
        except (ValueError, OSError, AttributeError):
            listes = {}
        noms |= {str(nom) for nom in listes if "/" not in str(nom)}
    fichiers = [dossier / nom for nom in sorted(noms) if (dossier / nom).is_file()]
    return fichiers + sorted(p for p in dossier.glob(PREFIXE_EN_COURS + "*") if p.is_dir())


def _refus(dossier: Path, motif: str) -> SortieInvalide:
    return SortieInvalide(f"sortie « {dossier} » : {motif}")


def _parent_existant(dossier: Path) -> Path:
    """Le plus proche parent existant de ``dossier`` ; refuse un parent qui est un fichier."""
    parent = dossier.parent
    while not parent.exists():  # « . » et la racine existent
        parent = parent.parent
    if not parent.is_dir():
        raise _refus(dossier, f"« {parent} » est un fichier, pas un dossier")
    return parent


def _dossier_temporaire(hote: Path) -> Path:
    """Un dossier neuf au nom unique dans ``hote``, avec les droits d'un dossier
    ordinaire (``mkdir`` et le masque de l'utilisateur ; ``tempfile.mkdtemp`` le
    réserverait à son propriétaire, et le dossier de sortie le resterait)."""
    while True:
        chemin = hote / f"{PREFIXE_EN_COURS}{secrets.token_hex(6)}"
        try:
            chemin.mkdir()
        except FileExistsError:
            continue
        return chemin


class DossierDeSortie:
    """Le dossier de sortie d'une exécution (voir le module) : ``chemin`` est le
    dossier temporaire où écrire, ``dossier`` celui où :meth:`publier` place les
    fichiers. Utilisé en contexte (``with``), il abandonne tout sur une erreur."""

    def __init__(self, dossier: str | Path, *, ecraser: bool = False) -> None:
        self.dossier = Path(dossier)
        self.ecraser = ecraser
        if self.dossier.exists() and not self.dossier.is_dir():
            raise _refus(self.dossier, "c'est un fichier, pas un dossier (choisissez un dossier)")
        if self.dossier.is_dir():
            presents = sorted(f.name for f in self.dossier.iterdir())
            if presents and not ecraser:
                extrait = ", ".join(presents[:FICHIERS_CITES]) + (" …" if len(presents) > FICHIERS_CITES else "")
                raise _refus(
                    self.dossier,
                    f"le dossier contient déjà des fichiers ({extrait}) ; --ecraser (ecraser=True) remplace "
                    "les résultats d'une exécution précédente, ou choisissez un dossier vide",
                )
            hote = self.dossier
        else:
            hote = _parent_existant(self.dossier)
        try:
            self.chemin = _dossier_temporaire(hote)
        except OSError as erreur:
            raise _refus(self.dossier, f"impossible d'y écrire ({raison(erreur)})") from None

    def publier(self, fichiers: Sequence[Path]) -> list[Path]:
        """Place les ``fichiers`` écrits dans :attr:`chemin` dans le dossier de
        sortie (voir le module) ; rend leurs chemins définitifs."""
        noms = [Path(f).name for f in fichiers]
        try:
            if not self.dossier.exists():
                self.dossier.parent.mkdir(parents=True, exist_ok=True)
                self.chemin.rename(self.dossier)
            else:
                anciens = [f for f in _nos_fichiers(self.dossier) if f.name not in noms and f != self.chemin]
                anciens = anciens if self.ecraser else []
                # execution.json en dernier : le manifeste qu'on lit liste toujours des fichiers présents.
                for nom in sorted(noms, key=lambda n: n == MANIFESTE):
                    (self.chemin / nom).replace(self.dossier / nom)
                for ancien in anciens:
                    if ancien.is_dir():
                        shutil.rmtree(ancien)
                    else:
                        ancien.unlink()
                self.chemin.rmdir()
                if anciens:
                    journal.info(
                        "sortie %s : %d fichiers de l'exécution précédente supprimés", self.dossier, len(anciens)
                    )
                restes = sorted({f.name for f in self.dossier.iterdir()} - set(noms))
                if restes:
                    journal.warning(
                        "sortie %s : fichiers qui ne viennent pas d'une exécution, laissés : %s", self.dossier, restes
                    )
        except OSError as erreur:
            self.abandonner()
            raise _refus(self.dossier, f"impossible d'y placer les résultats ({raison(erreur)})") from None
        return [self.dossier / nom for nom in noms]

    def abandonner(self) -> None:
        """Supprime le dossier temporaire et ce qui y est écrit : rien n'est publié."""
        shutil.rmtree(self.chemin, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, genre: type[BaseException] | None, *_: object) -> None:
        if genre is not None:
            self.abandonner()


def preparer_dossier(dossier: str | Path, *, ecraser: bool = False) -> DossierDeSortie:
    """Contrôle le dossier de sortie avant le calcul et prépare l'écriture (voir le module)."""
    return DossierDeSortie(dossier, ecraser=ecraser)


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
    ``deja_prepare`` : ``dossier`` est le :attr:`DossierDeSortie.chemin` d'un dossier
    préparé, que l'appelant publiera ; sinon le dossier est préparé, écrit puis
    publié ici. ``deja_ecrits`` : fichiers de l'exécution déjà écrits dans
    ``dossier`` (les personnes écrites morceau par morceau), comptés dans le
    manifeste."""
    if deja_prepare:
        return _ecrire(Path(dossier), tables, personnes, execution, graphiques, deja_ecrits)
    with preparer_dossier(dossier, ecraser=ecraser) as sortie:
        return sortie.publier(_ecrire(sortie.chemin, tables, personnes, execution, graphiques, deja_ecrits))


def _ecrire(  # noqa: PLR0917 — les arguments d'ecrire, dans son ordre
    dossier: Path,
    tables: Mapping[str, pd.DataFrame],
    personnes: pd.DataFrame | None,
    execution: dict,
    graphiques: Callable[[Path, str], list[Path]] | None,
    deja_ecrits: Sequence[Path],
) -> list[Path]:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

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
