"""Moteur de simulation de population : OpenFisca, par blocs de familles.

Les colonnes de la population sont lues une fois (:class:`Colonnes` : familles,
rôles et énumérations en codes entiers). Chaque bloc (un ensemble de familles
entières, des lignes qui se suivent) devient une ``Simulation`` OpenFisca dont
les entités et les entrées sont posées par tableaux, sans objet Python par
personne ; les entrées mensuelles sont données une fois et le même tableau sert
à chaque mois de la fenêtre. Le bloc est calculé pour la loi en vigueur puis
pour chaque réforme, et la simulation est libérée aussitôt : la mémoire reste
bornée par la taille d'un bloc, quelle que soit la taille de la population.

Moteurs (:data:`MOTEURS`), les mêmes résultats : ``local`` (ce processus),
``processus`` (un processus par cœur) et ``dask`` (fils d'exécution de ce
processus par défaut, processus d'un ``LocalCluster``, ou un ordonnanceur
existant : une machine ou un cluster).
"""

from __future__ import annotations

import atexit
import functools
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from openfisca_core import periods
from openfisca_core.indexed_enums import EnumArray
from openfisca_core.simulations import SimulationBuilder

from openfisca_invalidite.commons import oublier
from openfisca_invalidite.population.schema import (
    ANNEES_ADMISES,
    CARRIERES_NON_SALARIEES,
    ENUMERATIONS_FACULTATIVES,
    MOTIF_CARRIERE_NON_SALARIEE,
    MOTIF_RFR,
    MOTIF_SALAIRE,
    PopulationInvalide,
    colonnes_non_salariees,
    colonnes_rfr,
    colonnes_salaire,
    valider_population,
)

if TYPE_CHECKING:
    from openfisca_core.reforms import Reform
    from openfisca_core.simulations import Simulation
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from tqdm import tqdm

    from openfisca_invalidite.population.revalorisation import Revalorisation

    #: Une réforme demandée : nom du registre, classe ``Reform``, couple (nom, réforme) ou fabrique.
    ReformeDemandee = str | type[Reform] | tuple[str, object] | Callable[[], type]

journal = logging.getLogger(__name__)

#: Prélèvements sociaux sur la pension (montants négatifs), pension nette et revenu
#: disponible : calculés quand la population donne le revenu fiscal de référence
#: (colonnes ``rfr_AAAA``), dont dépend le taux de CSG.
VARIABLES_NETTES = (
    "csg_deductible_pension_invalidite",
    "csg_imposable_pension_invalidite",
    "crds_pension_invalidite",
    "casa_pension_invalidite",
    "pension_invalidite_nette",
    "revenu_disponible_invalidite",
)
#: Variables calculées, dans l'ordre de la chaîne ; asi/aah quand elles existent.
VARIABLES = (
    "pension_invalidite_eligible",
    "salaire_annuel_moyen",
    "pension_invalidite",
    "majoration_tierce_personne",
    "asi",
    "aah",
    *VARIABLES_NETTES,
)
#: Prestations versées (montants sommés en coût et dans le total).
PRESTATIONS = ("pension_invalidite", "majoration_tierce_personne", "asi", "aah")
#: Revenu disponible tiré de ces prestations (net des contributions), quand le
#: modèle le calcule : les déciles, gagnants et perdants le prennent alors à la
#: place de la somme des PRESTATIONS, et les agrégats le chiffrent en plus.
REVENU_DISPONIBLE = "revenu_disponible_invalidite"
#: Montants nets chiffrés à part dans les agrégats (hors du total des prestations) :
#: la pension nette et les prélèvements sur la pension (CSG, CRDS, CASA, négatifs).
MONTANTS_NETS = ("pension_invalidite_nette", *VARIABLES_NETTES[:4])
#: Entrées mensuelles du schéma : même valeur pour chaque mois de la fenêtre.
ENTREES_MENSUELLES = (
    "categorie_invalidite",
    "reduction_capacite_travail",
    "duree_immatriculation",
    "heures_travaillees_12_mois",
    "salaire_cotise_12_mois",
    "revenus_activite",
    "taux_incapacite",
    "aah_restriction_substantielle_durable_acces_emploi",
    "autres_ressources",
    "indemnites_journalieres_maladie",
    "inapte_travail",
    "aspa_eligibilite",
    "residence_france",
    "aah_conjugalise_eligible",
    "zone_residence",
    "residence_fiscale_france",
    "affilie_assurance_maladie_france",
)
#: Mois d'historique donnés aux entrées mensuelles avant la période calculée
#: (le cumul regarde 13 mois en arrière, les ressources de l'ASI/AAH jusqu'à N-2).
MOIS_HISTORIQUE = 36
LOI_EN_VIGUEUR = "loi_en_vigueur"
TAILLE_BLOC = 250_000
#: Longueur d'une période d'un mois, écrite « AAAA-MM » (une année s'écrit « AAAA »).
LONGUEUR_MOIS = len("AAAA-MM")
#: Parents d'un couple (rôles demandeur et conjoint) : la famille est en couple à partir de 2.
PARENTS_D_UN_COUPLE = 2
#: Hôte de la boucle locale : un LocalCluster n'écoute que là (ordonnanceur,
#: travailleurs, serveurs HTTP de santé), sauf le tableau de bord si on le demande.
BOUCLE_LOCALE = "127.0.0.1"
#: Adresse du tableau de bord d'un LocalCluster : la boucle locale, un port libre.
TABLEAU_DE_BORD = f"{BOUCLE_LOCALE}:0"
#: Écritures qui demandent de ne pas ouvrir de tableau de bord.
SANS_TABLEAU_DE_BORD = ("aucun", "non", "none", "")
#: Plus grand numéro de port.
PORT_MAXIMUM = 65_535


class ReformeInconnue(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


# --------------------------------------------------------------------------- réformes
def reformes_disponibles() -> dict:
    """Registre ``openfisca_invalidite.reforms.REFORMES`` (vide s'il n'existe pas encore)."""
    try:
        from openfisca_invalidite.reforms import REFORMES  # installé (wheel)
    except ImportError:
        try:
            from reforms import REFORMES  # dépôt, si le dossier est importable
        except ImportError:
            return {}
    return dict(REFORMES)


def resoudre_reforme(reforme: ReformeDemandee) -> tuple[str, type]:
    """Nom et classe ``Reform`` d'une réforme donnée par son nom du registre,
    par sa classe, par un couple (nom, classe) ou par une fabrique sans argument."""
    from openfisca_core.reforms import Reform

    if isinstance(reforme, tuple):
        nom, classe = reforme
        return str(nom), resoudre_reforme(classe)[1]
    if isinstance(reforme, str):
        registre = reformes_disponibles()
        if reforme not in registre:
            noms = (
                ", ".join(sorted(registre)) or "aucune (registre openfisca_invalidite.reforms.REFORMES absent ou vide)"
            )
            msg = f"réforme inconnue « {reforme} » ; réformes disponibles : {noms}"
            raise ReformeInconnue(msg)
        return reforme, resoudre_reforme(registre[reforme])[1]
    if isinstance(reforme, type) and issubclass(reforme, Reform):
        return reforme.__name__, reforme
    if callable(reforme):
        classe = reforme()
        if isinstance(classe, type) and issubclass(classe, Reform):
            return getattr(reforme, "__name__", classe.__name__), classe
    msg = f"réforme illisible : {reforme!r} (nom du registre, classe Reform ou fabrique)"
    raise TypeError(msg)


@functools.lru_cache(maxsize=1)
def systeme_de_base() -> TaxBenefitSystem:
    from openfisca_invalidite import CountryTaxBenefitSystem

    return CountryTaxBenefitSystem()


@functools.lru_cache(maxsize=8)
def _systemes(reformes: tuple, revalorisation: Revalorisation | None = None, jusqua: int | None = None) -> dict:
    """{scénario: système socio-fiscal}, construits une fois par processus.

    Avec ``revalorisation``, les barèmes de chaque scénario (loi en vigueur et
    réformes) sont revalorisés après leur dernière valeur jusqu'à l'année
    ``jusqua`` : la réforme étudiée d'abord, la revalorisation ensuite.
    """
    base = systeme_de_base()
    revaloriser = None
    if revalorisation is not None:
        from openfisca_invalidite.population.revalorisation import reforme_revalorisation

        revaloriser = reforme_revalorisation(revalorisation, int(jusqua))
    systemes = {LOI_EN_VIGUEUR: base if revaloriser is None else revaloriser(base)}
    for reforme in reformes:
        nom, classe = resoudre_reforme(reforme)
        if nom in systemes:
            msg = f"réforme demandée deux fois : {nom}"
            raise ValueError(msg)
        systemes[nom] = classe(base) if revaloriser is None else revaloriser(classe(base))
    return systemes


def noms_scenarios(reformes: Sequence = ()) -> list[str]:
    return [LOI_EN_VIGUEUR, *(resoudre_reforme(r)[0] for r in reformes)]


# --------------------------------------------------------------------------- périodes
class PeriodeInvalide(ValueError):
    """Période illisible ou que les barèmes ne couvrent pas : dit avant tout calcul."""


def mois_de(periode: str) -> list[str]:
    """Mois calculés : ``AAAA-MM`` → ce mois ; ``AAAA`` → ses 12 mois. Les années
    sont celles qu'admettent les dates d'une population (``ANNEES_ADMISES``)."""
    attendu = f"période « {periode} » : un mois AAAA-MM ou une année AAAA attendu"
    try:
        p = periods.period(str(periode))
    except ValueError:  # PeriodError d'OpenFisca, ParserError de pendulum
        raise PeriodeInvalide(attendu) from None
    if not ANNEES_ADMISES[0] <= p.start.year <= ANNEES_ADMISES[1]:
        msg = f"période {periode} : année hors de {ANNEES_ADMISES[0]}-{ANNEES_ADMISES[1]}"
        raise PeriodeInvalide(msg)
    if p.unit == periods.DateUnit.MONTH and p.size == 1:
        return [str(p)]
    if p.unit == periods.DateUnit.YEAR and p.size == 1:
        return [str(m) for m in p.get_subperiods(periods.DateUnit.MONTH)]
    raise PeriodeInvalide(attendu)


#: Personnes de la population synthétique sur laquelle :func:`verifier_periode_couverte`
#: essaie un mois (assez pour des familles, des régimes et des catégories différents).
TAILLE_ECHANTILLON = 100
#: Mois cherchés par :func:`premier_mois_couvert` : ceux des années admises.
MOIS_CHERCHES = (ANNEES_ADMISES[0] * 12, ANNEES_ADMISES[1] * 12 + 11)


def _bareme_de(erreur: Exception, defaut: str) -> tuple[str, str]:
    """Le barème (chemin pointé) et la date d'une ``ParameterNotFoundError``."""
    trouve = re.search(r"parameter '([^']+)'", str(erreur))
    nom = trouve.group(1) if trouve else str(getattr(erreur, "name", "?"))
    return nom.replace("[", ".").replace("]", ""), str(getattr(erreur, "instant_str", defaut))


def _en_mois(rang: int) -> str:
    return f"{rang // 12:04d}-{rang % 12 + 1:02d}"


@functools.lru_cache(maxsize=64)
def _bareme_manquant(
    mois: str, reformes: tuple = (), revalorisation: Revalorisation | None = None, jusqua: int | None = None
) -> tuple[str, str] | None:
    """Le barème sans valeur (nom, date) que lit la chaîne entière sur un échantillon
    de la population synthétique tirée pour ``mois``, ou None si tout se calcule."""
    from openfisca_core.errors import ParameterNotFoundError

    from openfisca_invalidite.population.synthetique import generer_population

    try:
        echantillon = valider_population(generer_population(TAILLE_ECHANTILLON, mois, graine=0))
    except PopulationInvalide:  # un mois si ancien que les naissances tirées précèdent 1900
        return "", f"{mois}-01"
    try:
        calculer_bloc(echantillon, mois, reformes, None, revalorisation, jusqua)
    except ParameterNotFoundError as erreur:
        return _bareme_de(erreur, mois)
    return None


@functools.lru_cache(maxsize=8)
def premier_mois_couvert(
    reformes: tuple = (), revalorisation: Revalorisation | None = None, jusqua: int | None = None
) -> str | None:
    """Le premier mois (AAAA-MM) que les barèmes couvrent : la chaîne lit des barèmes
    à la date du mois calculé et de mois qui le précèdent. Cherché par dichotomie
    parmi les mois des années admises (une dizaine de calculs d'un échantillon) ;
    None si aucun mois ne se calcule."""
    bas, haut = MOIS_CHERCHES
    if _bareme_manquant(_en_mois(haut), reformes, revalorisation, jusqua) is not None:
        return None
    if _bareme_manquant(_en_mois(bas), reformes, revalorisation, jusqua) is None:
        return _en_mois(bas)
    while haut - bas > 1:  # bas ne se calcule pas, haut se calcule
        milieu = (bas + haut) // 2
        if _bareme_manquant(_en_mois(milieu), reformes, revalorisation, jusqua) is None:
            haut = milieu
        else:
            bas = milieu
    return _en_mois(haut)


def _hors_des_baremes(periode: str, manquant: tuple[str, str], contexte: tuple) -> PeriodeInvalide:
    """L'erreur d'une période que les barèmes ne couvrent pas : ``manquant`` (nom du
    barème, date), ``contexte`` (réformes, revalorisation, dernière année)."""
    premier = premier_mois_couvert(*contexte)
    couverts = f"à partir de {premier}" if premier else "aucun mois"
    nom, instant = manquant
    manque = f" ; le barème « {nom} » n'a pas de valeur au {instant}" if nom else ""
    msg = f"période {periode} : les barèmes du modèle couvrent les mois {couverts}{manque}"
    return PeriodeInvalide(msg)


def verifier_periode_couverte(
    periode: str, reformes: tuple = (), revalorisation: Revalorisation | None = None, jusqua: int | None = None
) -> None:
    """Une période illisible, hors des années admises ou antérieure au premier mois
    que couvrent les barèmes est dite ici, avant la lecture de la population et
    tout calcul, avec le premier mois couvert."""
    mois = mois_de(periode)
    manquant = _bareme_manquant(mois[0], tuple(reformes), revalorisation, jusqua)
    if manquant is not None:
        raise _hors_des_baremes(periode, manquant, (tuple(reformes), revalorisation, jusqua))


# --------------------------------------------------------------------------- un bloc
#: Entrées fixes (ETERNITY) données en dates.
DATES_FIXES = ("date_naissance", "date_debut_invalidite", "date_effet_pension_invalidite")


class Colonnes:
    """Les colonnes d'une population validée, telles que le moteur les donne au
    modèle : lues une fois pour toute la population (familles, rôles et
    énumérations en codes entiers, pas de texte par personne), puis découpées
    bloc par bloc (``lignes`` : une tranche, sans copie, quand le bloc est une
    suite de lignes, ou des positions)."""

    #: Tableaux des codes calculés à la lecture, partagés avec les colonnes (:meth:`exporter`).
    CODES = ("familles", "roles", "parents", "enfants")

    def __init__(self, population: pd.DataFrame, tbs: TaxBenefitSystem) -> None:
        self.population = population
        self.noms = frozenset(map(str, population.columns))
        self.taille = len(population)
        self.familles = pd.factorize(population["famille_id"], sort=False)[0]
        roles = [role.key for role in next(e for e in tbs.entities if e.key == "famille").flattened_roles]
        self.roles = self.codes(population["role_famille"], roles)
        self.parents = np.isin(self.roles, [roles.index("demandeur"), roles.index("conjoint")])
        self.enfants = self.roles == roles.index("enfant")
        self.enumerations = {
            nom: self.codes(population[nom], list(tbs.variables[nom].possible_values.__members__))
            for nom in ("categorie_invalidite", "zone_residence", *ENUMERATIONS_FACULTATIVES)
            if nom in population and nom in tbs.variables
        }
        self.salaires = colonnes_salaire(population)
        self.non_salariees = colonnes_non_salariees(population)
        self.rfr = colonnes_rfr(population)
        self.tableaux: dict[str, np.ndarray] = {}

    @staticmethod
    def codes(colonne: pd.Series, noms: list[str]) -> np.ndarray:
        """Rang de chaque valeur dans ``noms`` (les valeurs sont validées) : les
        valeurs distinctes sont cherchées dans ``noms``, une fois chacune."""
        codes, distinctes = pd.factorize(colonne, sort=False)
        rangs = pd.Index(noms).get_indexer(pd.Index(distinctes).astype(str))
        inconnues = (codes < 0) | (rangs[codes] < 0)
        if inconnues.any():
            inconnue = colonne.to_numpy()[inconnues][0]
            msg = f"{colonne.name} : valeur « {inconnue} » inconnue du modèle (admises : {', '.join(noms)})"
            raise PopulationInvalide(str(colonne.name), msg)
        return rangs.astype(np.int16)[codes]

    def __len__(self) -> int:
        return self.taille

    def __contains__(self, nom: object) -> bool:
        return nom in self.noms

    def tableau(self, nom: str, lignes: slice | np.ndarray) -> np.ndarray:
        """La colonne ``nom`` pour les lignes du bloc (une vue pour une tranche)."""
        if nom not in self.tableaux:
            self.tableaux[nom] = self.population[nom].to_numpy()  # une vue des colonnes numériques
        return self.tableaux[nom][lignes]

    def exporter(self, dossier: Path) -> None:
        """Écrit dans ``dossier`` (un fichier .npy par tableau) ce que lit le modèle :
        les codes et les colonnes d'entrée du modèle, pour que des processus
        travailleurs les ouvrent en mémoire partagée (:meth:`ouvrir`), sans copie."""
        utiles = [c for c in self.noms if c in COLONNES_DU_MODELE or _colonne_de_carriere(c)]
        for nom in utiles:
            valeurs = self.tableau(nom, slice(None))
            if valeurs.dtype == object:  # des identifiants en texte
                valeurs = valeurs.astype(str)
            np.save(dossier / f"colonne.{nom}.npy", valeurs)
        for nom in self.CODES:
            np.save(dossier / f"code.{nom}.npy", getattr(self, nom))
        for nom, codes in self.enumerations.items():
            np.save(dossier / f"enumeration.{nom}.npy", codes)

    @classmethod
    def ouvrir(cls, dossier: Path) -> Colonnes:
        """Les colonnes écrites par :meth:`exporter`, ouvertes en mémoire partagée."""
        colonnes = cls.__new__(cls)
        colonnes.population = None
        colonnes.tableaux = {}
        colonnes.enumerations = {}
        for fichier in sorted(dossier.glob("*.npy")):
            espece, nom = fichier.stem.split(".", 1)
            valeurs = np.load(fichier, mmap_mode="r").view(np.ndarray)  # un tableau ordinaire sur la mémoire partagée
            if espece == "colonne":
                colonnes.tableaux[nom] = valeurs
            elif espece == "code":
                setattr(colonnes, nom, valeurs)
            else:
                colonnes.enumerations[nom] = valeurs
        colonnes.noms = frozenset(colonnes.tableaux)
        colonnes.taille = len(colonnes.familles)
        cadre = pd.DataFrame(columns=sorted(colonnes.noms))
        colonnes.salaires = colonnes_salaire(cadre)
        colonnes.non_salariees = colonnes_non_salariees(cadre)
        colonnes.rfr = colonnes_rfr(cadre)
        return colonnes


def _construire(tbs: TaxBenefitSystem, colonnes: Colonnes, lignes: slice | np.ndarray, mois: list[str]) -> Simulation:
    """La simulation d'un bloc : entités déclarées par tableaux (rôles en codes),
    entrées fixes, annuelles et mensuelles données une fois chacune."""
    familles = colonnes.familles[lignes]
    familles = familles - int(familles.min())  # les familles d'un bloc se suivent (decouper)
    nombre_familles = int(familles.max()) + 1
    if np.bincount(familles, minlength=nombre_familles).min() == 0:  # sinon : renuméroter
        familles = pd.factorize(familles, sort=False)[0]
        nombre_familles = int(familles.max()) + 1
    roles = colonnes.roles[lignes]
    builder = SimulationBuilder()
    builder.create_entities(tbs)
    # Ce que SimulationBuilder.declare_person_entity, declare_entity et join_with_persons
    # posent, à partir de tableaux : ces méthodes passent par des listes Python d'un
    # objet par personne (identifiants, rôles), le plus lent de la construction d'un bloc.
    individus = builder.populations["individu"]
    individus.ids = colonnes.tableau("id", lignes)
    individus.count = len(individus.ids)
    builder.persons_plural = individus.entity.plural
    famille = builder.populations["famille"]
    famille.ids = np.arange(nombre_familles)
    famille.count = nombre_familles
    famille.members_entity_id = familles  # identifiants 0…n-1 : rang = identifiant
    famille._members_role = np.array(famille.entity.flattened_roles, dtype=object)[roles]  # noqa: SLF001
    simulation = builder.build(tbs)
    _entrees_fixes_et_annuelles(simulation, colonnes, lignes)

    premier = periods.period(mois[0])
    fenetre = [premier.offset(-k) for k in range(MOIS_HISTORIQUE, 0, -1)] + [periods.period(m) for m in mois]
    variables = tbs.variables
    entrees = {}
    for nom in ENTREES_MENSUELLES:
        if nom in variables and nom in colonnes:
            if nom in colonnes.enumerations:
                valeurs = EnumArray(colonnes.enumerations[nom][lignes], variables[nom].possible_values)
            else:
                valeurs = colonnes.tableau(nom, lignes)
            entrees[nom] = valeurs
    if "en_couple" in variables:
        parents = colonnes.parents[lignes]
        entrees["en_couple"] = np.bincount(familles, weights=parents, minlength=nombre_familles) >= PARENTS_D_UN_COUPLE
    if "nombre_enfants_a_charge" in variables:
        enfants = colonnes.enfants[lignes]
        entrees["nombre_enfants_a_charge"] = np.bincount(familles, weights=enfants, minlength=nombre_familles).astype(
            np.int64
        )
    for nom, valeurs in entrees.items():
        # Contrôle et conversion une fois (set_input), puis le même tableau pour
        # chaque mois de la fenêtre : aucune copie, et les formules voient que
        # l'entrée ne change pas d'un mois à l'autre.
        simulation.set_input(nom, fenetre[0], valeurs)
        holder = simulation.get_holder(nom)
        stocke = holder.get_array(fenetre[0])
        for m in fenetre[1:]:
            holder.put_in_cache(stocke, m)
    return simulation


def _entrees_fixes_et_annuelles(simulation: Simulation, colonnes: Colonnes, lignes: slice | np.ndarray) -> None:
    """Dates (ETERNITY) et entrées annuelles : carrière, revenu fiscal de référence et parts."""
    variables = simulation.tax_benefit_system.variables
    for nom in DATES_FIXES:
        if nom in colonnes:
            simulation.set_input(nom, periods.ETERNITY, colonnes.tableau(nom, lignes).astype("datetime64[D]"))
    for nom in ENUMERATIONS_FACULTATIVES:
        if nom in colonnes.enumerations:
            codes = EnumArray(colonnes.enumerations[nom][lignes], variables[nom].possible_values)
            simulation.set_input(nom, periods.ETERNITY, codes)
    for annee, colonne in colonnes.salaires.items():
        simulation.set_input("salaire_brut_annuel", str(annee), colonnes.tableau(colonne, lignes))
    for (prefixe, annee), colonne in colonnes.non_salariees.items():
        simulation.set_input(CARRIERES_NON_SALARIEES[prefixe][0], str(annee), colonnes.tableau(colonne, lignes))
    for annee, colonne in colonnes.rfr.items():
        # Revenu fiscal de référence et parts du foyer fiscal, pour chaque année donnée.
        simulation.set_input("rfr", str(annee), colonnes.tableau(colonne, lignes))
        simulation.set_input("nbptr", str(annee), colonnes.tableau("nbptr", lignes))


def _calculer(  # noqa: PLR0917 — tâche des moteurs parallèles (arguments par position)
    colonnes: Colonnes,
    lignes: slice | np.ndarray,
    periode: str,
    reformes: tuple = (),
    variables: Sequence[str] | None = None,
    revalorisation: Revalorisation | None = None,
    jusqua: int | None = None,
) -> dict[str, np.ndarray]:
    """Résultats des lignes ``lignes`` (familles entières) : {colonne: tableau},
    dans l'ordre de :func:`calculer_bloc`."""
    mois = mois_de(periode)
    systemes = _systemes(tuple(reformes), revalorisation, jusqua)
    sortie = {}
    # Sans revenu fiscal de référence, pas de taux de CSG : seuls les montants bruts.
    nets = bool(colonnes.rfr)
    for scenario, tbs in systemes.items():
        demandees = [v for v in (variables or VARIABLES) if v in tbs.variables and (nets or v not in VARIABLES_NETTES)]
        simulation = _construire(tbs, colonnes, lignes, mois)
        suffixe = "" if scenario == LOI_EN_VIGUEUR else f"__{scenario}"
        if scenario == LOI_EN_VIGUEUR:
            sortie["age"] = np.asarray(simulation.calculate("age", mois[0]), dtype=np.int16)
        for variable in demandees:
            valeurs = None
            for m in mois:
                v = simulation.calculate(variable, m)
                if variable == "salaire_annuel_moyen":
                    valeurs = v
                elif v.dtype == bool:
                    valeurs = v if valeurs is None else (valeurs | v)
                else:
                    valeurs = v.astype(np.float64) if valeurs is None else valeurs + v
            sortie[variable + suffixe] = np.array(valeurs)  # copie : la simulation est libérée
        liberer(simulation)
    return sortie


def liberer(simulation: Simulation) -> None:
    """Rend tout de suite la mémoire des tableaux d'une simulation calculée : ses
    populations et elle se référencent les unes les autres, et le ramasse-miettes
    ne les libérerait qu'à son prochain passage, plusieurs blocs plus tard."""
    for population in simulation.populations.values():
        for variable in list(population.get_memory_usage()["by_variable"]):
            simulation.delete_arrays(variable)
    oublier(simulation)


def calculer_bloc(  # noqa: PLR0917 — arguments par position, comme les tâches des moteurs parallèles
    bloc: pd.DataFrame,
    periode: str,
    reformes: tuple = (),
    variables: Sequence[str] | None = None,
    revalorisation: Revalorisation | None = None,
    jusqua: int | None = None,
) -> pd.DataFrame:
    """Résultats d'un bloc de familles entières : une ligne par personne, même index.

    Colonnes : ``age`` (au 1er mois), puis pour la loi en vigueur ``<variable>``
    et pour chaque réforme ``<variable>__<réforme>``. Sur une année, les
    montants sont sommés sur les 12 mois, ``pension_invalidite_eligible`` vaut
    vrai si la pension est due au moins un mois, ``salaire_annuel_moyen`` est
    celui du dernier mois.
    """
    colonnes = Colonnes(bloc, systeme_de_base())
    sortie = _calculer(colonnes, slice(None), periode, reformes, variables, revalorisation, jusqua)
    return pd.DataFrame(sortie, index=bloc.index)


# --------------------------------------------------------------------------- blocs
def decouper(population: pd.DataFrame, taille_bloc: int = TAILLE_BLOC) -> list[np.ndarray]:
    """Positions des lignes de chaque bloc : des familles entières, environ
    ``taille_bloc`` personnes par bloc, découpage déterministe."""
    codes, familles = pd.factorize(population["famille_id"], sort=False)
    n = len(population)
    nombre = max(1, int(np.ceil(n / max(1, taille_bloc))))
    # Un bloc = une plage de familles numérotées dans l'ordre de première apparition.
    bloc_famille = (np.arange(len(familles)) * nombre) // max(1, len(familles))
    bloc = bloc_famille[codes]
    ordre = np.argsort(bloc, kind="stable")
    coupures = np.searchsorted(bloc[ordre], np.arange(1, nombre))
    return [b for b in np.split(ordre, coupures) if b.size]


def barre_de_progression(total: int, *, actif: bool = True, description: str = "simulation") -> tqdm:
    """Barre tqdm sur stderr, en personnes calculées (désactivée si ``actif`` est faux)."""
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=description, unit=" pers.", unit_scale=True, disable=not actif, leave=False)


def verifier_calculable(
    population: pd.DataFrame,
    periode: str,
    reformes: tuple = (),
    revalorisation: Revalorisation | None = None,
    jusqua: int | None = None,
) -> None:
    """Calcule la chaîne entière pour une famille sur le premier mois : une période
    antérieure aux barèmes (ou illisible) est dite ici, avant le calcul de toute
    la population, avec le premier mois couvert."""
    from openfisca_core.errors import ParameterNotFoundError

    mois = mois_de(periode)
    famille = population["famille_id"].iloc[0]
    echantillon = population[population["famille_id"] == famille]
    try:
        calculer_bloc(echantillon, mois[0], reformes, None, revalorisation, jusqua)
    except ParameterNotFoundError as erreur:
        manquant = _bareme_de(erreur, mois[0])
        raise _hors_des_baremes(periode, manquant, (tuple(reformes), revalorisation, jusqua)) from None


#: Plus grand nombre de processus ou de travailleurs qu'un moteur lance (un garde-fou de saisie).
PROCESSUS_MAXIMUM = 1024


def _verifier_options(taille_bloc: object, processus: object, dask_workers: object) -> None:
    """Taille de bloc et nombres de processus : des entiers ≥ 1 (0 ou un négatif ne
    veut rien dire et ferait tourner le calcul sans fin ou en silence)."""
    for nom, valeur, maximum in (
        ("taille_bloc", taille_bloc, None),
        ("processus", processus, PROCESSUS_MAXIMUM),
        ("dask_workers", dask_workers, PROCESSUS_MAXIMUM),
    ):
        if valeur is None and nom == "processus":
            continue
        if isinstance(valeur, bool) or not isinstance(valeur, (int, np.integer)) or valeur < 1:
            msg = f"{nom} = {valeur!r} : un entier ≥ 1 attendu"
            raise ValueError(msg)
        if maximum is not None and valeur > maximum:
            msg = f"{nom} = {valeur} : au plus {maximum}"
            raise ValueError(msg)


def simuler(
    population: pd.DataFrame,
    periode: str = "2025-06",
    reformes: Iterable[ReformeDemandee] = (),
    *,
    taille_bloc: int = TAILLE_BLOC,
    moteur: str = "local",
    scheduler: str | None = None,
    progression: bool | tqdm = True,
    variables: Sequence[str] | None = None,
    valider: bool = True,
    dask_workers: int = 2,
    dask_processes: bool = False,
    processus: int | None = None,
    revalorisation: Revalorisation | None = None,
    jusqua: int | None = None,
    dask_tableau_de_bord: str | None = TABLEAU_DE_BORD,
) -> pd.DataFrame:
    """Calcule la chaîne pour chaque personne, loi en vigueur et réformes.

    ``population`` : DataFrame au schéma (:mod:`.schema`), contrôlé d'abord.
    ``periode`` : ``AAAA-MM`` (un mois) ou ``AAAA`` (les 12 mois, sommés).
    ``reformes`` : noms du registre ``REFORMES``, classes ``Reform`` ou couples
    (nom, classe). ``revalorisation`` (et ``jusqua``, dernière année) : barèmes
    revalorisés après leur dernière valeur publiée
    (:mod:`.revalorisation`). ``progression`` : barre tqdm (ou une barre
    existante à faire avancer). ``moteur`` : ``local`` (ce processus),
    ``processus`` (un processus par cœur, ou ``processus`` processus),
    ``dask`` (``LocalCluster`` de ``dask_workers`` fils d'exécution, ou de
    processus avec ``dask_processes``, ou l'ordonnanceur ``scheduler``) ; les
    résultats sont les mêmes. Un ``LocalCluster`` n'écoute que sur la boucle
    locale ; son tableau de bord est à ``dask_tableau_de_bord``
    (:func:`adresse_tableau_de_bord` : défaut ``127.0.0.1``, port libre ;
    ``"aucun"`` : pas de tableau de bord). ``taille_bloc``, ``processus`` et
    ``dask_workers`` sont des entiers ≥ 1. Rend un DataFrame : ``id``,
    ``famille_id``, ``poids``, ``categorie_invalidite``, ``age``,
    ``tranche_age`` puis les variables (voir :func:`calculer_bloc`), une ligne
    par ligne d'entrée, dans l'ordre, et les autres colonnes d'entrée non
    calculées.
    """
    if moteur not in MOTEURS:
        msg = f"moteur inconnu « {moteur} » ({', '.join(MOTEURS)})"
        raise ValueError(msg)
    _verifier_options(taille_bloc, processus, dask_workers)
    tableau_de_bord = adresse_tableau_de_bord(dask_tableau_de_bord)
    if valider:
        population = valider_population(population)
    reformes = tuple(reformes)
    noms_scenarios(reformes)  # erreur immédiate si une réforme est inconnue
    verifier_annees_rfr(population, mois_de(periode))
    if revalorisation is not None and jusqua is None:
        jusqua = int(str(periode)[:4])
    verifier_calculable(population, periode, reformes, revalorisation, jusqua)
    arguments = (periode, reformes, variables, revalorisation, jusqua)
    calculs = Resultats(len(population))
    propre = not hasattr(progression, "update")
    barre = barre_de_progression(len(population), actif=bool(progression)) if propre else progression
    try:
        _lancer(
            population,
            arguments,
            taille_bloc,
            barre,
            calculs,
            moteur=moteur,
            scheduler=scheduler,
            dask_workers=dask_workers,
            dask_processes=dask_processes,
            processus=processus,
            tableau_de_bord=tableau_de_bord,
        )
    finally:
        if propre:
            barre.close()
    return assembler(population, calculs.colonnes)


def _lancer(
    population: pd.DataFrame,
    arguments: tuple,
    taille_bloc: int,
    barre: tqdm,
    calculs: Resultats,
    *,
    moteur: str,
    scheduler: str | None,
    dask_workers: int,
    dask_processes: bool,
    processus: int | None,
    tableau_de_bord: str | None,
) -> None:
    """Le calcul de toute la population par le moteur demandé. Un barème sans valeur
    qu'une famille lit (au-delà de celle que :func:`verifier_calculable` a calculée)
    arrête tout avec :class:`PeriodeInvalide`, comme avant le calcul."""
    from openfisca_core.errors import ParameterNotFoundError

    try:
        if moteur == "local":
            colonnes = Colonnes(population, systeme_de_base())
            for positions in decouper(population, taille_bloc):
                lignes = en_tranche(positions)
                calculs.ranger(lignes, _calculer(colonnes, lignes, *arguments))
                barre.update(positions.size)
        elif moteur == "processus":
            _simuler_processus(population, arguments, taille_bloc, processus=processus, barre=barre, calculs=calculs)
        else:
            _simuler_dask(
                population,
                arguments,
                taille_bloc,
                scheduler=scheduler,
                barre=barre,
                workers=dask_workers,
                processes=dask_processes,
                calculs=calculs,
                tableau_de_bord=tableau_de_bord,
            )
    except ParameterNotFoundError as erreur:
        periode, reformes, _, revalorisation, jusqua = arguments
        manquant = _bareme_de(erreur, "?")
        raise _hors_des_baremes(periode, manquant, (tuple(reformes), revalorisation, jusqua)) from None


def simuler_par_morceaux(
    morceaux: Iterable[pd.DataFrame],
    periode: str = "2025-06",
    reformes: Iterable[ReformeDemandee] = (),
    **options: object,
) -> Iterator[pd.DataFrame]:
    """Une population plus grande que la mémoire, morceau par morceau : les
    résultats de :func:`simuler` pour chaque morceau, dans l'ordre, à mesure
    que ``morceaux`` les donne (fichiers d'une population découpée, groupes de
    lignes d'un fichier Parquet…). Chaque morceau a des familles entières ; une
    famille coupée entre deux morceaux qui se suivent est refusée. La mémoire
    est celle du calcul d'un morceau, plus ce que l'appelant garde des
    résultats. ``options`` : celles de :func:`simuler`."""
    reformes = tuple(reformes)
    valider = options.pop("valider", True)
    precedentes = None
    for morceau in morceaux:
        familles = pd.Index(pd.unique(morceau["famille_id"]))
        if precedentes is not None:
            coupees = precedentes.intersection(familles)
            if len(coupees):
                msg = (
                    f"la famille « {coupees[0]} » est coupée entre deux morceaux "
                    "(chaque morceau doit avoir des familles entières)"
                )
                colonne = "famille_id"
                raise PopulationInvalide(colonne, msg)
        if valider:  # validé ici : le morceau tel que donné est libéré avant le calcul
            morceau = valider_population(morceau)  # noqa: PLW2901
        resultats = simuler(morceau, periode, reformes, valider=False, **options)
        # Rien du morceau n'est gardé pendant que l'appelant traite ses résultats
        # et que le morceau suivant est lu : la mémoire reste celle d'un morceau.
        del morceau
        precedentes = familles
        yield resultats
        del resultats
        rendre_la_memoire_libre()


def rendre_la_memoire_libre() -> None:
    """Rend au système la mémoire libérée que malloc garde (glibc, ``malloc_trim``) :
    sans cela, les tableaux du morceau suivant, de tailles un peu différentes, ne
    retrouvent pas tous la place des précédents et le pic monte de morceau en
    morceau. Sans effet hors de glibc."""
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    nom = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(nom), "malloc_trim", None) if nom else None
    if trim is not None:
        trim(0)


class Resultats:
    """Les résultats de toute la population, colonne par colonne, remplis bloc par bloc."""

    def __init__(self, taille: int) -> None:
        self.taille = taille
        self.colonnes: dict[str, np.ndarray] = {}

    def ranger(self, lignes: slice | np.ndarray, sortie: Mapping[str, np.ndarray]) -> None:
        """Les résultats d'un bloc à leur place (``lignes`` de la population)."""
        for nom, valeurs in sortie.items():
            if nom not in self.colonnes:
                self.colonnes[nom] = np.empty(self.taille, dtype=valeurs.dtype)
            self.colonnes[nom][lignes] = valeurs


def verifier_annees_rfr(population: pd.DataFrame, mois: Sequence[str]) -> None:
    """Avec des colonnes ``rfr_AAAA``, celles des années que lit le taux de CSG
    (N-2 et N-3 de chaque mois calculé) doivent toutes être là : sinon l'erreur
    nomme la colonne manquante avant tout calcul."""
    presentes = colonnes_rfr(population)
    if not presentes:
        return
    annees = {int(str(m)[:4]) for m in mois}
    manquantes = sorted({a - ecart for a in annees for ecart in (2, 3)} - set(presentes))
    if manquantes:
        noms = ", ".join(f"rfr_{a}" for a in manquantes)
        msg = (
            f"colonnes absentes : {noms} (le taux de CSG des pensions de {', '.join(map(str, sorted(annees)))} "
            "lit le revenu fiscal de référence des années N-2 et N-3)"
        )
        raise PopulationInvalide(noms.split(", ")[0], msg)


#: Moteurs de :func:`simuler`.
MOTEURS = ("local", "processus", "dask")
#: Personnes par bloc du moteur ``processus`` au moins (sauf ``taille_bloc`` plus petite).
BLOC_MINIMAL = 50_000
#: Personnes par tâche d'un moteur distribué (Dask) au moins : peu de tâches,
#: chacune découpée en blocs par le travailleur.
TAILLE_TACHE = 250_000


def coeurs_disponibles() -> int:
    """Cœurs que ce processus peut utiliser."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


#: Colonnes d'entrée que lit le modèle (les moteurs distribués n'envoient qu'elles).
COLONNES_DU_MODELE = frozenset(
    {"id", "famille_id", "role_famille", "nbptr", *DATES_FIXES, *ENUMERATIONS_FACULTATIVES, *ENTREES_MENSUELLES}
)


def _colonne_de_carriere(colonne: object) -> bool:
    texte = str(colonne)
    return bool(MOTIF_SALAIRE.match(texte) or MOTIF_CARRIERE_NON_SALARIEE.match(texte) or MOTIF_RFR.match(texte))


def en_tranche(positions: np.ndarray) -> slice | np.ndarray:
    """Les positions d'un bloc, en tranche quand elles se suivent (les colonnes du
    bloc sont alors des vues, sans copie)."""
    if positions.size and positions[-1] - positions[0] + 1 == positions.size and (np.diff(positions) == 1).all():
        return slice(int(positions[0]), int(positions[-1]) + 1)
    return positions


def _calculer_morceau(morceau: pd.DataFrame, arguments: tuple, taille_bloc: int) -> dict[str, np.ndarray]:
    """Tâche d'un moteur distribué : un morceau de la population (des familles
    entières), calculé bloc par bloc comme le moteur local ; le système
    socio-fiscal est construit une fois par processus travailleur."""
    colonnes = Colonnes(morceau, systeme_de_base())
    sortie = Resultats(len(morceau))
    for positions in decouper(morceau, taille_bloc):
        lignes = en_tranche(positions)
        sortie.ranger(lignes, _calculer(colonnes, lignes, *arguments))
    return sortie.colonnes


def _morceaux(population: pd.DataFrame, nombre: int) -> list[np.ndarray]:
    """``nombre`` morceaux de familles entières (positions), de tailles voisines."""
    return decouper(population, int(np.ceil(len(population) / max(1, nombre))))


#: Ce que les processus du moteur ``processus`` reçoivent en naissant (fork) :
#: les colonnes de la population et les arguments du calcul, sans copie.
_PARTAGE: tuple[Colonnes, tuple] | None = None


def _calculer_partage(lignes: slice | np.ndarray) -> dict[str, np.ndarray]:
    """Tâche du moteur ``processus`` (fork) : un bloc des colonnes partagées."""
    colonnes, arguments = _PARTAGE
    return _calculer(colonnes, lignes, *arguments)


def _simuler_processus(
    population: pd.DataFrame,
    arguments: tuple,
    taille_bloc: int,
    *,
    processus: int | None,
    barre: tqdm,
    calculs: Resultats,
) -> None:
    """Un processus par cœur (``processus``), chacun prenant les blocs l'un après
    l'autre. Sous Linux (fork), les processus naissent avec la population, les
    colonnes lues et les systèmes socio-fiscaux déjà construits : une tâche
    n'envoie que les lignes de son bloc et reçoit ses résultats. Ailleurs,
    chaque tâche reçoit son bloc."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    global _PARTAGE  # noqa: PLW0603 — hérité par les processus nés par fork
    nombre = processus or coeurs_disponibles()
    fork = _fork_possible()
    _systemes(tuple(arguments[1]), arguments[3], arguments[4])  # construits avant la naissance des processus
    # Au moins quatre blocs par processus (d'au moins BLOC_MINIMAL personnes) :
    # aucun processus n'attend longtemps le dernier bloc d'un autre.
    par_processus = int(np.ceil(len(population) / (4 * max(1, nombre))))
    blocs = decouper(population, min(taille_bloc, max(BLOC_MINIMAL, par_processus)))
    if fork:
        _PARTAGE = (Colonnes(population, systeme_de_base()), arguments)
    try:
        contexte = multiprocessing.get_context("fork" if fork else "spawn")
        with ProcessPoolExecutor(max_workers=max(1, nombre), mp_context=contexte) as pool:
            taches = {}
            for positions in blocs:
                lignes = en_tranche(positions)
                if fork:
                    tache = pool.submit(_calculer_partage, lignes)
                else:
                    tache = pool.submit(_calculer_morceau, population.iloc[positions], arguments, taille_bloc)
                taches[tache] = (lignes, positions.size)
            for tache in as_completed(taches):
                lignes, taille = taches[tache]
                calculs.ranger(lignes, tache.result())
                barre.update(taille)
    finally:
        _PARTAGE = None


#: Variables d'environnement des travailleurs d'un LocalCluster Dask : Dask rend par
#: défaut la mémoire libérée au système à chaque pas (MALLOC_TRIM_THRESHOLD_=65536),
#: ce qui, pour ces calculs faits de grands tableaux temporaires, fait refaire à
#: malloc ses pages à chaque tableau (trois fois plus lent) ; ici la mémoire libérée
#: est gardée pour les tableaux suivants, jusqu'à 32 Mo par tableau.
ENVIRONNEMENT_DES_TRAVAILLEURS = {"MALLOC_TRIM_THRESHOLD_": str(1 << 32), "MALLOC_MMAP_THRESHOLD_": str(1 << 25)}


def _simuler_dask(
    population: pd.DataFrame,
    arguments: tuple,
    taille_bloc: int,
    *,
    scheduler: str | None,
    barre: tqdm,
    workers: int,
    processes: bool,
    calculs: Resultats,
    tableau_de_bord: str | None = TABLEAU_DE_BORD,
) -> None:
    """Trois cas, les mêmes résultats.

    - ``scheduler`` (un ordonnanceur existant, une machine ou un cluster) : les
      familles réparties en peu de tâches (une par fil de travail, d'au moins
      ``TAILLE_TACHE`` personnes), chacune calculée par blocs sur un
      travailleur (:func:`_calculer_morceau`) ; seules les colonnes d'entrée du
      modèle sont envoyées ; le système socio-fiscal est construit une fois par
      processus travailleur.
    - sans ordonnanceur (défaut) : un ``LocalCluster`` de ``workers`` fils
      d'exécution de ce processus, qui lisent les colonnes déjà lues (numpy
      calcule hors du verrou global de Python : les fils avancent ensemble) ;
      une tâche par bloc, qui n'envoie que ses lignes.
    - sans ordonnanceur, ``processes`` : un ``LocalCluster`` de ``workers``
      processus, gardé d'un appel à l'autre ; les colonnes sont écrites en
      mémoire partagée (``/dev/shm``, environ 0,8 s par million de personnes)
      et chaque travailleur les ouvre sans copie.

    Un ``LocalCluster`` n'écoute que sur la boucle locale (:func:`ecoute_locale`).
    """
    from openfisca_invalidite.extras import imports_de

    with imports_de("dask"):
        from dask.distributed import Client, LocalCluster, as_completed

    global _PARTAGE  # noqa: PLW0603 — lu par les fils d'exécution des travailleurs
    cluster, dossier = None, None
    if scheduler:
        client = _client_distant(scheduler)
    elif processes:
        client = _client_local(workers, tableau_de_bord)
    else:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=False, **ecoute_locale(tableau_de_bord)
        )
        annoncer_tableau_de_bord(cluster, tableau_de_bord)
        client = Client(cluster)
    try:
        if scheduler:
            taches = _taches_sur_un_cluster(client, population, arguments, taille_bloc)
        else:
            colonnes = Colonnes(population, systeme_de_base())
            if processes:
                dossier = Path(tempfile.mkdtemp(prefix="openfisca-invalidite-", dir=_MEMOIRE_PARTAGEE))
                colonnes.exporter(dossier)
            else:
                _PARTAGE = (colonnes, arguments)
            taches = _taches_locales(client, population, arguments, taille_bloc, dossier)
        for tache in as_completed(taches, loop=client.loop):
            lignes, taille = taches[tache]
            calculs.ranger(lignes, tache.result())
            barre.update(taille)
    finally:
        _PARTAGE = None
        if dossier is not None:
            client.run(_oublier_dossier, str(dossier))
            shutil.rmtree(dossier, ignore_errors=True)
        if not processes or scheduler:
            client.close()
        if cluster is not None:
            cluster.close()


def _taches_sur_un_cluster(client: object, population: pd.DataFrame, arguments: tuple, taille_bloc: int) -> dict:
    """Les familles en peu de tâches (une par fil de travail, d'au moins
    ``TAILLE_TACHE`` personnes), les colonnes d'entrée du modèle envoyées avec
    elles : {tâche: (lignes, taille)}."""
    fils = max(1, sum(client.nthreads().values()))
    nombre = max(fils, int(np.ceil(len(population) / TAILLE_TACHE)))
    nombre = int(np.ceil(nombre / fils)) * fils  # un multiple du nombre de fils : pas de fil oisif à la fin
    utiles = [c for c in population.columns if c in COLONNES_DU_MODELE or _colonne_de_carriere(c)]
    taches = {}
    for positions in _morceaux(population, nombre):
        donnees = client.scatter(population[utiles].iloc[positions])
        tache = client.submit(_calculer_morceau, donnees, arguments, taille_bloc, pure=False)
        taches[tache] = (en_tranche(positions), positions.size)
    return taches


def _taches_locales(
    client: object, population: pd.DataFrame, arguments: tuple, taille_bloc: int, dossier: Path | None
) -> dict:
    """Une tâche par bloc, qui n'envoie que ses lignes : les travailleurs lisent les
    colonnes écrites dans ``dossier`` (des processus) ou déjà lues (des fils de ce
    processus, sans ``dossier``) : {tâche: (lignes, taille)}."""
    taches = {}
    for positions in decouper(population, taille_bloc):
        lignes = en_tranche(positions)
        if dossier is None:
            tache = client.submit(_calculer_partage, lignes, pure=False)
        else:
            tache = client.submit(_calculer_dossier, str(dossier), lignes, arguments, pure=False)
        taches[tache] = (lignes, positions.size)
    return taches


#: Où écrire les colonnes que les travailleurs d'un LocalCluster ouvrent : la
#: mémoire partagée de Linux si elle existe, sinon le dossier temporaire.
_MEMOIRE_PARTAGEE = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108 — mémoire, pas un fichier
#: Colonnes ouvertes par un travailleur (dossier → colonnes), oubliées à la fin du calcul.
_DOSSIERS_OUVERTS: dict[str, Colonnes] = {}


def _calculer_dossier(dossier: str, lignes: slice | np.ndarray, arguments: tuple) -> dict[str, np.ndarray]:
    """Tâche d'un travailleur du LocalCluster : un bloc des colonnes écrites dans ``dossier``."""
    if dossier not in _DOSSIERS_OUVERTS:
        _DOSSIERS_OUVERTS[dossier] = Colonnes.ouvrir(Path(dossier))
    return _calculer(_DOSSIERS_OUVERTS[dossier], lignes, *arguments)


def _oublier_dossier(dossier: str) -> None:
    _DOSSIERS_OUVERTS.pop(dossier, None)


#: Secondes accordées pour joindre un ordonnanceur Dask existant.
DELAI_ORDONNANCEUR = 10


class OrdonnanceurInjoignable(ValueError):
    """L'ordonnanceur Dask demandé ne répond pas (dit avant tout calcul)."""


def adresse_tableau_de_bord(adresse: str | None = TABLEAU_DE_BORD) -> str | None:
    """L'adresse ``hôte:port`` où écoute le tableau de bord d'un LocalCluster Dask :
    ``None`` (ou ``"aucun"``) pour aucun tableau de bord ; un port seul (``8787``
    ou ``:8787``) sur la boucle locale ; ``0.0.0.0:8787`` pour toutes les
    interfaces, seulement si on l'écrit."""
    if adresse is None or str(adresse).strip().lower() in SANS_TABLEAU_DE_BORD:
        return None
    hote, _, port = str(adresse).strip().rpartition(":")
    hote = hote.strip("[]") or BOUCLE_LOCALE
    if not port.isdigit() or int(port) > PORT_MAXIMUM or any(c.isspace() or c == "/" for c in hote):
        msg = (
            f"tableau de bord « {adresse} » : hôte:port attendu (par exemple 127.0.0.1:8787, "
            f"un port de 0 à {PORT_MAXIMUM}, 0 = libre), ou « aucun »"
        )
        raise ValueError(msg)
    return f"[{hote}]:{int(port)}" if ":" in hote else f"{hote}:{int(port)}"


def ecoute_locale(tableau_de_bord: str | None = TABLEAU_DE_BORD) -> dict:
    """Les options d'un ``LocalCluster`` pour qu'il n'écoute que sur la boucle locale,
    sauf son tableau de bord s'il est ailleurs : Dask lie sinon le serveur HTTP de
    l'ordonnanceur (tableau de bord, santé, métriques) et, pour des travailleurs
    fils d'exécution, les leurs à toutes les interfaces. Sans tableau de bord, le
    serveur HTTP de l'ordonnanceur (santé, métriques) reste, sur la boucle locale."""
    locale = f"{BOUCLE_LOCALE}:0"
    options = {"worker_dashboard_address": locale}
    if tableau_de_bord is None:
        options |= {"dashboard_address": None, "scheduler_kwargs": {"dashboard": False, "dashboard_address": locale}}
    else:
        options["dashboard_address"] = tableau_de_bord
    return options


def ecoutes(cluster: object) -> list[tuple[str, int]]:
    """Les adresses (hôte, port) où écoute le serveur HTTP de l'ordonnanceur d'un LocalCluster."""
    serveur = getattr(cluster.scheduler, "http_server", None)
    prises = getattr(serveur, "_sockets", {}).values()  # tornado ne les expose pas autrement
    return [tuple(prise.getsockname()[:2]) for prise in prises]


def annoncer_tableau_de_bord(cluster: object, tableau_de_bord: str | None) -> None:
    """Dit au journal où lire le tableau de bord (Dask l'annonce sous le nom de la machine)."""
    if tableau_de_bord is None:
        return
    for hote, port in ecoutes(cluster):
        journal.info("tableau de bord Dask : http://%s:%d/status", hote, port)


def _client_distant(scheduler: str) -> object:
    """Le client d'un ordonnanceur existant ; une adresse qui ne répond pas est dite
    en une ligne (après ``DELAI_ORDONNANCEUR`` secondes)."""
    from dask.distributed import Client

    try:
        return Client(scheduler, timeout=DELAI_ORDONNANCEUR)
    except (OSError, ValueError, TypeError) as erreur:
        premiere = str(erreur).splitlines()[0] if str(erreur) else type(erreur).__name__
        msg = f"ordonnanceur « {scheduler} » injoignable ({premiere})"
        raise OrdonnanceurInjoignable(msg) from None


#: LocalCluster de chaque nombre de travailleurs et tableau de bord, gardé d'un appel
#: à l'autre (ses processus ont déjà importé le modèle et construit les systèmes) et
#: fermé à la sortie de Python ou par :func:`arreter_dask`.
_CLUSTERS: dict[tuple[int, str | None], tuple[object, object]] = {}


def _client_local(workers: int, tableau_de_bord: str | None = TABLEAU_DE_BORD) -> object:
    import dask
    from dask.distributed import Client, LocalCluster

    cluster, client = _CLUSTERS.get((workers, tableau_de_bord), (None, None))
    if client is not None and client.status == "running":
        return client
    environnement = {**dask.config.get("distributed.nanny.pre-spawn-environ"), **ENVIRONNEMENT_DES_TRAVAILLEURS}
    with dask.config.set({"distributed.nanny.pre-spawn-environ": environnement}):
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host=BOUCLE_LOCALE,
            **ecoute_locale(tableau_de_bord),
        )
    annoncer_tableau_de_bord(cluster, tableau_de_bord)
    client = Client(cluster, set_as_default=False)
    if not _CLUSTERS:
        atexit.register(arreter_dask)
    _CLUSTERS[workers, tableau_de_bord] = (cluster, client)
    return client


def arreter_dask() -> None:
    """Arrête les LocalCluster que :func:`simuler` (``moteur="dask"``) garde ouverts."""
    while _CLUSTERS:
        _, (cluster, client) = _CLUSTERS.popitem()
        client.close()
        cluster.close()


def _fork_possible() -> bool:
    """Les processus peuvent naître par fork (Linux) : ils héritent de la mémoire."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def tranche_age(age: np.ndarray) -> pd.Categorical:
    bornes = [-1, 29, 39, 49, 54, 59, 61, 200]
    noms = ["moins de 30 ans", "30-39 ans", "40-49 ans", "50-54 ans", "55-59 ans", "60-61 ans", "62 ans et plus"]
    return pd.cut(np.asarray(age), bins=bornes, labels=noms)


#: Colonnes d'entrée reprises en tête des résultats.
COLONNES_IDENTITE = ("id", "famille_id", "role_famille", "poids", "categorie_invalidite", "regime_invalidite")


def assembler(population: pd.DataFrame, calculs: pd.DataFrame | Mapping[str, np.ndarray]) -> pd.DataFrame:
    """Résultats : identité, âge, variables calculées (``calculs`` : un tableau
    par colonne, dans l'ordre des lignes de ``population``), puis les autres
    colonnes d'entrée (hors carrière) pour regrouper par elles.

    Construit en une fois, sans copie : les colonnes calculées sont celles de
    ``calculs``, les colonnes d'entrée reprises partagent la mémoire de
    ``population`` (pandas copie à l'écriture : modifier l'une ne change pas
    l'autre)."""
    age = np.asarray(calculs["age"])
    colonnes = {c: population[c] for c in COLONNES_IDENTITE}
    colonnes["age"] = age
    colonnes["tranche_age"] = tranche_age(age)
    for colonne in list(calculs.keys()):
        if colonne != "age":
            colonnes[colonne] = np.asarray(calculs[colonne])
    for colonne in population.columns:
        if (
            colonne not in colonnes
            and not MOTIF_SALAIRE.match(str(colonne))
            and not MOTIF_CARRIERE_NON_SALARIEE.match(str(colonne))
        ):
            colonnes[colonne] = population[colonne]
    resultat = pd.DataFrame(colonnes, index=population.index, copy=False)
    if len(resultat) != len(population):  # garde-fou : rien n'est perdu
        msg = f"{len(population) - len(resultat)} lignes perdues"
        raise RuntimeError(msg)
    return resultat


def scenarios_de(resultats: pd.DataFrame) -> list[str]:
    """Scénarios présents dans un tableau de résultats."""
    suffixes = [c.split("__", 1)[1] for c in resultats.columns if "__" in c]
    autres = sorted(set(suffixes), key=suffixes.index)
    return [LOI_EN_VIGUEUR, *autres]


def colonne(variable: str, scenario: str) -> str:
    return variable if scenario == LOI_EN_VIGUEUR else f"{variable}__{scenario}"


Fabrique = Callable[[], type]
