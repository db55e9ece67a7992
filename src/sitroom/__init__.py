"""sitroom: turn a stream of conflict news reports into a sourced, up-to-date situation picture."""

__version__ = "0.1.0"
