"""Chaque référence de variable pointe vers l'article lui-même, sur une source primaire.

Une variable cite ses articles par ``openfisca_invalidite.references.articles`` ;
un article absent de ``ADRESSES`` retombe sur le code entier : ce test le
refuse, comme toute adresse de site secondaire (doctrine, base juridique
d'éditeur, presse).
"""

import re

import pytest

from openfisca_invalidite.references import ADRESSES, CODE_SECURITE_SOCIALE, articles

#: Adresses primaires admises : un article de code (LEGIARTI), un article ou un texte du Journal officiel,
#: ou la doctrine administrative opposable (BOFiP).
ARTICLE_OU_TEXTE = re.compile(
    r"^(https://www\.legifrance\.gouv\.fr/("
    r"codes/article_lc/LEGIARTI\d{12}"
    r"|loda/article_lc/LEGIARTI\d{12}"
    r"|jorf/article_jo/JORFARTI\d{12}"
    r"|jorf/id/JORFTEXT\d{12}"
    r"|eli/(loi|decret)/\d{4}/\d{1,2}/\d{1,2}/[0-9A-Z-]+/jo/(texte|article_\d+))"
    r"|https://bofip\.impots\.gouv\.fr/doctrine/pgp/\d+-PGP)$"
)
SECONDAIRES = ("doctrine.fr", "weka.fr", "lexbase", "tricoteuses", "juriblio", "aide-sociale", "handicap.fr")


def _adresse(reference: str) -> str:
    return reference.rsplit(" — ", 1)[-1]


def test_chaque_adresse_connue_est_un_article():
    for numero, adresse in ADRESSES.items():
        assert ARTICLE_OU_TEXTE.match(adresse), f"{numero} : {adresse} n'est pas l'adresse d'un article"


def test_aucune_reference_de_variable_vers_le_code_entier(tbs):
    fautives = []
    for nom, variable in tbs.variables.items():
        for reference in variable.reference or []:
            adresse = _adresse(reference)
            if adresse == CODE_SECURITE_SOCIALE or not ARTICLE_OU_TEXTE.match(adresse):
                fautives.append(f"{nom} : {reference}")
    assert not fautives, "références qui ne pointent pas vers un article :\n" + "\n".join(fautives)


def test_aucune_reference_vers_un_site_secondaire(tbs):
    fautives = [
        f"{nom} : {reference}"
        for nom, variable in tbs.variables.items()
        for reference in variable.reference or []
        if any(site in reference for site in SECONDAIRES)
    ]
    assert not fautives, "\n".join(fautives)


@pytest.mark.parametrize("numero", ["R341-17 (2011)", "R351-9", "R341-11"])
def test_articles_de_la_fidelite_juridique(numero):
    (reference,) = articles(numero)
    assert "LEGIARTI" in reference


def test_un_article_inconnu_retombe_sur_le_code_et_serait_refuse():
    (reference,) = articles("R999-99")
    assert _adresse(reference) == CODE_SECURITE_SOCIALE
    assert not ARTICLE_OU_TEXTE.match(_adresse(reference))
