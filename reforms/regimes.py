"""Réformes des régimes autres que le régime général : minimum de la pension
des travailleurs indépendants (SSI), taux et maxima de la pension des
non-salariés agricoles."""

from __future__ import annotations

from openfisca_invalidite.reforms.parametres import (
    ReformeInvalide,
    classe_reforme,
    fixer_depuis,
    instant,
    parametre,
)

MINIMUM_REGIME_GENERAL = "pension_invalidite.montant.minimum"
MINIMA_SSI = ("pension_invalidite.ssi.minimum.pipm", "pension_invalidite.ssi.minimum.pitd")
MSA = "pension_invalidite.msa_non_salaries"


def reforme_minimum_ssi_regime_general(date_effet, nom: str | None = None):
    """Classe de réforme : à compter de ``date_effet``, les minima de la PIPM et
    de la PITD sont le minimum de la pension du régime général (L341-5, montant
    de l'AVTS), revalorisations de ce minimum comprises : chaque date de valeur
    du minimum du régime général à partir de ``date_effet`` devient une date de
    valeur des minima de la SSI."""
    date_texte = str(instant(date_effet))
    libelle = f"SSI : minima de la PIPM et de la PITD alignés sur le minimum du régime général (L341-5) à compter du {date_texte}"

    def modifier(parameters):
        minimum = parametre(parameters, MINIMUM_REGIME_GENERAL)
        valeurs = sorted((v.instant_str, v.value) for v in minimum.values_list)
        en_vigueur = [valeur for date, valeur in valeurs if date <= date_texte]
        if not en_vigueur:
            msg = f"le minimum du régime général n'a pas de valeur au {date_texte}"
            raise ReformeInvalide(msg)
        dates = [(date_texte, en_vigueur[-1])] + [(date, valeur) for date, valeur in valeurs if date > date_texte]
        for chemin in MINIMA_SSI:
            param = parametre(parameters, chemin)
            for date, valeur in dates:
                fixer_depuis(param, valeur, date)
        return parameters

    def appliquer(reforme):
        reforme.modify_parameters(modifier_function=modifier)

    nom = nom or f"MinimumSsiRegimeGeneral{date_texte.replace('-', '')}"
    return classe_reforme(nom, libelle + ".", appliquer, libelle=libelle, module=__name__)


def reforme_bornes_msa_non_salaries(
    date_effet,
    *,
    taux_partielle: float | None = None,
    taux_totale: float | None = None,
    maximum_partielle: float | None = None,
    maximum_totale: float | None = None,
    nom: str | None = None,
):
    """Classe de réforme : à compter de ``date_effet``, taux (part du revenu
    professionnel moyen, R732-4-2 et R732-4-3) et maxima (part du PASS) de la
    pension des non-salariés agricoles ; ``None`` garde la valeur en vigueur."""
    nouveaux = {
        f"{MSA}.taux.partielle": taux_partielle,
        f"{MSA}.taux.totale": taux_totale,
        f"{MSA}.maximum_en_part_du_pass.partielle": maximum_partielle,
        f"{MSA}.maximum_en_part_du_pass.totale": maximum_totale,
    }
    nouveaux = {chemin: valeur for chemin, valeur in nouveaux.items() if valeur is not None}
    if not nouveaux or not all(0 <= valeur <= 1 for valeur in nouveaux.values()):
        msg = f"taux et maxima en parts entre 0 et 1 (0.3 = 30 %), au moins un : reçu {nouveaux!r}"
        raise ReformeInvalide(msg)
    date_texte = str(instant(date_effet))
    libelle = "Non-salariés agricoles : " + ", ".join(
        f"{chemin.removeprefix(MSA + '.').replace('_en_part_du_pass', ' (part du PASS)')} {valeur:.0%}"
        for chemin, valeur in nouveaux.items()
    )
    libelle += f" à compter du {date_texte}"

    def modifier(parameters):
        for chemin, valeur in nouveaux.items():
            fixer_depuis(parametre(parameters, chemin), valeur, date_texte)
        return parameters

    def appliquer(reforme):
        reforme.modify_parameters(modifier_function=modifier)

    nom = nom or f"BornesMsaNonSalaries{date_texte.replace('-', '')}"
    return classe_reforme(nom, libelle + ".", appliquer, libelle=libelle, module=__name__)


class MinimumSsiRegimeGeneral(reforme_minimum_ssi_regime_general("2026-01-01", nom="MinimumSsiRegimeGeneral")):
    """Minima de la PIPM et de la PITD des travailleurs indépendants ramenés au
    minimum de la pension du régime général (L341-5) à compter du 1er janvier
    2026, revalorisations de ce minimum comprises.

    Pour chiffrer l'alignement du plancher des indépendants (série propre,
    issue des anciens règlements des artisans et des commerçants, plus élevée)
    sur celui des salariés : les petites pensions SSI baissent, l'ASI et l'AAH
    différentielle compensent en partie.
    """


class MaximaMsaNonSalariesRegimeGeneral(
    reforme_bornes_msa_non_salaries(
        "2026-01-01", maximum_partielle=0.3, maximum_totale=0.5, nom="MaximaMsaNonSalariesRegimeGeneral"
    )
):
    """Maxima de la pension des non-salariés agricoles portés à 30 % (inaptitude
    partielle) et 50 % (totale) du PASS, comme ceux des salariés (R341-5) et
    des indépendants, à compter du 1er janvier 2026 ; taux inchangés (30 % et
    50 % du revenu professionnel moyen).

    Pour chiffrer la fin du plafond propre aux exploitants (15 % et 25 % du
    PASS), qui borne leur pension à la moitié de celle d'un salarié de même
    revenu.
    """
