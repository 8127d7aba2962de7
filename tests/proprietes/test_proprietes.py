"""Propriétés (hypothesis) de la chaîne pension → MTP → ASI → AAH.

Chaque exemple construit une petite simulation par l'API Python ; les
nombres d'exemples sont bornés pour que le fichier tourne en moins de 60 s.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openfisca_core.simulations import SimulationBuilder

REGLAGES = settings(
    max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
CENTIME = 0.01 + 1e-9
CATEGORIES = ["categorie_1", "categorie_2", "categorie_3"]


@st.composite
def dossiers(draw, categories=CATEGORIES):
    """Un invalide qui remplit les conditions d'ouverture, sans revenus d'activité."""
    annee_mois = draw(st.integers(2016, 2026))
    mois = f"{annee_mois}-{draw(st.integers(1, 10 if annee_mois == 2026 else 12)):02d}"
    anciennete = draw(st.integers(0, 8))  # années depuis l'arrêt
    annee_arret = max(annee_mois - anciennete, 2008)
    debut = date(annee_arret, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    if debut.isoformat()[:7] > mois:
        debut = date(int(mois[:4]), int(mois[5:]), 1)
    age = draw(st.integers(25, 58))
    naissance = date(int(mois[:4]) - age, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    salaires = draw(
        st.lists(st.floats(0, 90_000, allow_nan=False).map(lambda x: round(x, 2)), min_size=10, max_size=10)
    )
    return {
        "mois": mois,
        "categorie": draw(st.sampled_from(categories)),
        "naissance": naissance.isoformat(),
        "debut": debut.isoformat(),
        "salaires": {str(debut.year - 10 + i): s for i, s in enumerate(salaires)},
    }


def individu(dossier, **autres):
    mois = dossier["mois"]
    personne = {
        "date_naissance": {"ETERNITY": dossier["naissance"]},
        "date_debut_invalidite": {"ETERNITY": dossier["debut"]},
        "categorie_invalidite": {mois: dossier["categorie"]},
        "reduction_capacite_travail": {mois: 0.8},
        "duree_immatriculation": {mois: 240},
        "heures_travaillees_12_mois": {mois: 1500},
        "salaire_cotise_12_mois": {mois: 25_000},
        "salaire_brut_annuel": dict(dossier["salaires"]),
        "revenus_activite": {f"month:{_decaler(mois, -14)}:14": 0},
    }
    for nom, valeur in autres.items():
        personne[nom] = {mois: valeur}
    return personne


def _decaler(mois: str, n: int) -> str:
    annee, m = int(mois[:4]), int(mois[5:]) - 1 + n
    return f"{annee + m // 12}-{m % 12 + 1:02d}"


def simuler(tbs, personnes: dict, familles: dict | None = None):
    situation = {"individus": personnes}
    situation["familles"] = familles or {f"f_{nom}": {"parents": [nom]} for nom in personnes}
    return SimulationBuilder().build_from_entities(tbs, situation)


@REGLAGES
@given(dossier=dossiers())
def test_pension_entre_minimum_et_maximum_de_la_categorie(tbs, dossier):
    mois = dossier["mois"]
    simulation = simuler(tbs, {"p": individu(dossier)})
    eligible = simulation.calculate("pension_invalidite_eligible", mois)[0]
    pension = simulation.calculate("pension_invalidite", mois)[0]
    if not eligible:
        assert pension == 0
        return
    minimum = tbs.parameters(mois).pension_invalidite.montant.minimum
    maximum = simulation.calculate("pension_invalidite_maximum", mois)[0]
    assert minimum - CENTIME <= pension <= maximum + CENTIME, (minimum, pension, maximum, dossier)


@REGLAGES
@given(dossier=dossiers(categories=["non_classe", *CATEGORIES]))
def test_mtp_seulement_en_3e_categorie(tbs, dossier):
    mois = dossier["mois"]
    simulation = simuler(tbs, {"p": individu(dossier)})
    mtp = simulation.calculate("majoration_tierce_personne", mois)[0]
    eligible = simulation.calculate("pension_invalidite_eligible", mois)[0]
    if dossier["categorie"] != "categorie_3":
        assert mtp == 0
    else:
        assert (mtp > 0) == bool(eligible)


def seuil_de_validation(tbs, annee: int) -> float:
    """Salaire qui valide un trimestre en ``annee`` (R351-9 : heures × SMIC au 1er janvier)."""
    p = tbs.parameters(f"{annee}-01-01")
    heures = p.pension_invalidite.salaire_annuel_moyen.heures_smic_validant_un_trimestre
    return float(heures * p.references_sociales.smic_horaire_brut)


@settings(max_examples=30, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(dossier=dossiers(), annee=st.integers(0, 9), hausse=st.floats(1, 50_000, allow_nan=False))
def test_pension_croissante_avec_un_salaire_passe(tbs, dossier, annee, hausse):
    """La hausse porte sur une année déjà comptée (son salaire valide un
    trimestre, R341-11 et R351-9) : la pension ne baisse pas. Faire compter
    une année de plus (passer sous puis au-dessus du seuil) peut en revanche
    la baisser quand la carrière compte moins de 10 années (moyenne des années
    accomplies, R341-4)."""
    mois = dossier["mois"]
    avant = individu(dossier)
    apres = individu(dossier)
    comptees = [
        a for a, montant in sorted(apres["salaire_brut_annuel"].items()) if montant >= seuil_de_validation(tbs, int(a))
    ]
    assume(comptees)
    cle = comptees[annee % len(comptees)]
    apres["salaire_brut_annuel"][cle] = round(apres["salaire_brut_annuel"][cle] + hausse, 2)
    simulation = simuler(tbs, {"avant": avant, "apres": apres})
    pension = simulation.calculate("pension_invalidite", mois)
    assert pension[1] >= pension[0] - 1e-6, (pension, cle, hausse, dossier)


@settings(max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(dossier=dossiers(), annee=st.integers(0, 9), part=st.floats(0, 1, exclude_max=True, allow_nan=False))
def test_un_salaire_trop_faible_pour_valider_une_annee_n_abaisse_jamais_la_pension(tbs, dossier, annee, part):
    """Remplacer le salaire d'une année par un salaire trop faible pour valider
    un trimestre (moins de 200, puis 150 heures de SMIC) : l'année ne compte
    pas (R341-11, R351-9), la pension n'est pas plus basse que si l'année
    était vide — même pour une carrière de moins de 10 ans, où une année
    comptée de plus abaisse la moyenne."""
    mois = dossier["mois"]
    cle = sorted(dossier["salaires"])[annee]
    sans = individu(dossier)
    sans["salaire_brut_annuel"][cle] = 0.0
    faible = individu(dossier)
    faible["salaire_brut_annuel"][cle] = max(0.0, round(part * seuil_de_validation(tbs, int(cle)), 2) - 0.01)
    simulation = simuler(tbs, {"sans": sans, "faible": faible})
    pension = simulation.calculate("pension_invalidite", mois)
    assert pension[1] >= pension[0] - 1e-6, (pension, cle, faible["salaire_brut_annuel"][cle], dossier)


@settings(max_examples=25, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(dossier=dossiers(categories=["categorie_1", "categorie_2"]), taux=st.sampled_from([0.8, 0.85, 0.9, 1.0]))
def test_pension_asi_aah_au_moins_le_maximum_aah(tbs, dossier, taux):
    """Seul, éligible à l'AAH (taux ≥ 80 %), sans autre ressource : pension + ASI + AAH ≥ AAH maximale."""
    manquantes = [v for v in ("asi", "aah") if v not in tbs.variables]
    if manquantes:
        pytest.skip(f"variables pas encore écrites : {manquantes}")
    mois = dossier["mois"]
    personne = individu(dossier, taux_incapacite=taux, autres_ressources=0)
    simulation = simuler(tbs, {"p": personne}, {"f": {"parents": ["p"], "en_couple": {mois: False}}})
    if "aah_eligible" in tbs.variables and not simulation.calculate("aah_eligible", mois)[0]:
        pytest.fail(f"la personne devrait être éligible à l'AAH : {dossier}")
    total = sum(float(simulation.calculate(v, mois)[0]) for v in ("pension_invalidite", "asi", "aah"))
    maximum = float(np.asarray(tbs.parameters(mois).aah.montant_maximum))
    assert total >= maximum - CENTIME, (total, maximum, dossier)
