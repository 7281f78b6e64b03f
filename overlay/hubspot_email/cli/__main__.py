"""`python -m hubspot_email.cli`: the same as the `hubspot-email` console script."""

from hubspot_email.cli import main

main()
