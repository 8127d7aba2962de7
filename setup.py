"""Packages of the wheel, found rather than listed (metadata: pyproject.toml).

``parameters/``, ``variables/`` and ``reforms/`` sit at the top of the
repository (design card) and become ``openfisca_invalidite.parameters``,
``openfisca_invalidite.variables`` and ``openfisca_invalidite.reforms`` in the
wheel, with every subfolder.
"""

from setuptools import find_namespace_packages, find_packages, setup

DOSSIERS_RACINE = ("parameters", "variables", "reforms")

paquets = find_packages(include=["openfisca_invalidite", "openfisca_invalidite.*"])
for dossier in DOSSIERS_RACINE:
    paquets.append(f"openfisca_invalidite.{dossier}")
    paquets += [f"openfisca_invalidite.{dossier}.{sous}" for sous in find_namespace_packages(dossier)]

setup(
    packages=paquets,
    package_dir={"openfisca_invalidite": "openfisca_invalidite"}
    | {f"openfisca_invalidite.{dossier}": dossier for dossier in DOSSIERS_RACINE},
)
