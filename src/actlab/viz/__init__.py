"""How results are shown: plots, interactive demos, tables and numbers as the prose prints them.

- :mod:`~actlab.viz.plots`: activations and their derivatives, decision boundaries, heatmaps;
- :mod:`~actlab.viz.demos`: :class:`~actlab.viz.demos.Demo`, a live ipywidgets view in
  JupyterLab and a pre-rendered player in the static book;
- :mod:`~actlab.viz.cheatsheet`: the cheat sheet and property tables, from the registry;
- :mod:`~actlab.viz.tables`: :class:`~actlab.viz.tables.Table`, a table of results that
  renders as a table in the book (MyST), in JupyterLab (HTML) and as text (nbval);
- :mod:`~actlab.viz.text`: a value range or a power of ten written the way the book prints it.

Chapter-specific figures live next to the experiment they draw, in :mod:`actlab.lab`.
"""

__all__ = ["GATED_PAPERS"]

#: The paper of each gated unit of :data:`actlab.nn.GLU_VARIANTS` and of maxout (keys of
#: chapters/references.bib), cited by the gated units' table (:mod:`~actlab.viz.cheatsheet`);
#: a test keeps a paper for every variant.
GATED_PAPERS: dict[str, str] = {
    "glu": "dauphin2017language", "bilinear": "dauphin2017language",
    "reglu": "shazeer2020glu", "geglu": "shazeer2020glu", "swiglu": "shazeer2020glu",
    "maxout": "goodfellow2013maxout",
}
