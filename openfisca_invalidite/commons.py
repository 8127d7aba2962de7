"""Outils vectoriels partagés par les formules : dates, paramètres datés.

Toutes les fonctions travaillent sur des tableaux numpy entiers (une valeur par
personne) : aucune boucle Python sur les personnes, seulement, au besoin, sur
les dates distinctes d'un paramètre ou les années d'une carrière.
"""

from __future__ import annotations

import functools
import weakref
from typing import TYPE_CHECKING, Any

import numpy as np
from openfisca_core import periods
from openfisca_core.variables import Variable

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterator, Sequence

    from openfisca_core.parameters import Parameter, ParameterNode
    from openfisca_core.periods import Period
    from openfisca_core.populations import Population

JOUR = "datetime64[D]"

#: Mois d'une année civile (calendrier, non une règle).
MOIS_PAR_AN = 12

#: Centimes d'un euro (unité monétaire, non une règle).
CENTIMES_PAR_EURO = 100
#: La demi-centime, en centimes.
DEMI_CENTIME = 0.5
#: Écart (en centimes) en deçà duquel :func:`au_centime` tient un montant pour une
#: demi-centime : bien plus que l'erreur d'un calcul en float64 (un milliardième de
#: centime sur 100 000 €), bien moins que le plus petit écart réel entre deux
#: montants du modèle (un millième de centime : centimes × taux à 3 décimales).
TOLERANCE_DEMI_CENTIME = 1e-6


def au_centime(montant: np.ndarray | float) -> np.ndarray:
    """Montant arrondi au centime d'euro le plus proche, la demi-centime comptée
    pour un centime (arrondi « demi vers le haut »), calculé en float64. Le modèle
    n'arrondit que des montants positifs (un prélèvement est arrondi sur sa valeur
    absolue) ; pour un montant négatif, la demie irait aussi vers le haut
    (−0,005 → 0,00).

    Règle. Aucun article du code de la sécurité sociale ne fixe l'arrondi des
    montants de la pension d'invalidité, de l'ASI ou de l'AAH. L'AAH versée était
    « arrondi[e] au franc le plus proche » (D821-4, décret 90-163 :
    https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006739700) ; le
    décret 2001-1203 du 17 décembre 2001 a supprimé ces arrondis au franc au
    passage à l'euro, laissant le droit commun, le centime le plus proche (selon
    son commentaire aux ASH n° 2244 : à confirmer sur le texte du décret). Le cas
    de la demi-centime n'est écrit pour aucune prestation ; tous les textes qui
    l'écrivent la comptent pour l'unité supérieure, règle retenue ici :
    ordonnance 2000-916, art. 1er II (« une fraction d'euro exactement égale à
    0,005 étant comptée pour 0,01 euro » :
    https://www.legifrance.gouv.fr/loda/article_lc/LEGIARTI000006716418),
    règlement (CE) 1103/97, art. 5 (arrondis au cent le plus proche, « à la
    valeur supérieure » au milieu :
    https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:31997R1103),
    code de la sécurité sociale, L133-10 (cotisations à l'euro le plus proche,
    « la fraction d'euro égale à 0,50 est comptée pour 1 » :
    https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000029956107).
    À CONFIRMER pour les prestations (pratique des caisses non publiée).

    Calcul. Le montant est d'abord compté en centimes, puis arrondi à l'entier
    avec une tolérance de ``TOLERANCE_DEMI_CENTIME`` : un montant dont la valeur
    décimale exacte est une demi-centime (la moyenne des salaires d'un SAM,
    0,3 × une pension au centime) mais que le calcul binaire rend à un ulp près
    en deçà (20 689,024999999998) est bien compté pour le centime supérieur, quel
    que soit l'ordre des opérations. ``np.round`` arrondit la demie au pair, et
    ne voit pas la demie d'un montant binaire à un ulp près : il tranche selon
    le dernier bit. Un montant float32 (stocké par OpenFisca) est lu en float64
    tel qu'il est : ses décimales perdues ne se retrouvent pas, c'est le calcul
    en float64 du montant exact qu'il faut arrondir.
    """
    # Un seul tableau, modifié en place : sur des millions de personnes, chaque tableau
    # temporaire coûte plus que le calcul lui-même.
    resultat = np.multiply(montant, CENTIMES_PAR_EURO, dtype=np.float64)
    resultat += DEMI_CENTIME + TOLERANCE_DEMI_CENTIME
    resultat = np.floor(resultat, out=resultat) if isinstance(resultat, np.ndarray) else np.floor(resultat)
    resultat /= CENTIMES_PAR_EURO
    return resultat


#: Entiers de même taille que les réels, pour choisir un réel par ses bits (:func:`si`).
_ENTIERS_DE_MEME_TAILLE = {np.dtype(np.float32): np.int32, np.dtype(np.float64): np.int64}


def si(condition: np.ndarray, alors: np.ndarray, sinon: np.ndarray | float = 0.0) -> np.ndarray:
    """``alors`` là où ``condition`` est vraie, ``sinon`` ailleurs : exactement
    ``np.where(condition, alors, sinon)`` (mêmes valeurs bit pour bit, même type).

    Pour des montants réels (``alors`` un tableau de réels, ``sinon`` 0 ou un
    tableau du même type), la valeur de chaque personne est choisie par ses bits
    (un masque tiré de ``condition``), sans branchement par personne :
    ``np.where`` hésite à chaque personne quand la condition varie de l'une à
    l'autre, et le calcul en est dix fois plus lent. Les autres cas passent par
    ``np.where``.
    """
    entier = _ENTIERS_DE_MEME_TAILLE.get(getattr(alors, "dtype", None))
    condition = np.asarray(condition)
    faux_nul = type(sinon) in {int, float} and sinon == 0
    if (
        entier is None
        or condition.dtype != np.bool_
        or condition.shape != alors.shape
        or not (
            faux_nul or (isinstance(sinon, np.ndarray) and sinon.dtype == alors.dtype and sinon.shape == alors.shape)
        )
    ):
        return np.where(condition, alors, sinon)
    masque = condition.astype(entier)  # 1 ou 0
    np.negative(masque, out=masque)  # tous les bits à 1, ou à 0
    if faux_nul:  # les bits de ``alors``, ou ceux de +0,0
        np.bitwise_and(masque, alors.view(entier), out=masque)
        return masque.view(alors.dtype)
    # bits de ``sinon``, corrigés de la différence avec ``alors`` là où la condition est vraie
    bits_sinon = sinon.view(entier)
    resultat = np.bitwise_xor(alors.view(entier), bits_sinon)
    resultat &= masque
    resultat ^= bits_sinon
    return resultat.view(alors.dtype)


#: Jours du 0000-03-01 au 1970-01-01 (calendrier grégorien proleptique), et bornes
#: des jours que le calcul en entiers 32 bits de :func:`_annee_et_mois` couvre
#: (années 1 à 9999).
_DECALAGE_JOURS = 719_468
_JOURS_COUVERTS = (-_DECALAGE_JOURS + 306, 2_932_896)
#: En dessous, la conversion de numpy, aussi rapide.
_PETIT_TABLEAU = 1024


def _annee_et_mois(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Année, mois (1 à 12) et jour de dates ``datetime64[D]``, par l'arithmétique du
    calendrier grégorien en entiers 32 bits (algorithme « civil from days »
    d'H. Hinnant), cinq fois plus vite que la conversion ``datetime64[Y]`` de
    numpy et égale à elle pour tout jour des années 1 à 9999 ; ``None`` pour un
    petit tableau ou des dates hors de ces années (la conversion de numpy sert
    alors)."""
    jours = np.asarray(dates).astype(JOUR, copy=False).view(np.int64)
    if jours.size < _PETIT_TABLEAU or jours.min() < _JOURS_COUVERTS[0] or jours.max() > _JOURS_COUVERTS[1]:
        return None
    z = jours.astype(np.int32) + np.int32(_DECALAGE_JOURS)
    ere = z // 146_097
    jour_de_l_ere = z - ere * 146_097
    an_de_l_ere = (jour_de_l_ere - jour_de_l_ere // 1460 + jour_de_l_ere // 36_524 - jour_de_l_ere // 146_096) // 365
    jour_de_l_an = jour_de_l_ere - (365 * an_de_l_ere + an_de_l_ere // 4 - an_de_l_ere // 100)
    mois_depuis_mars = (5 * jour_de_l_an + 2) // 153
    # mars à décembre, puis janvier et février (un calcul, sans branchement par personne)
    mois = mois_depuis_mars + np.int32(3) - np.int32(12) * (mois_depuis_mars >= 10)  # noqa: PLR2004
    jour = jour_de_l_an - (153 * mois_depuis_mars + 2) // 5 + 1
    # janvier et février comptent dans l'année suivante
    return an_de_l_ere + ere * 400 + (mois <= 2), mois, jour  # noqa: PLR2004


def annee(dates: np.ndarray) -> np.ndarray:
    """Année civile d'un tableau de dates ``datetime64``."""
    calcul = _annee_et_mois(dates)
    if calcul is None:
        return dates.astype("datetime64[Y]").astype(np.int64) + 1970
    return calcul[0].astype(np.int64)


def indice_mois(dates: np.ndarray) -> np.ndarray:
    """Rang du mois d'une date (année × 12 + mois − 1), pour comparer des mois."""
    calcul = _annee_et_mois(dates)
    if calcul is None:
        return dates.astype("datetime64[M]").astype(np.int64) + 1970 * 12
    an, mois, _ = calcul
    return an.astype(np.int64) * 12 + (mois - 1)


def jour_du_mois(dates: np.ndarray) -> np.ndarray:
    """Jour du mois (1 à 31) d'un tableau de dates ``datetime64``."""
    calcul = _annee_et_mois(dates)
    if calcul is None:
        jours = np.asarray(dates).astype(JOUR)
        return (jours - jours.astype("datetime64[M]").astype(JOUR)).astype(np.int64) + 1
    return calcul[2].astype(np.int64)


def mois_aaaamm(dates: np.ndarray) -> np.ndarray:
    """Mois de naissance écrit AAAAMM, seuil des barèmes par génération."""
    rang = indice_mois(dates)
    return (rang // 12) * 100 + rang % 12 + 1


def age_en_mois(bareme_age: np.ndarray) -> np.ndarray:
    """Âge d'un barème (années, mois en fraction) arrondi au mois entier."""
    return np.round(np.asarray(bareme_age, dtype=np.float64) * 12).astype(np.int64)


def debut(period: Period) -> np.datetime64:
    """Premier jour d'une période OpenFisca, en ``datetime64[D]``."""
    return np.datetime64(str(period.start), "D")


def fin(period: Period) -> np.datetime64:
    """Dernier jour d'une période OpenFisca, en ``datetime64[D]``."""
    return np.datetime64(str(period.stop), "D")


#: Au-delà de cet écart (en jours) entre la première et la dernière des dates
#: triées, :func:`rang_des_dates` cherche chaque date.
_JOURS_DE_LA_TABLE = 200_000
#: La date NaT, en entier (le plus petit).
_NAT = np.iinfo(np.int64).min


def rang_des_dates(dates_triees: np.ndarray, dates: np.ndarray, side: str = "right") -> np.ndarray:
    """``np.searchsorted(dates_triees, dates, side)`` pour des dates ``datetime64[D]``.

    Pour un grand tableau, la recherche est faite une fois pour chaque jour de
    l'étendue des ``dates_triees`` (des jours qui se suivent : une recherche
    sans hésitation), puis lue pour chaque personne dans cette table, sa date
    ramenée à la veille de la première ou au lendemain de la dernière (même
    rang) : une recherche dichotomique par personne hésite à chaque pas, et
    coûte dix fois plus. Mêmes valeurs."""
    jours = np.asarray(dates).astype(JOUR, copy=False)
    if jours.size >= _PETIT_TABLEAU and len(dates_triees):
        bornes = np.asarray(dates_triees).astype(JOUR, copy=False).view(np.int64)
        premier, dernier = int(bornes[0]) - 1, int(bornes[-1]) + 1
        entiers = jours.view(np.int64)
        if dernier - premier <= _JOURS_DE_LA_TABLE and entiers.min() != _NAT:  # NaT : après toute date
            table = np.searchsorted(dates_triees, np.arange(premier, dernier + 1).astype(JOUR), side=side)
            return table[np.clip(entiers, premier, dernier) - premier]
    return np.searchsorted(dates_triees, jours, side=side)


def nombre_de_mois_depuis(dates: np.ndarray, fins: Sequence[np.datetime64]) -> np.ndarray:
    """Pour chaque personne, le nombre de mois (donnés par leur dernier jour ``fins``)
    qui finissent à sa date ``dates`` ou après : les mois d'une somme où une
    pension a commencé. Une recherche par personne, quel que soit le nombre de
    mois."""
    fins_triees = np.sort(np.array(fins, dtype=JOUR))
    return len(fins_triees) - rang_des_dates(fins_triees, dates, side="left")


#: Séries déjà lues : id du paramètre → (liste de valeurs lue, dates, valeurs).
_SERIES: dict[int, tuple[list, np.ndarray, np.ndarray]] = {}


def valeurs_datees(parametre: Parameter) -> tuple[np.ndarray, np.ndarray]:
    """Dates d'effet et valeurs d'un paramètre (non instancié), triées par date.

    Une valeur ``null`` (fin de validité) est rendue ``nan``. La série est lue
    une fois par paramètre et gardée tant que sa liste de valeurs est la même
    (``Parameter.update``, qu'utilisent les réformes, en pose une nouvelle) :
    les formules la relisent à chaque mois sans la retrier. Les tableaux rendus
    sont partagés : en lecture seule.
    """
    connue = _SERIES.get(id(parametre))
    if connue is not None and connue[0] is parametre.values_list:
        return connue[1], connue[2]
    valeurs = sorted(
        (np.datetime64(v.instant_str, "D"), np.nan if v.value is None else float(v.value))
        for v in parametre.values_list
    )
    dates = np.array([d for d, _ in valeurs], dtype=JOUR)
    montants = np.array([v for _, v in valeurs], dtype=np.float64)
    dates.flags.writeable = False
    montants.flags.writeable = False
    _SERIES[id(parametre)] = (parametre.values_list, dates, montants)
    return dates, montants


def valeur_a_dates(parametre: Parameter, dates: np.ndarray) -> np.ndarray:
    """Valeur d'un paramètre daté à la date propre à chaque personne.

    Avant la première date d'effet de la série, la première valeur est rendue
    (la série commence à la date la plus ancienne que le modèle couvre ; la
    documentation du paramètre le dit).
    """
    dates_effet, valeurs = valeurs_datees(parametre)
    rang = rang_des_dates(dates_effet, dates, side="right") - 1
    return valeurs[np.clip(rang, 0, len(valeurs) - 1)]


#: Produits cumulés déjà calculés : id du paramètre → (liste de valeurs lue, coefficients, produits).
_PRODUITS: dict[int, tuple[list, np.ndarray, np.ndarray]] = {}


def coefficients_et_produits(parametre: Parameter) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients d'un paramètre de revalorisation (``null`` → 1) et leurs produits
    cumulés (``produits[k]`` : produit des ``k`` premiers, ``produits[0] = 1``).
    Calculés une fois par série (comme :func:`valeurs_datees`), en lecture seule."""
    connus = _PRODUITS.get(id(parametre))
    if connus is not None and connus[0] is parametre.values_list:
        return connus[1], connus[2]
    coefficients = np.nan_to_num(valeurs_datees(parametre)[1], nan=1.0)
    produits = np.concatenate(([1.0], np.cumprod(coefficients)))
    coefficients.flags.writeable = False
    produits.flags.writeable = False
    _PRODUITS[id(parametre)] = (parametre.values_list, coefficients, produits)
    return coefficients, produits


#: Au-delà de cet écart entre années, :func:`valeur_au_premier_janvier` lit chaque date.
_ANNEES_DE_LA_TABLE = 20_000


def valeur_au_premier_janvier(parametre: Parameter, annees: np.ndarray) -> np.ndarray:
    """Valeur d'un paramètre daté au 1er janvier de l'année propre à chaque
    personne (``valeur_a_dates(parametre, premier_janvier(annees))``), lue dans
    une table des années couvertes : une recherche par année, non par personne."""
    annees = np.asarray(annees, dtype=np.int64)
    if annees.size == 0:
        return valeur_a_dates(parametre, premier_janvier(annees))
    premiere, derniere = int(annees.min()), int(annees.max())
    if derniere - premiere > _ANNEES_DE_LA_TABLE:
        return valeur_a_dates(parametre, premier_janvier(annees))
    table = valeur_a_dates(parametre, premier_janvier(np.arange(premiere, derniere + 1)))
    return table[annees - premiere]


def indice_cumule(parametre: Parameter, dates: np.ndarray) -> np.ndarray:
    """Produit des coefficients de revalorisation entrés en vigueur jusqu'à chaque date incluse.

    ``indice_cumule(p, fin) / indice_cumule(p, debut)`` est la revalorisation
    appliquée entre ``debut`` (exclu) et ``fin`` (inclus).
    """
    dates_effet = valeurs_datees(parametre)[0]
    cumul = coefficients_et_produits(parametre)[1]
    rang = rang_des_dates(dates_effet, dates, side="right")
    return cumul[rang]


def parametres_historiques(population: Population) -> ParameterNode:
    """Arbre complet des paramètres (toutes dates) du système de la simulation.

    À utiliser quand une valeur dépend d'une date propre à chaque personne
    (date de l'arrêt, année d'un salaire) ; suit les réformes appliquées.
    """
    return population.simulation.tax_benefit_system.parameters


def premier_janvier(annees: np.ndarray) -> np.ndarray:
    """1er janvier de chaque année d'un tableau d'années."""
    return (np.asarray(annees, dtype=np.int64) - 1970).astype("datetime64[Y]").astype(JOUR)


def somme_au_centime(termes: Sequence[np.ndarray | float], taille: int) -> np.ndarray:
    """Somme en float64 de montants au centime (un tableau, ou un nombre pour tous,
    par mois), relue au centime : chaque montant stocké en float32 n'est exact qu'à
    1e-4 € près, et une somme float32 perd davantage. Un même tableau qui revient
    (l'entrée que le moteur donne à chaque mois de la fenêtre) est lu une fois,
    multiplié par le nombre de ses mois."""
    total = np.zeros(taille, dtype=np.float64)
    constante = 0.0
    nombres: dict[int, int] = {}
    tableaux: dict[int, np.ndarray] = {}
    for terme in termes:
        if np.ndim(terme) == 0:
            constante += float(terme)
            continue
        nombres[id(terme)] = nombres.get(id(terme), 0) + 1
        tableaux[id(terme)] = terme
    for cle, tableau in tableaux.items():
        if nombres[cle] == 1:
            total += tableau
        else:
            total += np.multiply(tableau, nombres[cle], dtype=np.float64)
    if constante:
        total += constante
    return au_centime(total)


def revalorisation_depuis(
    montant: np.ndarray,
    depuis: np.ndarray,
    jusqua: np.datetime64,
    coefficients: Parameter,
    *,
    seuil: Parameter | None = None,
    coefficient_au_dela: Parameter | None = None,
    rang_depuis: np.ndarray | None = None,
    garder: Callable[[Hashable, Callable[[], np.ndarray]], np.ndarray] | None = None,
) -> np.ndarray:
    """Revalorise ``montant`` par chaque coefficient entré en vigueur après ``depuis``
    (date propre à chaque personne, exclue) et au plus tard ``jusqua`` (incluse).

    Produit des coefficients par indice cumulé (deux recherches dichotomiques par
    personne, quel que soit le nombre de dates). Où ``seuil`` a une valeur à une
    date d'effet (revalorisation différenciée, LFSS 2020 art. 81), le
    ``coefficient_au_dela`` remplace le coefficient pour les montants qui
    dépassent le seuil juste avant cette date. ``rang_depuis`` (nombre de
    dates d'effet au plus tard à ``depuis``), s'il est déjà connu, évite de le
    rechercher à chaque mois. ``garder(cle, calcul)`` (facultatif) garde les
    personnes au-delà de chaque seuil, qui ne dépendent pas de ``jusqua`` :
    pour l'appelant qui revalorise le même montant jusqu'à plusieurs dates.
    """
    dates = valeurs_datees(coefficients)[0]
    valeurs, cumul = coefficients_et_produits(coefficients)
    montant = np.asarray(montant, dtype=np.float64)
    if rang_depuis is None:
        rang_depuis = rang_des_dates(dates, depuis, side="right")
    rang_jusqua = int(np.searchsorted(dates, np.datetime64(jusqua, "D"), side="right"))
    rang_depuis = np.minimum(rang_depuis, rang_jusqua)
    # Facteur de chaque rang de départ (au plus ``rang_jusqua``) : une division par rang,
    # puis une lecture par personne.
    resultat = montant * (cumul[rang_jusqua] / cumul[: rang_jusqua + 1])[rang_depuis]
    if seuil is None:
        return resultat
    dates_seuil, limites = valeurs_datees(seuil)
    reduits = valeur_a_dates(coefficient_au_dela, dates_seuil)
    for date_seuil, limite, reduit in zip(dates_seuil, limites, reduits, strict=True):
        rang = int(np.searchsorted(dates, date_seuil, side="left"))
        if np.isnan(limite) or rang >= rang_jusqua or dates[rang] != date_seuil:
            continue

        def au_dela(rang: int = rang, limite: float = limite) -> np.ndarray:
            # Dates d'effet postérieures à ``depuis`` (rang < rang_jusqua : ne dépend pas de ``jusqua``).
            concerne = rang_depuis <= rang
            if not concerne.any():
                return concerne
            avant = montant * (cumul[rang] / cumul[: rang + 1])[np.minimum(rang_depuis, rang)]
            return concerne & (avant > limite)

        depasse = au_dela() if garder is None else garder(("au_dela_du_seuil", rang, limite), au_dela)
        if depasse.any():
            resultat = np.where(depasse, resultat * (reduit / valeurs[rang]), resultat)
    return resultat


#: Résultats gardés par simulation (libérés avec elle) : voir :func:`une_fois`.
_GARDES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def une_fois(population: Population, cle: Hashable, calcul: Callable[[], Any], *tableaux: np.ndarray) -> Any:  # noqa: ANN401 — un tableau, ou un tuple de tableaux, comme ``calcul``
    """``calcul()``, calculé une fois par simulation pour ``cle`` et ``tableaux``, puis relu.

    Pour une valeur qui ne dépend que de ce que nomme la clé (valeurs de
    paramètres, mois de calcul) et des ``tableaux`` donnés, reconnus à leur
    identité : entrées et variables que la simulation garde en cache, ou
    tableaux eux-mêmes rendus par :func:`une_fois`. Le moteur de population
    donne à chaque mois de la fenêtre le même tableau d'entrée : une formule
    mensuelle dont les entrées et les paramètres lus ne changent pas d'un mois
    à l'autre relit alors sa valeur au lieu de la refaire, et la rend telle
    quelle (même tableau), ce qui permet aux formules qui la lisent d'en faire
    autant. Des entrées différentes (autres tableaux) refont le calcul : le
    résultat est toujours celui de ``calcul()``. Le tableau rendu (ou chaque
    tableau d'un tuple) est partagé : en lecture seule.
    """
    gardes = _GARDES.setdefault(population.simulation, {})
    cle = (population.entity.key, cle, *map(id, tableaux))
    garde = gardes.get(cle)
    # Les tableaux de la clé sont gardés avec le résultat : leur identité ne peut pas resservir.
    if garde is None or any(a is not b for a, b in zip(garde[0], tableaux, strict=True)):
        resultat = calcul()
        resultat = tuple(map(np.asarray, resultat)) if isinstance(resultat, tuple) else np.asarray(resultat)
        for tableau in resultat if isinstance(resultat, tuple) else (resultat,):
            tableau.flags.writeable = False
        garde = gardes[cle] = (tableaux, resultat)
    return garde[1]


def oublier(simulation: object) -> None:
    """Oublie les valeurs gardées pour ``simulation`` (:func:`une_fois`)."""
    _GARDES.pop(simulation, None)


def valeur_gardee(population: Population, cle: Hashable, calcul: Callable[[], Any]) -> Any:  # noqa: ANN401
    """``calcul()`` (une valeur Python : paramètres d'un mois, clé) une fois par
    simulation et par ``cle`` : ce que chaque mois relit sans le recalculer."""
    gardes = _GARDES.setdefault(population.simulation, {})
    cle = ("valeur", cle)
    if cle not in gardes:
        gardes[cle] = calcul()
    return gardes[cle]


class VariableEnDoublePrecision(Variable):
    """Une variable réelle qu'OpenFisca garde en float64 au lieu de float32.

    Pour les montants intermédiaires d'un montant arrondi au centime (seuil de
    cumul, ressources de l'AAH) : en float32, 7 chiffres significatifs (à
    0,002 € près sur 30 000 €) feraient tomber une réduction ou une AAH exacte à
    une demi-centime du mauvais côté de l'arrondi. La variable reste une
    variable OpenFisca comme les autres : son cache, ses entrées, les réformes
    qui la remplacent et ``/trace`` la voient. La classe qui en hérite déclare
    ses attributs (``value_type = float``…) comme toute variable."""

    def __init__(self, baseline_variable: Variable | None = None) -> None:
        super().__init__(baseline_variable)
        self.dtype = np.float64


def fixe(population: Population, variable: str, period: Period) -> np.ndarray:
    """``population(variable, period)`` d'une variable fixée une fois pour toutes
    (``ETERNITY`` : dates, régime, génération), retenu par la simulation : les
    fonctions appelées chaque mois la relisent sans repasser par OpenFisca."""
    return valeur_gardee(population, ("fixe", variable), lambda: population(variable, period))


def au_mois(population: Population, variable: str, mois: Period) -> np.ndarray:
    """``population(variable, mois)``, retenu par la simulation : pour les boucles
    qui relisent, chaque mois calculé, les entrées des mêmes mois passés (périodes
    de référence du cumul). Le tableau est celui que la simulation garde en cache."""
    return valeur_gardee(population, ("au_mois", variable, mois), lambda: population(variable, mois))


def deja_calcule(population: Population, cle: Hashable, *tableaux: np.ndarray) -> np.ndarray | None:
    """La valeur gardée par :func:`une_fois` pour ``cle`` et ``tableaux``, ou ``None``."""
    garde = _GARDES.get(population.simulation, {}).get((population.entity.key, cle, *map(id, tableaux)))
    if garde is None or any(a is not b for a, b in zip(garde[0], tableaux, strict=True)):
        return None
    return garde[1]


def le_meme(population: Population, nom: str, tableau: np.ndarray, *, gardes: int = 4) -> np.ndarray:
    """``tableau``, ou, s'il a les mêmes valeurs, le tableau déjà rendu sous ``nom``
    dans la simulation (parmi les ``gardes`` derniers).

    Une formule mensuelle dont la valeur ne change pas d'un mois à l'autre rend
    ainsi chaque mois le même tableau : les calculs qui en dépendent, gardés
    par :func:`une_fois` sous son identité, sont relus au lieu d'être refaits.
    Le résultat a toujours les valeurs de ``tableau`` ; il est en lecture seule.
    """
    connus = _GARDES.setdefault(population.simulation, {}).setdefault((population.entity.key, "le_meme", nom), [])
    tableau = np.asarray(tableau) if not isinstance(tableau, np.ndarray) else tableau
    for connu in reversed(connus):
        if type(connu) is type(tableau) and connu.dtype == tableau.dtype and np.array_equal(connu, tableau):
            return connu
    tableau.flags.writeable = False
    connus.append(tableau)
    del connus[:-gardes]
    return tableau


#: Au-delà de cette étendue de générations (AAAAMM), :func:`bareme_par_generation` évalue chaque personne.
_GENERATIONS_DE_LA_TABLE = 200_000


def bareme_par_generation(
    individu: Population, period: Period, bareme: object, dtype: np.dtype | type | None = None
) -> np.ndarray:
    """``bareme.calc(generation)`` : valeur d'un barème par génération (âge
    légal, âge de fin de la pension…) pour chaque personne, un calcul par
    barème distinct (mêmes seuils et montants), non par mois. ``dtype`` :
    celui de la variable qui le rend (``np.float32`` pour un réel), pour
    qu'OpenFisca garde le tableau tel quel."""
    cle = ("bareme_par_generation", type(bareme).__name__, tuple(bareme.thresholds), tuple(bareme.amounts), dtype)
    generation = fixe(individu, "generation", period)

    def calcul() -> np.ndarray:
        # Le barème évalué pour chaque génération AAAAMM de l'étendue présente (une table),
        # puis lu pour chaque personne : il n'est pas évalué personne par personne.
        if generation.size < _PETIT_TABLEAU:
            return np.asarray(bareme.calc(generation), dtype=dtype)
        premiere, derniere = int(generation.min()), int(generation.max())
        if derniere - premiere > _GENERATIONS_DE_LA_TABLE:
            return np.asarray(bareme.calc(generation), dtype=dtype)
        table = np.asarray(bareme.calc(np.arange(premiere, derniere + 1)), dtype=dtype)
        return table[generation - premiere]

    return une_fois(individu, cle, calcul, generation)


def date_naissance_verifiee(individu: Population, period: Period) -> np.ndarray:
    """``date_naissance`` de chaque personne ; une naissance postérieure au
    dernier jour de la période est une erreur d'entrée (jamais un âge négatif)."""
    from openfisca_invalidite.validation import EntreeInvalide

    naissance = fixe(individu, "date_naissance", period)
    derniere = une_fois(individu, "derniere_naissance", lambda: naissance.max(initial=np.datetime64("0001-01-01")))
    if derniere <= fin(period):  # personne n'est né après la période : rien à chercher
        return naissance
    trop_tard = naissance > fin(period)
    if trop_tard.any():
        raise EntreeInvalide(
            individu,
            "date_naissance",
            "ETERNITY",
            np.flatnonzero(trop_tard),
            f"date de naissance postérieure à la période calculée ({period})",
        )
    return naissance


def entree_donnee(individu: Population, variable: str, periode: str | Period) -> np.ndarray | None:
    """Valeur de ``variable`` pour ``periode``, ou ``None`` si c'est une entrée
    (variable sans formule) qui n'a pas été donnée pour cette période : elle
    vaut alors partout sa valeur par défaut, sans qu'il faille en créer le
    tableau. Pour les boucles sur les années (ou mois) propres à chaque
    personne, qui rencontrent surtout des années sans entrée."""
    holder = individu.get_holder(variable)
    periode = lire_periode(periode)
    if holder.variable.formulas:
        return individu(variable, periode)
    return holder.get_array(periode)


def entree_a_la_periode_de_chacun(
    individu: Population, variable: str, rangs: np.ndarray, retenues: np.ndarray, *, mensuelle: bool = False
) -> np.ndarray:
    """Valeur d'une variable annuelle (mensuelle si ``mensuelle``) à la période
    propre à chaque personne ``retenues`` : l'année de rang ``rangs`` (ou le
    mois de rang année × 12 + mois − 1) ; sa valeur par défaut ailleurs, et,
    pour une entrée, aux périodes où elle n'est pas donnée (sans en créer le
    tableau). Boucle sur les périodes distinctes, jamais sur les personnes ;
    rendu en float64."""
    holder = individu.get_holder(variable)
    resultat = np.full(individu.count, holder.variable.default_value, dtype=np.float64)
    if mensuelle and not holder.variable.formulas:
        # Une entrée mensuelle n'est donnée que pour quelques mois, bien moins que les
        # mois propres aux personnes : seuls ceux-là sont lus.
        donnes = [
            p.start.year * 12 + p.start.month - 1
            for p in holder.get_known_periods()
            if p.unit == periods.DateUnit.MONTH and p.size == 1
        ]
        retenues = retenues & np.isin(rangs, donnes)
    for rang, qui in par_valeur(rangs, retenues):
        texte = f"{rang // 12}-{rang % 12 + 1:02d}" if mensuelle else str(rang)
        valeurs = entree_donnee(individu, variable, texte)
        if valeurs is not None:
            resultat[qui] = valeurs[qui]
    return resultat


@functools.lru_cache(maxsize=4096)
def lire_periode(periode: str | Period) -> Period:
    """La période OpenFisca d'un texte (« 2023 », « 2023-06 »), lue une fois :
    les boucles sur les années et les mois la redemandent souvent."""
    return periods.period(periode)


#: Année de la date par défaut de ``date_debut_invalidite`` (31/12/9999) : pas d'invalidité.
ANNEE_SANS_ARRET = 9999


#: Étendue des valeurs que :func:`par_valeur` trie en entiers 16 bits (tri par base).
_ETENDUE_16_BITS = 1 << 16


def par_valeur(valeurs: np.ndarray, retenues: np.ndarray | None = None) -> Iterator[tuple[int, np.ndarray]]:
    """Pour chaque valeur entière distincte de ``valeurs`` (parmi les personnes
    ``retenues``), dans l'ordre croissant, la valeur et les indices (croissants)
    des personnes qui l'ont : pour lire une variable annuelle (ou mensuelle) à
    l'année (au mois) propre à chaque personne, en bouclant sur les années,
    jamais sur les personnes. Un seul tri stable des personnes."""
    valeurs = np.asarray(valeurs)
    indices = None if retenues is None else np.flatnonzero(retenues)
    choisies = valeurs if indices is None else valeurs[indices]
    if choisies.size == 0:
        return
    plus_petite = choisies.min()
    if int(choisies.max()) - int(plus_petite) < _ETENDUE_16_BITS:
        cles = (choisies - plus_petite).astype(np.uint16)  # tri par base, bien plus rapide
    else:
        cles = choisies
    ordre = np.argsort(cles, kind="stable")
    coupures = np.flatnonzero(np.diff(cles[ordre])) + 1
    for groupe in np.split(ordre, coupures):
        yield int(choisies[groupe[0]]), (groupe if indices is None else indices[groupe])


def revalorisation_des_salaires(
    annee_salaire: int,
    jusqua: np.ndarray,
    coefficients: Parameter,
    anticipees: Parameter,
    *,
    indice_jusqua: np.ndarray | None = None,
) -> np.ndarray:
    """Coefficient qui revalorise le salaire de ``annee_salaire`` jusqu'à ``jusqua``
    (date propre à chaque personne, incluse).

    Produit des ``coefficients`` datés après le 31 décembre de l'année (L341-6
    revalorise au 1er avril « les salaires servant de base au calcul des
    pensions » : un salaire ne sert de base qu'une fois son année civile close,
    R341-4). Une revalorisation anticipée datée dans l'année (``anticipees``
    vrai à sa date d'effet : +4 % au 1er juillet 2022) est une avance imputée
    sur la revalorisation suivante ; le salaire de l'année, qui ne l'a pas
    reçue, en reçoit le montant avec cette revalorisation suivante (1er avril
    2023 : 1,04 × 1,056 / 1,04 = 1,056 pour un salaire de 2022).
    ``indice_jusqua`` (``indice_cumule(coefficients, jusqua)``), s'il est déjà
    connu, évite de le rechercher pour chaque année de la carrière.
    """
    jusqua = np.asarray(jusqua).astype(JOUR)
    if indice_jusqua is None:
        indice_jusqua = indice_cumule(coefficients, jusqua)
    fin_annee = np.datetime64(f"{annee_salaire}-12-31", "D")
    coefficient = indice_jusqua / indice_cumule(coefficients, fin_annee)
    dates, valeurs = valeurs_datees(coefficients)
    dates_anticipees, drapeaux = valeurs_datees(anticipees)
    for date in dates_anticipees[(drapeaux == 1) & (annee(dates_anticipees) == annee_salaire)]:
        rang = int(np.searchsorted(dates, date, side="left"))
        if rang >= len(dates) or dates[rang] != date or rang + 1 >= len(dates):
            continue
        coefficient = np.where(jusqua >= dates[rang + 1], coefficient * valeurs[rang], coefficient)
    return coefficient
