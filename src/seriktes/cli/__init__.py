"""Command-line interface: the same operations as the web, from the shell."""
