"""Stage 5, corroborate: from event mentions in many articles to sourced events.

- :mod:`~sitroom.corroborate.shingles`: near-duplicate articles and independent source groups
  (``source_groups``).
- :mod:`~sitroom.corroborate.matching`: type, place, date and actor relations with tolerances
  that fit each precision.
- :mod:`~sitroom.corroborate.clusters`: event clusters (``cluster_mentions``), the same
  result in any order; :mod:`~sitroom.corroborate.update` adds new mentions to the stored
  clusters (``update_clusters``).
- :mod:`~sitroom.corroborate.contradictions`: differing counts, perpetrators, dates, places.
- :mod:`~sitroom.corroborate.credibility`: the outlet reliability table (A-F) and Admiralty
  information credibility (1-6).
- :mod:`~sitroom.corroborate.documents`: story clustering of whole documents (``cluster_documents``).
"""
