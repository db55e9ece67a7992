"""Following sources continuously (``sitroom follow``, ``sitroom serve --follow``).

:mod:`~sitroom.follow.sources_file` reads the sources to follow; :mod:`~sitroom.follow.state`
keeps each one's polling state, lease and the items it gave in the store;
:mod:`~sitroom.follow.polite` keeps the requests polite (robots.txt, spacing per host,
backoff); :mod:`~sitroom.follow.follower` polls and ingests through the normal path;
:mod:`~sitroom.follow.lock` keeps SQLite to one follower.
"""
