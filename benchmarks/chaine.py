"""Banc d'essai : la chaîne complète par OpenFisca contre la même chaîne en numpy pur.

Pour 10 000, 100 000 et 1 000 000 de personnes (population synthétique, un
mois), mesure :

- OpenFisca : ``population.simuler`` (blocs de familles, SimulationBuilder,
  set_input, calculate de chaque variable de la chaîne) ;
- numpy pur : la même arithmétique écrite directement (conditions, SAM des
  10 meilleures années, taux, revalorisation, minimum / maximum, cumul, MTP),
  dans le même processus, sur les mêmes tableaux ;

et affiche les temps, le rapport OpenFisca / numpy, le pic de mémoire Python
(tracemalloc) rapporté au nombre de personnes, et le pic RSS du processus.
La population elle-même (entrée commune aux deux chemins) est exclue du pic.

``python benchmarks/chaine.py [tailles…] [--taille-bloc N]``
"""

from __future__ import annotations

import argparse
import gc
import resource
import time
import tracemalloc

import numpy as np

from openfisca_invalidite import CountryTaxBenefitSystem
from openfisca_invalidite.commons import indice_cumule, revalorisation_depuis, valeur_a_dates
from openfisca_invalidite.population.moteur import VARIABLES, _systemes, simuler
from openfisca_invalidite.population.schema import colonnes_salaire, valider_population
from openfisca_invalidite.population.synthetique import generer_population

MOIS = "2025-06"


def chaine_numpy(pop, tbs, mois: str = MOIS) -> dict[str, np.ndarray]:
    """La chaîne pension + MTP en numpy pur (mêmes paramètres, mêmes règles,
    sans le cumul pour les personnes sans revenus d'activité)."""
    P = tbs.parameters
    p = P(mois)
    debut = np.datetime64(f"{mois}-01", "D")
    fin = (np.datetime64(mois, "M") + 1).astype("datetime64[D]") - 1
    arret = pop["date_debut_invalidite"].to_numpy().astype("datetime64[D]")
    naissance = pop["date_naissance"].to_numpy().astype("datetime64[D]")
    categorie = pop["categorie_invalidite"].astype(str).to_numpy()
    c1, c2, c3 = categorie == "categorie_1", categorie == "categorie_2", categorie == "categorie_3"
    cond = P.pension_invalidite.conditions
    smic_1er_janvier = valeur_a_dates(P.references_sociales.smic_horaire_brut,
                                      ((arret.astype("datetime64[M]") - 12).astype("datetime64[Y]")).astype("datetime64[D]"))
    # Conditions
    reconnu = (arret <= fin) & (c1 | c2 | c3)
    capacite = pop["reduction_capacite_travail"].to_numpy() >= cond.reduction_capacite_minimale(mois)
    immat = pop["duree_immatriculation"].to_numpy() >= valeur_a_dates(cond.duree_immatriculation_minimale, arret)
    activite = (pop["heures_travaillees_12_mois"].to_numpy() >= valeur_a_dates(cond.heures_travail_minimales, arret)) | (
        pop["salaire_cotise_12_mois"].to_numpy() >= valeur_a_dates(cond.nombre_smic_horaire_cotisations, arret) * smic_1er_janvier)
    rang_naissance = naissance.astype("datetime64[M]").astype(np.int64)
    generation = (rang_naissance // 12 + 1970) * 100 + rang_naissance % 12 + 1
    fdd = p.pension_invalidite.fin_de_droit
    dernier = rang_naissance + np.round(fdd.age_fin_pension.calc(generation) * 12).astype(np.int64)
    dernier_actif = rang_naissance + np.round(fdd.age_limite_poursuite_activite.calc(generation) * 12).astype(np.int64)
    mois_calc = int(np.datetime64(mois, "M").astype(np.int64))
    revenus = pop["revenus_activite"].to_numpy()
    age_ok = (mois_calc <= dernier) | ((revenus > 0) & (mois_calc <= dernier_actif))
    eligible = reconnu & capacite & immat & activite & age_ok
    # SAM
    annee_arret = arret.astype("datetime64[Y]").astype(np.int64) + 1970
    coef = P.pension_invalidite.revalorisation.coefficient_salaires
    indice_arret = indice_cumule(coef, arret)
    salaires = colonnes_salaire(pop)
    nb = int(p.pension_invalidite.salaire_annuel_moyen.nombre_annees_retenues)
    matrice = np.zeros((max(len(salaires), nb), len(pop)), dtype=np.float32)
    comptees = np.zeros(len(pop), dtype=np.int64)
    for ligne, (annee, col) in enumerate(salaires.items()):
        s = pop[col].to_numpy()
        retenu = (s > 0) & (annee < annee_arret)
        plafond = P.references_sociales.plafond_annuel_securite_sociale(f"{annee}-01-01")
        reval = (indice_arret / indice_cumule(coef, np.datetime64(f"{annee}-12-31"))).astype(np.float32)
        v = matrice[ligne]
        np.minimum(s, plafond, out=v)
        v *= reval
        v[~retenu] = 0
        comptees += retenu
    meilleures = np.partition(matrice, matrice.shape[0] - nb, axis=0)[-nb:]
    sam = np.where(comptees > 0, meilleures.sum(axis=0, dtype=np.float64) / np.clip(comptees, 1, nb), 0.0)
    sam = np.where(arret <= fin, sam, 0.0)
    # Montant
    m = p.pension_invalidite.montant
    taux = np.select([c1, c2, c3], [m.taux.categorie_1, m.taux.categorie_2, m.taux.categorie_3], 0.0)
    part_max = np.select([c1, c2, c3], [m.maximum_en_part_du_pmss.categorie_1, m.maximum_en_part_du_pmss.categorie_2,
                                        m.maximum_en_part_du_pmss.categorie_3], 0.0)
    maximum = np.round(part_max * p.references_sociales.plafond_mensuel_securite_sociale, 2)
    r = P.pension_invalidite.revalorisation
    revalorise = revalorisation_depuis(taux * sam / 12, arret, debut, r.coefficient_pensions,
                                       r.seuil_revalorisation_differenciee, r.coefficient_au_dela_du_seuil)
    avant_cumul = np.where(eligible, np.round(np.clip(revalorise, m.minimum, maximum), 2), 0.0)
    # Cumul (revenus supposés constants sur 12 mois, comme le moteur de population)
    cumul = p.pension_invalidite.cumul_revenus
    travaille = (revenus > 0) & (avant_cumul > 0)
    annee_sal = annee_arret - 1
    sal_prec = np.zeros(len(pop))
    for annee, col in salaires.items():
        sal_prec = np.where(annee_sal == annee, pop[col].to_numpy(), sal_prec)
    plafond = cumul.plafond_salaire_reference_en_pass * valeur_a_dates(
        P.references_sociales.plafond_annuel_securite_sociale, ((annee_sal - 1970).astype("datetime64[Y]")).astype("datetime64[D]"))
    reval_sal = indice_arret / indice_cumule(coef, ((annee_sal + 1 - 1970).astype("datetime64[Y]")).astype("datetime64[D]") - 1)
    seuil = np.maximum(sam, np.minimum(sal_prec, plafond) * reval_sal)
    seuil = revalorisation_depuis(seuil, arret, debut, r.coefficient_pensions)
    depassement = np.maximum(12 * avant_cumul + 12 * revenus - seuil, 0)
    reduction = np.where(travaille, np.minimum(np.round(cumul.taux_reduction_depassement * depassement / 12, 2), avant_cumul), 0.0)
    pension = np.maximum(avant_cumul - reduction, 0.0)
    mtp = np.where(c3 & eligible, p.pension_invalidite.majoration_tierce_personne.montant, 0.0)
    return {"pension_invalidite_eligible": eligible, "salaire_annuel_moyen": sam,
            "pension_invalidite": pension, "majoration_tierce_personne": mtp}


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
    print(f"{'personnes':>10} {'OpenFisca s':>12} {'numpy s':>9} {'rapport':>8} "
          f"{'o/pers OF':>10} {'o/pers np':>10} {'pensions ≠':>12} {'RSS max Mo':>11} {'OF+ASI+AAH s':>13}")
    for n in args.tailles:
        population = valider_population(generer_population(n, MOIS))
        attendu, t_np, pic_np = mesurer(lambda: chaine_numpy(population, tbs))
        # Même chaîne que le numpy (pension + MTP), puis chaîne complète (avec ASI et AAH).
        chaine = [v for v in VARIABLES if v not in ("asi", "aah")]
        resultats, t_of, pic_of = mesurer(lambda: simuler(population, MOIS, taille_bloc=args.taille_bloc,
                                                          progression=False, valider=False, variables=chaine))
        debut = time.perf_counter()
        simuler(population, MOIS, taille_bloc=args.taille_bloc, progression=False, valider=False)
        t_complet = time.perf_counter() - debut
        # Écart OpenFisca / numpy : personnes dont la pension diffère de plus d'un centime
        # (voir le rapport : réduction pour cumul appliquée sans revenus d'activité).
        ecart = int(np.sum(np.abs(resultats["pension_invalidite"].to_numpy() - attendu["pension_invalidite"]) > 0.01))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{n:>10,} {t_of:>12.2f} {t_np:>9.2f} {t_of / t_np:>8.1f} {pic_of / n:>10.0f} {pic_np / n:>10.0f} "
              f"{ecart:>12} {rss:>11.0f} {t_complet:>13.2f}", flush=True)
        del resultats, attendu, population
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
