"""The one base schema for the API: unknown fields are refused, ORM rows read directly."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True, str_strip_whitespace=True)


Email = Annotated[EmailStr, Field(max_length=254)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Password = Annotated[str, StringConstraints(min_length=1, max_length=256, strip_whitespace=False)]
Locale = Annotated[str, Field(pattern=r"^(en|ru|pl|lv|zh)$")]
Limit = Annotated[int, Field(ge=1, le=200)]
