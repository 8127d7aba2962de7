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
