"""Revalorisation des barèmes après leur dernière valeur publiée (projections).

Les barèmes du paquet s'arrêtent à la dernière valeur publiée (un arrêté, une
instruction). Au-delà, OpenFisca garde la dernière valeur : projeter dix ans
ainsi, c'est geler les montants. Une projection pluriannuelle dit donc ce
qu'elle fait :

- avec une :class:`Revalorisation` (par défaut : les hypothèses publiées de
  ``data/hypotheses_projection.yaml``, inflation et croissance du salaire moyen),
  chaque barème de :data:`REGLES` reçoit, à sa date légale de revalorisation de
  chaque année, sa dernière valeur × (1 + taux). C'est une réforme OpenFisca
  (:func:`reforme_revalorisation`) : elle agit sur les paramètres eux-mêmes,
  après les réformes étudiées, pas sur les résultats ;
- sans revalorisation, :func:`baremes_geles` dit quels barèmes sont gelés à
  partir de quelle date, et la projection l'écrit dans ses sorties et son journal.

Règles (L161-25 CSS : revalorisation des prestations selon l'inflation hors
tabac de l'année précédente ; L241-3 et D242-17 : plafond selon le salaire
moyen de l'année) :

=====================================================  ===================  ======
barème                                                 taux de l'année N    date
=====================================================  ===================  ======
plafond mensuel (et annuel = 12 ×) de la sécurité      croissance_salaires  1er janvier
sociale                                                N
SMIC horaire (au moins l'inflation ; L3231-5 CT)       inflation N − 1      1er janvier
minimum de la pension d'invalidité (L341-5)            inflation N − 1      1er janvier
coefficients de revalorisation des pensions et des     inflation N − 1      1er avril
salaires (L341-6)
majoration pour tierce personne                        inflation N − 1      1er avril
plafonds de ressources de l'ASI                        inflation N − 1      1er avril
montant de l'AAH                                       inflation N − 1      1er avril
=====================================================  ===================  ======
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from openfisca_core import periods

if TYPE_CHECKING:
    from collections.abc import Mapping

    from openfisca_core.parameters import Parameter, ParameterNode
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem

FICHIER_HYPOTHESES = Path(__file__).resolve().parent / "data" / "hypotheses_projection.yaml"
SERIES = ("inflation", "croissance_salaires")


@dataclass(frozen=True)
class Regle:
    chemin: str
    serie: str
    mois: int
    #: Décalage de l'année du taux : −1 = inflation de l'année précédente (L161-25).
    decalage: int
    coefficient: bool = False
    #: Arrondi de la valeur revalorisée (décimales).
    decimales: int = 2


#: Barèmes revalorisés, dans l'ordre où ils sont traités (le PASS est déduit du PMSS).
REGLES = (
    Regle("references_sociales.plafond_mensuel_securite_sociale", "croissance_salaires", 1, 0, decimales=0),
    Regle("references_sociales.plafond_annuel_securite_sociale", "croissance_salaires", 1, 0, decimales=0),
    Regle("references_sociales.smic_horaire_brut", "inflation", 1, -1),
    Regle("pension_invalidite.montant.minimum", "inflation", 1, -1),
    Regle("pension_invalidite.revalorisation.coefficient_pensions", "inflation", 4, -1, coefficient=True, decimales=4),
    Regle("pension_invalidite.revalorisation.coefficient_salaires", "inflation", 4, -1, coefficient=True, decimales=4),
    Regle("pension_invalidite.majoration_tierce_personne.montant", "inflation", 4, -1),
    Regle("asi.plafond_ressources.personne_seule", "inflation", 4, -1),
    Regle("asi.plafond_ressources.couple", "inflation", 4, -1),
    Regle("aah.montant_maximum", "inflation", 4, -1),
)
PASS = "references_sociales.plafond_annuel_securite_sociale"  # noqa: S105 — le plafond, pas un mot de passe
PMSS = "references_sociales.plafond_mensuel_securite_sociale"
MOIS_PAR_AN = 12


#: Bornes (exclues) d'un taux annuel d'inflation ou de croissance des salaires : un
#: garde-fou de saisie (−50 % à +100 % par an), pas une hypothèse.
TAUX_MINIMUM = -0.5
TAUX_MAXIMUM = 1.0
TAUX_ATTENDU = f"un taux annuel fini, entre {TAUX_MINIMUM:g} et {TAUX_MAXIMUM:g} exclus, par exemple 0.0175"
#: Année d'un taux donné pour toutes les années (« 0.02 » plutôt que « {2027: 0.02} »).
TOUTES_LES_ANNEES = 0


class HypothesesInvalides(ValueError):
    pass


@dataclass(frozen=True)
class Revalorisation:
    """Taux annuels par série : ((année, taux), …) ; le taux d'une année est
    celui de la dernière année donnée qui la précède (la dernière vaut pour la suite)."""

    inflation: tuple[tuple[int, float], ...]
    croissance_salaires: tuple[tuple[int, float], ...]
    nom: str = "hypothèses publiées"

    def __post_init__(self) -> None:
        for serie in SERIES:
            valeurs = getattr(self, serie)
            if not valeurs:
                msg = f"revalorisation : série « {serie} » vide"
                raise HypothesesInvalides(msg)
            for annee, taux in valeurs:
                if not (TAUX_MINIMUM < float(taux) < TAUX_MAXIMUM):  # faux aussi pour NaN
                    quand = "" if annee == TOUTES_LES_ANNEES else f" {annee}"
                    msg = f"revalorisation : {serie}{quand} = {taux} ({TAUX_ATTENDU})"
                    raise HypothesesInvalides(msg)

    def taux(self, serie: str, annee: int) -> float:
        valeurs = sorted(getattr(self, serie))
        retenu = min(valeurs)[1]
        for a, t in valeurs:
            if a <= annee:
                retenu = t
        return float(retenu)

    def decrire(self) -> str:
        def serie(nom: str) -> str:
            return ", ".join(f"{a} : {t:.2%}" for a, t in sorted(getattr(self, nom))).replace(".", ",")

        return (
            f"{self.nom} — inflation {serie('inflation')} ; salaire moyen {serie('croissance_salaires')} "
            "(la dernière année vaut pour les suivantes)"
        )

    def en_dict(self) -> dict:
        return {
            "nom": self.nom,
            "inflation": dict(self.inflation),
            "croissance_salaires": dict(self.croissance_salaires),
        }

    @classmethod
    def depuis(cls, valeurs: Mapping, nom: str = "hypothèses de l'utilisateur") -> Revalorisation:
        """Depuis ``{"inflation": {2027: 0.02} ou 0.02, "croissance_salaires": …}`` ;
        une série absente reprend les hypothèses publiées."""
        inconnues = set(valeurs) - {*SERIES, "nom"}
        if inconnues:
            msg = f"revalorisation : série inconnue « {min(inconnues)} » (admises : {', '.join(SERIES)})"
            raise HypothesesInvalides(msg)
        defaut = hypotheses_publiees()
        series = {}
        for serie in SERIES:
            donnee = valeurs.get(serie)
            if donnee is None:
                series[serie] = getattr(defaut, serie)
            elif isinstance(donnee, (int, float)):
                series[serie] = ((TOUTES_LES_ANNEES, float(donnee)),)
            else:
                series[serie] = tuple(sorted((int(a), float(t)) for a, t in dict(donnee).items()))
        return cls(nom=str(valeurs.get("nom", nom)), **series)


@functools.cache
def hypotheses_publiees() -> Revalorisation:
    """Les hypothèses sourcées de ``data/hypotheses_projection.yaml``."""
    with FICHIER_HYPOTHESES.open(encoding="utf-8") as fichier:
        donnees = yaml.safe_load(fichier)
    series = {
        serie: tuple(sorted((int(a), float(v["valeur"])) for a, v in donnees[serie]["valeurs"].items()))
        for serie in SERIES
    }
    return Revalorisation(nom="hypothèses publiées (data/hypotheses_projection.yaml)", **series)


def sources_hypotheses() -> list[dict]:
    """Chaque valeur des hypothèses publiées avec sa source, pour les sorties."""
    with FICHIER_HYPOTHESES.open(encoding="utf-8") as fichier:
        donnees = yaml.safe_load(fichier)
    return [
        {"serie": serie, "annee": int(a), **{k: (" ".join(str(x).split())) for k, x in v.items()}}
        for serie in SERIES
        for a, v in donnees[serie]["valeurs"].items()
    ]


# --------------------------------------------------------------------------- paramètres
def _parametre(parametres: ParameterNode, chemin: str) -> Parameter:
    noeud = parametres
    for partie in chemin.split("."):
        noeud = noeud.children[partie]
    return noeud


def _derniere(parametre: Parameter) -> tuple[periods.Instant, float]:
    derniere = max(parametre.values_list, key=lambda v: v.instant_str)
    return periods.instant(derniere.instant_str), float(derniere.value)


def prochaine_date(parametre: Parameter, regle: Regle) -> periods.Instant:
    """Première date de revalorisation attendue après la dernière valeur publiée."""
    instant, _ = _derniere(parametre)
    return periods.instant(f"{instant.year + 1}-{regle.mois:02d}-01")


def revaloriser_parametres(parametres: ParameterNode, revalorisation: Revalorisation, jusqua: int) -> ParameterNode:
    """Ajoute, pour chaque barème de :data:`REGLES`, une valeur à chaque date de
    revalorisation qui suit sa dernière valeur, jusqu'à l'année ``jusqua`` incluse."""
    for regle in REGLES:
        if regle.chemin == PASS:
            continue  # déduit du PMSS ci-dessous
        parametre = _parametre(parametres, regle.chemin)
        date = prochaine_date(parametre, regle)
        _, valeur = _derniere(parametre)
        while date.year <= jusqua:
            taux = revalorisation.taux(regle.serie, date.year + regle.decalage)
            valeur = (
                round(1 + taux, regle.decimales) if regle.coefficient else round(valeur * (1 + taux), regle.decimales)
            )
            parametre.update(start=date, value=valeur)
            if regle.chemin == PMSS:
                plafond_annuel = _parametre(parametres, PASS)
                if date > _derniere(plafond_annuel)[0]:
                    plafond_annuel.update(start=date, value=valeur * MOIS_PAR_AN)
            date = periods.instant(f"{date.year + 1}-{regle.mois:02d}-01")
    return parametres


def reforme_revalorisation(revalorisation: Revalorisation, jusqua: int) -> type:
    """Réforme OpenFisca qui revalorise les barèmes jusqu'à ``jusqua`` (voir le module)."""
    from openfisca_core.reforms import Reform

    class RevalorisationProjetee(Reform):
        name = f"revalorisation jusqu'en {jusqua} : {revalorisation.nom}"

        def apply(self) -> None:
            self.modify_parameters(
                modifier_function=functools.partial(
                    revaloriser_parametres, revalorisation=revalorisation, jusqua=jusqua
                )
            )

    return RevalorisationProjetee


def baremes_geles(tbs: TaxBenefitSystem, jusqua: str) -> dict[str, str]:
    """Barèmes qui restent gelés à leur dernière valeur publiée dans la période
    qui finit le jour ``jusqua`` (AAAA-MM-JJ) : {chemin: date de la première
    revalorisation manquante}."""
    fin = periods.instant(jusqua)
    geles = {}
    for regle in REGLES:
        date = prochaine_date(_parametre(tbs.parameters, regle.chemin), regle)
        if date <= fin:
            geles[regle.chemin] = str(date)
    return geles
