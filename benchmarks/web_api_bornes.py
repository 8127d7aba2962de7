"""Coût des pires requêtes que l'API web admet sous ses bornes, et des
requêtes démesurées qu'elle refuse.

Démarre le vrai serveur (``openfisca serve``, un seul worker gunicorn, sur un
port libre de 127.0.0.1), envoie chaque requête tour à tour et imprime, pour
chacune : le statut, la durée vue du client, la taille de la réponse, et la
mémoire du worker lue dans ``/proc/<pid>/status`` avant et après (``VmRSS``,
mémoire résidente ; ``VmHWM``, pic depuis le démarrage du worker : sa hausse
est la mémoire que la requête a demandée au-delà de tout ce qui précède).
Les bornes sont celles de ``openfisca_invalidite/web_api.py`` (docs/web_api.md).
Aucun seuil : le banc mesure, les tests (tests/web_api/test_durcissement.py)
vérifient.

``python benchmarks/web_api_bornes.py`` (hors de ``make test``).
"""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path

import requests

from openfisca_invalidite import SITUATION_EXAMPLES_DIR, web_api
from openfisca_invalidite.serveur_local import serveur_local

MOIS = "2025-06"
MOIS_10_ANS = [f"{2016 + i // 12}-{i % 12 + 1:02d}" for i in range(web_api.PERIODES_DEMANDEES_MAXIMUM)]
#: Variables mensuelles demandées : 16 × 120 mois = 1 920 valeurs (CALCULS_MAXIMUM = 2 000).
SORTIES = [
    "revenu_disponible_invalidite",
    "aah",
    "asi",
    "pension_invalidite_nette",
    "majoration_tierce_personne",
    "pension_invalidite",
    "csg_deductible_pension_invalidite",
    "crds_pension_invalidite",
    "casa_pension_invalidite",
    "aah_base_ressources_individu",
    "asi_base_ressources_individu",
    "pension_invalidite_reduction_cumul",
    "salaire_annuel_moyen",
    "taux_csg_remplacement",
    "aah_eligible",
    "asi_eligibilite",
]


def exemple(nom: str) -> dict:
    with (SITUATION_EXAMPLES_DIR / f"{nom}.json").open(encoding="utf-8") as fichier:
        return json.load(fichier)


def marc() -> dict:
    """Pensionné au minimum, avec ASI et AAH : la chaîne la plus longue du modèle."""
    situation = exemple("pensionne_categorie_2_asi_aah")
    personne = situation["individus"]["marc"]
    for variable in ("pension_invalidite", "asi", "aah"):
        del personne[variable]
    personne["rfr"] = {str(annee): 9000 for annee in range(2013, 2026)}
    personne["nbptr"] = {str(annee): 1 for annee in range(2013, 2026)}
    return situation


def seize_variables_sur_120_mois() -> dict:
    situation = marc()
    for variable in SORTIES:
        situation["individus"]["marc"][variable] = dict.fromkeys(MOIS_10_ANS)
    return situation


def cinq_cents_personnes(demandees=("pension_invalidite", "asi", "aah")) -> dict:
    """500 personnes × 95 valeurs d'entrée (47 500) × 3 valeurs demandées."""
    base = marc()["individus"]["marc"]
    base["revenus_activite"] = dict.fromkeys(MOIS_10_ANS[:50], 0)
    base.update({variable: {MOIS: None} for variable in demandees})
    return {"individus": {f"p{i}": copy.deepcopy(base) for i in range(web_api.PERSONNES_MAXIMUM)}}


def periodes_donnees() -> dict:
    """5 variables mensuelles données pour 79 ans (948 mois chacune) et 30 ans de salaires."""
    situation = marc()
    personne = situation["individus"]["marc"]
    for variable in ("revenus_activite", "autres_ressources", "indemnites_journalieres_maladie"):
        personne[variable] = {"year:1990:79": 0}
    personne["salaire_cotise_12_mois"] = {"year:1990:79": 7000 * 79}
    personne["heures_travaillees_12_mois"] = {"year:1990:79": 800 * 79}
    personne["salaire_brut_annuel"] = {str(annee): 7000 for annee in range(1990, 2020)}
    personne["revenu_disponible_invalidite"] = {MOIS: None}
    return situation


def axe(points: int) -> dict:
    """Le revenu disponible le long d'un axe de revenus d'activité."""
    situation = marc()
    situation["individus"]["marc"]["revenu_disponible_invalidite"] = {MOIS: None}
    situation["axes"] = [[{"name": "revenus_activite", "count": points, "min": 0, "max": 3000, "period": "2025-05"}]]
    return situation


def aah_sur_1990_mois() -> dict:
    situation = marc()
    situation["individus"]["marc"]["aah"] = {f"{2016 + i // 12}-{i % 12 + 1:02d}": None for i in range(1990)}
    return situation


def une_periode_de_95000_mois() -> dict:
    situation = exemple("pensionne_categorie_2")
    situation["individus"]["claire"]["revenus_activite"] = {"month:2000-01:95000": 0}
    return situation


def identifiant(chiffres: str) -> dict:
    return {"individus": {chiffres: {"salaire_brut_annuel": {"2019": "abc"}}}}


ADMISES = [
    ("16 variables × 120 mois (1 920 valeurs demandées)", "/calculate", seize_variables_sur_120_mois),
    ("16 variables × 120 mois (1 920 valeurs demandées)", "/trace", seize_variables_sur_120_mois),
    ("500 personnes, 47 500 valeurs d'entrée", "/calculate", cinq_cents_personnes),
    ("500 personnes, 47 500 valeurs d'entrée", "/trace", cinq_cents_personnes),
    (
        "500 personnes, revenu disponible (≈ 250 000 valeurs de trace)",
        "/trace",
        lambda: cinq_cents_personnes(["revenu_disponible_invalidite"]),
    ),
    ("4 770 mois et années donnés sur 79 ans", "/calculate", periodes_donnees),
    ("4 770 mois et années donnés sur 79 ans", "/trace", periodes_donnees),
    ("axe de 2 000 points", "/calculate", lambda: axe(2000)),
    ("axe de 990 points", "/trace", lambda: axe(990)),
]
REFUSEES = [
    ("identifiant « 30000000 », mauvaise valeur", "/calculate", lambda: identifiant("30000000")),
    ("identifiant de 30 chiffres, mauvaise valeur", "/calculate", lambda: identifiant("1" + "0" * 29)),
    ("AAH sur 1 990 mois", "/calculate", aah_sur_1990_mois),
    ("AAH sur 1 990 mois", "/trace", aah_sur_1990_mois),
    ("revenus pour « month:2000-01:95000 »", "/calculate", une_periode_de_95000_mois),
    ("100 000 tableaux emboîtés", "/calculate", lambda: '{"individus": ' + "[" * 100_000 + "]" * 100_000 + "}"),
]


def worker(serveur) -> int:
    for entree in Path("/proc").iterdir():
        if entree.name.isdigit():
            try:
                parent = int((entree / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            if parent == serveur.processus.pid:
                return int(entree.name)
    msg = "aucun worker"
    raise RuntimeError(msg)


def memoire(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) en Mo."""
    champs = dict(ligne.split(":", 1) for ligne in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in ligne)
    return int(champs["VmRSS"].split()[0]) // 1024, int(champs["VmHWM"].split()[0]) // 1024


def mesurer(serveur, nom: str, point: str, corps: object) -> None:
    donnees = corps if isinstance(corps, str) else json.dumps(corps)
    pid = worker(serveur)
    rss_avant, pic_avant = memoire(pid)
    debut = time.perf_counter()
    reponse = requests.post(
        serveur.url + point, data=donnees, headers={"Content-Type": "application/json"}, timeout=120
    )
    duree = time.perf_counter() - debut
    rss_apres, pic_apres = memoire(pid)
    message = "" if reponse.status_code == 200 else " " + json.dumps(reponse.json(), ensure_ascii=False)
    print(
        f"| {nom} | {point} | {len(donnees):,} o | {reponse.status_code} | {duree:.2f} s | {len(reponse.content):,} o "
        f"| {rss_avant} → {rss_apres} | {pic_avant} → {pic_apres} |{message}",
        flush=True,
    )


def main() -> None:
    with serveur_local(workers=1) as serveur:
        serveur.post("/calculate", exemple("pensionne_categorie_2"))  # échauffement
        print("| requête | point | corps | statut | durée | réponse | VmRSS Mo | VmHWM Mo |")
        print("|---|---|---|---|---|---|---|---|")
        for nom, point, fabrique in [*ADMISES, *REFUSEES]:
            mesurer(serveur, nom, point, fabrique())


if __name__ == "__main__":
    main()
