"""The dashboard: static HTML, CSS and JavaScript in ``static/``, served by :mod:`sitroom.api`.

Nothing is loaded from elsewhere: the country and province boundaries and the marker
clustering are fetched into ``static/vendor/`` by ``scripts/fetch_map_data.py`` at install time. Text from articles is only ever inserted as
text nodes, never as HTML.
"""
