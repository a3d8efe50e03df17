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
