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
``date_naissance``                            date      oui          AAAA-MM-JJ (ou format déclaré)
``date_debut_invalidite``                     date      oui          vide = pas d'invalidité
``date_effet_pension_invalidite``             date      non          date d'effet de la pension (R341-12) ;
                                                                     vide = celle de l'arrêt
``sexe``                                      texte     non          femme / homme (mortalité des projections)
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
``regime_invalidite``                         texte     non          regime_general (défaut), msa_salarie,
                                                                     ssi, msa_non_salarie : régime qui sert
                                                                     la pension
``statut_non_salarie_agricole``               texte     non          chef_exploitation (défaut),
                                                                     collaborateur, aide_familial,
                                                                     associe_exploitation (non-salariés
                                                                     agricoles)
``rpns_AAAA``                                 réel ≥ 0  non          rpns_imposables de l'année AAAA :
                                                                     revenu non salarié (indépendants)
``rag_AAAA``                                  réel      non          rag de l'année AAAA : revenu agricole
                                                                     d'un non-salarié (déficit en négatif)
``indemnites_journalieres_maladie``           réel ≥ 0  non (0)      indemnités journalières du mois, données
                                                                     aussi aux mois qui précèdent (voie des
                                                                     indemnités journalières de la SSI)
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
montant négatif ou trop grand pour OpenFisca, poids démesuré, date non ISO
sans format déclaré, date impossible, nombre dans une colonne de date,
catégorie inconnue, identifiant en double, famille à plus de deux parents…)
arrête tout avec :class:`PopulationInvalide`, dont le message (une ligne)
nomme le fichier quand il est connu, la colonne et les premières lignes
fautives (numéros de ligne du fichier, la première ligne de données étant la
ligne 2 d'un CSV, et les ``id``). Les autres colonnes sont gardées telles
quelles.
Rien n'est écarté en silence : chaque ligne d'entrée est une ligne de sortie.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, NoReturn

import numpy as np
import pandas as pd

from openfisca_invalidite.regimes import RegimeInvalidite, StatutNonSalarieAgricole
from openfisca_invalidite.validation import ANNEE_MAXIMUM, ANNEE_MINIMUM

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

CATEGORIES = ("non_classe", "categorie_1", "categorie_2", "categorie_3")
ZONES = ("metropole", "martinique_guadeloupe_reunion", "guyane", "mayotte")
ROLES = ("demandeur", "conjoint", "enfant")
REGIMES = tuple(RegimeInvalidite.__members__)
STATUTS_NON_SALARIE_AGRICOLE = tuple(StatutNonSalarieAgricole.__members__)
#: Colonnes de texte facultatives à valeurs fixées : colonne → (valeurs admises ; défaut = la première).
ENUMERATIONS_FACULTATIVES = {
    "regime_invalidite": REGIMES,
    "statut_non_salarie_agricole": STATUTS_NON_SALARIE_AGRICOLE,
}
DATE_SANS_INVALIDITE = np.datetime64("9999-12-31", "D")

#: Plus grand réel qu'OpenFisca stocke (float32) : au-delà, la valeur deviendrait infinie.
REEL_MAXIMUM = float(np.finfo(np.float32).max)
#: Plus grand entier qu'OpenFisca stocke (int32).
ENTIER_MAXIMUM = float(np.iinfo(np.int32).max)
#: Un poids est un nombre de personnes représentées : au-delà de la population
#: française (moins de 10⁸), c'est une erreur de saisie, et un poids de 1e308
#: rendrait tous les agrégats infinis.
POIDS_MAXIMUM = 1e8

#: colonne → (genre, minimum, maximum, défaut ; défaut None = obligatoire)
NUMERIQUES = {
    "poids": ("float", 0.0, POIDS_MAXIMUM, None),
    "reduction_capacite_travail": ("float", 0.0, 1.0, None),
    "duree_immatriculation": ("int", 0, ENTIER_MAXIMUM, None),
    "heures_travaillees_12_mois": ("float", 0.0, REEL_MAXIMUM, None),
    "salaire_cotise_12_mois": ("float", 0.0, REEL_MAXIMUM, 0.0),
    "revenus_activite": ("float", 0.0, REEL_MAXIMUM, 0.0),
    "taux_incapacite": ("float", 0.0, 1.0, 0.0),
    "autres_ressources": ("float", 0.0, REEL_MAXIMUM, 0.0),
    "indemnites_journalieres_maladie": ("float", 0.0, REEL_MAXIMUM, 0.0),
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
#: Dates facultatives : vide = ``DATE_SANS_INVALIDITE``, la valeur par défaut de la variable.
DATES_FACULTATIVES = ("date_effet_pension_invalidite",)
#: Dates lues sans format déclaré : ISO 8601 seulement (AAAA-MM-JJ, heure nulle admise).
MOTIF_DATE_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]00:00(:00(\.0+)?)?)?$")
#: Directives de ``strptime`` admises dans un format de date déclaré ; ``%y`` (année
#: à deux chiffres) n'en est pas : le siècle serait deviné (« 50 » lu 2050).
DIRECTIVES_DATE = frozenset("aAbBdjmYHIpMSfzZ%")
#: Ce qu'un format de date doit lire : (directives qui le lisent, nom).
PARTIES_DATE = (("dj", "le jour (%d)"), ("mbBj", "le mois (%m)"), ("Y", "l'année (%Y)"))
#: Années admises dans une date (une année 0000 ou 1800 est une erreur de saisie).
ANNEES_ADMISES = (ANNEE_MINIMUM, ANNEE_MAXIMUM)
#: ``sexe`` (facultatif) : sert aux quotients de mortalité des projections pluriannuelles.
SEXES = ("femme", "homme")
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
#: Carrières non salariées : colonne AAAA → (variable du modèle, minimum) ; un
#: revenu agricole peut être un déficit (négatif).
CARRIERES_NON_SALARIEES = {
    "rpns": ("rpns_imposables", 0.0),
    "rag": ("rag", -REEL_MAXIMUM),
}
MOTIF_CARRIERE_NON_SALARIEE = re.compile(r"^(rpns|rag)_(\d{4})$")
#: Plus petite fraction de part de quotient familial.
QUART_DE_PART = 0.25
#: Colonne d'une erreur qui porte sur le fichier entier.
SANS_COLONNE = "—"
#: Lignes fautives (et leurs ``id``) citées dans le message ; au-delà : « et N autres ».
LIGNES_MONTREES = 5


class PopulationInvalide(ValueError):
    """Population refusée : le message (une ligne) nomme le fichier s'il est connu,
    la colonne et les premières lignes fautives."""

    def __init__(
        self,
        colonne: str,
        message: str,
        lignes: Iterable[int] | None = None,
        ids: Iterable[object] | None = None,
        fichier: str | Path | None = None,
    ) -> None:
        self.colonne = colonne
        self.message = " ".join(str(message).split())  # une seule ligne
        self.lignes = [] if lignes is None else [int(i) for i in lignes]
        self.ids = [] if ids is None else list(ids)[:LIGNES_MONTREES]
        self.fichier = None if fichier is None else str(fichier)
        super().__init__(self._texte())

    def _texte(self) -> str:
        texte = self.message if self.colonne == SANS_COLONNE else f"colonne « {self.colonne} » : {self.message}"
        if self.fichier:
            texte = f"fichier « {self.fichier} »{' :' if self.colonne == SANS_COLONNE else ','} {texte}"
        if self.lignes:
            montrees = ", ".join(str(i) for i in self.lignes[:LIGNES_MONTREES])
            texte += f" — lignes {montrees}"
            if self.ids:
                texte += f" (id {', '.join(str(i) for i in self.ids)})"
            if len(self.lignes) > LIGNES_MONTREES:
                texte += f" et {len(self.lignes) - LIGNES_MONTREES} autres"
        return texte

    def dans(self, fichier: str | Path) -> PopulationInvalide:
        """La même erreur, rattachée au fichier lu."""
        self.fichier = str(fichier)
        self.args = (self._texte(),)
        return self

    def __str__(self) -> str:
        return self._texte()


#: Au-delà, une borne s'écrit en notation scientifique.
ECRITURE_ENTIERE = 1e15
#: En deçà, un entier s'écrit sans séparateur de milliers (une année).
SANS_SEPARATEUR = 10_000


def lisible(borne: float) -> str:
    """Une borne écrite exactement : ``2 147 483 647``, ``0.5``, ``-3.403e+38``."""
    if float(borne).is_integer() and abs(borne) < ECRITURE_ENTIERE:
        entier = int(borne)
        return str(entier) if abs(entier) < SANS_SEPARATEUR else f"{entier:,}".replace(",", " ")
    return f"{borne:.4g}"


def colonnes_salaire(df: pd.DataFrame) -> dict[int, str]:
    """Années de carrière présentes : {année: nom de colonne}, triées."""
    trouvees = {int(m.group(1)): c for c in df.columns if (m := MOTIF_SALAIRE.match(str(c)))}
    return dict(sorted(trouvees.items()))


def colonnes_non_salariees(df: pd.DataFrame) -> dict[tuple[str, int], str]:
    """Années de revenus non salariés présentes : {(préfixe rpns ou rag, année): colonne}, triées."""
    trouvees = {
        (m.group(1), int(m.group(2))): c for c in df.columns if (m := MOTIF_CARRIERE_NON_SALARIEE.match(str(c)))
    }
    return dict(sorted(trouvees.items()))


def colonnes_rfr(df: pd.DataFrame) -> dict[int, str]:
    """Années de revenu fiscal de référence présentes : {année: nom de colonne}, triées."""
    trouvees = {int(m.group(1)): c for c in df.columns if (m := MOTIF_RFR.match(str(c)))}
    return dict(sorted(trouvees.items()))


def carriere_longue_en_colonnes(population: pd.DataFrame, carriere: pd.DataFrame) -> pd.DataFrame:
    """Ajoute à ``population`` les colonnes ``salaire_AAAA`` d'une table longue
    (``id``, ``annee``, ``salaire_brut_annuel``) ; années absentes = 0.

    La table est contrôlée comme une population (lignes de la table citées) :
    ``annee`` entière parmi les années admises, salaire lisible (virgule
    décimale admise), positif et fini, un seul salaire par personne et par
    année, personnes de la population ; une année que la population donne
    déjà en colonne ``salaire_AAAA`` est refusée (les deux sources se
    contrediraient)."""
    manquantes = [c for c in ("id", "annee", "salaire_brut_annuel") if c not in carriere.columns]
    if manquantes:
        raise PopulationInvalide(manquantes[0], "colonne absente de la table de carrière")
    if "id" not in population.columns:
        colonne, msg = "id", "colonne obligatoire absente de la population (voir le schéma : docs/population.md)"
        raise PopulationInvalide(colonne, msg)
    carriere = carriere.reset_index(drop=True)
    if carriere["id"].isna().any():
        _refuser(carriere, "id", "valeur manquante", carriere["id"].isna().to_numpy())
    annees = _nombres(carriere, "annee", "int", *ANNEES_ADMISES)
    salaires = _nombres(carriere, "salaire_brut_annuel", "float", 0.0, REEL_MAXIMUM)
    carriere = pd.DataFrame({"id": carriere["id"].to_numpy(), "annee": annees, "salaire_brut_annuel": salaires})
    deja = colonnes_salaire(population)
    en_double = np.isin(annees, list(deja))
    if en_double.any():
        premiere = int(annees[en_double][0])
        msg = (
            f"l'année {premiere} est aussi la colonne « {deja[premiere]} » de la population : "
            "chaque année de carrière vient de l'une ou de l'autre"
        )
        _refuser(carriere, "annee", msg, en_double)
    doublons = carriere.duplicated(["id", "annee"], keep=False).to_numpy()
    if doublons.any():
        colonne, msg = "annee", "deux salaires pour la même personne et la même année (table de carrière)"
        _refuser(carriere, colonne, msg, doublons)
    inconnus = ~carriere["id"].isin(population["id"]).to_numpy()
    if inconnus.any():
        _refuser(carriere, "id", "identifiants absents de la population", inconnus)
    # (id, annee) est unique (contrôlé ci-dessus) : « first » reprend l'unique salaire.
    large = carriere.pivot_table(index="id", columns="annee", values="salaire_brut_annuel", aggfunc="first")
    large.columns = [f"salaire_{int(a)}" for a in large.columns]
    large = large.reindex(population["id"]).fillna(0.0).astype(np.float32)
    large.index = population.index
    return pd.concat([population, large], axis=1)


def lire_population(
    chemin: str | Path, carriere: str | Path | None = None, *, format_date: str | None = None
) -> pd.DataFrame:
    """Lit une population CSV, Excel ou Parquet (et, au besoin, sa carrière longue), puis la valide.

    CSV : séparateur ``;``, ``,`` ou tabulation détecté, virgule décimale
    admise, UTF-8 (avec ou sans BOM) ou Latin-1/Windows-1252. Dates : ISO
    (AAAA-MM-JJ) seulement, sauf ``format_date`` (par exemple ``"%d/%m/%Y"``).
    Toute erreur est une :class:`PopulationInvalide` qui nomme le fichier.
    """
    from openfisca_invalidite.population.lecture import lire_tableau

    df = lire_tableau(chemin)
    try:
        if carriere is not None:
            try:
                df = carriere_longue_en_colonnes(df, lire_tableau(carriere))
            except PopulationInvalide as erreur:
                raise erreur.dans(carriere) from None
        return valider_population(df, format_date=format_date)
    except PopulationInvalide as erreur:
        if erreur.fichier is None:
            erreur.dans(chemin)
        raise


def _lignes(masque: np.ndarray) -> np.ndarray:
    """Numéros de ligne d'un CSV (en-tête = ligne 1) des lignes fautives."""
    return np.flatnonzero(masque) + 2


def _refuser(df: pd.DataFrame, colonne: str, message: str, masque: np.ndarray) -> NoReturn:
    masque = np.asarray(masque, dtype=bool)
    raise PopulationInvalide(colonne, message, _lignes(masque), df["id"].to_numpy()[masque][:LIGNES_MONTREES])


def defaut_du_format_date(format_date: str) -> str | None:
    """Ce qui ne va pas dans un format de date déclaré (``--format-date``), ou None :
    une directive inconnue ou ambiguë, ou un jour, un mois ou une année qu'il ne lit pas."""
    directives = re.findall(r"%(.?)", format_date)
    for directive in directives:
        if directive == "y":
            return "année à deux chiffres (%y) : le siècle serait deviné ; écrivez l'année en entier (%Y)"
        if directive not in DIRECTIVES_DATE:
            return f"directive inconnue « %{directive} » (par exemple %d/%m/%Y)"
    manquent = [nom for lisent, nom in PARTIES_DATE if not set(lisent) & set(directives)]
    if manquent:
        return f"le format ne lit pas {', '.join(manquent)} (par exemple %d/%m/%Y)"
    return None


def valider_population(df: pd.DataFrame, *, format_date: str | None = None) -> pd.DataFrame:
    """Contrôle et normalise une population ; rend une copie prête pour le moteur.

    Types de sortie : ``id`` et ``famille_id`` tels quels (uniques / groupants),
    réels en float64 (salaires en float32), dates en ``datetime64[D]``,
    ``role_famille`` complété. Les colonnes hors schéma sont gardées telles
    quelles (on peut regrouper les résultats par elles). Lève
    :class:`PopulationInvalide` sinon.
    """
    if not isinstance(df, pd.DataFrame):
        msg = "la population doit être un pandas.DataFrame"
        raise TypeError(msg)
    if format_date is not None and (defaut := defaut_du_format_date(format_date)):
        raise PopulationInvalide(SANS_COLONNE, f"format de date « {format_date} » : {defaut}")
    salaires = _verifier_colonnes(df)
    df = df.reset_index(drop=True)
    sortie = pd.DataFrame(index=df.index)
    _valider_identifiants(df, sortie)
    _valider_dates(df, sortie, format_date)
    _valider_categories(df, sortie)
    _valider_numeriques(df, sortie)
    _valider_booleens(df, sortie)
    _valider_sexe(df, sortie)
    _valider_enumerations(df, sortie)
    # Les carrières (des dizaines de colonnes) en un seul bloc.
    carrieres = {colonne: _nombres(df, colonne, "float", 0.0, REEL_MAXIMUM) for colonne in salaires.values()}
    for (prefixe, _), colonne in colonnes_non_salariees(df).items():
        carrieres[colonne] = _nombres(df, colonne, "float", CARRIERES_NON_SALARIEES[prefixe][1], REEL_MAXIMUM)
    sortie = pd.concat([sortie, pd.DataFrame(carrieres, index=sortie.index, dtype=np.float32)], axis=1)
    _valider_fiscal(df, sortie)
    sortie["role_famille"] = _roles(df, sortie)
    autres = [c for c in df.columns if c not in sortie.columns]
    if autres:
        sortie = pd.concat([sortie, df[autres]], axis=1)
    return sortie


def verifier_periode(population: pd.DataFrame, premier_jour: str | np.datetime64, dernier_jour: str) -> None:
    """Refuse une naissance postérieure au premier mois calculé (le dernier jour
    ``dernier_jour`` de ce mois) ou un début d'invalidité antérieur à la naissance."""
    naissance = population["date_naissance"].to_numpy().astype("datetime64[D]")
    trop_tard = naissance > np.datetime64(dernier_jour, "D")
    if trop_tard.any():
        _refuser(
            population,
            "date_naissance",
            f"naissance postérieure à la période calculée (qui commence le {premier_jour})",
            trop_tard,
        )
    debut = population["date_debut_invalidite"].to_numpy().astype("datetime64[D]")
    avant = debut < naissance
    if avant.any():
        _refuser(population, "date_debut_invalidite", "début d'invalidité antérieur à la naissance", avant)


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
        raise PopulationInvalide(SANS_COLONNE, "aucune personne (aucune ligne sous l'en-tête)")
    return salaires


def _valider_fiscal(df: pd.DataFrame, sortie: pd.DataFrame) -> None:
    """``rfr_AAAA`` (≥ 0, renseignés), ``nbptr`` par quarts de part, ``zone_residence`` parmi ``ZONES``."""
    for colonne in colonnes_rfr(df).values():
        sortie[colonne] = _nombres(df, colonne, "float", 0.0, REEL_MAXIMUM)
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


def _valider_dates(df: pd.DataFrame, sortie: pd.DataFrame, format_date: str | None) -> None:
    """Dates sans ambiguïté : type date (Parquet, Excel) ou texte ISO AAAA-MM-JJ
    (ou au ``format_date`` déclaré) ; naissance obligatoire ; invalidité vide =
    ``DATE_SANS_INVALIDITE``. Un nombre dans une colonne de date est refusé."""
    for colonne in (*DATES, *(c for c in DATES_FACULTATIVES if c in df.columns)):
        dates = _dates(df, colonne, format_date)
        if colonne != "date_naissance":  # population déjà validée : 31/12/9999 = pas de date
            dates = dates.where(dates.dt.year != DATE_SANS_INVALIDITE.astype(object).year)
        manquant = dates.isna().to_numpy()
        if colonne == "date_naissance" and manquant.any():
            _refuser(df, colonne, "valeur manquante", manquant)
        annees = dates.dt.year.to_numpy()
        hors = ~manquant & ((annees < ANNEES_ADMISES[0]) | (annees > ANNEES_ADMISES[1]))
        if hors.any():
            premiere = df[colonne][hors].iloc[0]
            _refuser(
                df, colonne, f"année hors de {ANNEES_ADMISES[0]}-{ANNEES_ADMISES[1]} (« {premiere} »)", np.asarray(hors)
            )
        valeurs = dates.to_numpy().astype("datetime64[D]")
        if colonne != "date_naissance":
            valeurs = np.where(manquant, DATE_SANS_INVALIDITE, valeurs)
        sortie[colonne] = valeurs
    if "date_effet_pension_invalidite" in sortie.columns:
        effet = sortie["date_effet_pension_invalidite"].to_numpy()
        debut = sortie["date_debut_invalidite"].to_numpy()
        # R341-12 : la pension prend effet quand l'invalidité est appréciée, jamais avant l'arrêt.
        fautive = (effet != DATE_SANS_INVALIDITE) & ((effet < debut) | (debut == DATE_SANS_INVALIDITE))
        if fautive.any():
            message = "date d'effet antérieure à l'arrêt, ou sans date d'arrêt (date_debut_invalidite)"
            _refuser(df, "date_effet_pension_invalidite", message, fautive)


def _dates(df: pd.DataFrame, colonne: str, format_date: str | None) -> pd.Series:
    brut = df[colonne]
    if pd.api.types.is_datetime64_any_dtype(brut):
        return pd.Series(pd.to_datetime(brut).dt.tz_localize(None) if brut.dt.tz else pd.to_datetime(brut))
    if pd.api.types.is_numeric_dtype(brut) or pd.api.types.is_bool_dtype(brut):
        present = brut.notna().to_numpy()
        if present.any():
            premiere = brut[present].iloc[0]
            _refuser(df, colonne, f"nombre « {premiere} » dans une colonne de date (date AAAA-MM-JJ attendue)", present)
        return pd.Series(pd.NaT, index=brut.index, dtype="datetime64[ns]")
    return _dates_ecrites(df, colonne, format_date)


def _dates_ecrites(df: pd.DataFrame, colonne: str, format_date: str | None) -> pd.Series:
    """Colonne de texte (CSV) ou mêlant dates et texte (Excel)."""
    brut = df[colonne]
    valeurs = brut.astype(object)
    present = valeurs.notna().to_numpy().copy()
    genre = pd.api.types.infer_dtype(valeurs, skipna=True)
    if genre in ("date", "datetime", "datetime64"):
        est_date = present
    elif genre in ("string", "empty"):
        est_date = np.zeros(len(valeurs), dtype=bool)
    else:  # mélange (Excel : cellules date et texte) : rare, contrôlé valeur par valeur
        types_date = (datetime.date, np.datetime64, pd.Timestamp)
        est_date = np.fromiter((isinstance(v, types_date) for v in valeurs), dtype=bool, count=len(valeurs))
    texte = valeurs.where(~est_date & present).astype("string").str.strip()
    vide = (texte == "").fillna(value=False).to_numpy(dtype=bool)
    present = present & ~vide
    nombre = present & ~est_date & texte.str.fullmatch(r"[-+]?\d+([.,]\d+)?").fillna(value=False).to_numpy(dtype=bool)
    if nombre.any():
        _refuser(
            df,
            colonne,
            f"nombre « {texte[nombre].iloc[0]} » dans une colonne de date (date AAAA-MM-JJ attendue)",
            nombre,
        )
    a_lire = present & ~est_date
    if format_date is None:
        non_iso = a_lire & ~texte.str.fullmatch(MOTIF_DATE_ISO.pattern).fillna(value=False).to_numpy(dtype=bool)
        if non_iso.any():
            premiere = texte[non_iso].iloc[0]
            _refuser(
                df,
                colonne,
                f"date « {premiere} » hors du format ISO AAAA-MM-JJ (un autre format se déclare : "
                "--format-date, ou format_date=, par exemple %d/%m/%Y)",
                non_iso,
            )
        lues = pd.to_datetime(texte.where(a_lire).str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
        attendu = "AAAA-MM-JJ"
    else:
        lues = pd.to_datetime(texte.where(a_lire), format=format_date, errors="coerce")
        attendu = f"format déclaré {format_date}"
    illisible = a_lire & lues.isna().to_numpy()
    if illisible.any():
        _refuser(df, colonne, f"date invalide « {texte[illisible].iloc[0]} » ({attendu})", illisible)
    if est_date.any():
        lues = lues.where(~est_date, pd.to_datetime(valeurs.where(est_date), errors="coerce"))
    return pd.Series(pd.to_datetime(lues), index=brut.index)


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


def _valider_enumerations(df: pd.DataFrame, sortie: pd.DataFrame) -> None:
    """Colonnes de ``ENUMERATIONS_FACULTATIVES`` : absente ou vide = la première valeur admise."""
    for colonne, admises in ENUMERATIONS_FACULTATIVES.items():
        if colonne not in df.columns:
            sortie[colonne] = pd.Categorical(np.full(len(df), admises[0]), categories=admises)
            continue
        brut = df[colonne]
        texte = brut.astype(object).where(brut.notna(), "").astype(str).str.strip()
        texte = texte.where(texte != "", admises[0])
        inconnue = ~texte.isin(admises).to_numpy()
        if inconnue.any():
            premiere = texte.to_numpy()[inconnue][0]
            _refuser(df, colonne, f"valeur inconnue « {premiere} » (admises : {', '.join(admises)})", inconnue)
        sortie[colonne] = pd.Categorical(texte, categories=admises)


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


def _valider_sexe(df: pd.DataFrame, sortie: pd.DataFrame) -> None:
    """``sexe`` facultatif : femme / homme (F / H admis) ; absent ou vide = inconnu."""
    if "sexe" not in df.columns:
        return
    brut = df["sexe"]
    texte = brut.astype(object).where(brut.notna(), "").astype(str).str.strip().str.lower()
    texte = texte.replace({"f": "femme", "h": "homme", "m": "homme"})
    inconnu = ~texte.isin([*SEXES, ""]).to_numpy()
    if inconnu.any():
        _refuser(df, "sexe", f"sexe inconnu « {brut[inconnu].iloc[0]} » (admis : femme, homme)", inconnu)
    sortie["sexe"] = pd.Categorical(texte.where(texte != "", None), categories=SEXES)


def _nombres(df: pd.DataFrame, colonne: str, genre: str, minimum: float | None, maximum: float | None) -> np.ndarray:
    brut = df[colonne]
    if brut.dtype == object or pd.api.types.is_string_dtype(brut):
        brut = _nombres_ecrits(brut)
    valeurs = pd.to_numeric(brut, errors="coerce")
    illisible = (valeurs.isna() & brut.notna()).to_numpy()
    if illisible.any():
        premiere = df[colonne].to_numpy()[illisible][0]
        _refuser(df, colonne, f"valeur non numérique « {premiere} »", illisible)
    valeurs = valeurs.to_numpy(dtype=np.float64)
    manquant = np.isnan(valeurs)
    if manquant.any():
        _refuser(df, colonne, "valeur manquante (NaN)", manquant)
    infini = ~np.isfinite(valeurs)
    if infini.any():
        _refuser(df, colonne, "valeur infinie", infini)
    if minimum is not None and (valeurs < minimum).any():
        premiere = valeurs[valeurs < minimum][0]
        trop = "négative" if minimum == 0 else "trop petite"
        _refuser(df, colonne, f"valeur {premiere:g} {trop} (au moins {lisible(minimum)})", valeurs < minimum)
    if maximum is not None and (valeurs > maximum).any():
        premiere = valeurs[valeurs > maximum][0]
        _refuser(df, colonne, f"valeur {premiere:g} trop grande (au plus {lisible(maximum)})", valeurs > maximum)
    if genre == "int":
        non_entier = valeurs != np.floor(valeurs)
        if non_entier.any():
            _refuser(df, colonne, "nombre entier attendu", non_entier)
        return valeurs.astype(np.int64)
    return valeurs


def _nombres_ecrits(brut: pd.Series) -> pd.Series:
    """Nombres écrits en texte, à la française ou non : espaces (dont insécables)
    ôtés, virgule décimale lue comme un point (« 1 234,5 » → 1234.5)."""
    texte = brut.astype("string").str.replace(r"[\s\u00a0\u202f]", "", regex=True)
    virgule = texte.str.fullmatch(r"[-+]?\d*,\d+").fillna(value=False).to_numpy(dtype=bool)
    texte = texte.where(~virgule, texte.str.replace(",", ".", regex=False))
    return texte.where(texte != "").astype(object).where(lambda t: t.notna(), None)


def _roles(df: pd.DataFrame, sortie: pd.DataFrame) -> np.ndarray:
    """Rôles complétés et contrôlés ; familles et rôles comptés en codes entiers
    (rang dans ``ROLES``), les valeurs distinctes lues une fois chacune."""
    familles = pd.factorize(sortie["famille_id"], sort=False)[0]
    nombre = int(familles.max()) + 1 if familles.size else 0
    rang = pd.Series(familles).groupby(familles, sort=False).cumcount().to_numpy()
    par_defaut = np.minimum(rang, 2)  # demandeur, conjoint puis enfants
    if "role_famille" in df.columns:
        codes, distinctes = pd.factorize(df["role_famille"], sort=False)  # valeur absente : -1
        ecrites = [str(valeur).strip() for valeur in distinctes]
        rangs = np.array([ROLES.index(r) if r in ROLES else -1 for r in ecrites], dtype=np.int64)
        roles = np.where(codes < 0, par_defaut, rangs[codes] if rangs.size else codes)
        inconnu = roles < 0
        if inconnu.any():
            premier = ecrites[codes[np.argmax(inconnu)]]
            _refuser(df, "role_famille", f"rôle inconnu « {premier} » (admis : {', '.join(ROLES)})", inconnu)
    else:
        roles = par_defaut
    for code, role in enumerate(ROLES[:2]):
        porte = roles == code
        trop = porte & (np.bincount(familles[porte], minlength=nombre)[familles] > 1)
        if trop.any():
            _refuser(df, "role_famille", f"plusieurs « {role} » dans la même famille", trop)
    sans = np.bincount(familles[roles == 0], minlength=nombre)[familles] == 0
    if sans.any():
        _refuser(df, "role_famille", "famille sans demandeur", sans)
    return np.array(ROLES)[roles]
