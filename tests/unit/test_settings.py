"""One frozen Settings object: environment > config files > defaults; secrets never print."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pydantic
import pytest

from server.settings import Settings, SettingsError, load_settings

JWT_SECRET = "jwt-secret-7f3a9c-0123456789-abcdefghij"
MONGO_URL = "mongodb://ic:mongo-pass-5d1e@db.internal:27017/?replicaSet=rs0"
REDIS_URL = "redis://:redis-pass-8b2c@cache.internal:6379/0"
MASTER_KEYS = "k1:bWFzdGVyLWtleS1mb3ItdGVzdHMtb25seS0zMi1ieXQ"
CRYPTO = {"IC_CRYPTO__MASTER_KEYS": MASTER_KEYS}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts from an environment with no settings variables."""
    for name in list(os.environ):
        if name.startswith("IC_") or name in ("MONGO_URL", "REDIS_URL"):
            monkeypatch.delenv(name)


def set_env(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)


def lookup(settings: Settings, dotted: str) -> Any:
    value: Any = settings
    for part in dotted.split("."):
        value = getattr(value, part)
    return value


def test_defaults_run_embedded() -> None:
    """With no environment, settings come from config/default.toml and storage is embedded."""
    settings = load_settings()
    assert settings.http.port == 8080
    assert settings.http.host == "127.0.0.1"
    assert settings.limits.replay_window == 500
    assert settings.embedded is True
    assert settings.effective_redis_url == ""


@pytest.mark.parametrize(
    ("env", "dotted", "expected"),
    [
        ({"IC_HTTP__PORT": "9000"}, "http.port", 9000),
        ({"IC_HTTP__HOST": "0.0.0.0"}, "http.host", "0.0.0.0"),
        ({"IC_HTTP__BEHIND_PROXY": "true"}, "http.behind_proxy", True),
        (
            {"IC_HTTP__ALLOWED_ORIGINS": '["https://circles.example"]'},
            "http.allowed_origins",
            ("https://circles.example",),
        ),
        ({"IC_LIMITS__MESSAGE_MAX_CHARS": "500"}, "limits.message_max_chars", 500),
        ({"IC_LIMITS__REPLAY_WINDOW": "5"}, "limits.replay_window", 5),
        ({"IC_LOG__LEVEL": "DEBUG"}, "log.level", "DEBUG"),
        ({"IC_AUTH__ALGORITHMS": '["HS512", "HS256"]'}, "auth.algorithms", ("HS512", "HS256")),
        ({"MONGO_URL": MONGO_URL, "IC_AUTH__JWT_SECRET": JWT_SECRET, **CRYPTO}, "embedded", False),
        (
            {"MONGO_URL": MONGO_URL, "IC_AUTH__JWT_SECRET": JWT_SECRET, **CRYPTO},
            "effective_mongo_url",
            MONGO_URL,
        ),
        (
            {"IC_MONGO_URL": MONGO_URL, "IC_AUTH__JWT_SECRET": JWT_SECRET, **CRYPTO},
            "effective_mongo_url",
            MONGO_URL,
        ),
        (
            {"IC_STORAGE__MONGO_URL": MONGO_URL, "IC_AUTH__JWT_SECRET": JWT_SECRET, **CRYPTO},
            "effective_mongo_url",
            MONGO_URL,
        ),
        ({"REDIS_URL": REDIS_URL}, "effective_redis_url", REDIS_URL),
        ({"IC_BROKER__REDIS_URL": REDIS_URL}, "effective_redis_url", REDIS_URL),
    ],
)
def test_environment_overrides(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], dotted: str, expected: object
) -> None:
    """IC_SECTION__KEY variables and MONGO_URL / REDIS_URL override the config file."""
    set_env(monkeypatch, env)
    assert lookup(load_settings(), dotted) == expected


def test_extra_config_file_is_read_and_environment_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """IC_CONFIG_FILE layers a TOML file over the defaults, and the environment beats both."""
    extra = tmp_path / "site.toml"
    extra.write_text('[http]\nport = 7000\nhost = "10.0.0.5"\n', encoding="utf-8")
    set_env(monkeypatch, {"IC_CONFIG_FILE": str(extra)})
    assert (load_settings().http.port, load_settings().http.host) == (7000, "10.0.0.5")
    set_env(monkeypatch, {"IC_HTTP__PORT": "7001"})
    assert (load_settings().http.port, load_settings().http.host) == (7001, "10.0.0.5")


def test_keyword_overrides_beat_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Values passed to load_settings win over the environment."""
    set_env(monkeypatch, {"IC_HTTP__PORT": "9000"})
    assert load_settings(http={"port": 9100}).http.port == 9100


@pytest.mark.parametrize(
    ("env", "key"),
    [
        ({"IC_HTTP__PORT": "abc"}, "http.port"),
        ({"IC_HTTP__PORT": "70000"}, "http.port"),
        ({"IC_HTTP__PORT": "-1"}, "http.port"),
        ({"IC_AUTH__JWT_SECRET": "short-secret-value"}, "auth.jwt_secret"),
        ({"IC_AUTH__ALGORITHMS": '["none"]'}, "auth.algorithms.0"),
        ({"IC_AUTH__ALGORITHMS": '["RS256"]'}, "auth.algorithms.0"),
        ({"IC_AUTH__ALGORITHMS": "[]"}, "auth.algorithms"),
        ({"IC_AUTH__ACCESS_TTL_S": "5"}, "auth.access_ttl_s"),
        ({"IC_LIMITS__JSON_MAX_DEPTH": "1"}, "limits.json_max_depth"),
        ({"IC_LIMITS__FRAME_MAX_BYTES": "10"}, "limits.frame_max_bytes"),
        ({"IC_LOG__LEVEL": "TRACE"}, "log.level"),
        ({"IC_STORAGE__DATABASE": "bad name!"}, "storage.database"),
        ({"IC_BROKER__CHANNEL_PREFIX": "a b"}, "broker.channel_prefix"),
    ],
)
def test_invalid_value_is_one_line_naming_the_key(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], key: str
) -> None:
    """An invalid setting raises SettingsError whose text is one line naming the key."""
    set_env(monkeypatch, env)
    with pytest.raises(SettingsError) as info:
        load_settings()
    text = str(info.value)
    assert "\n" not in text
    assert f"'{key}'" in text
    assert "IC_SECTION__KEY" in text


def test_invalid_secret_is_not_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The error for a too-short JWT secret does not repeat the secret."""
    set_env(monkeypatch, {"IC_AUTH__JWT_SECRET": "too-short-but-secret"})
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert "too-short-but-secret" not in str(info.value)
    assert "too-short-but-secret" not in repr(info.value)


@pytest.mark.parametrize(
    ("env", "section"),
    [
        ({"IC_HTTP__ALLOWED_ORIGINS": "[bad"}, "http"),
        ({"IC_AUTH__ALGORITHMS": "HS256"}, "auth"),
    ],
)
def test_unparseable_json_value_is_one_line_settings_error(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], section: str
) -> None:
    """A setting that needs JSON but gets something else raises the one-line SettingsError."""
    set_env(monkeypatch, env)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert "\n" not in str(info.value)
    assert section in str(info.value)


@pytest.mark.parametrize("mongo_var", ["MONGO_URL", "IC_MONGO_URL", "IC_STORAGE__MONGO_URL"])
def test_external_database_needs_a_jwt_secret(
    monkeypatch: pytest.MonkeyPatch, mongo_var: str
) -> None:
    """Pointing at an external database without a JWT secret is refused, naming the setting."""
    set_env(monkeypatch, {mongo_var: MONGO_URL})
    with pytest.raises(SettingsError) as info:
        load_settings()
    text = str(info.value)
    assert "\n" not in text
    assert "'auth.jwt_secret'" in text
    assert "IC_AUTH__JWT_SECRET" in text
    assert "mongo-pass-5d1e" not in text


def test_external_database_needs_master_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Message text is encrypted at rest: an external database needs configured master keys."""
    set_env(monkeypatch, {"MONGO_URL": MONGO_URL, "IC_AUTH__JWT_SECRET": JWT_SECRET})
    with pytest.raises(SettingsError) as info:
        load_settings()
    text = str(info.value)
    assert "'crypto.master_keys'" in text and "IC_CRYPTO__MASTER_KEYS" in text
    assert "\n" not in text


@pytest.mark.parametrize(
    "value",
    [
        "k1",  # no key
        "k1:not base64!",
        "k1:c2hvcnQ",  # too short
        f"{MASTER_KEYS},{MASTER_KEYS}",  # the same id twice
        "bad id:bWFzdGVyLWtleS1mb3ItdGVzdHMtb25seS0zMi1ieXQ",
    ],
)
def test_malformed_master_keys_are_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    set_env(monkeypatch, {"IC_CRYPTO__MASTER_KEYS": value})
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert "crypto.master_keys" in str(info.value)
    assert "bWFzdGVy" not in str(info.value)


def test_settings_never_show_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """No rendering of the settings shows the JWT secret or the database or Redis passwords."""
    set_env(
        monkeypatch,
        {
            "MONGO_URL": MONGO_URL,
            "REDIS_URL": REDIS_URL,
            "IC_AUTH__JWT_SECRET": JWT_SECRET,
            **CRYPTO,
        },
    )
    settings = load_settings()
    renderings = [
        repr(settings),
        str(settings),
        repr(settings.auth),
        str(settings.auth),
        repr(settings.storage),
        str(settings.model_dump()),
        settings.model_dump_json(),
        f"{settings}",
    ]
    for text in renderings:
        for secret in (JWT_SECRET, "mongo-pass-5d1e", "redis-pass-8b2c", MASTER_KEYS[3:]):
            assert secret not in text
    assert settings.auth.jwt_secret.get_secret_value() == JWT_SECRET


def test_settings_are_frozen() -> None:
    """Settings cannot be changed after they are loaded."""
    settings = load_settings()
    with pytest.raises(pydantic.ValidationError):
        settings.http.port = 1  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        settings.http = settings.http  # type: ignore[misc]
