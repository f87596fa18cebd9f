from rarplan.cli.main import run

run()
