"""Named tokens with roles (settings ``tokens`` and ``api_token``): how they are read and
checked, and that an error names the item, never its value."""

from __future__ import annotations

import pytest

from sitroom.config import Settings, api_tokens, identify, load_settings
from sitroom.errors import ConfigError

SECRET = "a-long-enough-secret-0001"


def test_tokens_from_the_environment_keep_colons_and_api_token_is_the_admin() -> None:
    env = {
        "SITROOM_TOKENS": f"ana:reviewer:{SECRET}:x, rita:reader:{SECRET}-2",
        "SITROOM_API_TOKEN": "admin-secret",
    }
    settings = load_settings(env=env)
    tokens = {t.name: (t.role, t.value) for t in api_tokens(settings)}
    assert tokens == {
        "api_token": ("admin", "admin-secret"),
        "ana": ("reviewer", f"{SECRET}:x"),
        "rita": ("reader", f"{SECRET}-2"),
    }
    found = identify(settings, f"{SECRET}:x")
    assert (
        found is not None and found.name == "ana" and found.allows("reviewer") and not found.allows("admin")
    )
    assert identify(settings, SECRET) is None
    assert SECRET not in repr(found)


@pytest.mark.parametrize(
    ("tokens", "said"),
    [
        ((f"ana reviewer {SECRET}",), "tokens item 1: write each as name:role:token"),
        ((SECRET,), "tokens item 1: write each as name:role:token"),
        (
            (f"ana:editor:{SECRET}",),
            "tokens item 1 ('ana'): role 'editor' is not one of reader, reviewer, admin",
        ),
        (("ana:reviewer:short",), "tokens item 1 ('ana'): the token needs at least 16 characters"),
        ((f"ana:reviewer:{SECRET}", f"ana:reader:{SECRET}-2"), "tokens item 2 ('ana'): the name is taken"),
        ((f"ana:reviewer:{SECRET}", f"bo:reader:{SECRET}"), "tokens item 2 ('bo'): the same token value"),
    ],
)
def test_a_bad_token_item_is_named_without_its_value(tokens: tuple[str, ...], said: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings().with_overrides({"tokens": tokens})
    assert said in caught.value.message
    assert SECRET not in caught.value.message
