"""Ligne de commande ``openfisca-invalidite``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="openfisca-invalidite", description=__doc__)
    sous = parser.add_subparsers(dest="commande", required=True)
    simulate = sous.add_parser("simulate", help="simulation sur une population")
    simulate.add_argument("--taille", type=int, default=1000)
    simulate.add_argument("--mois", default="2025-06")
    simulate.add_argument("--sortie", default="resultats")
    args = parser.parse_args(argv)
    from openfisca_core.simulations import SimulationBuilder

    from openfisca_invalidite import CountryTaxBenefitSystem, _exemple

    tbs = CountryTaxBenefitSystem()
    simulation = SimulationBuilder().build_from_entities(tbs, _exemple("pensionne_categorie_2"))
    for variable in ("salaire_annuel_moyen", "pension_invalidite", "majoration_tierce_personne"):
        print(variable, simulation.calculate(variable, args.mois))
    return 0


if __name__ == "__main__":
    sys.exit(main())
