"""Charge bornée sur le vrai serveur (127.0.0.1, 2 workers gunicorn) : 2 000
requêtes, 16 à la fois, /calculate et /trace mêlés sur trois situations.

Aucune erreur ; chaque réponse est égale à la réponse de référence de sa route
et de sa situation, obtenue seule avant la charge (aucun résultat d'une
requête ne déteint sur une autre) ; latences p50/p95/p99 par route et mémoire
résidente (VmRSS, lue dans /proc) de chaque worker avant et après, affichées
avec ``pytest -s`` ; la croissance de cette mémoire est bornée et aucun
worker n'a été remplacé pendant la charge.
"""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

REQUETES = 2_000
CONCURRENCE = 16
ROUTES = ("/calculate", "/trace")
EXEMPLES = ("pensionne_categorie_2", "pensionne_categorie_2_asi_aah", "invalide_categorie_3_mtp")
ECHAUFFEMENT = 40  # requêtes par (route, situation) avant la mesure « avant »
BUDGET = 240  # s pour les 2 000 requêtes : au-delà, le test échoue au lieu de traîner
DELAI_REQUETE = 30  # s
# Croissance admise de la mémoire résidente de chaque worker pendant la charge.
# Mesurée : de 0,5 à 6 Mio (tas Python et numpy réutilisés d'une requête à
# l'autre). Garder la réponse de chaque /trace (≈ 45 Kio) ferait ≈ 22 Mio par
# worker pour ses ≈ 500 traces : au-delà de la borne.
CROISSANCE_MEMOIRE_MAXIMALE = 16 * 1024 * 1024  # octets

pytestmark = [
    pytest.mark.charge,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="mémoire des workers lue dans /proc (Linux)"),
]


def centile(valeurs: list[float], q: int) -> float:
    return statistics.quantiles(valeurs, n=100, method="inclusive")[q - 1]


def workers(pid_maitre: int) -> list[int]:
    """Workers gunicorn : les processus dont le parent est le maître (openfisca serve)."""
    enfants = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            champs = stat.read_text().rpartition(")")[2].split()
        except OSError:  # processus terminé entre-temps
            continue
        if int(champs[1]) == pid_maitre:
            enfants.append(int(stat.parent.name))
    return sorted(enfants)


def memoire_residente(pid: int) -> int:
    """VmRSS du processus, en octets."""
    for ligne in Path(f"/proc/{pid}/status").read_text().splitlines():
        if ligne.startswith("VmRSS:"):
            return int(ligne.split()[1]) * 1024
    msg = f"VmRSS absent de /proc/{pid}/status"
    raise AssertionError(msg)


def normaliser(route: str, corps: dict) -> dict:
    """La réponse sans ce qui varie d'un appel à l'autre (durées de calcul de /trace)."""
    if route == "/trace":
        for noeud in corps["trace"].values():
            noeud.pop("calculation_time", None)
            noeud.pop("formula_time", None)
    return corps


def test_charge_concurrente(serveur, charger_exemple):
    situations = {nom: json.dumps(charger_exemple(nom)) for nom in EXEMPLES}
    cas = [(route, nom) for nom in EXEMPLES for route in ROUTES]
    entetes = {"Content-Type": "application/json"}

    reference = {}
    for route, nom in cas:
        reponse = requests.post(serveur.url + route, data=situations[nom], headers=entetes, timeout=DELAI_REQUETE)
        assert reponse.status_code == 200, f"{route} {nom} : {reponse.status_code} {reponse.text[:300]}"
        reference[route, nom] = normaliser(route, reponse.json())
    for _ in range(ECHAUFFEMENT):
        for route, nom in cas:
            requests.post(serveur.url + route, data=situations[nom], headers=entetes, timeout=DELAI_REQUETE)

    pids = workers(serveur.processus.pid)
    assert pids, "aucun worker gunicorn trouvé dans /proc"
    avant = {pid: memoire_residente(pid) for pid in pids}

    local = threading.local()
    debut = time.monotonic()

    def une_requete(i: int) -> tuple[str, str, int | None, float, bool]:
        route, nom = cas[i % len(cas)]
        if time.monotonic() - debut > BUDGET:
            return route, nom, None, 0.0, False
        if not hasattr(local, "session"):
            local.session = requests.Session()
        t0 = time.perf_counter()
        reponse = local.session.post(serveur.url + route, data=situations[nom], headers=entetes, timeout=DELAI_REQUETE)
        duree = time.perf_counter() - t0
        egal = reponse.status_code == 200 and normaliser(route, reponse.json()) == reference[route, nom]
        return route, nom, reponse.status_code, duree, egal

    with ThreadPoolExecutor(max_workers=CONCURRENCE) as executeur:
        resultats = list(executeur.map(une_requete, range(REQUETES)))
    total = time.monotonic() - debut

    apres = {pid: memoire_residente(pid) for pid in workers(serveur.processus.pid)}
    statuts = [statut for _, _, statut, _, _ in resultats]
    lignes = [
        (
            f"\n{REQUETES} requêtes ({', '.join(ROUTES)} × {len(EXEMPLES)} situations), {CONCURRENCE} à la fois, "
            f"{total:.1f} s ({REQUETES / total:.0f} requêtes/s) :"
        )
    ]
    for route in ROUTES:
        latences = sorted(d * 1000 for r, _, s, d, _ in resultats if r == route and s is not None)
        if len(latences) >= 2:  # statistics.quantiles en demande deux
            lignes.append(
                f"  {route:<10} {len(latences)} requêtes : p50 {centile(latences, 50):.0f} ms, "
                f"p95 {centile(latences, 95):.0f} ms, p99 {centile(latences, 99):.0f} ms, max {latences[-1]:.0f} ms"
            )
    lignes.extend(
        f"  worker {pid} : mémoire résidente {avant[pid] / 2**20:.1f} Mio avant, "
        f"{apres[pid] / 2**20:.1f} Mio après ({(apres[pid] - avant[pid]) / 2**20:+.1f} Mio)"
        for pid in sorted(set(avant) & set(apres))
    )
    print("\n".join(lignes))  # noqa: T201 — le test de charge affiche ses mesures (pytest -s)

    assert None not in statuts, f"budget de {BUDGET} s dépassé : {statuts.count(None)} requêtes non envoyées"
    assert statuts.count(200) == REQUETES, {s: statuts.count(s) for s in set(statuts)}
    differentes = [(r, n) for r, n, _, _, egal in resultats if not egal]
    assert not differentes, f"{len(differentes)} réponses différentes de la référence, dont {differentes[:5]}"
    assert set(apres) == set(avant), f"workers remplacés pendant la charge : {sorted(avant)} → {sorted(apres)}"
    croissance = {pid: apres[pid] - avant[pid] for pid in avant}
    assert max(croissance.values()) <= CROISSANCE_MEMOIRE_MAXIMALE, croissance
    assert serveur.vivant()
