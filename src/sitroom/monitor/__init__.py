"""Stage 6, monitor: from the store's events to series, signals, alerts and the
civilian-protection view. Rules and weights: docs/monitoring.md.

- :mod:`~sitroom.monitor.incidents`: one real event counted once (a cluster's mentions folded
  into an ``Incident``; ``load_incidents``).
- :mod:`~sitroom.monitor.series`: daily and ISO-weekly counts and intensity per place and dyad
  (``build_series``; the weights ``TYPE_WEIGHTS``, ``MODE_FACTORS``, ``FATALITY_WEIGHT``).
- :mod:`~sitroom.monitor.signals`: early-warning trend, highest-in-a-long-time and
  de-escalation signals (``signals_for``, ``scan_signals``).
- :mod:`~sitroom.monitor.escalation`: the series and signals of one place or dyad over one
  span, as the CLI and the API show them (``build_escalation_view``).
- :mod:`~sitroom.monitor.watches`: saved watches and the alerts they raise (``make_watch``,
  ``evaluate_watches``); :mod:`~sitroom.monitor.alerts` keeps both in the store
  (``raise_alerts``); :mod:`~sitroom.monitor.webhook` posts alerts; :mod:`~sitroom.monitor.feed`
  renders them as Atom.
- :mod:`~sitroom.monitor.protection`: the civilian-protection view (``build_protection_view``).

Every function takes "today" (and "now" where a moment is stored) from its caller.
"""
