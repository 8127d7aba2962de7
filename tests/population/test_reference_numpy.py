"""La référence numpy sobre du banc d'essai (benchmarks/numpy_sobre.py) reste
égale au modèle au centime : sur 20 000 personnes, chaque prestation de la
référence égale celle du moteur de population, sans un seul écart d'un centime
(les deux arrondissent le montant exact par la même règle ; benchmarks/ecarts.py).
Un écart fait échouer le test : la référence (ou le modèle) a changé de règle,
ou un montant intermédiaire n'est plus exact."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from openfisca_invalidite.population import generer_population, simuler, valider_population
from openfisca_invalidite.population.moteur import VARIABLES

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
TAILLE = 20_000


def _module(nom):
    if nom not in sys.modules:
        spec = importlib.util.spec_from_file_location(nom, BENCHMARKS / f"{nom}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[nom] = module
        spec.loader.exec_module(module)
    return sys.modules[nom]


numpy_sobre = _module("numpy_sobre")
ecarts = _module("ecarts")


def varier(population, graine=1):
    """La population synthétique, avec ce qu'elle ne tire pas : date d'effet après
    l'arrêt (parfois après le mois calculé), plus de pensionnés des autres régimes,
    de toute qualité, avec des revenus non salariés ou agricoles récents (déficits
    compris) et des revenus d'activité, des revenus non salariés pour des
    pensionnés du régime général, outre-mer et Mayotte, inaptes, ASPA, option
    conjugalisée, non-résidents, parts fractionnaires, enfants (un conjoint sur
    trois devient un enfant), plus d'allocataires de l'AAH."""
    rng = np.random.default_rng(graine)
    p = population.copy()
    n = len(p)

    def tirage(part):
        return rng.uniform(size=n) < part

    arret = p["date_debut_invalidite"].to_numpy().astype("datetime64[D]")
    delai = rng.integers(0, 3 * 365, n).astype("timedelta64[D]")
    avec_effet = tirage(0.3) & (arret < np.datetime64("9999-01-01"))
    p["date_effet_pension_invalidite"] = np.where(avec_effet, arret + delai, np.datetime64("NaT"))
    pensionne = p["categorie_invalidite"].astype(str).to_numpy() != "non_classe"
    regime = p["regime_invalidite"].astype(str).to_numpy().astype(object)
    regime[pensionne & tirage(0.15)] = "ssi"
    regime[pensionne & tirage(0.08)] = "msa_non_salarie"
    p["regime_invalidite"] = regime
    statuts = ["chef_exploitation", "collaborateur", "aide_familial", "associe_exploitation"]
    p["statut_non_salarie_agricole"] = rng.choice(statuts, n)
    autres = pensionne & (regime != "regime_general") & (regime != "msa_salarie")
    p["revenus_activite"] = np.where(autres & tirage(0.2), rng.uniform(200, 2500, n).round(2), p["revenus_activite"])
    annees = sorted(int(c[5:]) for c in p.columns if c.startswith("rpns_"))
    # Des pensionnés du régime général ont aussi une activité non salariée (cumul de R341-17).
    non_salaries = autres | (pensionne & tirage(0.1))
    for annee in annees[-4:]:
        p[f"rpns_{annee}"] = np.where(
            non_salaries & tirage(0.3), rng.uniform(0, 40_000, n).round(0), p[f"rpns_{annee}"]
        )
        p[f"rag_{annee}"] = np.where(autres & tirage(0.3), rng.uniform(-5_000, 30_000, n).round(0), p[f"rag_{annee}"])
    zones = rng.choice(["martinique_guadeloupe_reunion", "guyane", "mayotte"], n)
    p["zone_residence"] = np.where(tirage(0.15), zones, "metropole")
    for colonne, part in (("inapte_travail", 0.2), ("aspa_eligibilite", 0.05), ("aah_conjugalise_eligible", 0.3)):
        p[colonne] = tirage(part)
    for colonne in ("residence_france", "residence_fiscale_france", "affilie_assurance_maladie_france"):
        p[colonne] = ~tirage(0.03)
    p["nbptr"] = np.where(tirage(0.2), rng.choice([1.25, 1.5, 2.5, 3.0, 3.75], n), p["nbptr"])
    roles = p["role_famille"].to_numpy().astype(object)
    roles[(roles == "conjoint") & tirage(0.3)] = "enfant"
    p["role_famille"] = roles
    p["taux_incapacite"] = np.where(tirage(0.15), rng.uniform(0.5, 0.95, n).round(2), p["taux_incapacite"])
    rsdae = p["aah_restriction_substantielle_durable_acces_emploi"].to_numpy()
    p["aah_restriction_substantielle_durable_acces_emploi"] = rsdae | tirage(0.2)
    return valider_population(p)


@pytest.fixture(scope="module", params=["2023-10", "2025-06"])
def comparaison(request, tbs):
    mois = request.param
    population = varier(valider_population(generer_population(TAILLE, mois, graine=11)))
    details = {}
    reference = numpy_sobre.reference(population, mois, tbs, details=details)
    modele = simuler(population, mois, progression=False, valider=False)
    return population, reference, details, modele


def test_la_reference_calcule_chaque_sortie_du_moteur(comparaison):
    _, reference, _, modele = comparaison
    assert set(VARIABLES) | {"age"} == set(reference)
    assert set(reference) <= set(modele.columns)
    # La population couvre les branches : pensionnés, ASI, AAH, chaque tranche de CSG.
    assert (reference["pension_invalidite"] > 0).sum() > TAILLE / 3
    assert (reference["asi"] > 0).sum() > 100 and (reference["aah"] > 0).sum() > 100
    assert (reference["casa_pension_invalidite"] < 0).sum() > 100


def test_reference_egale_au_modele_au_centime(comparaison):
    population, reference, details, modele = comparaison
    resultat = ecarts.expliquer(population, reference, details, modele)
    inexpliques = {v: e.inexpliques[:5].tolist() for v, e in resultat.items() if e.inexpliques.size}
    assert not inexpliques, ecarts.rapport(resultat, len(population))
    # Aucun écart, même d'un centime : chaque montant est arrondi depuis sa valeur exacte.
    assert all(e.nombre == 0 for e in resultat.values()), ecarts.rapport(resultat, len(population))


def test_un_ecart_sans_cause_est_signale(comparaison):
    population, reference, details, modele = comparaison
    faussee = {v: np.array(x, copy=True) for v, x in reference.items()}
    aah = np.flatnonzero(faussee["aah"] > 0)[0]
    faussee["aah"][aah] += 0.01
    eligible = np.flatnonzero(faussee["pension_invalidite_eligible"])[0]
    faussee["pension_invalidite_eligible"][eligible] = False
    resultat = ecarts.expliquer(population, faussee, details, modele)
    assert aah in resultat["aah"].inexpliques
    assert eligible in resultat["pension_invalidite_eligible"].inexpliques


@pytest.mark.parametrize("mois", ["2023-09", "2015-06", "2025", "2025-13", "juin"])
def test_mois_hors_domaine_refuse(tbs, mois):
    population = valider_population(generer_population(10, "2025-06"))
    with pytest.raises(numpy_sobre.HorsDomaine, match="mois"):
        numpy_sobre.reference(population, mois, tbs)
