"""Références juridiques des variables : l'article et son adresse.

Un seul endroit pour les adresses : une variable écrit
``reference = articles("L341-1", "R341-2")`` et obtient, pour chaque article,
« Code de la sécurité sociale, article L341-1 — <adresse> ». Les adresses
d'article (LEGIARTI) pointent vers l'article lui-même ; pour les
autres, l'adresse est celle du code sur Légifrance et l'article est nommé dans
le texte.
"""

CODE_SECURITE_SOCIALE = "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006073189"

ADRESSES = {
    "R313-5": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006749148",
    "R341-4": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000024106812",
    "R341-5": "https://tricoteuses.fr/legifrance/articles/LEGIARTI000006749311",
    "R341-17": "https://www.doctrine.fr/l/texts/codes/LEGITEXT000006073189/articles/LEGIARTI000006749324",
    "D161-2-1-9": "https://www.legifrance.gouv.fr/codes/id/LEGISCTA000006194202",
    "D815-19": "https://lexbase.fr/texte-de-loi/code-de-la-securite-socialed81519/L7919LZC.html",
    "R815-58": "https://www.weka.fr/base-juridique/code_CSS_LEGISCTA000006156776.html",
    "D821-1": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000023097719",
    "D821-2": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000039211076",
    "D161-5": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006735338",
    "R341-17 (2023)": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000047908363",
    "LFSS 2026 art. 105": "https://www.legifrance.gouv.fr/jorf/article_jo/JORFARTI000053227007",
    "LFRSS 2023 art. 11": "https://legal.tricoteuses.fr/articles/JORFARTI000047445098",
}


def articles(*numeros: str) -> list[str]:
    """Références lisibles par un juriste : code, article, adresse."""
    return [
        f"Code de la sécurité sociale, article {numero} — {ADRESSES.get(numero, CODE_SECURITE_SOCIALE)}"
        if not numero.startswith(("LFRSS", "LFSS", "Loi", "Décret"))
        else f"{numero} — {ADRESSES.get(numero, CODE_SECURITE_SOCIALE)}"
        for numero in numeros
    ]


#: Textes des prélèvements sociaux et de l'impôt sur le revenu des pensions :
#: clé lisible → (intitulé complet, adresse de l'article ou du texte).
TEXTES_PRELEVEMENTS = {
    "CSS L136-1": (
        "Code de la sécurité sociale, article L136-1",
        "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000033712581",
    ),
    "CSS L136-1-2": (
        "Code de la sécurité sociale, article L136-1-2",
        "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000051289679",
    ),
    "CSS L136-8": (
        "Code de la sécurité sociale, article L136-8",
        "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000053278668",
    ),
    "CSS L137-41": (
        "Code de la sécurité sociale, article L137-41",
        "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000042675242",
    ),
    "Ordonnance 96-50 art. 14": (
        "Ordonnance n° 96-50 du 24 janvier 1996 relative au remboursement de la dette sociale, article 14",
        "https://www.legifrance.gouv.fr/loda/id/LEGISCTA000006106400",
    ),
    "Ordonnance 96-50 art. 19": (
        "Ordonnance n° 96-50 du 24 janvier 1996 relative au remboursement de la dette sociale, article 19",
        "https://www.legifrance.gouv.fr/loda/article_lc/LEGIARTI000041466982",
    ),
    "Loi 2018-1213 art. 3": (
        "Loi n° 2018-1213 du 24 décembre 2018 portant mesures d'urgence économiques et sociales, article 3",
        "https://www.legifrance.gouv.fr/jorf/article_jo/JORFARTI000037851902",
    ),
    "CGI 79": (
        "Code général des impôts, article 79",
        "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006069577",
    ),
    "CGI 81": (
        "Code général des impôts, article 81",
        "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006069577",
    ),
    "CGI 154 quinquies": (
        "Code général des impôts, article 154 quinquies",
        "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000047288608",
    ),
    "CGI 158": (
        "Code général des impôts, article 158 (5, a)",
        "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000042909707",
    ),
    "BOI-RSA-PENS-10-10-10-20": (
        "BOFiP, BOI-RSA-PENS-10-10-10-20 (pensions de vieillesse et de retraite, cas particuliers)",
        "https://bofip.impots.gouv.fr/doctrine/pgp/359-PGP",
    ),
}


def textes(*cles: str) -> list[str]:
    """Références lisibles des textes de ``TEXTES_PRELEVEMENTS`` : intitulé — adresse."""
    return [f"{TEXTES_PRELEVEMENTS[cle][0]} — {TEXTES_PRELEVEMENTS[cle][1]}" for cle in cles]
