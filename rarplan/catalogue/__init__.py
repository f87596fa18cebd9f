"""The intervention catalogue.

- `models`: the file format (checked on loading) and `Catalogue`, a loaded catalogue;
- `load`: finding, reading and checking catalogue files (`load.load(path)`), and choosing the
  catalogues to use together (`load.load_chosen(option)`);
- `rules`: the rule language of eligibility and "not suitable" criteria;
- `facts`: the case facts a rule may read;
- `compiled`: the catalogue made ready for assessing cases, built once per catalogue
  (`Catalogue.compiled`), with every memo the assessment keeps;
- `describe`: an entry in words, for `catalogue show`.
"""
