"""Banc d'essai : la chaîne complète par OpenFisca contre la même chaîne en numpy pur.

Pour 10 000, 100 000 et 1 000 000 de personnes (population synthétique, un
mois), mesure deux chaînes, chacune par deux chemins dans le même processus,
sur les mêmes tableaux :

- chaîne pension : pension d'invalidité + MTP (``chaine_numpy``) ;
- chaîne complète : pension + MTP + ASI + AAH (``chaine_numpy_complete``),
  avec la pension des 3 mois précédents et des 12 mois de N-2 que demandent
  les ressources de l'AAH ;
- OpenFisca : ``population.simuler`` (blocs de familles, SimulationBuilder,
  set_input, calculate de chaque variable de la chaîne) ;
- numpy pur : la même arithmétique écrite directement (conditions, SAM des
  10 meilleures années, taux, revalorisation, minimum / maximum, cumul, MTP,
  règles de couple de l'ASI, plafond de l'AAH avec enfants).

Affiche les temps, le rapport OpenFisca / numpy de chaque chaîne, le pic de
mémoire Python (tracemalloc) rapporté au nombre de personnes pour chaque
chemin, le nombre de personnes dont la pension, l'ASI, l'AAH diffèrent d'au
moins un centime entre les deux chemins, et le pic RSS du processus. La
population elle-même (entrée commune aux deux chemins) est exclue du pic.
Voir docs/benchmark.md.

``python benchmarks/chaine.py [tailles…] [--taille-bloc N]``
"""

from __future__ import annotations

import argparse
import gc
import resource
import time
import tracemalloc
from functools import partial

import numpy as np
import pandas as pd

from openfisca_invalidite import CountryTaxBenefitSystem
from openfisca_invalidite.commons import (
    indice_cumule,
    revalorisation_depuis,
    valeur_a_dates,
)
from openfisca_invalidite.population.moteur import (
    MOIS_HISTORIQUE,
    VARIABLES,
    VARIABLES_NETTES,
    _systemes,
    simuler,
)
from openfisca_invalidite.population.schema import colonnes_salaire, valider_population
from openfisca_invalidite.population.synthetique import generer_population

MOIS = "2025-06"


def _mois(rang: int) -> str:
    """``AAAA-MM`` d'un rang de mois (mois depuis 1970-01)."""
    return str(np.datetime64(rang, "M"))


def _preparer(pop, tbs, mois: str) -> dict:
    """Ce qui ne dépend pas du mois calculé : dates, catégories, conditions fixées
    à l'arrêt, SAM à l'arrêt, termes du seuil de cumul fixés à l'arrêt."""
    parametres = tbs.parameters
    arret = pop["date_debut_invalidite"].to_numpy().astype("datetime64[D]")
    naissance = pop["date_naissance"].to_numpy().astype("datetime64[D]")
    categorie = pop["categorie_invalidite"].astype(str).to_numpy()
    c1, c2, c3 = categorie == "categorie_1", categorie == "categorie_2", categorie == "categorie_3"
    cond = parametres.pension_invalidite.conditions
    smic_1er_janvier = valeur_a_dates(
        parametres.references_sociales.smic_horaire_brut,
        ((arret.astype("datetime64[M]") - 12).astype("datetime64[Y]")).astype("datetime64[D]"),
    )
    immat = pop["duree_immatriculation"].to_numpy() >= valeur_a_dates(cond.duree_immatriculation_minimale, arret)
    activite = (
        pop["heures_travaillees_12_mois"].to_numpy() >= valeur_a_dates(cond.heures_travail_minimales, arret)
    ) | (
        pop["salaire_cotise_12_mois"].to_numpy()
        >= valeur_a_dates(cond.nombre_smic_horaire_cotisations, arret) * smic_1er_janvier
    )
    rang_naissance = naissance.astype("datetime64[M]").astype(np.int64)
    generation = (rang_naissance // 12 + 1970) * 100 + rang_naissance % 12 + 1
    # SAM à l'arrêt : 10 meilleures années, plafonnées au PASS, revalorisées jusqu'à l'arrêt.
    annee_arret = arret.astype("datetime64[Y]").astype(np.int64) + 1970
    coef = parametres.pension_invalidite.revalorisation.coefficient_salaires
    indice_arret = indice_cumule(coef, arret)
    salaires = colonnes_salaire(pop)
    nb = int(parametres(mois).pension_invalidite.salaire_annuel_moyen.nombre_annees_retenues)
    matrice = np.zeros((max(len(salaires), nb), len(pop)), dtype=np.float64)
    comptees = np.zeros(len(pop), dtype=np.int64)
    for ligne, (annee, col) in enumerate(salaires.items()):
        s = pop[col].to_numpy()
        retenu = (s > 0) & (annee < annee_arret)
        plafond = parametres.references_sociales.plafond_annuel_securite_sociale(f"{annee}-01-01")
        reval = indice_arret / indice_cumule(coef, np.datetime64(f"{annee}-12-31"))
        v = matrice[ligne]
        np.minimum(s, plafond, out=v)
        v *= reval
        v[~retenu] = 0
        comptees += retenu
    meilleures = np.partition(matrice, matrice.shape[0] - nb, axis=0)[-nb:]
    sam = np.where(comptees > 0, meilleures.sum(axis=0, dtype=np.float64) / np.clip(comptees, 1, nb), 0.0)
    sam = np.round(sam, 2)  # au centime, comme le modèle
    del matrice, meilleures
    # Termes du seuil de cumul fixés à l'arrêt (R341-17 2°).
    annee_sal = annee_arret - 1
    sal_prec = np.zeros(len(pop))
    for annee, col in salaires.items():
        sal_prec = np.where(annee_sal == annee, pop[col].to_numpy(), sal_prec)
    pass_prec = valeur_a_dates(
        parametres.references_sociales.plafond_annuel_securite_sociale,
        ((annee_sal - 1970).astype("datetime64[Y]")).astype("datetime64[D]"),
    )
    reval_sal = indice_arret / indice_cumule(
        coef, ((annee_sal + 1 - 1970).astype("datetime64[Y]")).astype("datetime64[D]") - 1
    )
    return {
        "arret": arret,
        "naissance": naissance,
        "c1": c1,
        "c2": c2,
        "c3": c3,
        "immat": immat,
        "activite": activite,
        "rang_naissance": rang_naissance,
        "generation": generation,
        "sam_arret": sam,
        "sal_prec": sal_prec,
        "pass_prec": pass_prec,
        "reval_sal": reval_sal,
        "reduction": pop["reduction_capacite_travail"].to_numpy(),
        "revenus": pop["revenus_activite"].to_numpy(),
    }


def _pension_mois(prep: dict, parametres, rang: int, revenus_mois, revenus_reference) -> dict:
    """Pension d'invalidité du mois de rang ``rang`` (mois depuis 1970-01), avec
    les paramètres de ce mois ; ``revenus_mois`` : revenus d'activité du mois,
    ``revenus_reference`` : leur somme du 13e au 2e mois précédent (R341-17)."""
    mois = _mois(rang)
    p = parametres(mois)
    debut = np.datetime64(f"{mois}-01", "D")
    fin = (np.datetime64(mois, "M") + 1).astype("datetime64[D]") - 1
    arret, c1, c2, c3 = prep["arret"], prep["c1"], prep["c2"], prep["c3"]
    commencee = arret <= fin
    capacite = prep["reduction"] >= p.pension_invalidite.conditions.reduction_capacite_minimale
    fdd = p.pension_invalidite.fin_de_droit
    dernier = prep["rang_naissance"] + np.round(fdd.age_fin_pension.calc(prep["generation"]) * 12).astype(np.int64)
    dernier_actif = prep["rang_naissance"] + np.round(
        fdd.age_limite_poursuite_activite.calc(prep["generation"]) * 12
    ).astype(np.int64)
    age_ok = (rang <= dernier) | ((revenus_mois > 0) & (rang <= dernier_actif))
    eligible = commencee & (c1 | c2 | c3) & capacite & prep["immat"] & prep["activite"] & age_ok
    sam = np.where(commencee, prep["sam_arret"], 0.0)
    m = p.pension_invalidite.montant
    taux = np.select([c1, c2, c3], [m.taux.categorie_1, m.taux.categorie_2, m.taux.categorie_3], 0.0)
    part_max = np.select(
        [c1, c2, c3],
        [
            m.maximum_en_part_du_pmss.categorie_1,
            m.maximum_en_part_du_pmss.categorie_2,
            m.maximum_en_part_du_pmss.categorie_3,
        ],
        0.0,
    )
    maximum = np.round(part_max * p.references_sociales.plafond_mensuel_securite_sociale, 2)
    r = parametres.pension_invalidite.revalorisation
    revalorise = revalorisation_depuis(
        taux * sam / 12,
        arret,
        debut,
        r.coefficient_pensions,
        seuil=r.seuil_revalorisation_differenciee,
        coefficient_au_dela=r.coefficient_au_dela_du_seuil,
    )
    avant_cumul = np.where(eligible, np.round(np.clip(revalorise, m.minimum, maximum), 2), 0.0)
    # Cumul avec des revenus d'activité (R341-17), paramètres du mois.
    cumul = p.pension_invalidite.cumul_revenus
    travaille = (revenus_reference > 0) & (avant_cumul > 0)
    salaire_precedent = (
        np.minimum(prep["sal_prec"], cumul.plafond_salaire_reference_en_pass * prep["pass_prec"]) * prep["reval_sal"]
    )
    seuil = np.maximum(sam, salaire_precedent) if cumul.seuil_inclut_salaire_annuel_moyen else salaire_precedent
    seuil = revalorisation_depuis(seuil, arret, debut, r.coefficient_pensions)
    depassement = np.maximum(12 * avant_cumul + revenus_reference - seuil, 0)
    reduction = np.where(
        travaille, np.minimum(np.round(cumul.taux_reduction_depassement * depassement / 12, 2), avant_cumul), 0.0
    )
    return {
        "pension_invalidite_eligible": eligible,
        "salaire_annuel_moyen": sam,
        "pension_invalidite": np.maximum(avant_cumul - reduction, 0.0),
    }


def chaine_numpy(pop, tbs, mois: str = MOIS, prep: dict | None = None) -> dict[str, np.ndarray]:
    """La chaîne pension + MTP du mois en numpy pur (mêmes paramètres, mêmes
    règles ; revenus d'activité constants, donc 12 × revenus sur la période de
    référence du cumul, comme le moteur de population)."""
    parametres = tbs.parameters
    prep = _preparer(pop, tbs, mois) if prep is None else prep
    rang = int(np.datetime64(mois, "M").astype(np.int64))
    revenus = prep["revenus"]
    resultat = _pension_mois(prep, parametres, rang, revenus, 12 * revenus)
    mtp = np.where(
        prep["c3"] & resultat["pension_invalidite_eligible"],
        parametres(mois).pension_invalidite.majoration_tierce_personne.montant,
        0.0,
    )
    return {**resultat, "majoration_tierce_personne": mtp}


def _au_centime(montant):
    """Arrondi au centime, la demie vers le haut (comme variables/asi et variables/aah)."""
    return np.round(np.asarray(montant) + 1e-9, 2)


def chaine_numpy_complete(pop, tbs, mois: str = MOIS) -> dict[str, np.ndarray]:
    """La chaîne complète du mois en numpy pur : pension + MTP, puis ASI
    (D815-19, différentielle depuis le 1/4/2020) et AAH déconjugalisée
    (D821-2, depuis le 1/10/2023 ; conjugalisée pour qui a l'option).

    Les entrées mensuelles valent la même chose sur les ``MOIS_HISTORIQUE``
    mois qui précèdent le mois calculé (comme ``population.moteur``) et 0 /
    défaut avant : la pension des 3 mois précédents et des 12 mois de N-2
    (ressources de l'AAH) est recalculée mois par mois, avec les paramètres,
    l'éligibilité (âge de fin compris) et la fenêtre de cumul de chaque mois.
    """
    parametres = tbs.parameters
    p = parametres(mois)
    rang = int(np.datetime64(mois, "M").astype(np.int64))
    if mois < "2023-10":
        msg = "chaine_numpy_complete ne reproduit que l'ASI différentielle et l'AAH déconjugalisée (mois ≥ 2023-10)"
        raise ValueError(msg)
    prep = _preparer(pop, tbs, mois)
    revenus = prep["revenus"]
    autres = pop["autres_ressources"].to_numpy()
    premier_connu = rang - MOIS_HISTORIQUE

    def revenus_du(k):
        return revenus if premier_connu <= k <= rang else np.zeros_like(revenus)

    def pension_du(k):
        # Revenus de la fenêtre du cumul (R341-17 : 13e au 2e mois avant k, paramètres
        # du mois k), ramenés à 12 mois comme le modèle ; seuls comptent les mois d'entrées.
        cumul = parametres(_mois(k)).pension_invalidite.cumul_revenus
        debut, duree = int(cumul.debut_periode_reference), int(cumul.duree_periode_reference)
        connus = sum(premier_connu <= j <= rang for j in range(k - debut, k - debut + duree))
        return _pension_mois(prep, parametres, k, revenus_du(k), connus * revenus * 12 / duree)["pension_invalidite"]

    chaine = chaine_numpy(pop, tbs, mois, prep)
    pension = chaine["pension_invalidite"]
    naissance, generation = prep["naissance"], prep["generation"]
    # Âge en mois révolus au 1er du mois.
    age_mois = rang - prep["rang_naissance"] - (naissance > naissance.astype("datetime64[M]").astype("datetime64[D]"))
    residence = pop["residence_france"].to_numpy().astype(bool)
    # Familles et rôles.
    codes, familles = pd.factorize(pop["famille_id"], sort=False)
    nf = len(familles)
    roles = pop["role_famille"].to_numpy()
    parent = (roles == "demandeur") | (roles == "conjoint")
    en_couple = (np.bincount(codes, weights=parent, minlength=nf) >= 2)[codes]
    enfants = np.bincount(codes, weights=roles == "enfant", minlength=nf)[codes]

    def somme_parents(x):
        return np.bincount(codes, weights=np.where(parent, x, 0.0), minlength=nf)[codes]

    # ASI (L815-24, R815-58, D815-19 depuis le 1/4/2020).
    a = p.asi
    limite = np.round(a.age_limite * 12).astype(np.int64)
    limite_inapte = np.round(p.retraite.age_legal.calc(generation) * 12).astype(np.int64)
    limite = np.where(pop["inapte_travail"].to_numpy().astype(bool), np.minimum(limite_inapte, limite), limite)
    aspa = pop["aspa_eligibilite"].to_numpy().astype(bool)
    asi_eligible = (
        (pension > 0) & (prep["reduction"] >= a.taux_minimum_invalidite) & (age_mois < limite) & residence & ~aspa
    )
    eligible_parent = asi_eligible & parent
    conjoint_asi = en_couple & (somme_parents(eligible_parent) - eligible_parent > 0)
    conjoint_aspa = en_couple & (somme_parents(aspa & parent) - (aspa & parent) > 0)
    ressources_asi = somme_parents(pension + revenus + autres)
    plafond_seul, plafond_couple = a.plafond_ressources.personne_seule / 12, a.plafond_ressources.couple / 12
    montant = np.select(
        [~en_couple, conjoint_asi | conjoint_aspa],
        [plafond_seul - ressources_asi, (plafond_couple - ressources_asi) / 2],
        np.minimum(plafond_couple - ressources_asi, plafond_seul - p.pension_invalidite.montant.minimum),
    )
    asi = np.where(eligible_parent, _au_centime(np.maximum(montant, 0)), 0.0)

    # AAH : conditions (L821-1, L821-2, D821-1).
    h = p.aah
    taux = pop["taux_incapacite"].to_numpy()
    avant_retraite = age_mois < np.round(
        p.pension_invalidite.fin_de_droit.age_fin_pension.calc(generation) * 12
    ).astype(np.int64)
    rsdae = (
        (taux >= h.taux_incapacite_rsdae)
        & pop["aah_restriction_substantielle_durable_acces_emploi"].to_numpy().astype(bool)
        & avant_retraite
    )
    aah_eligible = (
        ((taux >= h.taux_incapacite) | rsdae) & (age_mois >= np.round(h.age_minimal * 12).astype(np.int64)) & residence
    )
    # Ressources (L821-3, D821-2, R532-3) : 3 mois précédents × 4 si activité, sinon année N-2.
    abattement = h.ressources.abattement_fiscal_dix_pourcent
    trois = range(rang - 3, rang)
    activite_3 = sum(revenus_du(k) for k in trois)
    pension_3 = sum(pension_du(k) for k in trois)
    trimestriel = 4 * (
        (1 - abattement) * (activite_3 + pension_3)
        + sum(autres if premier_connu <= k <= rang else 0 * autres for k in trois)
    )
    annee_n2 = rang // 12 - 2
    mois_n2 = range(annee_n2 * 12, annee_n2 * 12 + 12)
    # Avant 2015, pension hors des paramètres : 0 (pension_de_l_annee).
    pension_n2 = np.zeros(len(pop)) if annee_n2 + 1970 < 2015 else sum(pension_du(k) for k in mois_n2)
    annuel = (1 - abattement) * (sum(revenus_du(k) for k in mois_n2) + pension_n2) + sum(
        autres if premier_connu <= k <= rang else 0 * autres for k in mois_n2
    )
    base = np.where(activite_3 > 0, trimestriel, annuel)

    def montant_aah(*, conjugalise):
        majoration = h.plafond_ressources.majoration_par_enfant * enfants
        ressources = base
        if conjugalise:
            majoration = majoration + h.plafond_ressources.majoration_couple * en_couple
            du_conjoint = np.where(en_couple & parent, somme_parents(base) - np.where(parent, base, 0.0), 0.0)
            r = h.ressources
            ressources = base + np.maximum(
                du_conjoint - (r.abattement_conjoint_forfaitaire + r.abattement_conjoint_par_enfant * enfants), 0
            )
        sous_plafond = (12 * h.montant_maximum * (1 + majoration) - ressources) / 12
        differentiel = h.montant_maximum - (pension + asi)
        m = np.clip(np.minimum(differentiel, sous_plafond), 0, h.montant_maximum)
        return np.where(aah_eligible, _au_centime(m), 0.0)

    aah = montant_aah(conjugalise=False)
    option = pop["aah_conjugalise_eligible"].to_numpy().astype(bool)
    if option.any():
        aah = np.where(option, np.maximum(aah, montant_aah(conjugalise=True)), aah)
    return {**chaine, "asi": asi, "aah": aah}


def mesurer(fonction):
    """Temps (sans tracemalloc, qui ralentit les allocations) puis pic de
    mémoire Python (tracemalloc) sur une seconde exécution."""
    gc.collect()
    debut = time.perf_counter()
    resultat = fonction()
    duree = time.perf_counter() - debut
    gc.collect()
    tracemalloc.start()
    fonction()
    _, pic = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return resultat, duree, pic


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tailles", nargs="*", type=int, default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--taille-bloc", type=int, default=50_000)
    args = parser.parse_args(argv)
    tbs = CountryTaxBenefitSystem()
    _systemes(())  # système construit hors chronométrage (une fois par processus)
    print(
        "Chaîne pension (pension + MTP) puis chaîne complète (+ ASI + AAH) ; temps en s, "
        "mémoire en octets par personne (pic tracemalloc / n), écarts : personnes dont le montant diffère d'au moins un centime (> 0,005 €)."
    )
    print(
        f"{'personnes':>10} | {'OF s':>7} {'np s':>6} {'rapport':>7} {'o/p OF':>7} {'o/p np':>7} {'pens ≠':>6} "
        f"| {'OF s':>7} {'np s':>6} {'rapport':>7} {'o/p OF':>7} {'o/p np':>7} {'ASI ≠':>6} {'AAH ≠':>6} | {'RSS Mo':>7}"
    )
    for n in args.tailles:
        population = valider_population(generer_population(n, MOIS))
        # Chaîne pension + MTP : numpy, puis OpenFisca sur les mêmes variables.
        attendu, t_np, pic_np = mesurer(partial(chaine_numpy, population, tbs))
        # Montants bruts seulement : la chaîne numpy ne calcule pas les prélèvements sociaux.
        bruts = [v for v in VARIABLES if v not in VARIABLES_NETTES]
        chaine = [v for v in bruts if v not in ("asi", "aah")]
        resultats, t_of, pic_of = mesurer(
            partial(
                simuler,
                population,
                MOIS,
                taille_bloc=args.taille_bloc,
                progression=False,
                valider=False,
                variables=chaine,
            )
        )
        # Écart OpenFisca / numpy : personnes dont la pension diffère de plus d'un centime.
        ecart = int(np.sum(np.abs(resultats["pension_invalidite"].to_numpy() - attendu["pension_invalidite"]) > 0.005))
        del resultats, attendu
        # Chaîne complète : pension + MTP + ASI + AAH.
        attendu, t_npc, pic_npc = mesurer(partial(chaine_numpy_complete, population, tbs))
        resultats, t_ofc, pic_ofc = mesurer(
            partial(
                simuler,
                population,
                MOIS,
                taille_bloc=args.taille_bloc,
                progression=False,
                valider=False,
                variables=bruts,
            )
        )
        ecarts = {
            v: int(np.sum(np.abs(resultats[v].to_numpy().astype(np.float64) - attendu[v]) > 0.005))
            for v in ("asi", "aah")
        }
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{n:>10,} | {t_of:>7.2f} {t_np:>6.2f} {t_of / t_np:>7.1f} {pic_of / n:>7.0f} {pic_np / n:>7.0f} {ecart:>6} "
            f"| {t_ofc:>7.2f} {t_npc:>6.2f} {t_ofc / t_npc:>7.1f} {pic_ofc / n:>7.0f} {pic_npc / n:>7.0f} "
            f"{ecarts['asi']:>6} {ecarts['aah']:>6} | {rss:>7.0f}",
            flush=True,
        )
        del resultats, attendu, population
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
