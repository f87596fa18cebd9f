"""One module per command; registered in rarplan.cli.registry."""
