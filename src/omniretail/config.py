"""Settings, read from the environment (prefix ``OMNIRETAIL_``) and an optional ``.env`` file."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SUPPORTED_LOCALES = ("en", "ru", "pl", "lv", "zh")


class Settings(BaseSettings):
    """Everything an operator may set; defaults give the embedded single-machine mode."""

    model_config = SettingsConfigDict(env_prefix="OMNIRETAIL_", env_file=".env", extra="ignore")

    data_dir: Path = Path("var")
    database_url: str = ""
    secret_key: SecretStr | None = None
    base_url: str = "http://127.0.0.1:8000"
    default_locale: str = "en"
    default_currency: str = "EUR"
    environment: str = "development"

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    mail_from: str = "omniretail <no-reply@omniretail.local>"

    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    session_days: int = 14
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    dispatcher_embedded: bool = True
    event_max_attempts: int = 8
    log_json: bool = True

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @property
    def effective_database_url(self) -> str:
        """The configured database, or the embedded SQLite file under the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'omniretail.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")

    @property
    def cookie_secure(self) -> bool:
        return self.base_url.startswith("https://")

    def effective_secret_key(self) -> str:
        """The configured secret, or one generated once and kept under the data directory."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        path.chmod(0o600)
        return key

    # --- notifications (marketing): SMS and push through JSON-over-HTTP providers, off while no URL is set ---
    sms_provider_url: str | None = None
    sms_provider_auth_header: SecretStr | None = None
    sms_provider_body: str = '{"to": "{to}", "text": "{text}", "reference": "{reference}"}'
    push_provider_url: str | None = None
    push_provider_auth_header: SecretStr | None = None
    push_provider_body: str = '{"user": "{to}", "title": "{title}", "body": "{text}", "reference": "{reference}"}'
    notify_provider_timeout: float = Field(default=10.0, gt=0, le=120)
    notify_webhook_secret: SecretStr | None = None
    notify_quiet_start: str = Field(default="21:00", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    notify_quiet_end: str = Field(default="08:00", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    notify_timezone: str = "UTC"
    notify_max_attempts: int = Field(default=6, ge=1, le=50)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own ``Settings`` and pass them in)."""
    return Settings()
