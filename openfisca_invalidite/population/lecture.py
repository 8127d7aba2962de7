"""Lecture d'un tableau de population : CSV (tel que l'écrivent les tableurs
français), Excel ou Parquet.

- CSV : séparateur détecté sur la ligne d'en-tête (``;``, ``,`` ou tabulation),
  encodage UTF-8 (avec ou sans BOM), UTF-16 avec BOM (le « texte Unicode »
  d'Excel), sinon Windows-1252 / Latin-1 ; un fichier qui contient des octets
  nuls n'est pas un texte et est refusé ; toutes
  les cellules sont lues comme du texte, puis le schéma
  (:mod:`openfisca_invalidite.population.schema`) les convertit : virgule
  décimale admise, dates ISO seulement sauf format déclaré. Rien n'est deviné
  en silence : une date ``12/03/1970`` est refusée, pas lue comme le 3 décembre.
- Excel (``.xlsx``, ``.xlsm``) : première feuille, par openpyxl.
- Parquet : types du fichier (une colonne de date entière est refusée par le schéma).

Une erreur de lecture (fichier introuvable, dossier, vide, tronqué, classeur
ou Parquet corrompu, encodage illisible) est une :class:`PopulationInvalide`
qui nomme le fichier.

:func:`lire_par_morceaux` lit une population plus grande que la mémoire, CSV
par blocs de lignes ou Parquet par lots, et la rend validée morceau par
morceau, chaque morceau fait de familles entières.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from openfisca_invalidite.population.schema import SANS_COLONNE, PopulationInvalide, valider_population

if TYPE_CHECKING:
    from collections.abc import Iterator

journal = logging.getLogger(__name__)

EXTENSIONS_CSV = (".csv", ".txt", ".tsv")
EXTENSIONS_EXCEL = (".xlsx", ".xlsm")
EXTENSIONS_PARQUET = (".parquet", ".pq")
#: Encodages essayés dans l'ordre : UTF-8 (BOM ôté s'il est là), puis ceux des tableurs Windows.
ENCODAGES = ("utf-8-sig", "cp1252", "latin-1")
#: Marques d'ordre des octets d'UTF-16 (Excel, « texte Unicode ») : lues avant les ENCODAGES.
BOM_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
#: Ce que contient un fichier texte qui n'en est pas un (binaire, UTF-16 sans BOM).
OCTET_NUL = "\x00"
NON_TEXTE = "octets nuls : ce n'est pas un CSV texte (encodages lus : UTF-8, UTF-16 avec BOM, Windows-1252, Latin-1)"
SEPARATEURS = (";", ",", "\t")


def _erreur(chemin: Path, message: str) -> PopulationInvalide:
    """Erreur qui porte sur le fichier entier (aucune colonne en cause)."""
    return PopulationInvalide(SANS_COLONNE, message, fichier=chemin)


def _verifier_fichier(chemin: Path) -> None:
    if not chemin.exists():
        raise _erreur(chemin, "fichier introuvable")
    if chemin.is_dir():
        raise _erreur(chemin, "c'est un dossier, pas un fichier")


def lire_tableau(chemin: str | Path) -> pd.DataFrame:
    """Le tableau brut du fichier (sans contrôle du schéma)."""
    chemin = Path(chemin)
    _verifier_fichier(chemin)
    extension = chemin.suffix.lower()
    try:
        if extension in EXTENSIONS_PARQUET:
            return pd.read_parquet(chemin)
        if extension in EXTENSIONS_EXCEL:
            return pd.read_excel(chemin, sheet_name=0, engine="openpyxl")
        if extension in EXTENSIONS_CSV:
            return lire_csv(chemin)
    except PopulationInvalide:
        raise
    except Exception as erreur:  # noqa: BLE001 — tout ce qu'un lecteur lève sur un fichier corrompu (zip, XML, Arrow…)
        raise _illisible(chemin, erreur) from None
    admis = ", ".join((*EXTENSIONS_CSV, *EXTENSIONS_EXCEL, *EXTENSIONS_PARQUET))
    raise _erreur(chemin, f"format non reconnu « {extension} » (admis : {admis})")


def _illisible(chemin: Path, erreur: BaseException) -> PopulationInvalide:
    """Un fichier que son lecteur ne sait pas lire : la première ligne de la raison."""
    texte = str(erreur).strip()
    premiere_ligne = texte.splitlines()[0] if texte else type(erreur).__name__
    return _erreur(chemin, f"fichier illisible ({premiere_ligne})")


def _decoder(chemin: Path, octets: bytes) -> tuple[str, str]:
    """Le texte d'un CSV et son encodage : UTF-16 s'il commence par son BOM, sinon
    le premier de ``ENCODAGES`` qui le lit ; refuse des octets nuls."""
    if octets.startswith(BOM_UTF16):
        try:
            return octets.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise _erreur(chemin, "encodage illisible (UTF-16 annoncé par son BOM, mais mal formé)") from None
    for encodage in ENCODAGES:
        try:
            texte = octets.decode(encodage)
            break
        except UnicodeDecodeError:
            continue
    if OCTET_NUL in texte:
        raise _erreur(chemin, NON_TEXTE)
    return texte, encodage


def lire_csv(chemin: Path) -> pd.DataFrame:
    texte, encodage = _decoder(chemin, chemin.read_bytes())
    if not texte.strip():
        raise _erreur(chemin, "fichier vide")
    entete = texte.splitlines()[0]
    separateur = max(SEPARATEURS, key=entete.count)
    if entete.count(separateur) == 0:
        raise _erreur(chemin, "aucun séparateur de colonnes (; , ou tabulation) sur la ligne d'en-tête")
    journal.info("%s : encodage %s, séparateur %r", chemin, encodage, separateur)
    try:
        return pd.read_csv(
            io.StringIO(texte),
            sep=separateur,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            quoting=csv.QUOTE_MINIMAL,
        )
    except pd.errors.ParserError as erreur:
        raise _erreur(chemin, f"CSV mal formé ({str(erreur).strip()})") from None


# --------------------------------------------------------------------------- par morceaux
#: Octets lus à la fois pour reconnaître l'encodage d'un grand CSV.
LECTURE_ENCODAGE = 1 << 24
#: Lignes d'un lot Arrow lu dans un Parquet (plusieurs lots font un morceau).
LOT_ARROW = 65_536


def lire_par_morceaux(chemin: str | Path, personnes: int, *, format_date: str | None = None) -> Iterator[pd.DataFrame]:
    """La population d'un CSV ou d'un Parquet, validée, morceau par morceau.

    Le fichier est lu par blocs d'environ ``personnes`` lignes (CSV : blocs de
    lignes ; Parquet : lots de lignes, groupe après groupe), jamais en entier.
    Chaque morceau a des familles entières : les lignes de la dernière famille
    d'un bloc passent au morceau suivant. Les lignes d'une même famille doivent
    donc se suivre dans le fichier : une famille dont les lignes sont dans deux
    morceaux est refusée (l'erreur la nomme, avec ses lignes). Chaque morceau
    est validé comme une population entière ; une erreur nomme le fichier et
    les lignes du fichier. Les identifiants de personnes ne sont contrôlés
    uniques qu'à l'intérieur d'un morceau.
    """
    chemin = Path(chemin)
    _verifier_fichier(chemin)
    if personnes < 1:
        raise _erreur(chemin, f"morceaux de {personnes} personnes : au moins 1")
    extension = chemin.suffix.lower()
    if extension in EXTENSIONS_PARQUET:
        lots = _lots_parquet(chemin, personnes)
    elif extension in EXTENSIONS_CSV:
        lots = _lots_csv(chemin, personnes)
    else:
        admis = ", ".join((*EXTENSIONS_CSV, *EXTENSIONS_PARQUET))
        raise _erreur(chemin, f"lecture par morceaux : un CSV ou un Parquet ({admis}), pas « {extension} »")
    return _familles_entieres(chemin, lots, format_date)


def _lots_parquet(chemin: Path, personnes: int) -> Iterator[pd.DataFrame]:
    """Les lignes du fichier par lots d'environ ``personnes`` lignes, lus en petits
    lots Arrow assemblés : pyarrow garde le dernier lot lu jusqu'au suivant, et ce
    n'est ainsi qu'un petit lot, pas un morceau entier pendant son calcul."""
    import pyarrow.parquet as pq

    try:
        fichier = pq.ParquetFile(chemin)
        lots, lignes = [], 0
        for lot in fichier.iter_batches(batch_size=min(personnes, LOT_ARROW)):
            lots.append(lot)
            lignes += lot.num_rows
            if lignes >= personnes:
                yield _en_pandas(lots)
                lignes = 0
        if lots:
            yield _en_pandas(lots)
    except (OSError, ValueError) as erreur:  # Arrow : ArrowInvalid (ValueError), ArrowIOError (OSError)
        raise _illisible(chemin, erreur) from None


def _en_pandas(lots: list) -> pd.DataFrame:
    """Les lots Arrow en un tableau pandas ; la liste est vidée et la mémoire d'Arrow
    rendue aussitôt."""
    import pyarrow as pa

    table = pa.Table.from_batches(lots)
    lots.clear()
    tableau = table.to_pandas()
    del table
    pa.default_memory_pool().release_unused()
    return tableau


def _encodage(chemin: Path) -> tuple[str, str]:
    """Encodage (UTF-16 s'il commence par son BOM, sinon le premier de ``ENCODAGES``
    qui lit tout le fichier, lu par tranches) et ligne d'en-tête d'un CSV, sans le
    garder en mémoire ; refuse des octets nuls."""
    with chemin.open("rb") as fichier:
        debut = fichier.read(2)
    candidats = ("utf-16",) if debut in BOM_UTF16 else ENCODAGES
    for encodage in candidats:
        decodeur = codecs.getincrementaldecoder(encodage)()
        entete = ""
        try:
            with chemin.open("rb") as fichier:
                while octets := fichier.read(LECTURE_ENCODAGE):
                    texte = decodeur.decode(octets)
                    if OCTET_NUL in texte:
                        raise _erreur(chemin, NON_TEXTE)
                    if "\n" not in entete:
                        entete += texte[:4096]
                decodeur.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encodage, entete.split("\n", 1)[0].rstrip("\r")
    if candidats != ENCODAGES:
        raise _erreur(chemin, "encodage illisible (UTF-16 annoncé par son BOM, mais mal formé)")
    return ENCODAGES[-1], ""  # latin-1 lit tout octet


def _lots_csv(chemin: Path, personnes: int) -> Iterator[pd.DataFrame]:
    encodage, entete = _encodage(chemin)
    if not entete.strip():
        raise _erreur(chemin, "fichier vide")
    separateur = max(SEPARATEURS, key=entete.count)
    if entete.count(separateur) == 0:
        raise _erreur(chemin, "aucun séparateur de colonnes (; , ou tabulation) sur la ligne d'en-tête")
    journal.info("%s : encodage %s, séparateur %r, lu par blocs de %d lignes", chemin, encodage, separateur, personnes)
    try:
        with pd.read_csv(
            chemin,
            sep=separateur,
            encoding=encodage,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            quoting=csv.QUOTE_MINIMAL,
            chunksize=personnes,
        ) as lecteur:
            yield from lecteur
    except pd.errors.ParserError as erreur:
        raise _erreur(chemin, f"CSV mal formé ({str(erreur).strip()})") from None


def _familles_entieres(chemin: Path, lots: Iterator[pd.DataFrame], format_date: str | None) -> Iterator[pd.DataFrame]:
    """Des lots de lignes aux morceaux validés de familles entières (voir :func:`lire_par_morceaux`)."""
    attente = None  # lignes lues, pas encore rendues : la dernière famille d'un lot
    debut = 0  # lignes du fichier déjà rendues
    vues = np.empty(0, dtype=np.uint64)  # empreintes des familles déjà rendues, triées
    for lot in lots:
        if attente is not None:
            lot = pd.concat([attente, lot], ignore_index=True)  # noqa: PLW2901 — le lot complété
        if "famille_id" not in lot.columns:  # la validation dit la colonne manquante
            _valider_morceau(chemin, lot, debut, vues, format_date)
        if lot.empty:
            attente = lot
            continue
        familles = lot["famille_id"].to_numpy()
        derniere = familles[-1] == familles
        # Première ligne de la dernière famille, si ses lignes finissent le lot.
        coupure = len(lot) - int(np.argmin(derniere[::-1])) if not derniere.all() else 0
        if coupure == 0:  # une seule famille dans le lot : lire plus loin
            attente = lot
            continue
        attente = lot.iloc[coupure:].copy()  # une copie : le lot lu n'est pas gardé
        pret, vues = _valider_morceau(chemin, lot.iloc[:coupure], debut, vues, format_date)
        del lot, familles, derniere
        debut += coupure
        # Rendu sans rester dans ce générateur (la liste se vide) : ni le lot lu ni le
        # morceau validé ne sont gardés ici pendant que l'appelant calcule et écrit.
        pret = [pret]
        yield pret.pop()
    if attente is not None and len(attente):
        yield _valider_morceau(chemin, attente, debut, vues, format_date)[0]
    elif debut == 0:
        raise _erreur(chemin, "aucune personne (le fichier n'a que son en-tête)")


def _valider_morceau(
    chemin: Path, brut: pd.DataFrame, debut: int, vues: np.ndarray, format_date: str | None
) -> tuple[pd.DataFrame, np.ndarray]:
    """Le morceau validé (lignes d'erreur comptées depuis le début du fichier), et les
    empreintes des familles vues jusqu'ici ; refuse d'abord une famille d'un morceau
    précédent (les valeurs lues de ``famille_id``, avant conversion)."""
    brut = brut.reset_index(drop=True)
    empreintes = np.zeros(0, dtype=np.uint64)
    if "famille_id" in brut.columns:
        familles = brut["famille_id"]
        renseignees = familles.notna().to_numpy()
        empreintes = np.zeros(len(brut), dtype=np.uint64)
        empreintes[renseignees] = pd.util.hash_array(familles.to_numpy()[renseignees])
        dans_un_autre = renseignees & np.isin(empreintes, vues)
        if dans_un_autre.any():
            premiere = familles.iloc[int(np.argmax(dans_un_autre))]
            msg = (
                f"la famille « {premiere} » a des lignes dans deux morceaux : pour une lecture par morceaux, "
                "les lignes d'une même famille doivent se suivre dans le fichier"
            )
            lignes = np.flatnonzero(dans_un_autre) + 2 + debut
            colonne = "famille_id"
            raise PopulationInvalide(colonne, msg, lignes, fichier=chemin)
        empreintes = empreintes[renseignees]
    try:
        morceau = valider_population(brut, format_date=format_date)
    except PopulationInvalide as erreur:
        erreur.lignes = [ligne + debut for ligne in erreur.lignes]
        raise erreur.dans(chemin) from None
    return morceau, np.union1d(vues, empreintes)
