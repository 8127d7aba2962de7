"""Le serveur réel (``openfisca serve`` sur 127.0.0.1, voir conftest.py) face
aux requêtes qui coûtent cher ou qui ont une forme inattendue : déni de service
par un identifiant numérique, travail borné (périodes demandées et données,
étendue des années, taille de /trace, durée d'une requête), formes JSON qui
donnaient 500 (imbrication profonde, liste à la place d'une valeur, période
au-delà de l'an 9999, axes), et les axes eux-mêmes.

Chaque refus est vérifié : code 4xx (ou 503 pour l'échéance), message qui
nomme le champ et la limite, réponse rapide, mémoire du worker bornée, et le
serveur répond encore juste à la même situation valide ensuite."""

from __future__ import annotations

import copy
import itertools
import json
import os
import time
from pathlib import Path

import pytest

from openfisca_invalidite import SITUATION_EXAMPLES_DIR, web_api
from openfisca_invalidite.serveur_local import ServeurInjoignable, feuilles, serveur_local

MOIS = "2025-06"
#: Croissance de mémoire tolérée pour un worker pendant une requête refusée (Mo).
CROISSANCE_MEMOIRE_MAXIMALE = 60
#: Une requête refusée répond dans ce délai (s) ; sur main, l'identifiant
#: « 30000000 » prenait 3 à 10 s, l'AAH sur 1 990 mois 21 s.
REFUS_RAPIDE = 1.5


# --- Outils ------------------------------------------------------------------


def workers(serveur) -> list[int]:
    """Processus enfants du serveur (workers gunicorn), lus dans /proc."""
    enfants = []
    for entree in Path("/proc").iterdir():
        if not entree.name.isdigit():
            continue
        try:
            stat = (entree / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == serveur.processus.pid:
            enfants.append(int(entree.name))
    return enfants


def memoire(pid: int) -> dict[str, int]:
    """VmRSS (résidente) et VmHWM (pic depuis le démarrage) en Mo, de /proc/<pid>/status."""
    valeurs = {}
    try:
        for ligne in Path(f"/proc/{pid}/status").read_text().splitlines():
            cle, _, reste = ligne.partition(":")
            if cle in ("VmRSS", "VmHWM"):
                valeurs[cle] = int(reste.split()[0]) // 1024
    except OSError:
        pass
    return valeurs


def pics(serveur) -> dict[int, int]:
    return {pid: memoire(pid).get("VmHWM", 0) for pid in workers(serveur)}


def exemple(nom="pensionne_categorie_2"):
    with (SITUATION_EXAMPLES_DIR / f"{nom}.json").open(encoding="utf-8") as fichier:
        return json.load(fichier)


def pension_attendue(serveur, situation) -> float:
    reponse = serveur.post("/calculate", situation)
    assert reponse.status_code == 200, reponse.text
    return reponse.json()["individus"]["claire"]["pension_invalidite"][MOIS]


@pytest.fixture(scope="module")
def reference(serveur):
    """La situation valide et sa pension, pour vérifier le serveur après chaque refus."""
    situation = exemple()
    montant = pension_attendue(serveur, situation)
    assert montant > 0
    return situation, montant


def refus(serveur, reference, requete, statut, champs, *mots):
    """Envoie ``corps`` ; vérifie le statut, le champ nommé (préfixe du chemin
    d'erreur), les mots du message, la rapidité, la mémoire des workers, puis
    que le serveur répond encore juste. ``requete`` : (point, corps). Rend le message."""
    point, corps = requete
    donnees = corps if isinstance(corps, str | bytes) else json.dumps(corps)
    avant = pics(serveur)
    debut = time.perf_counter()
    reponse = serveur.post(point, data=donnees)
    duree = time.perf_counter() - debut
    apres = pics(serveur)
    assert reponse.status_code == statut, f"{point} : {reponse.status_code} {reponse.text[:500]}"
    chemins = list(feuilles(reponse.json()))
    assert any(tuple(champs) == chemin[: len(champs)] for chemin, _ in chemins), (
        f"le champ {champs} n'est pas nommé dans {reponse.text[:500]}"
    )
    message = " ".join(str(m) for _, m in chemins)
    assert all(isinstance(m, str) and m for _, m in chemins), reponse.text[:500]
    for mot in mots:
        assert mot in message, f"« {mot} » absent de : {message}"
    assert duree < REFUS_RAPIDE, f"{point} : refus en {duree:.2f} s"
    croissance = max((apres[pid] - avant.get(pid, apres[pid]) for pid in apres), default=0)
    assert croissance < CROISSANCE_MEMOIRE_MAXIMALE, f"un worker a pris {croissance} Mo pour ce refus"
    situation, montant = reference
    assert pension_attendue(serveur, situation) == montant
    assert serveur.vivant()
    return message


# --- Déni de service par identifiant ------------------------------------------------


def test_identifiant_numerique_ne_devient_pas_un_indice(serveur, reference):
    """Un identifiant numérique avec une mauvaise valeur : ``dpath.new`` créait une
    liste de 30 millions d'éléments (≈ 600 Mo, plusieurs secondes). L'identifiant
    de 30 chiffres, qui épuisait la mémoire, n'est envoyé qu'une fois le premier
    cas montré borné (l'assertion qui échoue arrête le test avant)."""
    for identifiant in ("30000000", "1" + "0" * 29):
        corps = {"individus": {identifiant: {"salaire_brut_annuel": {"2019": "abc"}}}}
        for point in ("/calculate", "/trace"):
            refus(serveur, reference, (point, corps), 400, ["individus", identifiant, "salaire_brut_annuel", "2019"])


def test_identifiant_numerique_valide_calcule(serveur, reference):
    situation, montant = reference
    numerique = copy.deepcopy(situation)
    numerique["individus"] = {"30000000": numerique["individus"]["claire"]}
    numerique["familles"]["famille_1"]["parents"] = ["30000000"]
    reponse = serveur.post("/calculate", numerique)
    assert reponse.status_code == 200, reponse.text
    assert reponse.json()["individus"]["30000000"]["pension_invalidite"][MOIS] == montant


def test_erreur_sur_une_annee_est_un_objet(serveur, reference):
    """Une clé numérique (« 2019 ») dans le chemin d'erreur reste une clé d'objet."""
    situation, _ = reference
    corps = copy.deepcopy(situation)
    corps["individus"]["claire"]["salaire_brut_annuel"]["2019"] = "abc"
    reponse = serveur.post("/calculate", corps)
    assert reponse.status_code == 400
    assert isinstance(reponse.json()["individus"]["claire"]["salaire_brut_annuel"], dict)


def test_erreurs_sans_listes_dans_l_api_python():
    """Le constructeur remplacé garde le message et le code, sans liste."""
    from openfisca_core.errors import SituationParsingError

    erreur = SituationParsingError(["individus", "30000000", "age", "2019"], "message\nsur deux lignes", code=404)
    assert erreur.error == {"individus": {"30000000": {"age": {"2019": "message sur deux lignes"}}}}
    assert erreur.code == 404
    assert SituationParsingError([], "m").error == {"": "m"}
    web_api.installer()  # idempotent
    assert SituationParsingError(["a", 2], "m").error == {"a": {"2": "m"}}


# --- Travail borné -------------------------------------------------------------------


def aah_sur_mois(debut: int, nombre: int) -> dict:
    situation = exemple("pensionne_categorie_2_asi_aah")
    marc = situation["individus"]["marc"]
    for variable in ("pension_invalidite", "asi"):
        del marc[variable]
    marc["aah"] = {f"{debut + i // 12}-{i % 12 + 1:02d}": None for i in range(nombre)}
    return situation


@pytest.mark.parametrize("point", ["/calculate", "/trace"])
def test_aah_sur_1990_mois(serveur, reference, point):
    """34 Ko demandant l'AAH sur 1 990 mois : 21 s (/calculate) et 49 s (/trace,
    82 Mo, 490 Mo dans le worker) avant ; un 413 immédiat qui nomme la limite."""
    corps = aah_sur_mois(2016, 1990)
    assert len(json.dumps(corps)) > 30_000
    refus(serveur, reference, (point, corps), 413, ["situation"], "1990", "PERIODES_DEMANDEES_MAXIMUM")


def test_periodes_demandees_a_la_limite(serveur):
    """PERIODES_DEMANDEES_MAXIMUM mois d'AAH sont admis, un de plus est refusé."""
    limite = web_api.PERIODES_DEMANDEES_MAXIMUM
    admis = serveur.post("/calculate", aah_sur_mois(2016, limite))
    assert admis.status_code == 200, admis.text[:300]
    assert len(admis.json()["individus"]["marc"]["aah"]) == limite
    assert serveur.post("/calculate", aah_sur_mois(2016, limite + 1)).status_code == 413


@pytest.mark.parametrize("point", ["/calculate", "/trace"])
def test_95000_valeurs_mensuelles_en_une_periode(serveur, reference, point):
    """Une seule valeur pour « month:2000-01:95000 » devenait 95 000 valeurs
    mensuelles ; elle est refusée pour sa durée (et ses années, jusqu'en 9916)."""
    situation, _ = reference
    corps = copy.deepcopy(situation)
    corps["individus"]["claire"]["revenus_activite"] = {"month:2000-01:95000": 0}
    message = refus(serveur, reference, (point, corps), 413, ["situation"], "PERIODES_DONNEES_MAXIMUM", "95\u202f000")
    assert "month:2000-01:95000" in message
    corps["individus"]["claire"]["revenus_activite"] = {"month:2000-01:95": 0, "month:9990-01:95": 0}
    refus(
        serveur,
        reference,
        (point, corps),
        400,
        ["individus", "claire", "revenus_activite", "month:9990-01:95"],
        "ANNEE_MAXIMUM",
    )


def test_periodes_donnees_bornees(serveur, reference):
    """Six variables mensuelles données chacune pour 80 ans (960 mois) : 5 760 mois."""
    situation, _ = reference
    corps = copy.deepcopy(situation)
    claire = corps["individus"]["claire"]
    for variable in ("revenus_activite", "autres_ressources", "indemnites_journalieres_maladie"):
        claire[variable] = {"year:2000:80": 0}
    claire["salaire_cotise_12_mois"] = {"year:2000:80": 22000 * 80, MOIS: 22000}
    claire["heures_travaillees_12_mois"] = {"year:2000:80": 1500 * 80, MOIS: 1500}
    claire["taux_incapacite"] = {"year:2000:80": 0}
    claire["salaire_brut_annuel"] = {"2013": 21000}
    refus(serveur, reference, ("/calculate", corps), 413, ["situation"], "PERIODES_DONNEES_MAXIMUM", "(960)")


def test_valeurs_d_entree_bornees(serveur, reference):
    """95 000 valeurs réparties sur 500 personnes : VALEURS_MAXIMUM."""
    individus = {
        f"p{i}": {"revenus_activite": {f"{2016 + k // 12}-{k % 12 + 1:02d}": 0 for k in range(190)}} for i in range(500)
    }
    refus(serveur, reference, ("/calculate", {"individus": individus}), 413, ["situation"], "95000")


def test_etendue_des_annees(serveur, reference):
    """Des salaires depuis 1930 et une pension en 2025 : 96 années, au-delà
    d'ETENDUE_ANNEES_MAXIMUM ; une carrière de 45 ans est admise."""
    situation, _ = reference
    trop = copy.deepcopy(situation)
    trop["individus"]["claire"]["salaire_brut_annuel"]["1930"] = 1000
    refus(serveur, reference, ("/calculate", trop), 413, ["individus", "claire"], "ETENDUE_ANNEES_MAXIMUM", "1930")
    longue = copy.deepcopy(situation)
    longue["individus"]["claire"]["salaire_brut_annuel"] = {str(annee): 20000 for annee in range(1978, 2023)}
    assert serveur.post("/calculate", longue).status_code == 200


@pytest.mark.parametrize("point", ["/calculate", "/trace"])
def test_groupes_bornes(serveur, reference, point):
    """600 familles (même sans personnes) : core cherche chaque identifiant dans une liste."""
    situation, _ = reference
    corps = copy.deepcopy(situation)
    corps["familles"].update({f"f{i}": {} for i in range(600)})
    refus(serveur, reference, (point, corps), 413, ["familles"], str(web_api.PERSONNES_MAXIMUM))


def test_trace_trop_grande(serveur, reference):
    """Le revenu disponible (≈ 500 nœuds) sur 2 000 points d'axe : plus de
    TRACE_VALEURS_MAXIMUM valeurs ; /calculate rend ses 2 000 valeurs."""
    corps = exemple("pensionne_categorie_2_asi_aah")
    marc = corps["individus"]["marc"]
    for variable in ("pension_invalidite", "asi", "aah"):
        del marc[variable]
    marc["revenu_disponible_invalidite"] = {MOIS: None}
    corps["axes"] = [[{"name": "revenus_activite", "count": 2000, "min": 0, "max": 3000, "period": "2025-05"}]]
    message = refus(serveur, reference, ("/trace", corps), 413, ["trace"], "TRACE_VALEURS_MAXIMUM")
    assert "nœuds" in message
    calcul = serveur.post("/calculate", corps)
    assert calcul.status_code == 200, calcul.text[:300]
    assert len(calcul.json()["individus"]["marc"]["revenu_disponible_invalidite"][MOIS]) == 2000


# --- Échéance par requête -----------------------------------------------------------


@pytest.fixture(scope="module")
def serveur_presse():
    """Un serveur dont l'échéance est abaissée à 0,5 s (variable d'environnement)."""
    environnement = {**os.environ, "OPENFISCA_INVALIDITE_DUREE_MAXIMALE": "0.5"}
    try:
        with serveur_local(workers=1, environnement=environnement) as instance:
            yield instance
    except ServeurInjoignable as erreur:
        pytest.fail(str(erreur))


@pytest.mark.parametrize("point", ["/calculate", "/trace"])
def test_echeance_libere_le_worker(serveur_presse, point):
    """Une requête admise mais longue (500 personnes, 50 000 valeurs : ≈ 1,5 s)
    est interrompue à l'échéance : 503 qui la nomme, et le worker répond ensuite."""
    base = exemple("pensionne_categorie_2_asi_aah")["individus"]["marc"]
    base["revenus_activite"] = {f"{2016 + k // 12}-{k % 12 + 1:02d}": 0 for k in range(50)}
    lourde = {"individus": {f"p{i}": copy.deepcopy(base) for i in range(500)}}
    debut = time.perf_counter()
    reponse = serveur_presse.post(point, lourde)
    duree = time.perf_counter() - debut
    assert reponse.status_code == 503, reponse.text[:300]
    assert "DUREE_MAXIMALE_REQUETE" in reponse.json()["situation"]
    assert "0.5 s" in reponse.json()["situation"]
    assert duree < 3
    situation = exemple()
    assert pension_attendue(serveur_presse, situation) > 0
    assert serveur_presse.vivant()


def test_personne_hors_de_toute_famille_avec_valeurs_de_famille(serveur, reference):
    """Paul dans aucune famille alors que « en_couple » est donné pour famille_1 :
    OpenFisca crée une famille pour Paul et y recopie la valeur de famille_1 (un
    « en couple » faux, sans mot dire) ; avec deux familles écrites, il échoue (500)."""
    situation, _ = reference
    corps = copy.deepcopy(situation)
    corps["individus"]["paul"] = {}
    corps["familles"]["famille_1"]["en_couple"] = {MOIS: True}
    for point in ("/calculate", "/trace"):
        refus(serveur, reference, (point, corps), 400, ["familles"], "paul", "en_couple")
    corps["individus"]["jean"] = {}
    corps["familles"]["famille_2"] = {"parents": ["jean"], "en_couple": {MOIS: False}}
    refus(serveur, reference, ("/calculate", corps), 400, ["familles"], "paul")
    corps["familles"]["famille_3"] = {"parents": ["paul"]}
    assert serveur.post("/calculate", corps).status_code == 200


@pytest.mark.parametrize("point", ["/calculate", "/trace"])
def test_famille_sans_membre(serveur, reference, point):
    """Une famille vide : la somme par famille de l'ASI n'a plus la taille du
    nombre de familles (500 quand la famille vide est la dernière)."""
    corps = exemple("pensionne_categorie_2_asi_aah")
    corps["familles"]["30000000"] = {}
    refus(serveur, reference, (point, corps), 400, ["familles", "30000000"], "aucun membre")


# --- Formes JSON qui donnaient 500 -----------------------------------------------------


@pytest.mark.parametrize("point", ["/calculate", "/trace"])
def test_imbrication_profonde(serveur, reference, point):
    """100 000 tableaux emboîtés : RecursionError au décodage (500) ; 50 niveaux
    sous « individus » : refusés avant tout parcours récursif."""
    refus(serveur, reference, (point, '{"individus": ' + "[" * 100_000 + "]" * 100_000 + "}"), 400, ["situation"])
    profond = '{"individus": {"claire": {"salaire_brut_annuel": {"2019": ' + "[" * 50 + "]" * 50 + "}}}}"
    refus(serveur, reference, (point, profond), 400, ["individus", "claire"], str(web_api.PROFONDEUR_MAXIMUM))


LISTES = [
    ("salaire_brut_annuel", "2019", [1, 2]),
    ("salaire_brut_annuel", "2019", []),
    ("categorie_invalidite", MOIS, ["categorie_2"]),
    ("date_naissance", "ETERNITY", ["1975-03-12"]),
    ("salaire_brut_annuel", "2019", {"montant": 1}),
]


@pytest.mark.parametrize(("variable", "periode", "valeur"), LISTES, ids=[f"{v}-{json.dumps(x)}" for v, _, x in LISTES])
@pytest.mark.parametrize("point", ["/calculate", "/trace"])
def test_liste_a_la_place_d_une_valeur(serveur, reference, point, *, variable, periode, valeur):
    situation, _ = reference
    corps = copy.deepcopy(situation)
    corps["individus"]["claire"][variable] = {periode: valeur}
    refus(serveur, reference, (point, corps), 400, ["individus", "claire", variable, periode], "valeur attendue")


def test_liste_a_la_place_d_un_booleen_de_famille(serveur, reference):
    situation, _ = reference
    corps = copy.deepcopy(situation)
    corps["familles"]["famille_1"]["en_couple"] = {MOIS: [True]}
    refus(serveur, reference, ("/calculate", corps), 400, ["familles", "famille_1", "en_couple", MOIS])


PERIODES = [
    ("pension_invalidite", "9999-12", None, "ANNEE_MAXIMUM"),
    ("salaire_annuel_moyen", "9999-12", None, "ANNEE_MAXIMUM"),
    ("revenus_activite", "9999-12", 0, "ANNEE_MAXIMUM"),
    ("salaire_brut_annuel", "0999", 5, "ANNEE_MINIMUM"),
    ("revenus_activite", "month:2025-01:0", 5, "nulle ou négative"),
    ("revenus_activite", "month:2025-01:-1", 5, "nulle ou négative"),
    ("revenus_activite", "2025-01-01", 5, "par mois ou par année"),
    ("salaire_annuel_moyen_a_la_liquidation", "ETERNITY", None, "se calcule à une date"),
    # Illisibles : core répondait 400 en anglais, au chemin de la variable et non de la période.
    ("pension_invalidite", "10000-01", None, "illisible"),
    ("revenus_activite", "juin 2025", 5, "illisible"),
]


@pytest.mark.parametrize(("variable", "periode", "valeur", "mot"), PERIODES, ids=[f"{v}-{p}" for v, p, *_ in PERIODES])
@pytest.mark.parametrize("point", ["/calculate", "/trace"])
def test_periodes_hors_calendrier(serveur, reference, point, *, variable, periode, valeur, mot):
    """« 9999-12 » : le calcul cherche le mois suivant, l'an 10000 (500) ; « 0999 »
    s'écrit « 999 » qu'OpenFisca ne relit pas (500) ; une durée nulle ou négative
    (500) ; un jour pour une variable mensuelle, accepté puis mal réparti ; une
    variable calculée de période ETERNITY demandée pour « ETERNITY » : core
    cherche sa formule à une date qui n'existe pas (500)."""
    situation, _ = reference
    corps = copy.deepcopy(situation)
    corps["individus"]["claire"][variable] = {periode: valeur}
    refus(serveur, reference, (point, corps), 400, ["individus", "claire", variable, periode], mot)


# --- Axes ------------------------------------------------------------------------------


def axe(**champs):
    return {"name": "salaire_brut_annuel", "count": 11, "min": 20000, "max": 40000, "period": "2020", **champs}


AXES_MAL_FORMES = [
    ("count 0", [[axe(count=0)]], ["axes", "0", "0", "count"]),
    ("count flottant", [[axe(count=2.5)]], ["axes", "0", "0", "count"]),
    ("count booléen", [[axe(count=True)]], ["axes", "0", "0", "count"]),
    ("count négatif", [[axe(count=-1)]], ["axes", "0", "0", "count"]),
    ("period null", [[axe(period=None)]], ["axes", "0", "0", "period"]),
    ("period illisible", [[axe(period="2020-13")]], ["axes", "0", "0", "period"]),
    ("period d'une autre unité", [[axe(period=MOIS)]], ["axes", "0", "0", "period"]),
    ("period après 9999", [[axe(name="revenus_activite", period="9999-12")]], ["axes", "0", "0", "period"]),
    ("name inconnu", [[axe(name="salaire_inconnu")]], ["axes", "0", "0", "name"]),
    ("name absent", [[{"count": 3, "min": 0, "max": 1, "period": "2020"}]], ["axes", "0", "0", "name"]),
    ("name non numérique", [[axe(name="categorie_invalidite", period=MOIS)]], ["axes", "0", "0", "name"]),
    ("min chaîne", [[axe(min="a")]], ["axes", "0", "0", "min"]),
    ("max absent", [[{k: v for k, v in axe().items() if k != "max"}]], ["axes", "0", "0", "max"]),
    ("index hors de l'entité", [[axe(index=5)]], ["axes", "0", "0", "index"]),
    ("index négatif", [[axe(index=-1)]], ["axes", "0", "0", "index"]),
    ("clé inconnue", [[axe(maximum=3)]], ["axes", "0", "0", "maximum"]),
    ("axes vide", [], ["axes"]),
    ("axes objet", {"name": "salaire_brut_annuel"}, ["axes"]),
    ("dimension vide", [[]], ["axes", "0"]),
    ("axe liste", [[[1]]], ["axes", "0", "0"]),
    ("parallèles de count différents", [[axe(), axe(period="2021", count=3)]], ["axes", "0", "1", "count"]),
    ("axe en double", [[axe(), axe()]], ["axes", "0", "1"]),
    (
        "dimension de count 1",
        [[axe()], [axe(name="reduction_capacite_travail", count=1, min=0.5, max=0.5, period=MOIS)]],
        ["axes", "1", "0", "count"],
    ),
    ("valeurs hors domaine", [[axe(min=-1000, max=0)]], ["axes", "0", "0"]),
    (
        "sans period, plusieurs périodes demandées",
        [[{k: v for k, v in axe(name="revenus_activite").items() if k != "period"}]],
        ["axes", "0", "0", "period"],
    ),
]


@pytest.mark.parametrize(("nom", "axes", "champs"), AXES_MAL_FORMES, ids=[c[0] for c in AXES_MAL_FORMES])
@pytest.mark.parametrize("point", ["/calculate", "/trace"])
def test_axes_mal_formes(serveur, reference, point, *, nom, axes, champs):
    situation, _ = reference
    corps = {**copy.deepcopy(situation), "axes": axes}
    if nom.startswith("sans period"):
        corps["individus"]["claire"]["salaire_annuel_moyen"] = {"2025-05": None}
    refus(serveur, reference, (point, corps), 400, champs)


def test_axes_trop_grands(serveur, reference):
    situation, _ = reference
    grille = {
        **copy.deepcopy(situation),
        "axes": [[axe(count=50)], [axe(name="salaire_cotise_12_mois", count=50, min=0, max=1, period=MOIS)]],
    }
    refus(serveur, reference, ("/calculate", grille), 413, ["axes"], "PERSONNES_AXES_MAXIMUM", "2500")
    # Chaque valeur demandée compte une fois par point : 3 × 1 500 > CALCULS_MAXIMUM.
    points = {**copy.deepcopy(situation), "axes": [[axe(count=1500)]]}
    refus(serveur, reference, ("/calculate", points), 413, ["situation"], "× 1500 points des axes", "CALCULS_MAXIMUM")


def pensions_separees(serveur, situation, salaires_2020, capacites=(None,)):
    resultats = []
    for capacite in capacites:
        ligne = []
        for salaire in salaires_2020:
            seule = copy.deepcopy(situation)
            seule["individus"]["claire"]["salaire_brut_annuel"]["2020"] = salaire
            if capacite is not None:
                seule["individus"]["claire"]["reduction_capacite_travail"] = {MOIS: capacite}
            ligne.append(pension_attendue(serveur, seule))
        resultats.append(ligne)
    return resultats


def test_axe_de_onze_salaires(serveur, reference):
    """Un axe de 11 salaires 2020 (20 000 à 40 000 €) : 11 pensions croissantes,
    égales à celles de 11 requêtes séparées ; /trace rend les 11 valeurs."""
    situation, _ = reference
    corps = {**copy.deepcopy(situation), "axes": [[axe()]]}
    corps["individus"]["claire"]["salaire_brut_annuel"] = {
        cle: valeur for cle, valeur in corps["individus"]["claire"]["salaire_brut_annuel"].items() if cle != "2020"
    }
    reponse = serveur.post("/calculate", corps)
    assert reponse.status_code == 200, reponse.text
    pensions = reponse.json()["individus"]["claire"]["pension_invalidite"][MOIS]
    assert len(pensions) == 11
    assert all(a < b for a, b in itertools.pairwise(pensions)), pensions
    salaires = [20000 + 2000 * i for i in range(11)]
    assert pensions == pytest.approx(pensions_separees(serveur, situation, salaires)[0], abs=0.005)
    trace = serveur.post("/trace", corps)
    assert trace.status_code == 200, trace.text[:300]
    assert trace.json()["trace"][f"pension_invalidite<{MOIS}>"]["value"] == pytest.approx(pensions, abs=0.01)


def test_axe_sans_period_et_grille(serveur, reference):
    """Sans « period », l'axe prend la période demandée ; deux dimensions (un axe
    annuel à deux axes parallèles × la réduction de capacité) donnent une grille
    [salaire][capacité] égale aux requêtes séparées."""
    situation, _ = reference
    sans_periode = {
        **copy.deepcopy(situation),
        "axes": [[{"name": "reduction_capacite_travail", "count": 3, "min": 0.5, "max": 0.9}]],
    }
    reponse = serveur.post("/calculate", sans_periode)
    assert reponse.status_code == 200, reponse.text
    montants = reponse.json()["individus"]["claire"]["pension_invalidite"][MOIS]
    assert montants[0] == 0 and montants[2] > 0
    grille = {
        **copy.deepcopy(situation),
        "axes": [
            [axe(count=3, max=60000), axe(count=3, max=60000, period="2021")],
            [{"name": "reduction_capacite_travail", "count": 2, "min": 0.5, "max": 0.9, "period": MOIS}],
        ],
    }
    reponse = serveur.post("/calculate", grille)
    assert reponse.status_code == 200, reponse.text
    obtenu = reponse.json()["individus"]["claire"]["pension_invalidite"][MOIS]
    attendu = []
    for salaire in (20000, 40000, 60000):
        ligne = []
        for capacite in (0.5, 0.9):
            seule = copy.deepcopy(situation)
            seule["individus"]["claire"]["salaire_brut_annuel"].update({"2020": salaire, "2021": salaire})
            seule["individus"]["claire"]["reduction_capacite_travail"] = {MOIS: capacite}
            ligne.append(pension_attendue(serveur, seule))
        attendu.append(ligne)
    assert [len(ligne) for ligne in obtenu] == [2, 2, 2]
    assert list(itertools.chain(*obtenu)) == pytest.approx(list(itertools.chain(*attendu)), abs=0.005)
    assert obtenu[2][1] > obtenu[0][1] > 0
