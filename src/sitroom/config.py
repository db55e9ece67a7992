"""Settings: defaults -> TOML file -> ``SITROOM_*`` environment -> CLI flags, validated once.

The file is ``$SITROOM_CONFIG`` or ``~/.config/sitroom/config.toml`` when it exists. Each
setting below is documented in ``docs/configuration.md`` (a test keeps the two in step).
"""

from __future__ import annotations

import os
import re
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from sitroom.errors import ConfigError


def default_data_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where sitroom keeps its local files: ``$XDG_DATA_HOME/sitroom`` or ``~/.local/share/sitroom``."""
    env = os.environ if env is None else env
    home = Path(env["HOME"]) if env.get("HOME") else Path.home()
    base = env.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    return Path(base) / "sitroom"


def default_db_url(env: Mapping[str, str] | None = None) -> str:
    return f"sqlite:///{default_data_dir(env) / 'sitroom.db'}"


@dataclass(frozen=True)
class Settings:
    """Every setting sitroom reads. Build with :func:`load_settings`."""

    db: str = field(default_factory=default_db_url)
    """SQLAlchemy URL of the store (``sqlite:///path.db`` or ``postgresql+psycopg://...``)."""
    allow_private: bool = False
    """Allow fetching URLs on loopback, private or link-local addresses."""
    fetch_timeout: float = 20.0
    """Seconds before a network read gives up."""
    fetch_deadline: float = 30.0
    """Seconds one whole fetch may take (name resolution, connecting, TLS, every redirect, the body)."""
    max_bytes: int = 25_000_000
    """Largest page, feed or file accepted, in bytes; larger inputs are rejected."""
    max_redirects: int = 5
    """Most HTTP redirects followed for one URL."""
    user_agent: str = "sitroom/0.1 (+https://github.com/sitroom/sitroom; conflict news monitoring)"
    """User-Agent sent with every request."""
    lexicon: tuple[str, ...] = ()
    """Extra actor lexicon files (TSV) read after the shipped one."""
    gazetteer: tuple[str, ...] = ()
    """Extra gazetteer files (TSV) read after the shipped one."""
    rules: tuple[str, ...] = ()
    """Extra rule files (TSV: trigger words, cues, ACLED rules ...) read after the shipped ones."""
    outlets: str | None = None
    """Outlet reliability table (TSV: outlet, domain, reliability A-F, country)."""
    api_token: str | None = None
    """Bearer token required by the API's write endpoints; without it they answer 401. It is the ``admin`` role's, named ``api_token``."""
    tokens: tuple[str, ...] = ()
    """Named tokens with roles, each ``name:role:token`` (role ``reader``, ``reviewer`` or ``admin``; in ``SITROOM_TOKENS`` separated by commas)."""
    max_body_bytes: int = 2_000_000
    """Largest request body the API reads, in bytes, but for ``POST /api/ingest``; larger ones answer 413."""
    max_ingest_body_bytes: int = 25_000_000
    """Largest request body ``POST /api/ingest`` reads (a JSONL upload), in bytes; larger ones answer 413."""
    webhook_url: str | None = None
    """URL that new alerts are POSTed to as JSON."""
    workers: int = 1
    """Local processes for extraction and reading."""
    scheduler: str | None = None
    """Address of a Dask distributed scheduler (tcp://host:port) to run stages on."""
    batch_size: int = 64
    """Articles written to the store per transaction."""
    follow_interval: int = 300
    """Seconds between two polls of a followed source that sets no interval of its own."""
    follow_host_spacing: float = 1.0
    """Least seconds between two requests of the follower to one host."""
    follow_lease: float = 600.0
    """Seconds a follower holds a source it claimed before another follower may take it."""

    def with_overrides(self, overrides: Mapping[str, Any]) -> Settings:
        """Apply CLI flags (``None`` values mean "not given")."""
        given = {k: v for k, v in overrides.items() if v is not None}
        return _validated(replace(self, **_coerce_all(given)))


_FIELDS = {f.name: f for f in fields(Settings)}


def _coerce(name: str, value: Any) -> Any:
    kind = str(_FIELDS[name].type)
    try:
        if kind == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(value)
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        if name == "tokens" and isinstance(value, str):
            # a token may hold os.pathsep (':'), which separates the other lists
            return tuple(p for p in re.split(r"[,\s]+", value) if p)
        if kind.startswith("tuple"):
            if isinstance(value, str):
                return tuple(p for p in value.split(os.pathsep) if p)
            return tuple(str(v) for v in value)
        return None if value is None else str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r}: cannot read {value!r} as {kind}") from exc


def _coerce_all(values: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(values) - set(_FIELDS))
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(unknown)}; see docs/configuration.md")
    return {k: _coerce(k, v) for k, v in values.items()}


def _validated(settings: Settings) -> Settings:
    if "://" not in settings.db:
        shown = f"***@{settings.db.rpartition('@')[2]}" if "@" in settings.db else settings.db  # a password
        raise ConfigError(f"db {shown!r} is not an SQLAlchemy URL (e.g. sqlite:///sitroom.db)")
    if settings.workers < 1:
        raise ConfigError("workers must be at least 1")
    for name in ("max_bytes", "max_body_bytes", "max_ingest_body_bytes"):
        if getattr(settings, name) < 1024:
            raise ConfigError(f"{name} must be at least 1024")
    if not 0 < settings.fetch_timeout <= settings.fetch_deadline:
        raise ConfigError("fetch_timeout must be above 0 and fetch_deadline at least fetch_timeout (seconds)")
    if settings.batch_size < 1:
        raise ConfigError("batch_size must be at least 1")
    if settings.follow_interval < 10:
        raise ConfigError("follow_interval must be at least 10 (seconds)")
    if settings.follow_host_spacing < 0 or settings.follow_lease < 30:
        raise ConfigError("follow_host_spacing must be 0 or more and follow_lease at least 30 (seconds)")
    api_tokens(settings)  # raises ConfigError naming a malformed or repeated token
    return settings


ROLES: tuple[str, ...] = ("reader", "reviewer", "admin")  # each may do what the one before may
# the least characters of a named token's value
MIN_TOKEN_CHARS = 16
TOKEN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")


@dataclass(frozen=True)
class ApiToken:
    """A token of setting ``tokens`` (or ``api_token``): its name goes into logs, its value never."""

    name: str
    role: str
    value: str = field(repr=False)

    def allows(self, role: str) -> bool:
        """Whether this token's role is ``role`` or above it."""
        return ROLES.index(self.role) >= ROLES.index(role)


def api_tokens(settings: Settings) -> tuple[ApiToken, ...]:
    """The tokens of setting ``tokens`` and ``api_token`` (role ``admin``, name ``api_token``);
    a malformed item or a name or value given twice raises ConfigError naming it (by its
    position and name, never its value)."""
    found = [ApiToken("api_token", "admin", settings.api_token)] if settings.api_token else []
    for number, item in enumerate(settings.tokens, 1):
        name, _, rest = item.partition(":")
        role, _, value = rest.partition(":")
        if item.count(":") < 2 or not TOKEN_NAME.fullmatch(name):  # may be a bare token: not shown
            raise ConfigError(
                f"tokens item {number}: write each as name:role:token, the name of letters, digits, _ . @ -"
            )
        where = f"tokens item {number} ({name!r})"
        if role not in ROLES:
            raise ConfigError(f"{where}: role {role!r} is not one of {', '.join(ROLES)}")
        if len(value) < MIN_TOKEN_CHARS:
            raise ConfigError(f"{where}: the token needs at least {MIN_TOKEN_CHARS} characters")
        if any(t.name == name for t in found):
            raise ConfigError(f"{where}: the name is taken by another token")
        if any(secrets.compare_digest(t.value.encode(), value.encode()) for t in found):
            raise ConfigError(f"{where}: the same token value is given to another name")
        found.append(ApiToken(name, role, value))
    return tuple(found)


def identify(settings: Settings, presented: str) -> ApiToken | None:
    """The configured token that ``presented`` is, compared in constant time with each."""
    match = None
    for token in api_tokens(settings):
        if secrets.compare_digest(token.value.encode(), presented.encode()):
            match = token
    return match


def config_path(env: Mapping[str, str]) -> Path:
    return Path(env.get("SITROOM_CONFIG") or Path.home() / ".config" / "sitroom" / "config.toml")


def load_settings(
    env: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None
) -> Settings:
    """Read settings once: defaults, then the config file, then ``SITROOM_*``, then ``overrides``."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {"db": default_db_url(env)}
    path = config_path(env)
    if path.is_file():
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"config file {path}: {exc}") from exc
    elif "SITROOM_CONFIG" in env:
        raise ConfigError(f"config file {path} (from SITROOM_CONFIG) does not exist")
    for name in _FIELDS:
        key = "SITROOM_" + name.upper()
        if key in env:
            values[name] = env[key]
    settings = replace(Settings(), **_coerce_all(values))
    return settings.with_overrides(overrides or {})
