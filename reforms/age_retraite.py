"""Réformes de l'âge : âge légal de la retraite et âge de fin de la pension
d'invalidité, fixés pour des générations données à compter d'une date.

Les deux âges sont des barèmes par génération (``single_amount``) dont le seuil
est le mois de naissance écrit AAAAMM : ``retraite.age_legal`` (L161-17-2,
D161-2-1-9) et ``pension_invalidite.fin_de_droit.age_fin_pension`` (L341-15,
62 ans). ``reforme_age_retraite`` fabrique la classe de réforme ; les
préréglages nommés plus bas sont des classes du module, que l'on peut citer dans
un test YAML (``reforms:``) ou à ``openfisca serve --reforms``.
"""

from __future__ import annotations

import datetime
import re

from openfisca_core.parameters import ParameterScale, ParameterScaleBracket
from openfisca_invalidite.reforms.parametres import ReformeInvalide, classe_reforme, instant, noeud

CIBLES = {
    "age_legal": "retraite.age_legal",
    "age_fin_pension_invalidite": "pension_invalidite.fin_de_droit.age_fin_pension",
}
TOUTES_CIBLES = ("les_deux", "both", "tous")
DECEMBRE = 12
#: Âges admis par ``reforme_age_retraite`` (garde-fou contre un âge en mois ou une faute de frappe).
AGE_MINIMAL_ADMIS = 50
AGE_MAXIMAL_ADMIS = 75


def generation(valeur, *, fin: bool = False) -> int | None:
    """Mois de naissance AAAAMM d'une génération donnée par son année (1968 :
    janvier 1968, ou décembre si ``fin``), par AAAAMM (196809), par
    ``"1968-09"`` ou par une date."""
    if valeur is None:
        return None
    if isinstance(valeur, datetime.date):
        return valeur.year * 100 + valeur.month
    texte = str(valeur).strip()
    if re.fullmatch(r"\d{4}", texte):
        return int(texte) * 100 + (DECEMBRE if fin else 1)
    trouve = re.fullmatch(r"(\d{4})-?(\d{2})(-\d{2})?", texte)
    if trouve and 1 <= int(trouve.group(2)) <= DECEMBRE:
        return int(trouve.group(1)) * 100 + int(trouve.group(2))
    msg = f"génération illisible : {valeur!r} (attendu AAAA, AAAAMM ou AAAA-MM)"
    raise ReformeInvalide(msg)


def mois_suivant(aaaamm: int) -> int:
    annee, mois = divmod(aaaamm, 100)
    return (annee + 1) * 100 + 1 if mois == DECEMBRE else aaaamm + 1


def _seuil(tranche: ParameterScaleBracket) -> int:
    valeurs = {v.value for v in tranche.threshold.values_list if v.value is not None}
    if len(valeurs) != 1:
        msg = f"{tranche.name} : seuil daté variable, non géré par reforme_age_retraite"
        raise ReformeInvalide(msg)
    return int(valeurs.pop())


def _couper(bareme: ParameterScale, seuil: int) -> None:
    """Ajoute une tranche commençant à ``seuil`` (si absente), copie de la tranche
    qui couvrait ce mois de naissance : le barème donne les mêmes âges à toute
    date tant que la nouvelle tranche n'est pas modifiée."""
    seuils = [_seuil(t) for t in bareme.brackets]
    if seuil in seuils:
        return
    rang = max(i for i, s in enumerate(seuils) if s <= seuil) if seuils[0] <= seuil else -1
    if rang < 0:
        msg = f"{bareme.name} : génération {seuil} antérieure au premier seuil {seuils[0]}"
        raise ReformeInvalide(msg)
    modele = bareme.brackets[rang]
    premiere_date = min(v.instant_str for v in modele.threshold.values_list)
    donnees = {
        "threshold": {premiere_date: {"value": seuil}},
        "amount": {v.instant_str: {"value": v.value} for v in modele.amount.values_list},
    }
    tranche = ParameterScaleBracket(name=f"{bareme.name}[{seuil}]", data=donnees, file_path=modele.file_path)
    bareme.brackets.insert(rang + 1, tranche)


def fixer_age_generations(
    bareme: ParameterScale, age: float, date_effet, depuis: int | None, jusqua: int | None
) -> None:
    """À compter de ``date_effet``, l'âge du barème vaut ``age`` pour les
    générations nées de ``depuis`` à ``jusqua`` inclus (AAAAMM ; None : sans
    borne). Les valeurs datées postérieures de ces générations sont remplacées."""
    if depuis is not None:
        _couper(bareme, depuis)
    if jusqua is not None:
        _couper(bareme, mois_suivant(jusqua))
    debut = instant(date_effet)
    for tranche in bareme.brackets:
        seuil = _seuil(tranche)
        if (depuis is None or seuil >= depuis) and (jusqua is None or seuil <= jusqua):
            tranche.amount.update(start=debut, value=float(age))


def _cibles(cible) -> list[str]:
    if isinstance(cible, str):
        cible = list(CIBLES) if cible in TOUTES_CIBLES else [cible]
    inconnues = [c for c in cible if c not in CIBLES]
    if inconnues or not cible:
        msg = f"cible inconnue {inconnues or cible!r} : possibles {', '.join(CIBLES)} ou « les_deux »"
        raise ReformeInvalide(msg)
    return list(cible)


def _texte_age(age: float) -> str:
    annees, mois = divmod(round(age * 12), 12)
    return f"{annees} ans" + (f" {mois} mois" if mois else "")


def _texte_generation(aaaamm: int) -> str:
    return f"{aaaamm % 100:02d}/{aaaamm // 100}"


def reforme_age_retraite(
    age: float,
    date_effet,
    *,
    generations_depuis=None,
    generations_jusqua=None,
    cible: str | tuple[str, ...] = "age_legal",
    nom: str | None = None,
    documentation: str | None = None,
):
    """Classe de réforme fixant un âge (en années, 62.75 = 62 ans 9 mois) pour les
    générations nées de ``generations_depuis`` à ``generations_jusqua`` inclus
    (années ou AAAAMM ; None : sans borne), à compter de ``date_effet`` (le
    barème en vigueur au mois calculé s'applique, comme dans la loi).

    ``cible`` : ``"age_legal"`` (âge légal général, L161-17-2),
    ``"age_fin_pension_invalidite"`` (fin de la pension d'invalidité, L341-15),
    ou ``"les_deux"``.
    """
    if not AGE_MINIMAL_ADMIS <= float(age) <= AGE_MAXIMAL_ADMIS:
        msg = f"âge {age!r} hors de [{AGE_MINIMAL_ADMIS}, {AGE_MAXIMAL_ADMIS}] ans : en années, 62.75 = 62 ans 9 mois"
        raise ReformeInvalide(msg)
    cibles = _cibles(cible)
    depuis = generation(generations_depuis)
    jusqua = generation(generations_jusqua, fin=True)
    if depuis is not None and jusqua is not None and jusqua < depuis:
        msg = f"générations {depuis} à {jusqua} : intervalle vide"
        raise ReformeInvalide(msg)
    date_texte = str(instant(date_effet))
    quoi = " et ".join(
        {
            "age_legal": "âge légal de la retraite",
            "age_fin_pension_invalidite": "âge de fin de la pension d'invalidité",
        }[c]
        for c in cibles
    )
    qui = (
        "toutes les générations"
        if depuis is None and jusqua is None
        else "générations nées "
        + (f"à partir de {_texte_generation(depuis)}" if depuis is not None else "")
        + (" et " if depuis is not None and jusqua is not None else "")
        + (f"jusqu'à {_texte_generation(jusqua)} incluse" if jusqua is not None else "")
    )
    accord = "fixés" if len(cibles) > 1 else "fixé"
    libelle = (
        f"{quoi[0].upper()}{quoi[1:]} {accord} à {_texte_age(float(age))} pour les {qui}, à compter du {date_texte}"
    )
    nom = nom or "AgeRetraite_" + re.sub(r"\W", "_", f"{age}_{'_'.join(cibles)}_{depuis}_{jusqua}_{date_texte}")

    def modifier(parameters):
        for c in cibles:
            fixer_age_generations(noeud(parameters, CIBLES[c]), float(age), date_texte, depuis, jusqua)
        return parameters

    def appliquer(reforme):
        reforme.modify_parameters(modifier_function=modifier)

    return classe_reforme(nom, documentation or libelle + ".", appliquer, libelle=libelle, module=__name__)


# Préréglages : des classes du module, citables dans un test YAML et à --reforms.


class AgeFinPension64(
    reforme_age_retraite(64, "2023-09-01", generations_depuis=196109, cible="age_fin_pension_invalidite")
):
    """La pension d'invalidité court jusqu'à 64 ans (au lieu de 62) pour les
    générations nées à partir de septembre 1961, à compter du 1er septembre 2023.

    Contrefactuel de l'article 11 de la LFRSS 2023, qui a maintenu à 62 ans la
    fin de la pension d'invalidité (L341-15 renvoie à L351-1-5) alors que l'âge
    légal montait vers 64 ans : que coûterait-il de garder les invalides en
    pension d'invalidité jusqu'à 64 ans, et combien de personnes de 62-63 ans
    resteraient pensionnées (et éligibles à l'ASI plutôt qu'à l'ASPA) ?
    """


class RetourA62(reforme_age_retraite(62, "2023-09-01", generations_depuis=196109, cible="age_legal")):
    """Âge légal ramené à 62 ans pour toutes les générations nées à partir de
    septembre 1961, à compter du 1er septembre 2023 : la LFRSS 2023 annulée
    (et la suspension de la LFSS 2026 sans objet), la loi de 2010 maintenue.

    Pour mesurer ce que le relèvement de l'âge légal change aux prestations qui
    en dépendent (AAH-RSDAE arrêtée à l'âge légal, passage à l'ASPA) ; la fin
    de la pension d'invalidité reste à 62 ans dans les deux cas.
    """


class Acceleration64Generation1968(reforme_age_retraite(64, "2026-09-01", generations_depuis=1968, cible="age_legal")):
    """Âge légal de 64 ans d'un coup pour les générations nées à partir de 1968,
    à compter du 1er septembre 2026 : la suspension de la LFSS 2026 (63 ans
    9 mois pour la génération 1968) n'est pas appliquée à cette génération.

    Pour chiffrer une accélération du calendrier (64 ans atteints dès la
    génération 1968, sans palier) ; combiner avec ``reforme_age_retraite`` pour
    d'autres générations ou d'autres dates.
    """


class AgeFinSuitAgeLegal64(reforme_age_retraite(64, "2023-09-01", generations_depuis=1968, cible="les_deux")):
    """Âge légal et fin de la pension d'invalidité à 64 ans pour les générations
    nées à partir de 1968, à compter du 1er septembre 2023 : exemple de
    ``cible="les_deux"``, les invalides suivant le droit commun.
    """
