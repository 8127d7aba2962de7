"""Le serveur réel (``openfisca serve`` sur 127.0.0.1, voir conftest.py) face
aux requêtes qui coûtent cher ou qui ont une forme inattendue : déni de service
par un identifiant numérique.

Chaque refus est vérifié : code 4xx (ou 503 pour l'échéance), message qui
nomme le champ et la limite, réponse rapide, mémoire du worker bornée, et le
serveur répond encore juste à la même situation valide ensuite."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path

import pytest

from openfisca_invalidite import SITUATION_EXAMPLES_DIR, web_api

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


def feuilles(erreur, chemin=()):
    """(chemin, message) de chaque message d'une réponse d'erreur (jamais de liste)."""
    if isinstance(erreur, dict):
        for cle, valeur in erreur.items():
            yield from feuilles(valeur, (*chemin, cle))
    else:
        yield chemin, erreur


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
