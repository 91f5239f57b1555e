"""One frozen Settings object: environment > config/*.toml > defaults.

Read once at the edge (``__main__``) and passed down; nothing else reads the
environment. Secrets are ``SecretStr`` so they never print.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from pydantic_settings import SettingsError as PydanticSettingsError

from .crypto.envelope import parse_master_keys

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"


class HttpSettings(BaseModel, frozen=True):
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=0, le=65535)
    allowed_origins: tuple[str, ...] = ()
    behind_proxy: bool = False


class StorageSettings(BaseModel, frozen=True):
    mongo_url: SecretStr = SecretStr("")
    database: str = Field("integration_circles", pattern=r"^[A-Za-z0-9_-]{1,60}$")
    data_dir: Path = Path("data")


class BrokerSettings(BaseModel, frozen=True):
    redis_url: SecretStr = SecretStr("")
    channel_prefix: str = Field("ic", pattern=r"^[A-Za-z0-9_.-]{1,30}$")
    # Redis Cluster (sharded pub/sub); redis_url may then list node URLs, comma-separated.
    cluster: bool = False
    # A killed instance's members leave presence within this long.
    presence_ttl_s: float = Field(15.0, ge=1, le=300)


class AuthSettings(BaseModel, frozen=True):
    issuer: str = "integration-circles"
    audience: str = "integration-circles"
    algorithms: tuple[Literal["HS256", "HS384", "HS512"], ...] = ("HS256",)
    jwt_secret: SecretStr = SecretStr("")
    access_ttl_s: int = Field(300, ge=30, le=3600)
    refresh_ttl_s: int = Field(604800, ge=300)
    invite_ttl_s: int = Field(604800, ge=300)
    socket_auth_deadline_s: float = Field(5.0, gt=0, le=60)

    @field_validator("algorithms")
    @classmethod
    def _one_or_more(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("at least one algorithm must be allowed")
        return value

    @field_validator("jwt_secret")
    @classmethod
    def _long_enough(cls, value: SecretStr) -> SecretStr:
        secret = value.get_secret_value()
        if secret and len(secret) < 32:
            raise ValueError("must be at least 32 characters")
        return value


class CryptoSettings(BaseModel, frozen=True):
    # "id:base64(32 bytes)" entries, comma-separated; the first wraps new data
    # keys, the others still open keys they wrapped (rotation).
    master_keys: SecretStr = SecretStr("")

    @field_validator("master_keys")
    @classmethod
    def _well_formed(cls, value: SecretStr) -> SecretStr:
        parse_master_keys(value.get_secret_value())
        return value


class PrivacySettings(BaseModel, frozen=True):
    # Days after a program is completed before its message text and contact
    # cards are purged (a program may set its own).
    retention_days: int = Field(180, ge=1, le=3650)
    # How often the purge job looks for programs past their retention.
    purge_interval_s: float = Field(3600.0, gt=0)


class CircleSettings(BaseModel, frozen=True):
    # A speaker holding the talking piece who is not connected is skipped
    # after this long.
    speaker_grace_s: float = Field(30.0, gt=0, le=600)


class LimitSettings(BaseModel, frozen=True):
    message_max_chars: int = Field(4000, ge=1, le=20000)
    frame_max_bytes: int = Field(65536, ge=1024, le=1 << 20)
    json_max_depth: int = Field(8, ge=2, le=64)
    display_name_max_chars: int = Field(40, ge=2, le=100)
    send_rate: str = "20/10second"
    frame_rate: str = "60/10second"
    login_rate: str = "10/minute"
    support_rate: str = "6/minute"
    outbox_max_frames: int = Field(512, ge=8)
    heartbeat_s: float = Field(20.0, gt=0)
    history_page_max: int = Field(100, ge=1, le=1000)
    replay_window: int = Field(500, ge=1)


class LogSettings(BaseModel, frozen=True):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["json", "console"] = "console"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="IC_",
        env_nested_delimiter="__",
        frozen=True,
        extra="forbid",
        toml_file=[CONFIG_DIR / "default.toml"],
    )

    http: HttpSettings = HttpSettings()
    storage: StorageSettings = StorageSettings()
    broker: BrokerSettings = BrokerSettings()
    auth: AuthSettings = AuthSettings()
    crypto: CryptoSettings = CryptoSettings()
    privacy: PrivacySettings = PrivacySettings()
    circle: CircleSettings = CircleSettings()
    limits: LimitSettings = LimitSettings()
    log: LogSettings = LogSettings()
    # Short, conventional names for the two switches operators reach for.
    mongo_url: SecretStr = Field(
        SecretStr(""), validation_alias=AliasChoices("MONGO_URL", "IC_MONGO_URL")
    )
    redis_url: SecretStr = Field(
        SecretStr(""), validation_alias=AliasChoices("REDIS_URL", "IC_REDIS_URL")
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        extra = os.environ.get("IC_CONFIG_FILE")
        toml_files: list[Path] = [CONFIG_DIR / "default.toml"]
        if extra:
            toml_files.append(Path(extra))
        return (
            init_settings,
            env_settings,
            file_secret_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=toml_files),
        )

    @property
    def effective_mongo_url(self) -> str:
        return self.mongo_url.get_secret_value() or self.storage.mongo_url.get_secret_value()

    @property
    def effective_redis_url(self) -> str:
        return self.redis_url.get_secret_value() or self.broker.redis_url.get_secret_value()

    @property
    def embedded(self) -> bool:
        """True when no MongoDB URL is configured: run the embedded server."""
        return not self.effective_mongo_url


class SettingsError(Exception):
    """A missing or invalid setting; ``str()`` is one line for the operator."""


def load_settings(**overrides: object) -> Settings:
    """Read settings once, turning validation errors into one clear line."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except PydanticSettingsError as exc:
        # An env value that must be JSON but isn't: the message names the field.
        raise SettingsError(f"invalid setting: {str(exc).splitlines()[0]}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise SettingsError(
            f"invalid setting {where!r}: {first['msg']} "
            f"({len(exc.errors())} problem(s); env vars use IC_SECTION__KEY)"
        ) from None
    if not settings.embedded and not settings.auth.jwt_secret.get_secret_value():
        raise SettingsError(
            "missing setting 'auth.jwt_secret': set IC_AUTH__JWT_SECRET (32+ characters) "
            "when MONGO_URL points at an external database"
        )
    if not settings.embedded and not settings.crypto.master_keys.get_secret_value():
        raise SettingsError(
            "missing setting 'crypto.master_keys': set IC_CRYPTO__MASTER_KEYS (id:base64 of "
            "32 random bytes) when MONGO_URL points at an external database"
        )
    return settings
