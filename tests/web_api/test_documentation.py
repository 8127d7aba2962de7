"""Chaque variable a un libellé, une référence juridique et une documentation ;
chaque paramètre, une description et une référence — dans le système
socio-fiscal comme dans ce que sert l'API web (/variable/<nom>, /parameter/<nom>)."""

from __future__ import annotations

import pytest
from openfisca_core.parameters import Parameter, ParameterScale


def texte(valeur) -> bool:
    return isinstance(valeur, str) and bool(valeur.strip())


def parametres(noeud):
    for enfant in noeud.children.values():
        if isinstance(enfant, (Parameter, ParameterScale)):
            yield enfant  # un barème (ParameterScale) est une feuille pour l'API web
        elif hasattr(enfant, "children"):
            yield from parametres(enfant)


def references_du_parametre(parametre) -> bool:
    reference = (parametre.metadata or {}).get("reference")
    if not reference:
        return False
    if isinstance(reference, dict) and isinstance(parametre, Parameter):
        # Une référence par date de valeur : chaque valeur doit avoir la sienne.
        dates = {str(valeur.instant_str) for valeur in parametre.values_list if valeur.value is not None}
        return dates <= {str(date) for date in reference}
    return True


def test_variables_documentees(tbs):
    manques = {
        nom: [
            champ
            for champ, ok in (
                ("label", texte(variable.label)),
                ("reference", bool(variable.reference)),
                ("documentation", texte(variable.documentation)),
            )
            if not ok
        ]
        for nom, variable in sorted(tbs.variables.items())
    }
    manques = {nom: champs for nom, champs in manques.items() if champs}
    assert not manques, f"{len(manques)} variables incomplètes : {manques}"


def test_parametres_decrits_et_sources(tbs):
    manques = {}
    for parametre in parametres(tbs.parameters):
        champs = []
        if not texte(parametre.description):
            champs.append("description")
        if not references_du_parametre(parametre):
            champs.append("reference (pour chaque date de valeur)")
        if champs:
            manques[parametre.name] = champs
    assert not manques, f"{len(manques)} paramètres incomplets : {manques}"


def test_api_sert_la_documentation_des_variables(serveur, tbs):
    liste = serveur.get("/variables").json()
    assert set(liste) == set(tbs.variables)
    manques = {}
    for nom in sorted(tbs.variables):
        corps = serveur.get(f"/variable/{nom}").json()
        champs = [c for c in ("description", "references", "documentation") if not corps.get(c)]
        if champs:
            manques[nom] = champs
    assert not manques, f"/variable/<nom> sans {manques}"


def test_api_sert_la_description_des_parametres(serveur, tbs):
    noms = [p.name for p in parametres(tbs.parameters)]
    assert set(serveur.get("/parameters").json()) == set(noms)
    manques = {}
    for nom in noms:
        corps = serveur.get(f"/parameter/{nom}").json()
        champs = [
            c
            for c, ok in (
                ("description", texte(corps.get("description"))),
                ("metadata.reference", bool((corps.get("metadata") or {}).get("reference"))),
                ("values", bool(corps.get("values") or corps.get("brackets"))),
            )
            if not ok
        ]
        if champs:
            manques[nom] = champs
    assert not manques, f"/parameter/<nom> sans {manques}"


@pytest.mark.parametrize("nom", ["pension_invalidite", "majoration_tierce_personne", "salaire_annuel_moyen"])
def test_references_sont_des_adresses(tbs, nom):
    assert all("https://" in r for r in tbs.variables[nom].reference)
