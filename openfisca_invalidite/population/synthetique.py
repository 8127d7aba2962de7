"""Population synthétique des pensionnés d'invalidité du régime général, des
salariés agricoles, des travailleurs indépendants (SSI) et des non-salariés
agricoles.

Reproductible (graine), de toute taille, calée sur des agrégats publiés :
:data:`CIBLES` donne chaque chiffre, sa source et son statut (« vérifié » :
lu à la source citée ; « à confirmer » : hypothèse ou source secondaire).
Chaque pensionné forme une famille, avec un conjoint (non invalide) dans une
part des cas ; les poids font que les pensionnés du régime général
représentent l'effectif publié, et ceux des autres régimes sont tirés dans
les rapports publiés à ceux du régime général, avec leurs propres carrières
(salaires puis revenus non salariés pour les indépendants, revenus agricoles
avec des déficits pour les exploitants).

Les lois tirées ici sont des hypothèses de modélisation, pas des données
individuelles : elles servent à chiffrer des réformes sur une population
plausible, pas à reproduire un fichier de gestion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Iterator

SOURCE_REPSS = (
    "PLFSS, Rapport d'évaluation des politiques de sécurité sociale (REPSS) Autonomie, "
    "indicateur 1-8 « Pension d'invalidité », données 2023 — "
    "https://evaluation.securite-sociale.fr/home/autonomie/1-8-pension-d-invalidite.html"
)
SOURCE_DREES_RR = (
    "DREES, « Les retraités et les retraites », fiche « Les bénéficiaires d'une pension "
    "d'invalidité » (éditions 2016 et 2019 : « près des trois quarts » en catégorie 2 au "
    "régime général) ; édition 2015, fiche « Les pensions d'invalidité » : « 72 % des pensions "
    "d'invalidité concernent des personnes de 50 à 60 ans » — https://drees.solidarites-sante.gouv.fr"
)
SOURCE_DREES_MONTANT = (
    "DREES, « Les retraités et les retraites », édition 2020 (données 2018) : pension "
    "d'invalidité moyenne du régime général 760 €/mois ; édition 2019 (données 2017) : "
    "510 €/mois en catégorie 1 à 1 800 €/mois en catégorie 3 (MTP comprise)"
)
SOURCE_DREES_REGIMES = (
    "DREES, « Les retraités et les retraites », édition 2019, fiche 21 « Les bénéficiaires d'une pension "
    "d'invalidité » (données fin 2017) : 819 000 pensionnés, dont 667 000 au régime général, 34 000 au régime "
    "social des indépendants et 28 000 à la MSA salariés (lu sur une copie de la fiche, "
    "https://123dok.net/document/zkwn6gpz-drees-fiche-b%C3%A9n%C3%A9ficiaires-pension-invalidit%C3%A9.html) ; "
    "part de la MSA (salariés et non-salariés) 4,9 % et du RSI 4,1 % fin 2016 (DREES, EIR 2016)"
)
SOURCE_MSA_NON_SALARIES = (
    "Question écrite n° 3414 (Assemblée nationale, 15e législature, 2017) : « aux 13 500 personnes concernées » "
    "(pensionnés d'invalidité non-salariés agricoles) — https://2017-2022.nosdeputes.fr/15/question/QE/3414"
)
SOURCE_ASI = (
    "REPSS Autonomie, indicateur 2-2 « part des pensionnés d'invalidité bénéficiaires de l'ASI » — "
    "https://evaluation.securite-sociale.fr/home/autonomie/22-assurer-aux-beneficiaires-de.html "
    "(effectif non lu sur la page consultée)"
)

#: Agrégats visés : valeur publiée, tolérance relative des tests, source, statut.
CIBLES = {
    "pensionnes": {"valeur": 833_000, "tolerance": 0.02, "source": SOURCE_REPSS, "statut": "vérifié"},
    "part_categorie_2": {
        "valeur": 0.75,
        "tolerance": 0.04,
        "source": SOURCE_DREES_RR,
        "statut": "vérifié (« près des trois quarts »)",
    },
    "part_categorie_1": {
        "valeur": 0.22,
        "tolerance": 0.10,
        "source": SOURCE_DREES_RR,
        "statut": "à confirmer (complément : ~ 1/4 hors catégorie 2)",
    },
    "part_categorie_3": {"valeur": 0.03, "tolerance": 0.25, "source": SOURCE_DREES_RR, "statut": "à confirmer"},
    "part_50_60_ans": {
        "valeur": 0.72,
        "tolerance": 0.05,
        "source": SOURCE_DREES_RR,
        "statut": "vérifié (données 2013 : avant le passage de l'âge de fin à 62 ans)",
    },
    "pension_moyenne": {
        "valeur": 800.0,
        "tolerance": 0.15,
        "source": SOURCE_DREES_MONTANT,
        "statut": "à confirmer (760 € en 2018, porté à ~ 800 € par les revalorisations)",
    },
    "rapport_ssi": {
        "valeur": 34_000 / 667_000,
        "tolerance": 0.15,
        "source": SOURCE_DREES_REGIMES,
        "statut": "vérifié (copie de la fiche DREES ; pensionnés SSI rapportés à ceux du régime général)",
    },
    "rapport_msa_salarie": {
        "valeur": 28_000 / 667_000,
        "tolerance": 0.15,
        "source": SOURCE_DREES_REGIMES,
        "statut": "vérifié (copie de la fiche DREES ; MSA salariés rapportés au régime général)",
    },
    "rapport_msa_non_salarie": {
        "valeur": 13_500 / 667_000,
        "tolerance": 0.25,
        "source": SOURCE_MSA_NON_SALARIES,
        "statut": "à confirmer (effectif cité par la question, non par la réponse du ministère)",
    },
    "beneficiaires_asi": {
        "valeur": 70_000,
        "tolerance": 0.5,
        "source": SOURCE_ASI,
        "statut": "à confirmer (ordre de grandeur donné par le cahier des charges)",
    },
    "beneficiaires_aah": {
        "valeur": 100_000,
        "tolerance": 0.6,
        "source": "hypothèse de modélisation",
        "statut": "à confirmer (aucun effectif publié d'AAH différentielle trouvé)",
    },
}

#: Régime qui sert la pension : rapports publiés au régime général (CIBLES), tirés pour chaque pensionné.
RAPPORTS_REGIMES = {
    "regime_general": 1.0,
    "msa_salarie": CIBLES["rapport_msa_salarie"]["valeur"],
    "ssi": CIBLES["rapport_ssi"]["valeur"],
    "msa_non_salarie": CIBLES["rapport_msa_non_salarie"]["valeur"],
}
#: Qualité des non-salariés agricoles pensionnés (hypothèse, à confirmer : aucune répartition publiée trouvée).
PARTS_STATUTS_NON_SALARIES = {
    "chef_exploitation": 0.80,
    "collaborateur": 0.12,
    "aide_familial": 0.05,
    "associe_exploitation": 0.03,
}
#: Carrières non salariées (hypothèses, à confirmer) : revenu médian de l'année de l'arrêt,
#: dispersion ; indépendants : part entièrement indépendants, sinon salariés puis installés ;
#: exploitants : part d'années en déficit et déficit médian.
REVENU_INDEPENDANT_MEDIAN = 17_000.0
DISPERSION_INDEPENDANT = 0.7
PART_INDEPENDANTS_TOUTE_CARRIERE = 0.30
PART_SSI_INDEMNITES_JOURNALIERES = 0.50  # indépendants qui perçoivent des IJ à la demande
INDEMNITES_JOURNALIERES_MENSUELLES = (600.0, 1_500.0)  # €/mois, bornes du tirage uniforme
REVENU_AGRICOLE_MEDIAN = 14_000.0
DISPERSION_AGRICOLE = 0.8
PART_ANNEES_EN_DEFICIT = 0.08
DEFICIT_AGRICOLE = (500.0, 6_000.0)  # €, bornes du tirage uniforme

#: Hypothèses de tirage (à confirmer, non publiées ; choisies pour approcher les cibles ASI et AAH).
PART_EN_COUPLE = 0.40
PARTS_CATEGORIES = {"categorie_1": 0.22, "categorie_2": 0.75, "categorie_3": 0.03}
#: tranches d'âge (âge révolu au 1er du mois) et leurs parts : 72 % de 50 à 60 ans.
TRANCHES_AGE = ((20, 45, 0.12), (45, 50, 0.13), (50, 61, 0.72), (61, 61.99, 0.03))
#: Anciens pensionnés de 62 à 66 ans (pension éteinte à 62 ans, L341-15), par pensionné en
#: service : environ 5 générations de sortants. Ils ne touchent rien sous la loi en vigueur
#: mais rendent chiffrables les réformes de l'âge de fin (hypothèse, à confirmer ; leur
#: pension de vieillesse pour inaptitude, qu'une telle réforme retarderait, n'est pas modélisée).
PART_ANCIENS_PENSIONNES = 0.25
TRANCHE_ANCIENS = (62, 66.99)
SALAIRE_MEDIAN = 16_500.0  # euros de l'année de l'arrêt, avant plafonnement au PASS
DISPERSION_SALAIRE = 0.55
#: Part des femmes parmi les pensionnés d'invalidité : « dont 53 % de femmes » (DREES,
#: données au 31/12/2016, publiées le 24/07/2023 ; voir data/hypotheses_projection.yaml).
PART_FEMMES = 0.53
PART_PREVOYANCE = 0.92  # part des pensionnés ayant une rente de prévoyance ou d'autres ressources
PREVOYANCE_MEDIANE = 700.0  # €/mois
PART_TAUX_80 = 0.15  # taux d'incapacité CDAPH ≥ 80 %
PART_RSDAE = 0.06  # parmi les autres : taux 50-79 % avec RSDAE
PART_CONJOINT_ACTIF = 0.75
PROFONDEUR_CARRIERE = 44  # colonnes salaire_AAAA générées
PART_CATEGORIE_1_EN_ACTIVITE = 0.50  # pensionnés de catégorie 1 (en service) qui travaillent
PART_ANNEES_BLANCHES = 0.10  # années de carrière sans salaire
#: Seuils du taux d'incapacité CDAPH de l'AAH (D821-1 ; paramètres aah.taux_incapacite et
#: aah.taux_incapacite_rsdae) : au moins 80 %, ou de 50 à 79 % avec RSDAE (L821-2).
TAUX_INCAPACITE_80 = 0.8
TAUX_INCAPACITE_50 = 0.5
#: Revenu fiscal de référence et parts (hypothèses, à confirmer : aucune donnée publiée
#: ne croise pension d'invalidité et revenu fiscal). Revenus imposables du foyer =
#: 90 % (abattement de 10 % des pensions et des salaires) de la pension estimée, de la
#: rente de prévoyance (autres_ressources) et des revenus d'activité du pensionné et de
#: son conjoint ; pension estimée = taux de la catégorie (R341-4) × moyenne des 10
#: meilleurs salaires de la carrière tirée, au moins le minimum de pension (L341-5).
#: Les couples sont supposés mariés ou pacsés (une déclaration commune, 2 parts), les
#: personnes seules ont 1 part. Revenus stables en euros constants : le revenu de N-2
#: (et de N-3) est celui de l'année calculée déflaté de CROISSANCE_REVENUS par an.
TAUX_PENSION_ESTIMEE = {"categorie_1": 0.30, "categorie_2": 0.50, "categorie_3": 0.50}
PENSION_MINIMALE_ANNUELLE = 12 * 335.29  # minimum de pension au 1er avril 2025 (L341-5)
PART_IMPOSABLE = 0.90
CROISSANCE_REVENUS = 0.02
MEILLEURES_ANNEES = 10
#: Plus grande population synthétique (et plus grand morceau) : un garde-fou de saisie
#: (dix fois la population française), au-delà duquel le tirage ne finirait pas.
TAILLE_MAXIMUM = 1_000_000_000


def generer_population(taille: int = 10_000, mois: str = "2025-06", graine: int = 2025) -> pd.DataFrame:
    """Population synthétique de ``taille`` personnes (pensionnés et conjoints), au schéma
    de :mod:`openfisca_invalidite.population.schema`, pour le mois ``AAAA-MM``.

    Même taille, même mois, même graine : même population, octet pour octet.
    """
    return _generer(taille, mois, graine)


def generer_par_morceaux(
    taille: int, morceau: int, mois: str = "2025-06", graine: int = 2025
) -> Iterator[pd.DataFrame]:
    """Une population synthétique de ``taille`` personnes tirée morceau par morceau
    (``morceau`` personnes, des familles entières), sans jamais la tenir entière
    en mémoire : le morceau k est ``generer_population(morceau, mois, graine + k)``,
    ses identifiants de personnes et de familles décalés pour rester distincts,
    ses poids multipliés par la part du morceau dans la population (les morceaux
    représentent ensemble les effectifs publiés, comme une population d'un seul
    tenant). Le premier morceau est donc ``generer_population(morceau, mois,
    graine)`` aux poids près ; la population entière n'est pas celle de
    ``generer_population(taille, …)`` (d'autres tirages), mais de mêmes lois."""
    _verifier_taille("taille", taille)
    _verifier_taille("morceau", morceau)
    for k, debut in enumerate(range(0, taille, morceau)):
        # Rendu sans être gardé par ce générateur : libéré dès que l'appelant le lâche.
        yield _morceau(min(morceau, taille - debut), debut, taille, mois, graine + k)


def _morceau(personnes: int, debut: int, taille: int, mois: str, graine: int) -> pd.DataFrame:
    population = generer_population(personnes, mois, graine)
    population["id"] += debut
    population["famille_id"] += debut
    population["poids"] *= personnes / taille
    return population


def generer_entrants(taille: int, annee: int, graine: int, *, age_moyen: float, ecart_type_age: float) -> pd.DataFrame:
    """``taille`` personnes (nouveaux pensionnés et conjoints) entrées en invalidité
    au cours de ``annee`` (date uniforme dans l'année), d'âge normal (moyenne
    ``age_moyen``, écart type ``ecart_type_age``, borné à 20-61 ans) à l'entrée.
    Mêmes lois que :func:`generer_population` pour le reste ; ``poids`` à fixer."""
    return _generer(taille, f"{annee}-01", graine, entrants=(age_moyen, ecart_type_age))


def _verifier_taille(nom: str, valeur: int) -> None:
    """Un nombre de personnes : un entier de 1 à ``TAILLE_MAXIMUM``."""
    if isinstance(valeur, bool) or not isinstance(valeur, (int, np.integer)) or not 1 <= valeur <= TAILLE_MAXIMUM:
        msg = f"{nom} = {valeur!r} : un nombre entier de personnes de 1 à {TAILLE_MAXIMUM:_}".replace("_", " ")
        raise ValueError(msg)


def _generer(taille: int, mois: str, graine: int, entrants: tuple[float, float] | None = None) -> pd.DataFrame:
    _verifier_taille("taille", taille)
    if isinstance(graine, bool) or not isinstance(graine, (int, np.integer)) or graine < 0:
        msg = f"graine = {graine!r} : un entier positif ou nul"
        raise ValueError(msg)
    rng = np.random.default_rng(graine)
    debut_mois = np.datetime64(f"{mois[:7]}-01", "D")
    annee_calcul = int(str(debut_mois)[:4])
    nombre_pensionnes = max(1, int(np.ceil(taille / (1 + PART_EN_COUPLE))))
    nombre_conjoints = taille - nombre_pensionnes
    p = nombre_pensionnes

    naissance, debut_invalidite, _, ancien, categorie = _ages_et_debuts(rng, p, debut_mois, entrants)
    annee_arret = debut_invalidite.astype("datetime64[Y]").astype(np.int64) + 1970
    annee_naissance = naissance.astype("datetime64[Y]").astype(np.int64) + 1970

    noms_regimes = np.array(list(RAPPORTS_REGIMES))
    rapports = np.array(list(RAPPORTS_REGIMES.values()))
    regime = noms_regimes[rng.choice(len(noms_regimes), size=p, p=rapports / rapports.sum())]
    noms_statuts = np.array(list(PARTS_STATUTS_NON_SALARIES))
    statut = np.where(
        regime == "msa_non_salarie",
        noms_statuts[rng.choice(len(noms_statuts), size=p, p=np.array(list(PARTS_STATUTS_NON_SALARIES.values())))],
        noms_statuts[0],
    )
    # L732-8 : les aides familiaux et associés d'exploitation n'ont que l'inaptitude totale.
    famille_exploitant = np.isin(statut, ("aide_familial", "associe_exploitation"))
    categorie = np.where(famille_exploitant & (categorie == "categorie_1"), "categorie_2", categorie)
    indemnites = np.where(
        (regime == "ssi") & (rng.uniform(size=p) < PART_SSI_INDEMNITES_JOURNALIERES),
        rng.uniform(*INDEMNITES_JOURNALIERES_MENSUELLES, p),
        0.0,
    ).round(2)

    cat1 = categorie == "categorie_1"
    reduction = np.where(cat1, rng.uniform(0.67, 0.85, p), rng.uniform(0.8, 1.0, p)).round(3)
    travaille = cat1 & (rng.uniform(size=p) < PART_CATEGORIE_1_EN_ACTIVITE) & ~ancien
    revenus = np.where(travaille, rng.uniform(300, 1500, p), 0.0).round(2)
    taux_incapacite = np.select(
        [rng.uniform(size=p) < PART_TAUX_80, rng.uniform(size=p) < PART_RSDAE],
        [rng.uniform(TAUX_INCAPACITE_80, 0.95, p), rng.uniform(TAUX_INCAPACITE_50, 0.79, p)],
        0.0,
    ).round(2)
    rsdae = (taux_incapacite >= TAUX_INCAPACITE_50) & (taux_incapacite < TAUX_INCAPACITE_80)
    # Autres ressources : surtout la rente de prévoyance complémentaire (contrats
    # d'entreprise), qui entre dans les ressources de l'ASI et de l'AAH.
    autres = np.where(
        rng.uniform(size=p) < PART_PREVOYANCE, rng.lognormal(np.log(PREVOYANCE_MEDIANE), 0.45, p), 0.0
    ).round(2)
    # Les anciens pensionnés n'ont plus de droit à l'AAH modélisé ici (retraite pour inaptitude).
    taux_incapacite = np.where(ancien, 0.0, taux_incapacite)
    rsdae = rsdae & ~ancien

    pensionnes = pd.DataFrame(
        {
            "id": np.arange(p, dtype=np.int64),
            "famille_id": np.arange(p, dtype=np.int64),
            "role_famille": "demandeur",
            "date_naissance": naissance,
            "date_debut_invalidite": debut_invalidite,
            "categorie_invalidite": categorie,
            "reduction_capacite_travail": reduction,
            "duree_immatriculation": rng.integers(24, 480, p),
            "heures_travaillees_12_mois": rng.uniform(650, 1800, p).round(0),
            "salaire_cotise_12_mois": rng.uniform(20_000, 40_000, p).round(2),
            "revenus_activite": revenus,
            "taux_incapacite": taux_incapacite,
            "aah_restriction_substantielle_durable_acces_emploi": rsdae,
            "autres_ressources": autres,
            "regime_invalidite": regime,
            "statut_non_salarie_agricole": statut,
            "indemnites_journalieres_maladie": indemnites,
        }
    )
    annees = range(annee_calcul - PROFONDEUR_CARRIERE, annee_calcul + (entrants is not None))
    carriere = _carriere(rng, annees, annee_naissance, annee_arret)
    carriere |= _carrieres_non_salariees(rng, annees, annee_naissance, annee_arret, regime=regime, carriere=carriere)
    pensionnes = pd.concat([pensionnes, pd.DataFrame(carriere)], axis=1)

    if nombre_conjoints:
        conjoints = _conjoints(rng, nombre_conjoints, naissance, debut_mois, annees)
        population = pd.concat([pensionnes, conjoints], ignore_index=True)
        # Chaque conjoint suit son pensionné : familles contiguës.
        population = population.sort_values(["famille_id", "id"], kind="stable", ignore_index=True)
    else:
        population = pensionnes
    population = population.copy()  # un seul bloc par type : les colonnes ajoutées ensuite restent rapides
    # Les poids rapportent les pensionnés du régime général en service (hors anciens) à l'effectif publié.
    part_en_service = 1 - PART_ANCIENS_PENSIONNES / (sum(q for _, _, q in TRANCHES_AGE) + PART_ANCIENS_PENSIONNES)
    part_regime_general = RAPPORTS_REGIMES["regime_general"] / sum(RAPPORTS_REGIMES.values())
    population.insert(3, "poids", CIBLES["pensionnes"]["valeur"] / (p * part_en_service * part_regime_general))
    # Sexe (tiré en dernier : les autres colonnes ne dépendent pas de ce tirage) :
    # PART_FEMMES des pensionnés ; le conjoint est de l'autre sexe.
    femme = rng.uniform(size=p) < PART_FEMMES
    demandeur = population["role_famille"].to_numpy() == "demandeur"
    famille_femme = femme[population["famille_id"].to_numpy()]
    population["sexe"] = np.where(demandeur == famille_femme, "femme", "homme")
    return _revenus_fiscaux(population, annee_calcul)


def _revenus_fiscaux(population: pd.DataFrame, annee_calcul: int) -> pd.DataFrame:
    """Colonnes ``rfr_AAAA`` (années N-2 et N-3) et ``nbptr`` de chaque foyer,
    tirées sans aléa des revenus de la population (hypothèses ci-dessus) ; les
    deux membres d'un couple portent le revenu fiscal et les parts du foyer."""
    annees = range(annee_calcul - PROFONDEUR_CARRIERE, annee_calcul)
    revenus_annuels = population[[f"salaire_{a}" for a in annees]].to_numpy(dtype=np.float64)
    for prefixe in ("rpns", "rag"):
        colonnes = [f"{prefixe}_{a}" for a in annees]
        if all(c in population for c in colonnes):
            revenus_annuels = revenus_annuels + np.maximum(population[colonnes].to_numpy(dtype=np.float64), 0.0)
    meilleures = -np.sort(-revenus_annuels, axis=1)[:, :MEILLEURES_ANNEES]
    taux = population["categorie_invalidite"].map(TAUX_PENSION_ESTIMEE).fillna(0.0).to_numpy()
    pension = np.where(taux > 0, np.maximum(taux * meilleures.mean(axis=1), PENSION_MINIMALE_ANNUELLE), 0.0)
    revenus = PART_IMPOSABLE * (
        pension + 12 * population["autres_ressources"].to_numpy() + 12 * population["revenus_activite"].to_numpy()
    )
    famille = population["famille_id"].to_numpy()
    codes, _ = pd.factorize(famille, sort=False)
    foyer = np.bincount(codes, weights=revenus)[codes]
    membres = np.bincount(codes)[codes]
    population["nbptr"] = np.where(membres >= 2, 2.0, 1.0)  # noqa: PLR2004 — un couple : deux parts
    for ecart in (2, 3):
        population[f"rfr_{annee_calcul - ecart}"] = np.round(foyer / (1 + CROISSANCE_REVENUS) ** ecart)
    return population


def _ages_et_debuts(
    rng: np.random.Generator, p: int, debut_mois: np.datetime64, entrants: tuple[float, float] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Naissance, début d'invalidité, âge (années), ancien pensionné, catégorie des ``p`` pensionnés."""
    if entrants is None:
        # Âge : tranche, puis jour uniforme dans la tranche ; la dernière tranche est celle
        # des anciens pensionnés (62-66 ans).
        tranches = (*TRANCHES_AGE, (*TRANCHE_ANCIENS, PART_ANCIENS_PENSIONNES))
        bornes = np.array([(a, b) for a, b, _ in tranches])
        parts = np.array([q for _, _, q in tranches])
        tranche = rng.choice(len(tranches), size=p, p=parts / parts.sum())
        ancien = tranche == len(tranches) - 1
        age_jours = (
            bornes[tranche, 0] * 365.25 + rng.uniform(0, 1, p) * (bornes[tranche, 1] - bornes[tranche, 0]) * 365.25
        )
        naissance = debut_mois - np.ceil(age_jours).astype("timedelta64[D]") - np.timedelta64(1, "D")
        age_annees = age_jours / 365.25
    else:
        # Entrants : arrêt à une date uniforme de l'année, âge à l'arrêt tiré autour de l'âge moyen publié.
        age_moyen, ecart_type = entrants
        ancien = np.zeros(p, dtype=bool)
        arret = debut_mois + rng.integers(0, 365, p).astype("timedelta64[D]")
        age_a_l_arret = np.clip(rng.normal(age_moyen, ecart_type, p), 20.0, 61.9)
        naissance = arret - np.ceil(age_a_l_arret * 365.25).astype("timedelta64[D]")
        age_annees = age_a_l_arret

    noms = np.array(list(PARTS_CATEGORIES))
    categorie = noms[rng.choice(len(noms), size=p, p=np.array(list(PARTS_CATEGORIES.values())))]

    if entrants is None:
        # Ancienneté en invalidité : exponentielle de moyenne 6 ans, entrée après 20 ans.
        anciennete = np.minimum(rng.exponential(6.0, p), np.maximum(age_annees - 20.5, 0.1))
        # Un ancien pensionné est entré en invalidité avant 62 ans.
        anciennete = np.where(ancien, np.minimum(age_annees - 62 + anciennete, age_annees - 20.5), anciennete)
        debut_invalidite = debut_mois - np.ceil(anciennete * 365.25).astype("timedelta64[D]")
    else:
        debut_invalidite = arret
    return naissance, debut_invalidite, age_annees, ancien, categorie


def _carriere(
    rng: np.random.Generator, annees: range, annee_naissance: np.ndarray, annee_arret: np.ndarray
) -> dict[str, np.ndarray]:
    """Colonnes ``salaire_AAAA`` des pensionnés : niveau propre à chaque personne,
    croissance de 2 %/an, aléa annuel, ``PART_ANNEES_BLANCHES`` d'années blanches."""
    p = len(annee_naissance)
    niveau = rng.lognormal(np.log(SALAIRE_MEDIAN), DISPERSION_SALAIRE, p)
    carriere = {}
    for annee in annees:
        actif = (annee >= annee_naissance + 20) & (annee < annee_arret) & (rng.uniform(size=p) >= PART_ANNEES_BLANCHES)
        salaire = niveau * 1.02 ** (annee - annee_arret) * rng.lognormal(0.0, 0.15, p)
        carriere[f"salaire_{annee}"] = np.where(actif, salaire, 0.0).round(0).astype(np.float32)
    return carriere


def _carrieres_non_salariees(
    rng: np.random.Generator,
    annees: range,
    annee_naissance: np.ndarray,
    annee_arret: np.ndarray,
    *,
    regime: np.ndarray,
    carriere: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """Colonnes ``rpns_AAAA`` et ``rag_AAAA`` ; les salaires des années non salariées
    sont remis à zéro dans ``carriere``. Indépendants (SSI) : salariés jusqu'à une
    année d'installation tirée dans la carrière (ou toute la carrière pour
    ``PART_INDEPENDANTS_TOUTE_CARRIERE``), puis revenus non salariés ; exploitants
    agricoles : revenus agricoles toute la carrière, avec des années en déficit."""
    p = len(annee_naissance)
    ssi, exploitant = regime == "ssi", regime == "msa_non_salarie"
    debut_carriere = annee_naissance + 20
    installation = np.where(
        rng.uniform(size=p) < PART_INDEPENDANTS_TOUTE_CARRIERE,
        debut_carriere,
        rng.integers(np.minimum(debut_carriere, annee_arret - 1), np.maximum(annee_arret, debut_carriere + 1)),
    )
    niveau_ssi = rng.lognormal(np.log(REVENU_INDEPENDANT_MEDIAN), DISPERSION_INDEPENDANT, p)
    niveau_agricole = rng.lognormal(np.log(REVENU_AGRICOLE_MEDIAN), DISPERSION_AGRICOLE, p)
    colonnes = {}
    for annee in annees:
        actif = (annee >= debut_carriere) & (annee < annee_arret) & (rng.uniform(size=p) >= PART_ANNEES_BLANCHES)
        croissance = 1.02 ** (annee - annee_arret) * rng.lognormal(0.0, 0.25, p)
        independant = ssi & (annee >= installation)
        rpns = np.where(actif & independant, niveau_ssi * croissance, 0.0)
        deficit = rng.uniform(size=p) < PART_ANNEES_EN_DEFICIT
        agricole = np.where(deficit, -rng.uniform(*DEFICIT_AGRICOLE, p), niveau_agricole * croissance)
        rag = np.where(actif & exploitant, agricole, 0.0)
        salaire = f"salaire_{annee}"
        carriere[salaire] = np.where(independant | exploitant, np.float32(0), carriere[salaire])
        colonnes[f"rpns_{annee}"] = rpns.round(0).astype(np.float32)
        colonnes[f"rag_{annee}"] = rag.round(0).astype(np.float32)
    return colonnes


def _conjoints(
    rng: np.random.Generator, c: int, naissance: np.ndarray, debut_mois: np.datetime64, annees: range
) -> pd.DataFrame:
    """``c`` conjoints (non invalides) de pensionnés tirés parmi les ``p`` (nés à ``naissance``) ;
    ``id`` à partir de ``p``."""
    p = len(naissance)
    qui = np.sort(rng.choice(p, size=c, replace=False))
    ecart = rng.integers(-3 * 365, 3 * 365, c).astype("timedelta64[D]")
    conjoints = pd.DataFrame(
        {
            "id": np.arange(p, p + c, dtype=np.int64),
            "famille_id": qui.astype(np.int64),
            "role_famille": "conjoint",
            "date_naissance": np.minimum(naissance[qui] + ecart, debut_mois - np.timedelta64(18 * 366, "D")),
            # Un tableau de jours (non un NaT seul) : la colonne a le type de celle des pensionnés.
            "date_debut_invalidite": np.full(c, np.datetime64("NaT", "D")),
            "categorie_invalidite": "non_classe",
            "reduction_capacite_travail": 0.0,
            "duree_immatriculation": rng.integers(0, 480, c),
            "heures_travaillees_12_mois": 0.0,
            "salaire_cotise_12_mois": 0.0,
            "revenus_activite": np.where(
                rng.uniform(size=c) < PART_CONJOINT_ACTIF, rng.lognormal(np.log(1800), 0.4, c), 0.0
            ).round(2),
            "taux_incapacite": 0.0,
            "aah_restriction_substantielle_durable_acces_emploi": False,
            "autres_ressources": 0.0,
            "regime_invalidite": "regime_general",
            "statut_non_salarie_agricole": "chef_exploitation",
            "indemnites_journalieres_maladie": 0.0,
        }
    )
    carrieres = {
        f"{prefixe}_{annee}": np.zeros(c, dtype=np.float32)
        for prefixe in ("salaire", "rpns", "rag")
        for annee in annees
    }
    return pd.concat([conjoints, pd.DataFrame(carrieres)], axis=1)
