"""The command-line layer: arguments in, domain calls, output out. One module per command."""
