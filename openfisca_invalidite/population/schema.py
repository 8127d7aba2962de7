"""Schéma d'une population : une ligne par personne, contrôlée avant tout calcul.

Colonnes (noms publics du paquet, ceux des variables OpenFisca) :

============================================  ========  ===========  =====================================
colonne                                       type      obligatoire  sens
============================================  ========  ===========  =====================================
``id``                                        entier    oui          identifiant unique de la personne
                                              ou texte
``famille_id``                                entier    oui          famille (au sens CAF) de la personne
                                              ou texte
``role_famille``                              texte     non          ``demandeur``, ``conjoint`` ou ``enfant``
                                                                     (défaut : 1re personne de la famille
                                                                     demandeur, 2e conjoint, autres enfants)
``poids``                                     réel > 0  oui          poids de sondage (personnes représentées)
``date_naissance``                            date      oui          AAAA-MM-JJ
``date_debut_invalidite``                     date      oui          vide = pas d'invalidité
``categorie_invalidite``                      texte     oui          non_classe, categorie_1, 2 ou 3
``reduction_capacite_travail``                réel 0-1  oui
``duree_immatriculation``                     entier≥0  oui          mois
``heures_travaillees_12_mois``                réel ≥ 0  oui
``salaire_cotise_12_mois``                    réel ≥ 0  non (0)
``revenus_activite``                          réel ≥ 0  non (0)      revenus du mois, supposés constants
                                                                     sur les mois qui précèdent
``taux_incapacite``                           réel 0-1  non (0)      taux CDAPH (AAH)
``aah_restriction_substantielle_durable_      booléen   non (faux)
acces_emploi``
``autres_ressources``                         réel ≥ 0  non (0)      ressources mensuelles hors revenus
                                                                     d'activité et prestations calculées
``inapte_travail``, ``aspa_eligibilite``,     booléen   non          entrées de l'ASI / AAH du modèle
``residence_france`` (défaut vrai),                                  (défaut faux sauf residence_france)
``aah_conjugalise_eligible``
``salaire_AAAA``                              réel ≥ 0  au moins une salaire_brut_annuel de l'année AAAA
``rfr_AAAA``                                  réel ≥ 0  non          revenu fiscal de référence (rfr) du
                                                                     foyer fiscal, revenus de l'année AAAA
                                                                     (N-2 et N-3 de l'année calculée) ;
                                                                     sans ces colonnes, pas de montants nets
``nbptr``                                     réel      non (1)      parts du foyer fiscal (1, 1.25…),
                                                                     les mêmes chaque année rfr_AAAA
``zone_residence``                            texte     non          metropole (défaut),
                                                                     martinique_guadeloupe_reunion, guyane,
                                                                     mayotte : seuils de CSG
``residence_fiscale_france``,                 booléen   non (vrai)   redevable de la CSG des pensions
``affilie_assurance_maladie_france``                                 (L136-1)
============================================  ========  ===========  =====================================

La carrière peut aussi venir d'une table longue (``id``, ``annee``,
``salaire_brut_annuel``) : :func:`carriere_longue_en_colonnes` la met en
colonnes ``salaire_AAAA``. ``en_couple`` (famille) se déduit : la famille a
deux parents (demandeur et conjoint).

Une entrée fautive (colonne manquante, type illisible, valeur manquante,
montant négatif, catégorie inconnue, identifiant en double, famille à plus de
deux parents…) arrête tout avec :class:`PopulationInvalide`, dont le message
nomme la colonne et les premières lignes fautives (numéros de ligne du fichier,
la première ligne de données étant la ligne 2 d'un CSV, et les ``id``).
Rien n'est écarté en silence : chaque ligne d'entrée est une ligne de sortie.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Iterable

CATEGORIES = ("non_classe", "categorie_1", "categorie_2", "categorie_3")
ZONES = ("metropole", "martinique_guadeloupe_reunion", "guyane", "mayotte")
ROLES = ("demandeur", "conjoint", "enfant")
DATE_SANS_INVALIDITE = np.datetime64("9999-12-31", "D")

#: colonne → (genre, minimum, maximum, défaut ; défaut None = obligatoire)
NUMERIQUES = {
    "poids": ("float", 0.0, None, None),
    "reduction_capacite_travail": ("float", 0.0, 1.0, None),
    "duree_immatriculation": ("int", 0, None, None),
    "heures_travaillees_12_mois": ("float", 0.0, None, None),
    "salaire_cotise_12_mois": ("float", 0.0, None, 0.0),
    "revenus_activite": ("float", 0.0, None, 0.0),
    "taux_incapacite": ("float", 0.0, 1.0, 0.0),
    "autres_ressources": ("float", 0.0, None, 0.0),
    "nbptr": ("float", 1.0, 50.0, 1.0),
}
BOOLEENS = {
    "aah_restriction_substantielle_durable_acces_emploi": False,
    # Entrées de l'ASI et de l'AAH du modèle (facultatives) :
    "inapte_travail": False,
    "aspa_eligibilite": False,
    "residence_france": True,
    "aah_conjugalise_eligible": False,
    # Assujettissement à la CSG des pensions (L136-1) :
    "residence_fiscale_france": True,
    "affilie_assurance_maladie_france": True,
}
DATES = ("date_naissance", "date_debut_invalidite")
OBLIGATOIRES = (
    "id",
    "famille_id",
    "poids",
    *DATES,
    "categorie_invalidite",
    "reduction_capacite_travail",
    "duree_immatriculation",
    "heures_travaillees_12_mois",
)
MOTIF_SALAIRE = re.compile(r"^salaire_(\d{4})$")
MOTIF_RFR = re.compile(r"^rfr_(\d{4})$")
#: Plus petite fraction de part de quotient familial.
QUART_DE_PART = 0.25
#: Lignes fautives (et leurs ``id``) citées dans le message ; au-delà : « et N autres ».
LIGNES_MONTREES = 5


class PopulationInvalide(ValueError):
    """Population refusée : le message nomme la colonne et les premières lignes fautives."""

    def __init__(
        self, colonne: str, message: str, lignes: Iterable[int] | None = None, ids: Iterable[object] | None = None
    ) -> None:
        self.colonne = colonne
        self.lignes = [] if lignes is None else list(lignes)
        texte = f"colonne « {colonne} » : {message}"
        if self.lignes:
            montrees = ", ".join(str(i) for i in self.lignes[:LIGNES_MONTREES])
            texte += f" — lignes {montrees}"
            if ids is not None:
                texte += f" (id {', '.join(str(i) for i in list(ids)[:LIGNES_MONTREES])})"
            if len(self.lignes) > LIGNES_MONTREES:
                texte += f" et {len(self.lignes) - LIGNES_MONTREES} autres"
        super().__init__(texte)


def colonnes_salaire(df: pd.DataFrame) -> dict[int, str]:
    """Années de carrière présentes : {année: nom de colonne}, triées."""
    trouvees = {int(m.group(1)): c for c in df.columns if (m := MOTIF_SALAIRE.match(str(c)))}
    return dict(sorted(trouvees.items()))


def colonnes_rfr(df: pd.DataFrame) -> dict[int, str]:
    """Années de revenu fiscal de référence présentes : {année: nom de colonne}, triées."""
    trouvees = {int(m.group(1)): c for c in df.columns if (m := MOTIF_RFR.match(str(c)))}
    return dict(sorted(trouvees.items()))


def carriere_longue_en_colonnes(population: pd.DataFrame, carriere: pd.DataFrame) -> pd.DataFrame:
    """Ajoute à ``population`` les colonnes ``salaire_AAAA`` d'une table longue
    (``id``, ``annee``, ``salaire_brut_annuel``) ; années absentes = 0."""
    manquantes = [c for c in ("id", "annee", "salaire_brut_annuel") if c not in carriere.columns]
    if manquantes:
        raise PopulationInvalide(manquantes[0], "colonne absente de la table de carrière")
    doublons = carriere.duplicated(["id", "annee"], keep=False).to_numpy()
    if doublons.any():
        colonne, msg = "annee", "deux salaires pour la même personne et la même année (table de carrière)"
        raise PopulationInvalide(colonne, msg, np.flatnonzero(doublons) + 2)
    # (id, annee) est unique (contrôlé ci-dessus) : « first » reprend l'unique salaire,
    # et dropna=False garde, comme pivot, une année dont tous les salaires manquent.
    large = carriere.pivot_table(
        index="id", columns="annee", values="salaire_brut_annuel", aggfunc="first", dropna=False
    )
    large.columns = [f"salaire_{int(a)}" for a in large.columns]
    inconnus = ~large.index.isin(population["id"])
    if inconnus.any():
        colonne, msg = "id", "identifiants de la table de carrière absents de la population"
        raise PopulationInvalide(colonne, msg, ids=large.index[inconnus][:LIGNES_MONTREES], lignes=[])
    large = large.reindex(population["id"]).fillna(0.0).astype(np.float32)
    large.index = population.index
    return pd.concat([population, large], axis=1)


def lire_population(chemin: str | Path, carriere: str | Path | None = None) -> pd.DataFrame:
    """Lit une population CSV ou Parquet (et, au besoin, sa carrière longue), puis la valide."""
    df = _lire(Path(chemin))
    if carriere is not None:
        df = carriere_longue_en_colonnes(df, _lire(Path(carriere)))
    return valider_population(df)


def _lire(chemin: Path) -> pd.DataFrame:
    if not chemin.exists():
        msg = f"fichier introuvable : {chemin}"
        raise FileNotFoundError(msg)
    if chemin.suffix.lower() in (".parquet", ".pq"):
        return pd.read_parquet(chemin)
    if chemin.suffix.lower() in (".csv", ".txt"):
        return pd.read_csv(
            chemin,
            dtype={"id": str, "famille_id": str, "categorie_invalidite": str, "role_famille": str},
            keep_default_na=True,
        )
    msg = f"format non reconnu (CSV ou Parquet attendu) : {chemin}"
    raise ValueError(msg)


def _lignes(masque: np.ndarray) -> np.ndarray:
    """Numéros de ligne d'un CSV (en-tête = ligne 1) des lignes fautives."""
    return np.flatnonzero(masque) + 2


def _refuser(df: pd.DataFrame, colonne: str, message: str, masque: np.ndarray) -> NoReturn:
    masque = np.asarray(masque, dtype=bool)
    raise PopulationInvalide(colonne, message, _lignes(masque), df["id"].to_numpy()[masque][:LIGNES_MONTREES])


def valider_population(df: pd.DataFrame) -> pd.DataFrame:
    """Contrôle et normalise une population ; rend une copie prête pour le moteur.

    Types de sortie : ``id`` et ``famille_id`` tels quels (uniques / groupants),
    réels en float64 (salaires en float32), dates en ``datetime64[D]``,
    ``role_famille`` complété. Lève :class:`PopulationInvalide` sinon.
    """
    if not isinstance(df, pd.DataFrame):
        msg = "la population doit être un pandas.DataFrame"
        raise TypeError(msg)
    salaires = _verifier_colonnes(df)
    df = df.reset_index(drop=True)
    sortie = pd.DataFrame(index=df.index)
    _valider_identifiants(df, sortie)
    _valider_dates(df, sortie)
    _valider_categories(df, sortie)
    _valider_numeriques(df, sortie)
    _valider_booleens(df, sortie)
    for colonne in salaires.values():
        sortie[colonne] = _nombres(df, colonne, "float", 0.0, None).astype(np.float32)
    _valider_fiscal(df, sortie)
    sortie["role_famille"] = _roles(df, sortie)
    return sortie


def _verifier_colonnes(df: pd.DataFrame) -> dict[int, str]:
    """Colonnes obligatoires, au moins une année de carrière, au moins une ligne ;
    rend les colonnes de salaire (:func:`colonnes_salaire`)."""
    for colonne in OBLIGATOIRES:
        if colonne not in df.columns:
            raise PopulationInvalide(colonne, "colonne obligatoire absente (voir le schéma : docs/population.md)")
    salaires = colonnes_salaire(df)
    if not salaires:
        colonne, msg = "salaire_AAAA", "aucune colonne de carrière (salaire_2015, salaire_2016…)"
        raise PopulationInvalide(colonne, msg)
    if len(df) == 0:
        colonne, msg = "id", "population vide"
        raise PopulationInvalide(colonne, msg)
    return salaires


def _valider_fiscal(df: pd.DataFrame, sortie: pd.DataFrame) -> None:
    """``rfr_AAAA`` (≥ 0, renseignés), ``nbptr`` par quarts de part, ``zone_residence`` parmi ``ZONES``."""
    for colonne in colonnes_rfr(df).values():
        sortie[colonne] = _nombres(df, colonne, "float", 0.0, None)
    quarts = sortie["nbptr"].to_numpy() / QUART_DE_PART
    if (quarts != np.round(quarts)).any():
        _refuser(df, "nbptr", "nombre de parts par quarts de part attendu (1, 1.25, 1.5…)", quarts != np.round(quarts))
    if "zone_residence" not in df.columns:
        sortie["zone_residence"] = ZONES[0]
        return
    zones = df["zone_residence"].fillna(ZONES[0]).astype(str).str.strip()
    inconnue = ~zones.isin(ZONES).to_numpy()
    if inconnue.any():
        premiere = zones.to_numpy()[inconnue][0]
        _refuser(df, "zone_residence", f"zone inconnue « {premiere} » (admises : {', '.join(ZONES)})", inconnue)
    sortie["zone_residence"] = zones.to_numpy()


def _valider_identifiants(df: pd.DataFrame, sortie: pd.DataFrame) -> None:
    """``id`` et ``famille_id`` renseignés, ``id`` unique ; copiés dans ``sortie``."""
    for colonne in ("id", "famille_id"):
        valeurs = df[colonne]
        manquant = valeurs.isna().to_numpy()
        if manquant.any():
            raise PopulationInvalide(colonne, "valeur manquante", _lignes(manquant))
        sortie[colonne] = valeurs.to_numpy()
    double = df["id"].duplicated(keep=False).to_numpy()
    if double.any():
        _refuser(df, "id", "identifiant en double", double)


def _valider_dates(df: pd.DataFrame, sortie: pd.DataFrame) -> None:
    """Dates lisibles, naissance obligatoire, invalidité vide = ``DATE_SANS_INVALIDITE``."""
    for colonne in DATES:
        brut = df[colonne]
        dates = (
            pd.to_datetime(brut, errors="coerce", format="mixed")
            if brut.dtype == object or pd.api.types.is_string_dtype(brut)
            else pd.to_datetime(brut, errors="coerce")
        )
        illisible = (dates.isna() & brut.notna()).to_numpy()
        if illisible.any():
            _refuser(df, colonne, "date illisible (AAAA-MM-JJ attendu)", illisible)
        manquant = dates.isna().to_numpy()
        if colonne == "date_naissance" and manquant.any():
            _refuser(df, colonne, "valeur manquante", manquant)
        valeurs = dates.to_numpy().astype("datetime64[D]")
        if colonne == "date_debut_invalidite":
            valeurs = np.where(manquant, DATE_SANS_INVALIDITE, valeurs)
        sortie[colonne] = valeurs


def _valider_categories(df: pd.DataFrame, sortie: pd.DataFrame) -> None:
    """``categorie_invalidite`` renseignée et parmi ``CATEGORIES``."""
    categories = df["categorie_invalidite"]
    manquant = categories.isna().to_numpy()
    if manquant.any():
        _refuser(df, "categorie_invalidite", "valeur manquante", manquant)
    categories = categories.astype(str).str.strip()
    inconnue = ~categories.isin(CATEGORIES).to_numpy()
    if inconnue.any():
        premiere = categories.to_numpy()[inconnue][0]
        _refuser(
            df,
            "categorie_invalidite",
            f"catégorie inconnue « {premiere} » (admises : {', '.join(CATEGORIES)})",
            inconnue,
        )
    sortie["categorie_invalidite"] = pd.Categorical(categories, categories=CATEGORIES)


def _valider_numeriques(df: pd.DataFrame, sortie: pd.DataFrame) -> None:
    """Colonnes de ``NUMERIQUES`` (défaut si absente et facultative), poids > 0."""
    for colonne, (genre, minimum, maximum, defaut) in NUMERIQUES.items():
        if colonne not in df.columns:
            sortie[colonne] = np.full(len(df), defaut, dtype=np.float64 if genre == "float" else np.int64)
            continue
        sortie[colonne] = _nombres(df, colonne, genre, minimum, maximum)
    poids_nul = sortie["poids"].to_numpy() <= 0
    if poids_nul.any():
        _refuser(df, "poids", "poids nul ou négatif", poids_nul)


def _valider_booleens(df: pd.DataFrame, sortie: pd.DataFrame) -> None:
    """Colonnes de ``BOOLEENS`` (défaut si absente) : true/false, 1/0, vrai/faux, oui/non."""
    for colonne, defaut in BOOLEENS.items():
        if colonne not in df.columns:
            sortie[colonne] = np.full(len(df), defaut)
            continue
        brut = df[colonne]
        if brut.dtype == bool:
            sortie[colonne] = brut.to_numpy()
            continue
        texte = brut.astype(str).str.strip().str.lower()
        vrai = texte.isin(["true", "1", "vrai", "oui", "1.0"]).to_numpy()
        faux = texte.isin(["false", "0", "faux", "non", "0.0"]).to_numpy()
        illisible = ~(vrai | faux)
        if illisible.any():
            _refuser(df, colonne, "booléen illisible (true/false, 1/0)", illisible)
        sortie[colonne] = vrai


def _nombres(df: pd.DataFrame, colonne: str, genre: str, minimum: float | None, maximum: float | None) -> np.ndarray:
    brut = df[colonne]
    valeurs = pd.to_numeric(brut, errors="coerce")
    illisible = (valeurs.isna() & brut.notna()).to_numpy()
    if illisible.any():
        premiere = brut.to_numpy()[illisible][0]
        _refuser(df, colonne, f"valeur non numérique « {premiere} »", illisible)
    valeurs = valeurs.to_numpy(dtype=np.float64)
    manquant = np.isnan(valeurs)
    if manquant.any():
        _refuser(df, colonne, "valeur manquante (NaN)", manquant)
    infini = ~np.isfinite(valeurs)
    if infini.any():
        _refuser(df, colonne, "valeur infinie", infini)
    if minimum is not None and (valeurs < minimum).any():
        _refuser(df, colonne, f"valeur négative ou inférieure au minimum {minimum:g}", valeurs < minimum)
    if maximum is not None and (valeurs > maximum).any():
        _refuser(df, colonne, f"valeur supérieure au maximum {maximum:g}", valeurs > maximum)
    if genre == "int":
        non_entier = valeurs != np.floor(valeurs)
        if non_entier.any():
            _refuser(df, colonne, "nombre entier attendu", non_entier)
        return valeurs.astype(np.int64)
    return valeurs


def _roles(df: pd.DataFrame, sortie: pd.DataFrame) -> np.ndarray:
    rang = sortie.groupby("famille_id", sort=False).cumcount().to_numpy()
    if "role_famille" in df.columns:
        roles = df["role_famille"]
        absent = roles.isna().to_numpy()
        roles = roles.astype(str).str.strip().to_numpy().astype(object)
        inconnu = ~absent & ~np.isin(roles, ROLES)
        if inconnu.any():
            _refuser(df, "role_famille", f"rôle inconnu « {roles[inconnu][0]} » (admis : {', '.join(ROLES)})", inconnu)
        roles = np.where(absent, np.select([rang == 0, rang == 1], ["demandeur", "conjoint"], "enfant"), roles)
    else:
        roles = np.select([rang == 0, rang == 1], ["demandeur", "conjoint"], "enfant").astype(object)
    cle = pd.Series(sortie["famille_id"].to_numpy())
    for role in ("demandeur", "conjoint"):
        trop = (roles == role) & cle.where(roles == role).duplicated(keep=False).to_numpy() & (roles == role)
        if trop.any():
            _refuser(df, "role_famille", f"plusieurs « {role} » dans la même famille", trop)
    avec_demandeur = set(cle[roles == "demandeur"])
    sans = ~cle.isin(avec_demandeur).to_numpy()
    if sans.any():
        _refuser(df, "role_famille", "famille sans demandeur", sans)
    return roles.astype(str)
