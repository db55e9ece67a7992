"""The REST API and the dashboard's server: ``create_app(Sitroom) -> FastAPI``."""

from sitroom.api.app import create_app

__all__ = ["create_app"]
