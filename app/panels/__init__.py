"""One module per lab, each with a ``Panel`` (see app.panels.base); ``app.labs`` lists them."""
