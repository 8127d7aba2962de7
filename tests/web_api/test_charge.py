"""Charge bornée : 400 requêtes /calculate, 8 fils, sur 127.0.0.1 ; aucune
erreur, résultats identiques, latences p50/p95/p99 affichées (pytest -s)."""

from __future__ import annotations

import json
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

REQUETES = 400
FILS = 8
BUDGET = 50  # s : au-delà, le test échoue au lieu de traîner
MOIS = "2025-06"

pytestmark = pytest.mark.charge


def centile(valeurs, q):
    return statistics.quantiles(valeurs, n=100, method="inclusive")[q - 1]


def test_charge_concurrente(serveur, situation):
    corps = json.dumps(situation)
    attendu = serveur.post("/calculate", situation).json()["individus"]["claire"]["pension_invalidite"][MOIS]
    debut_global = time.monotonic()

    def une_requete(_):
        if time.monotonic() - debut_global > BUDGET:
            return None, None, 0.0
        with requests.Session() as session:
            t0 = time.perf_counter()
            reponse = session.post(
                serveur.url + "/calculate", data=corps, headers={"Content-Type": "application/json"}, timeout=30
            )
            duree = time.perf_counter() - t0
        valeur = (
            reponse.json()["individus"]["claire"]["pension_invalidite"][MOIS] if reponse.status_code == 200 else None
        )
        return reponse.status_code, valeur, duree

    with ThreadPoolExecutor(max_workers=FILS) as executeur:
        resultats = list(executeur.map(une_requete, range(REQUETES)))
    total = time.monotonic() - debut_global

    statuts = [s for s, _, _ in resultats]
    assert None not in statuts, f"budget de {BUDGET} s dépassé"
    assert statuts.count(200) == REQUETES, {s: statuts.count(s) for s in set(statuts)}
    assert all(v == attendu for _, v, _ in resultats)
    latences = sorted(d * 1000 for _, _, d in resultats)
    p50, p95, p99 = (centile(latences, q) for q in (50, 95, 99))
    print(  # noqa: T201 — le test de charge affiche ses latences (pytest -s)
        f"\n{REQUETES} requêtes /calculate, {FILS} fils, {total:.1f} s ({REQUETES / total:.0f} req/s) : "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, max {latences[-1]:.1f} ms"
    )
    assert serveur.vivant()
