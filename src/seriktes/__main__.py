"""`python -m seriktes` runs the command-line interface."""

from seriktes.cli.main import main

main()
