"""Lecture d'un tableau de population : CSV (tel que l'écrivent les tableurs
français), Excel ou Parquet.

- CSV : séparateur détecté sur la ligne d'en-tête (``;``, ``,`` ou tabulation),
  encodage UTF-8 (avec ou sans BOM), sinon Windows-1252 / Latin-1 ; toutes
  les cellules sont lues comme du texte, puis le schéma
  (:mod:`openfisca_invalidite.population.schema`) les convertit : virgule
  décimale admise, dates ISO seulement sauf format déclaré. Rien n'est deviné
  en silence : une date ``12/03/1970`` est refusée, pas lue comme le 3 décembre.
- Excel (``.xlsx``, ``.xlsm``) : première feuille, par openpyxl.
- Parquet : types du fichier (une colonne de date entière est refusée par le schéma).

Une erreur de lecture est une :class:`PopulationInvalide` qui nomme le fichier.
"""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path

import pandas as pd

from openfisca_invalidite.population.schema import SANS_COLONNE, PopulationInvalide

journal = logging.getLogger(__name__)

EXTENSIONS_CSV = (".csv", ".txt", ".tsv")
EXTENSIONS_EXCEL = (".xlsx", ".xlsm")
EXTENSIONS_PARQUET = (".parquet", ".pq")
#: Encodages essayés dans l'ordre : UTF-8 (BOM ôté s'il est là), puis ceux des tableurs Windows.
ENCODAGES = ("utf-8-sig", "cp1252", "latin-1")
SEPARATEURS = (";", ",", "\t")


def _erreur(chemin: Path, message: str) -> PopulationInvalide:
    """Erreur qui porte sur le fichier entier (aucune colonne en cause)."""
    return PopulationInvalide(SANS_COLONNE, message, fichier=chemin)


def lire_tableau(chemin: str | Path) -> pd.DataFrame:
    """Le tableau brut du fichier (sans contrôle du schéma)."""
    chemin = Path(chemin)
    if not chemin.exists():
        raise _erreur(chemin, "fichier introuvable")
    if chemin.is_dir():
        raise _erreur(chemin, "c'est un dossier, pas un fichier")
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
    except (OSError, ValueError, KeyError, ImportError) as erreur:
        premiere_ligne = str(erreur).splitlines()[0] if str(erreur) else type(erreur).__name__
        raise _erreur(chemin, f"fichier illisible ({premiere_ligne})") from None
    admis = ", ".join((*EXTENSIONS_CSV, *EXTENSIONS_EXCEL, *EXTENSIONS_PARQUET))
    raise _erreur(chemin, f"format non reconnu « {extension} » (admis : {admis})")


def lire_csv(chemin: Path) -> pd.DataFrame:
    octets = chemin.read_bytes()
    for encodage in ENCODAGES:
        try:
            texte = octets.decode(encodage)
            break
        except UnicodeDecodeError:
            continue
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
