"""The chat over HTTP and WebSockets: a guest and an advisor talk through the two sockets, bad frames and bad
bodies get problem-shaped answers, and sockets refuse whoever may not use them with a close code."""

from __future__ import annotations

import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.websockets import WebSocketDisconnect

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "checkout"))

from checkout_factories import retailer

from omniretail.identity import service as identity_service
from omniretail.identity.rules import Grant, Role

AGENT_SOCKET = "/api/v1/chats/agent"


def _start(client, **body):
    response = client.post("/api/v1/chats", json={"name": "Anna", "email": "anna@shop.example.com",
                                                  "locale": "en", "text": "Do you have the serum?", **body})
    assert response.status_code == 201, response.text
    return response.json()


def _until(ws, kind, **match):
    """Frames until one of ``kind`` (and matching fields) arrives; typing and chat summaries may come between."""
    for _ in range(20):
        frame = ws.receive_json()
        if frame["type"] == kind and all(frame.get(k) == v for k, v in match.items()):
            return frame
    raise AssertionError(f"no {kind} frame")


def test_a_guest_and_an_advisor_talk_and_the_closed_chat_lands_on_a_ticket(client, sign_in, db):
    with db.transaction() as session:
        retailer(session)
    advisor = sign_in("olivia@shop.example.com", Grant(Role.SUPPORT_AGENT))
    started = _start(client)
    chat_id = started["id"]

    with client.websocket_connect(f"/api/v1/chats/{chat_id}/visitor") as guest, \
            client.websocket_connect(AGENT_SOCKET) as agent:
        guest.send_json({"type": "auth", "token": started["token"]})
        hello = _until(guest, "hello")
        queue = _until(agent, "queue")
        agent.send_json({"type": "take", "chat_id": chat_id})
        history = _until(agent, "history")
        assert _until(guest, "status")["status"] == "active"
        guest.send_json({"type": "typing"})
        typing = _until(agent, "typing")
        agent.send_json({"type": "typing", "chat_id": chat_id})
        agent_typing = _until(guest, "typing")
        agent.send_json({"type": "message", "chat_id": chat_id, "text": "Yes, <b>in stock</b>."})
        reply = _until(guest, "message", author="agent")
        agent.send_json({"type": "card", "chat_id": chat_id, "ref": "SERUM-GLOW-30"})
        card = _until(guest, "message", author="agent")["card"]
        guest.send_json({"type": "message", "text": "Great, thanks"})
        thanks = _until(agent, "message", author="visitor")
        closed = advisor.post(f"/api/v1/chats/{chat_id}/close")
        assert _until(guest, "status")["status"] == "closed"
    ticket_id = uuid.UUID(closed.json()["ticket_id"])
    actions = advisor.get(f"/api/v1/tickets/{ticket_id}/actions")
    logged = [a["body"] for a in actions.json() if a["kind"] == "chat_transcript"]

    assert started["token"] and started["status"] == "waiting"
    assert [m["text"] for m in hello["messages"]] == ["Do you have the serum?"]
    assert chat_id in [c["id"] for c in queue["chats"]]
    assert [m["author"] for m in history["messages"]] == ["visitor", "system"]
    assert typing["author"] == "visitor" and agent_typing["author"] == "agent"
    assert reply["text"] == "Yes, <b>in stock</b>." and reply["name"] == "olivia"
    assert card["name"] == "Serum Glow" and card["url"].startswith("/p/")
    assert thanks["text"] == "Great, thanks"
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert actions.status_code == 200
    assert len(logged) == 1 and "Anna (visitor): Do you have the serum?" in logged[0]
    assert "olivia (advisor): Yes, <b>in stock</b>." in logged[0] and "Great, thanks" in logged[0]


def test_the_advisor_socket_refuses_strangers_cashiers_and_other_sites_with_close_codes(client, sign_in):
    refused = []

    client.cookies.clear()
    with pytest.raises(WebSocketDisconnect) as nobody, client.websocket_connect(AGENT_SOCKET) as ws:
        ws.receive_json()
    sign_in("kasiere@shop.example.com", Grant(Role.CASHIER))
    with pytest.raises(WebSocketDisconnect) as cashier, client.websocket_connect(AGENT_SOCKET) as ws:
        ws.receive_json()
    sign_in("olivia@shop.example.com", Grant(Role.SUPPORT_AGENT))
    with pytest.raises(WebSocketDisconnect) as elsewhere, client.websocket_connect(
            AGENT_SOCKET, headers={"origin": "https://evil.example.com"}) as ws:
        ws.receive_json()
    refused = [nobody.value.code, cashier.value.code, elsewhere.value.code]

    assert refused == [4401, 4403, 4403]


def test_a_visitor_with_a_wrong_token_or_no_auth_frame_is_closed(client):
    started = _start(client)
    codes = []

    for url, frame in ((f"/api/v1/chats/{started['id']}/visitor", {"type": "auth", "token": "orchat_guess"}),
                       (f"/api/v1/chats/{uuid.uuid4()}/visitor", {"type": "auth", "token": started["token"]}),
                       ("/api/v1/chats/not-a-chat/visitor", {"type": "auth"}),
                       (f"/api/v1/chats/{started['id']}/visitor", {"type": "message", "text": "hi"})):
        with pytest.raises(WebSocketDisconnect) as closed, client.websocket_connect(url) as ws:
            ws.send_json(frame)
            ws.receive_json()
        codes.append(closed.value.code)

    assert codes == [4404, 4404, 4404, 4401]


def test_bad_frames_get_problem_frames_and_the_socket_stays_open(client):
    started = _start(client)

    with client.websocket_connect(f"/api/v1/chats/{started['id']}/visitor") as guest:
        guest.send_json({"type": "auth", "token": started["token"]})
        _until(guest, "hello")
        guest.send_text("{not json")
        malformed = _until(guest, "error")
        guest.send_json({"type": "shout", "text": "hi"})
        unknown = _until(guest, "error")
        guest.send_json({"type": "message", "text": ""})
        empty = _until(guest, "error")
        guest.send_json({"type": "message", "text": "x" * 9000})
        huge = _until(guest, "error")
        guest.send_json({"type": "message", "text": "still here"})
        echoed = _until(guest, "message", text="still here")

    assert (malformed["problem"]["type"], malformed["problem"]["status"]) == ("malformed-request", 400)
    assert unknown["problem"]["status"] == 422 and unknown["problem"]["errors"][0]["loc"] == ["frame"]
    assert empty["problem"]["errors"][0]["loc"] == ["frame", "message", "text"]
    assert huge["problem"]["status"] == 422
    assert echoed["author"] == "visitor"


def test_bad_bodies_and_unauthorized_calls_get_problem_json(client, sign_in):
    bad = [client.post("/api/v1/chats", json={"email": "not-an-email", "locale": "en"}),
           client.post("/api/v1/chats", json={"locale": "de"}),
           client.post("/api/v1/chats", json={"text": "hi", "admin": True}),
           client.post("/api/v1/chats", content=b"{", headers={"content-type": "application/json"}),
           client.get("/api/v1/chats")]
    advisor = sign_in("olivia@shop.example.com", Grant(Role.SUPPORT_AGENT))
    bad += [advisor.get("/api/v1/chats?status=lost"), advisor.get(f"/api/v1/chats/{uuid.uuid4()}"),
            advisor.get("/api/v1/chats/nope"), advisor.post(f"/api/v1/chats/{uuid.uuid4()}/close")]

    assert [r.status_code for r in bad] == [422, 422, 422, 400, 401, 422, 404, 422, 404]
    assert all(r.headers["content-type"].startswith("application/problem+json") for r in bad)
    assert bad[0].json()["errors"][0]["loc"] == ["body", "email"]


def test_advisors_list_the_queue_and_read_a_transcript(client, sign_in):
    first = _start(client, text="first question")
    _start(client, name="Piotr", text="second question")
    advisor = sign_in("olivia@shop.example.com", Grant(Role.SUPPORT_AGENT))

    queue = advisor.get("/api/v1/chats").json()
    detail = advisor.get(f"/api/v1/chats/{first['id']}").json()

    assert [c["guest_name"] for c in queue] == ["Anna", "Piotr"] and all(c["status"] == "waiting" for c in queue)
    assert [m["body"] for m in detail["messages"]] == ["first question"] and "token" not in detail


def test_a_signed_in_shopper_chats_on_their_account_with_no_token_and_csrf_guards_the_start(client, db):
    with db.transaction() as session:
        account = identity_service.sign_up_customer(session=session, email="marta@shop.example.com",
                                                    password="velvet-lipstick-07", name="Marta", locale="pl")
        raw = identity_service.open_session(session=session, kind=identity_service.CUSTOMER, subject_id=account.id,
                                            ip=None, user_agent=None, lifetime=timedelta(days=1))
    csrf = "c" * 32
    client.cookies.set("or_customer", raw)
    client.cookies.set("or_csrf", csrf)

    forged = client.post("/api/v1/chats", json={"text": "Czy jest rozmiar M?"})
    started = client.post("/api/v1/chats", json={"text": "Czy jest rozmiar M?", "locale": "pl"},
                          headers={"x-csrf-token": csrf}).json()
    with client.websocket_connect(f"/api/v1/chats/{started['id']}/visitor") as shopper:
        shopper.send_json({"type": "auth"})
        hello = _until(shopper, "hello")
    with pytest.raises(WebSocketDisconnect) as other_site, client.websocket_connect(
            f"/api/v1/chats/{started['id']}/visitor", headers={"origin": "https://evil.example.com"}) as ws:
        ws.send_json({"type": "auth"})
        ws.receive_json()
    client.cookies.delete("or_customer")
    with pytest.raises(WebSocketDisconnect) as stranger, \
            client.websocket_connect(f"/api/v1/chats/{started['id']}/visitor") as ws:
        ws.send_json({"type": "auth"})
        ws.receive_json()

    assert forged.status_code == 403 and forged.headers["content-type"].startswith("application/problem+json")
    assert started["token"] is None
    assert hello["chat"]["locale"] == "pl" and hello["messages"][0]["name"] == "Marta"
    assert stranger.value.code == 4404 and other_site.value.code == 4404


def test_the_chat_pages_ask_advisors_to_sign_in_and_escape_what_shoppers_typed(client, sign_in):
    _start(client, name="<img src=x onerror=alert(1)>")
    shop_page = client.get("/chat")
    client.cookies.clear()
    anonymous = client.get("/admin/chat", follow_redirects=False)
    sign_in("kasiere@shop.example.com", Grant(Role.CASHIER))
    cashier = client.get("/admin/chat")
    sign_in("olivia@shop.example.com", Grant(Role.SUPPORT_AGENT))
    console = client.get("/admin/chat")

    assert shop_page.status_code == 200 and "Ask an advisor" in shop_page.text and 'id="chat-start"' in shop_page.text
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/admin/login")
    assert cashier.status_code == 403
    assert console.status_code == 200 and "&lt;img src=x onerror=alert(1)&gt;" in console.text
    assert "<img src=x" not in console.text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.dictionaries(st.sampled_from(["name", "email", "locale", "text", "extra"]),
                            st.one_of(st.text(max_size=300), st.integers(), st.none(), st.booleans()), max_size=5))
def test_fuzzed_chat_starts_never_cause_a_server_error(client, body):
    response = client.post("/api/v1/chats", json=body)

    assert response.status_code in (201, 400, 422), response.text
