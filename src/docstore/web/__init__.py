"""docstore's web interface: a Datasette plugin with docstore's own pages (`docstore serve`).

Importing this package does not import Datasette: `docstore.web.reads` and
`docstore.web.charts` work without it, and `docstore.web.app` says how to install it.
"""
