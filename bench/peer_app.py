"""The peer for start-up benchmarks: a plain typer app with three commands, default settings.

`rarplan --help` is compared with `python bench/peer_app.py --help`, and `rarplan band 62
--json` with `python bench/peer_app.py lookup 62 --json` (a trivial command of the same shape).
Nothing here is tuned: this is what a typer app looks like out of the box.
"""

import json

import typer

app = typer.Typer()


@app.command()
def lookup(score: float, json_output: bool = typer.Option(False, "--json")) -> None:
    """Look a score up in a small table."""
    band = "low" if score < 50 else "high"
    if json_output:
        print(json.dumps({"score": score, "band": band}))
    else:
        print(f"{score:g}: {band}")


@app.command()
def greet(name: str, shout: bool = False) -> None:
    """Greet someone."""
    message = f"Hello {name}"
    print(message.upper() if shout else message)


@app.command()
def version() -> None:
    """Show the version."""
    print("peer 1.0")


if __name__ == "__main__":
    app()
