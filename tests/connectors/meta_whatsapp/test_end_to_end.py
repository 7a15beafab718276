"""The WhatsApp Cloud API channel through the whole app: webhook, dialogue, storage, outbox, Graph API.

The bot is started with ``build_runtime`` from ``LAPOR_META_*`` (see ``harness``);
a citizen's messages are POSTed signed to ``/webhooks/meta/whatsapp`` and the
bot's answers are read back from the fake Graph API.
"""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from bot.runtime.process import build_runtime
from bot.runtime.settings import load_settings
from connectors.base import ChannelConfigError
from tests.connectors.meta_whatsapp import harness
from tests.connectors.meta_whatsapp.harness import STATUS_TEMPLATE, WEBHOOK, MetaBot, MetaCitizen, Turn
from tests.support import each_state_store
from tests.support.fakes.meta_graph import TOKEN, VERIFY_TOKEN, SentMessage
from tests.support.fakes.twilio_api import FakeTwilioApi

BUDI = "6281234567890"
ROAD = (
    "Jalan di depan Pasar Kosambi, Kota Bandung berlubang besar sejak kemarin, "
    "sudah 2 minggu tidak diperbaiki"
)
CHALLENGE = "1158201444"

clock = harness.clock  # fixtures: the bot on the fake Graph API
meta_env = harness.meta_env
meta_bot = harness.meta_bot
state_kind = harness.state_kind
state_settings = harness.state_settings


async def file_complaint(citizen: MetaCitizen) -> str:
    """A rich first message, then a tap on each question's button; the new ticket."""
    before = {c.ticket for c in await citizen.bot.complaints()}
    turn = await citizen.says(ROAD)
    for title in ("Setuju", "Lewati", "Publik", "Kirim"):
        turn = await citizen.taps(turn, title)
    assert "submitted" in turn.keys, turn.keys
    [ticket] = {c.ticket for c in await citizen.bot.complaints()} - before
    return ticket


def template_of(message: SentMessage) -> dict[str, object]:
    assert message.type == "template", message.body
    template: dict[str, object] = message.body["template"]
    return template


# -- the webhook's doors -------------------------------------------------------


async def test_the_subscription_handshake_echoes_the_challenge(meta_bot: MetaBot) -> None:
    query = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": CHALLENGE}
    response = await meta_bot.client.get(WEBHOOK, params=query)
    assert response.status_code == 200
    assert response.text == CHALLENGE
    assert response.headers["content-type"].startswith("text/plain")

    wrong = await meta_bot.client.get(WEBHOOK, params={**query, "hub.verify_token": "guessed"})
    assert wrong.status_code == 403
    assert CHALLENGE not in wrong.text


@pytest.mark.parametrize(
    "signature", ["sha256=" + "0" * 64, "forged", None], ids=["forged", "bare", "missing"]
)
async def test_an_unsigned_or_forged_webhook_is_refused_and_nothing_is_stored(
    meta_bot: MetaBot, signature: str | None
) -> None:
    citizen = MetaCitizen(meta_bot, BUDI)
    response = await meta_bot.deliver(citizen.text_payload(ROAD), signature=signature)
    assert response.status_code == 403
    assert set((await meta_bot.counts()).values()) == {0}  # no reporter, transcript, outbox row
    assert meta_bot.graph.requests == []


async def test_a_body_signed_with_another_secret_is_refused(meta_bot: MetaBot) -> None:
    body = json.dumps(MetaCitizen(meta_bot, BUDI).text_payload(ROAD)).encode()
    response = await meta_bot.deliver(body, signature=meta_bot.graph.signature(body, "another-app-secret"))
    assert response.status_code == 403
    assert set((await meta_bot.counts()).values()) == {0}


async def test_a_batch_of_up_to_3_mb_is_taken_and_a_larger_one_refused(meta_bot: MetaBot) -> None:
    citizen = MetaCitizen(meta_bot, BUDI)
    payload = citizen.text_payload(ROAD)
    # Meta batches many changes in one POST, up to 3 MB; others than "messages" are ignored.
    filler = {"field": "account_update", "value": {"event": "noted", "note": "x" * (2 * 1024 * 1024)}}
    payload["entry"][0]["changes"].append(filler)
    turn = await citizen.send(payload)
    assert turn.keys == ["consent"]
    filler["value"]["note"] = "x" * (3 * 1024 * 1024)
    response = await meta_bot.deliver(citizen.text_payload("halo") | {"entry": payload["entry"]})
    assert response.status_code == 413
    assert len(meta_bot.graph.messages) == 1


# -- a whole complaint ---------------------------------------------------------


async def test_a_whole_complaint_by_buttons_and_lists(meta_bot: MetaBot) -> None:
    citizen = MetaCitizen(meta_bot, BUDI)
    turn = await citizen.says(ROAD)
    assert turn.keys == ["consent"]
    assert turn.choices() == {"Setuju": "agree", "Tidak setuju": "disagree"}
    turn = await citizen.taps(turn, "Setuju")
    assert turn.keys == ["ask_photo"]  # the first message said what, where and when
    turn = await citizen.taps(turn, "Lewati")
    assert turn.keys == ["ask_identity"]
    turn = await citizen.taps(turn, "Publik")
    assert turn.keys == ["summary"] and "Kota Bandung" in turn.text
    turn = await citizen.taps(turn, "Ubah")
    assert turn.keys == ["choose_edit"] and _kinds(turn) == ["list"]
    turn = await citizen.taps(turn, "Bidang")
    assert turn.keys == ["ask_category"]
    assert _kinds(turn) == ["list", "list"]  # 15 categories: a list of 10, then one of 5
    turn = await citizen.taps(turn, "Transportasi & lalu lintas")  # the row's title is cut
    assert turn.keys[-1] == "summary"
    turn = await citizen.taps(turn, "Kirim")
    assert "submitted" in turn.keys

    [complaint] = await meta_bot.complaints()
    assert complaint.ticket in turn.text
    assert complaint.source_channel == "whatsapp"
    assert complaint.description == ROAD
    assert complaint.category == "transportation"
    assert complaint.kind == "complaint"
    assert complaint.regency_name == "Kota Bandung"
    assert not (complaint.anonymous or complaint.confidential)
    assert complaint.source_message_ids and set(complaint.source_message_ids) <= set(citizen.wamids)
    reporter = await meta_bot.reporter(citizen.address)
    assert reporter is not None and reporter.id == complaint.reporter_id
    assert reporter.display_name == "Budi Santoso"
    await _every_reply_went_through_the_graph_api(meta_bot)


def _kinds(turn: Turn) -> list[str]:
    return [m.body["interactive"]["type"] for m in turn.messages if m.type == "interactive"]


async def _every_reply_went_through_the_graph_api(bot: MetaBot) -> None:
    rows = await bot.outbox()
    sends = bot.graph.requests_to("/messages")
    assert rows and len(sends) == len(bot.graph.messages) >= len(rows)
    assert {(r.bearer, r.status) for r in sends} == {(TOKEN, 200)}
    wamids = {m.id for m in bot.graph.messages}
    for row in rows:
        assert row.status == "sent" and row.provider_message_id in wamids, (row.id, row.status)


async def test_a_shared_location_fills_the_place_and_a_voice_note_is_answered_politely(
    meta_bot: MetaBot,
) -> None:
    citizen = MetaCitizen(meta_bot, BUDI)
    turn = await citizen.says("Banyak sampah menumpuk di pinggir jalan dan berbau busuk sekali")
    turn = await citizen.taps(turn, "Setuju")
    assert turn.keys == ["ask_location"]
    [request] = turn.messages
    assert request.body["interactive"]["type"] == "location_request_message"
    voice = {"mime_type": "audio/ogg; codecs=opus", "sha256": "fake", "id": "2413", "voice": True}
    turn = await citizen.send(citizen.message("audio", voice))
    assert turn.keys == ["unsupported", "ask_location"]  # asked again, nothing downloaded
    pin = {
        "latitude": -7.7495,
        "longitude": 110.3838,
        "name": "Pasar",
        "address": "Jl. Kaliurang km 5, Sleman",
    }
    turn = await citizen.send(citizen.message("location", pin))
    assert turn.keys == ["ask_date"]
    for title in ("Lewati", "Lewati", "Anonim", "Kirim"):
        turn = await citizen.taps(turn, title)
    assert "submitted" in turn.keys
    [complaint] = await meta_bot.complaints()
    assert (complaint.latitude, complaint.longitude) == (-7.7495, 110.3838)
    assert complaint.location_text == "Pasar, Jl. Kaliurang km 5, Sleman"
    assert (complaint.category, complaint.anonymous) == ("environment", True)
    assert all(r.path.endswith("/messages") for r in meta_bot.graph.requests)


# -- a message delivered twice -------------------------------------------------


@each_state_store
async def test_a_repeated_message_id_is_processed_once(meta_bot: MetaBot) -> None:
    citizen = MetaCitizen(meta_bot, BUDI)
    payload = citizen.text_payload(ROAD)
    first = await citizen.send(payload)
    assert first.keys == ["consent"]
    counts = await meta_bot.counts()
    again = await citizen.send(payload)  # Meta delivers again when our 200 was late
    assert again.messages == [] and again.keys == []
    assert await meta_bot.counts() == counts


@each_state_store
async def test_the_same_message_id_delivered_concurrently_is_processed_once(meta_bot: MetaBot) -> None:
    citizen = MetaCitizen(meta_bot, BUDI)
    body = json.dumps(citizen.text_payload(ROAD)).encode()
    responses = await asyncio.gather(*(meta_bot.deliver(body) for _ in range(4)))
    # One is processed; a copy is acknowledged as seen, or deferred (503: Meta retries it later).
    assert {r.status_code for r in responses} <= {200, 503} and 200 in {r.status_code for r in responses}
    counts = await meta_bot.counts()
    assert (counts["inbound_seen"], counts["reporters"], counts["outbox"]) == (1, 1, 1)
    assert [m.to for m in meta_bot.graph.messages] == [BUDI]
    assert (await meta_bot.deliver(body)).status_code == 200  # the retry changes nothing
    assert await meta_bot.counts() == counts


# -- status pushes and the 24-hour window ----------------------------------------


async def test_a_push_inside_the_window_is_text_and_outside_it_the_template(meta_bot: MetaBot) -> None:
    ticket = await file_complaint(MetaCitizen(meta_bot, BUDI))
    meta_bot.clock.advance(hours=23)
    before = len(meta_bot.graph.messages)
    await meta_bot.change_status(ticket, "verified")
    [update] = meta_bot.graph.messages[before:]
    assert (update.to, update.type) == (BUDI, "text") and ticket in update.body["text"]["body"]

    meta_bot.clock.advance(hours=2)  # 25 hours after the citizen's last message
    await meta_bot.change_status(ticket, "in_progress")
    [late] = meta_bot.graph.messages[before + 1 :]
    template = template_of(late)
    assert template["name"] == STATUS_TEMPLATE["name"]
    assert template["language"] == {"code": STATUS_TEMPLATE["language"]}
    [body] = template["components"]  # type: ignore[misc]
    assert body["type"] == "body"
    assert body["parameters"][0] == {"type": "text", "text": ticket}
    assert body["parameters"][1]["text"] == "Sedang ditindaklanjuti"
    assert meta_bot.graph.requests_to("/messages")[-1].bearer == TOKEN


async def test_a_131047_refusal_of_a_free_form_push_is_resent_once_as_the_template(
    meta_bot: MetaBot,
) -> None:
    ticket = await file_complaint(MetaCitizen(meta_bot, BUDI))
    meta_bot.graph.fail_next(131047)  # Meta counts the window its own way
    before = len(meta_bot.graph.requests_to("/messages"))
    await meta_bot.change_status(ticket, "verified")
    refused, resent = meta_bot.graph.requests_to("/messages")[before:]
    assert (refused.status, refused.body and refused.body["type"]) == (400, "text")
    assert (resent.status, resent.body and resent.body["type"]) == (200, "template")
    [template] = meta_bot.graph.messages[-1:]
    assert template_of(template)["name"] == STATUS_TEMPLATE["name"]
    pushes = [r for r in await meta_bot.outbox() if r.kind == "push"]
    assert [r.status for r in pushes] == ["failed", "sent"]
    assert "131047" in (pushes[0].last_error or "")
    assert pushes[1].provider_message_id == template.id
    assert await meta_bot.runtime.dispatcher.run_once() == 0  # nothing else queued


async def test_a_failed_status_with_131047_sends_the_template_once(meta_bot: MetaBot) -> None:
    ticket = await file_complaint(MetaCitizen(meta_bot, BUDI))
    before = len(meta_bot.graph.messages)
    await meta_bot.change_status(ticket, "verified")
    [free_form] = meta_bot.graph.messages[before:]
    assert free_form.type == "text"
    for _ in range(2):  # Meta may deliver the status twice; one template is enough
        assert await meta_bot.status(free_form.id, "failed", 131047) == 200
    [template] = meta_bot.graph.messages[before + 1 :]
    assert template.to == BUDI and template_of(template)["name"] == STATUS_TEMPLATE["name"]
    assert await meta_bot.status(template.id, "delivered") == 200
    pushes = [r for r in await meta_bot.outbox() if r.kind == "push"]
    assert [(r.status, r.last_error) for r in pushes] == [("failed", "131047"), ("delivered", None)]


async def test_a_130429_burst_is_paced_and_retried_with_nothing_dropped(meta_bot: MetaBot) -> None:
    numbers = [f"62812345678{i:02d}" for i in range(3)]
    tickets = {number: await file_complaint(MetaCitizen(meta_bot, number)) for number in numbers}
    meta_bot.graph.fail_next(130429, times=len(numbers))  # the number's throughput limit
    before = len(meta_bot.graph.messages)
    for ticket in tickets.values():
        await meta_bot.change_status(ticket, "verified")
    assert meta_bot.graph.messages[before:] == []
    pushes = [r for r in await meta_bot.outbox() if r.kind == "push"]
    assert [(r.status, r.attempts) for r in pushes] == [("queued", 1)] * len(numbers)
    assert all("130429" in (r.last_error or "") for r in pushes)
    # Meta asked us to slow down: nothing is due again at once.
    assert await meta_bot.runtime.dispatcher.run_once() == 0
    meta_bot.clock.advance(seconds=3)  # past the retry delay (at least Meta's 1 s, jittered backoff)
    assert await meta_bot.runtime.dispatcher.run_once() == len(numbers)
    sent = meta_bot.graph.messages[before:]
    assert sorted(m.to for m in sent) == sorted(numbers)  # each citizen's update, once
    for message in sent:
        assert tickets[message.to] in message.body["text"]["body"]
    pushes = [r for r in await meta_bot.outbox() if r.kind == "push"]
    assert [r.status for r in pushes] == ["sent"] * len(numbers)
    assert await meta_bot.runtime.dispatcher.run_once() == 0


# -- delivery statuses -------------------------------------------------------------


async def test_sent_delivered_and_read_move_the_outbox_row_forward(meta_bot: MetaBot) -> None:
    citizen = MetaCitizen(meta_bot, BUDI)
    turn = await citizen.says(ROAD)
    [message] = turn.messages
    [row] = await meta_bot.outbox()
    assert (row.status, row.provider_message_id) == ("sent", message.id)
    seen = []
    for status in ("sent", "delivered", "read", "sent"):  # the last one arrives late
        assert await meta_bot.status(message.id, status) == 200
        seen.append((await meta_bot.row(row.id)).status)
    assert seen == ["sent", "delivered", "delivered", "delivered"]  # read counts as delivered
    assert await meta_bot.status("wamid.unknown", "delivered") == 200  # not ours: ignored
    assert [r.status for r in await meta_bot.outbox()] == ["delivered"]


# -- a photo ---------------------------------------------------------------------


def photo_with_gps() -> bytes:
    """A JPEG as phones take them: camera make and the place it was taken in EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "S", 2: (6.0, 55.0, 12.0), 3: "E", 4: (107.0, 36.0, 0.0)})
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG", exif=exif)
    assert b"PhoneMaker" in buffer.getvalue()
    return buffer.getvalue()


async def test_a_photo_is_downloaded_with_the_token_and_stored_without_exif(meta_bot: MetaBot) -> None:
    citizen = MetaCitizen(meta_bot, BUDI)
    media_id = meta_bot.graph.add_media(photo_with_gps(), "image/jpeg")
    turn = await citizen.says(ROAD)
    turn = await citizen.taps(turn, "Setuju")
    assert turn.keys == ["ask_photo"]
    turn = await citizen.shares_image(media_id, caption="Ini foto lubangnya")
    assert turn.keys == ["photo_received", "ask_identity"]
    turn = await citizen.taps(turn, "Publik")
    assert "Foto: 1" in turn.text, turn.text
    turn = await citizen.taps(turn, "Kirim")
    assert "submitted" in turn.keys

    lookup, download = [r for r in meta_bot.graph.requests if not r.path.endswith("/messages")]
    assert lookup.path == f"/v21.0/{media_id}" and download.path == f"/download/{media_id}"
    assert (lookup.bearer, lookup.status, download.bearer, download.status) == (TOKEN, 200, TOKEN, 200)
    [complaint] = await meta_bot.complaints()
    [attachment] = await meta_bot.attachments()
    assert attachment.complaint_id == complaint.id
    assert attachment.content_type == "image/jpeg"
    assert (attachment.width, attachment.height) == (64, 48)
    assert dict(Image.open(io.BytesIO(attachment.content)).getexif()) == {}
    assert b"PhoneMaker" not in attachment.content


async def test_a_photo_meta_no_longer_has_is_asked_for_again(meta_bot: MetaBot) -> None:
    citizen = MetaCitizen(meta_bot, BUDI)
    turn = await citizen.taps(await citizen.says(ROAD), "Setuju")
    assert turn.keys == ["ask_photo"]
    turn = await citizen.shares_image("1331582911228394")  # expired: the fake answers 404
    assert turn.keys == ["photo_rejected"]  # "try another file, or type LEWATI"
    [answer] = turn.messages
    assert "LEWATI" in answer.body["text"]["body"]
    [lookup] = [r for r in meta_bot.graph.requests if not r.path.endswith("/messages")]
    assert (lookup.bearer, lookup.status) == (TOKEN, 404)
    assert await meta_bot.attachments() == []


# -- STOP --------------------------------------------------------------------------


async def test_stop_opts_the_reporter_out_and_only_the_confirmation_goes_out(meta_bot: MetaBot) -> None:
    citizen = MetaCitizen(meta_bot, BUDI)
    ticket = await file_complaint(citizen)
    stopped = await citizen.says("STOP")
    assert stopped.keys == ["opted_out"]
    [confirmation] = stopped.messages
    assert confirmation.type == "text" and "START" in confirmation.body["text"]["body"]
    reporter = await meta_bot.reporter(citizen.address)
    assert reporter is not None and reporter.opted_out
    before = len(meta_bot.graph.messages)

    assert (await citizen.says("stop")).messages == []  # confirmed once
    await meta_bot.change_status(ticket, "verified")  # the officer's push is suppressed
    assert (await citizen.says("halo")).messages == []
    assert meta_bot.graph.messages[before:] == []
    assert await meta_bot.runtime.dispatcher.run_once() == 0
    assert not any(r.status in {"queued", "sending"} for r in await meta_bot.outbox())


# -- the start -----------------------------------------------------------------------


async def test_twilio_whatsapp_and_meta_together_refuse_to_start(
    database_url: str, meta_env: dict[str, str], tmp_path: Path
) -> None:
    settings = load_settings(
        database_url=database_url,
        state_path=tmp_path / "state.sqlite3",
        **_twilio_whatsapp(FakeTwilioApi()),
    )
    with pytest.raises(ChannelConfigError) as refused:
        await build_runtime(settings, migrate=False)
    message = str(refused.value)
    assert "twilio_whatsapp" in message and "meta_whatsapp" in message
    assert "whatsapp:" in message


def _twilio_whatsapp(twilio: FakeTwilioApi) -> dict[str, object]:
    """``LAPOR_TWILIO_*`` turning Twilio WhatsApp on (the fake is never started: only read)."""
    return {
        "twilio_account_sid": twilio.account_sid,
        "twilio_auth_token": twilio.auth_token,
        "twilio_whatsapp_from": "+14155238886",
        "twilio_whatsapp_templates": {"status_update": "HX" + "b2" * 16},
    }


async def test_meta_alone_serves_its_webhook_and_no_twilio_path(meta_bot: MetaBot) -> None:
    paths = {path: connector.name for path, connector in meta_bot.runtime.channels.by_path.items()}
    assert paths.get("meta/whatsapp") == "meta_whatsapp"
    assert "twilio/whatsapp" not in paths
    response = await meta_bot.client.post("/webhooks/twilio/whatsapp", content=b"Body=halo")
    assert response.status_code == 404
