from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from omniretail.identity import service as identity_service
from omniretail.identity.rules import Grant, Role

PASSWORD = "velvet-lipstick-07"


class SignedIn:
    """A test client signed in as one staff member, sending the CSRF header on every change."""

    def __init__(self, client: Any, csrf: str):
        self.client = client
        self.headers = {"x-csrf-token": csrf}

    def get(self, url: str, **kw: Any) -> Any:
        return self.client.get(url, **kw)

    def post(self, url: str, **kw: Any) -> Any:
        return self.client.post(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def put(self, url: str, **kw: Any) -> Any:
        return self.client.put(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def patch(self, url: str, **kw: Any) -> Any:
        return self.client.patch(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def delete(self, url: str, **kw: Any) -> Any:
        return self.client.delete(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)


@pytest.fixture
def make_staff(db: Any) -> Callable[..., uuid.UUID]:
    def create(email: str, *grants: Grant) -> uuid.UUID:
        with db.transaction() as session:
            user = identity_service.create_staff(session=session, actor=None, email=email, name=email.split("@")[0],
                                                 password=PASSWORD, grants=list(grants) or [Grant(Role.OWNER)])
            return user.id

    return create


@pytest.fixture
def sign_in(client: Any, make_staff: Callable[..., uuid.UUID]) -> Callable[..., SignedIn]:
    def login(email: str, *grants: Grant) -> SignedIn:
        make_staff(email, *grants)
        client.cookies.clear()
        response = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return SignedIn(client, response.json()["csrf_token"])

    return login
