"""Références juridiques des variables : l'article et son adresse.

Un seul endroit pour les adresses : une variable écrit
``reference = articles("L341-1", "R341-2")`` et obtient, pour chaque article,
« Code de la sécurité sociale, article L341-1 — <adresse> ». Chaque adresse
pointe vers l'article lui-même sur Légifrance : la version en vigueur
(identifiant LEGIARTI, relevé dans la base LEGI de la DILA) ou, pour une
règle abrogée, la version datée que cite le nom (« R341-17 (2011) »). Les
textes non codifiés pointent vers l'article du Journal officiel ou le texte
JORF daté. Un article absent de ``ADRESSES`` retombe sur le code entier :
``tests/test_references.py`` le refuse.
"""

LEGIFRANCE_ARTICLE = "https://www.legifrance.gouv.fr/codes/article_lc/"
CODE_SECURITE_SOCIALE = "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006073189"

#: Code de la sécurité sociale : numéro → identifiant LEGIARTI de la version citée.
ARTICLES_CSS = {
    "D161-2-1-9": "LEGIARTI000047634502",
    "D815-19": "LEGIARTI000042956446",
    "D821-1": "LEGIARTI000023097719",
    "D821-1-2": "LEGIARTI000030443726",
    "D821-2": "LEGIARTI000047543983",
    "L161-17-2": "LEGIARTI000053280889",
    "L161-25": "LEGIARTI000031781092",
    "L241-3": "LEGIARTI000051289018",
    "L341-1": "LEGIARTI000041398968",
    "L341-2": "LEGIARTI000041398963",
    "L341-3": "LEGIARTI000031687176",
    "L341-4": "LEGIARTI000006742597",
    "L341-5": "LEGIARTI000006742598",
    "L341-6": "LEGIARTI000031688452",
    "L341-12": "LEGIARTI000044629850",
    "L341-15": "LEGIARTI000047453137",
    "L341-16": "LEGIARTI000047453121",
    "L351-1": "LEGIARTI000023035688",
    "L351-1-5": "LEGIARTI000047449233",
    "L815-1": "LEGIARTI000047453234",
    "L815-24": "LEGIARTI000041474271",
    "L815-24-1": "LEGIARTI000041474269",
    "L815-25": "LEGIARTI000006745341",
    "L821-1": "LEGIARTI000051289863",
    "L821-2": "LEGIARTI000048850210",
    "L821-3": "LEGIARTI000046194125",
    "R313-5": "LEGIARTI000045250320",
    "R341-2": "LEGIARTI000045250316",
    "R341-4": "LEGIARTI000045250301",
    "R341-5": "LEGIARTI000024106823",
    "R341-6": "LEGIARTI000006750015",
    "R341-11": "LEGIARTI000045250277",
    "R341-12": "LEGIARTI000006749318",
    "R341-14": "LEGIARTI000045250272",
    "R341-17": "LEGIARTI000047908363",
    # Rédaction du décret 2011-615, en vigueur du 1er juin 2011 au 7 juillet 2019 ;
    # la version suivante (LEGIARTI000038787015, jusqu'au 31 mars 2022) garde le
    # contrôle par deux trimestres consécutifs que décrivent les sources de 2019-2022.
    "R341-17 (2011)": "LEGIARTI000024106802",
    "R351-9": "LEGIARTI000053335598",
    "R532-3": "LEGIARTI000041419421",
    "R815-1": "LEGIARTI000047633276",
    "R815-22": "LEGIARTI000047770487",
    "R815-58": "LEGIARTI000042964313",
    "R815-59": "LEGIARTI000042964327",
    "R821-1": "LEGIARTI000006754135",
    "R821-4-1": "LEGIARTI000046832999",
}

#: Textes non codifiés : intitulé → adresse de l'article ou du texte au Journal officiel.
TEXTES = {
    "Décret 2022-42": "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000045038484",
    "Décret 2022-1694": "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000046830041",
    "Loi 2022-1158 art. 9": "https://www.legifrance.gouv.fr/loda/article_lc/LEGIARTI000046188473",
    "Loi 2022-1158 art. 10": "https://www.legifrance.gouv.fr/eli/loi/2022/8/16/2022-1158/jo/article_10",
    "LFRSS 2023 art. 11": "https://www.legifrance.gouv.fr/jorf/article_jo/JORFARTI000047445098",
    "LFSS 2026 art. 105": "https://www.legifrance.gouv.fr/jorf/article_jo/JORFARTI000053227007",
    # Textes propres aux autres régimes : décrets, lois et règlements de la SSI.
    "Décret 2020-602": "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000041897786",
    "Décret 2022-257": "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000045245209",
    "Décret 2016-667": "https://www.legifrance.gouv.fr/eli/decret/2016/5/24/AFSS1604619D/jo/texte",
    "LFSS 2017 art. 51": "https://www.legifrance.gouv.fr/eli/loi/2016/12/23/2016-1827/jo/article_51",
    "Arrêté du 4 juillet 2014 (règlement SSI)": "https://www.legifrance.gouv.fr/jorf/article_jo/JORFARTI000029205795",
    "Arrêté du 1er août 2023 (règlement SSI)": "https://www.legifrance.gouv.fr/jorf/article_jo/JORFARTI000047974271",
    "Arrêté du 1er août 2023 (règlement SSI), art. 10": (
        "https://www.legifrance.gouv.fr/jorf/article_jo/JORFARTI000047974287"
    ),
    "Arrêté du 1er août 2023 (règlement SSI), art. 13": (
        "https://www.legifrance.gouv.fr/jorf/article_jo/JORFARTI000047974290"
    ),
}

#: Code rural et de la pêche maritime : « CRPM <article> » → (rédaction citée, adresse).
#: L'article lui-même (LEGIARTI) quand son identifiant a été relevé, sinon le texte
#: du Journal officiel qui lui a donné la rédaction que le modèle applique.
DECRET_2020_602 = (
    "rédaction du décret n° 2020-602 du 19 mai 2020",
    "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000041897786",
)
ARTICLES_CODE_RURAL = {
    "CRPM L732-8": (
        "version en vigueur depuis le 25 décembre 2021",
        LEGIFRANCE_ARTICLE + "LEGIARTI000044629183",
    ),
    "CRPM L742-3": (
        "rédaction de la loi n° 2011-1906 du 21 décembre 2011",
        "https://www.legifrance.gouv.fr/eli/loi/2011/12/21/2011-1906/jo/texte",
    ),
    "CRPM R742-2": (
        "rédaction du décret n° 2010-344 du 31 mars 2010",
        "https://www.legifrance.gouv.fr/eli/decret/2010/3/31/2010-344/jo/texte",
    ),
    "CRPM R732-3": DECRET_2020_602,
    "CRPM R732-3-1": (
        "créé par le décret n° 2010-668 du 17 juin 2010",
        "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000022362723",
    ),
    "CRPM R732-4": DECRET_2020_602,
    "CRPM R732-4-1": DECRET_2020_602,
    "CRPM R732-4-2": DECRET_2020_602,
    "CRPM R732-4-3": DECRET_2020_602,
    "CRPM R732-5": (
        "rédaction du décret n° 2022-257 du 23 février 2022",
        "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000045245209",
    ),
}

ADRESSES = {numero: LEGIFRANCE_ARTICLE + identifiant for numero, identifiant in ARTICLES_CSS.items()} | TEXTES


def _reference(numero: str) -> str:
    if numero in TEXTES:
        return f"{numero} — {ADRESSES[numero]}"
    if numero in ARTICLES_CODE_RURAL:
        redaction, adresse = ARTICLES_CODE_RURAL[numero]
        return f"Code rural et de la pêche maritime, article {numero.removeprefix('CRPM ')} ({redaction}) — {adresse}"
    return f"Code de la sécurité sociale, article {numero} — {ADRESSES.get(numero, CODE_SECURITE_SOCIALE)}"


def articles(*numeros: str) -> list[str]:
    """Références lisibles par un juriste : code, article, adresse.

    « L341-1 » : code de la sécurité sociale ; « CRPM R732-4 » : code rural et
    de la pêche maritime ; un texte de ``TEXTES`` (« Décret 2020-602 »,
    « Arrêté du 1er août 2023 (règlement SSI) ») : le texte lui-même.
    """
    return [_reference(numero) for numero in numeros]


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
        "https://www.legifrance.gouv.fr/loda/article_lc/LEGIARTI000006759735",
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
        "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006307828",
    ),
    "CGI 81": (
        "Code général des impôts, article 81",
        "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000037985663",
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
