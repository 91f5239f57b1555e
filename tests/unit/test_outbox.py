"""The per-socket outbox: frames written at once while the socket keeps up, queued
in order otherwise, and the frame bytes it writes itself (RFC 6455 §5.2)."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given
from hypothesis import strategies as st
from websockets.frames import Frame, Opcode
from websockets.streams import StreamReader

from server.gateway.outbox import Outbox, text_frame


def parse(data: bytes) -> Frame:
    """Parse one server frame with the websockets package's own reader."""
    reader = StreamReader()
    reader.feed_data(data)
    parser = Frame.parse(reader.read_exact, mask=False)
    try:
        next(parser)
    except StopIteration as done:
        assert reader.at_eof() or not reader.buffer, "bytes left after the frame"
        frame: Frame = done.value
        return frame
    raise AssertionError("the frame is incomplete")


@pytest.mark.parametrize("size", [0, 1, 125, 126, 127, 65535, 65536, 200_000])
def test_text_frame_lengths_on_every_header_form(size: int) -> None:
    text = "a" * size
    frame = parse(text_frame(text))
    assert frame.opcode is Opcode.TEXT and frame.fin
    assert frame.data.decode() == text


@given(st.text(max_size=300))
def test_text_frame_carries_any_text_as_utf8(text: str) -> None:
    frame = parse(text_frame(text))
    assert frame.data == text.encode()


def test_text_frame_frames_a_new_string_even_when_equal_text_came_before() -> None:
    first = "".join(["ev", "ent-1"])
    assert text_frame(first) is text_frame(first)  # one framing per event
    other = "".join(["ev", "ent-2"])
    assert parse(text_frame(other)).data == b"event-2"
    assert parse(text_frame(first)).data == b"event-1"


class Socket:
    """A socket whose buffer can be made to fill, and whose slow path can be held."""

    def __init__(self) -> None:
        self.wire: list[str] = []
        self.keeps_up = True
        self.release = asyncio.Event()
        self.release.set()

    def write_now(self, frame: str) -> bool:
        if not self.keeps_up:
            return False
        self.wire.append(frame)
        return True

    async def send(self, frame: str) -> None:
        await self.release.wait()
        self.wire.append(frame)


def outbox_for(socket: Socket, limit: int = 100) -> tuple[Outbox, list[bool]]:
    overflowed: list[bool] = []
    outbox = Outbox(socket.send, limit, lambda: overflowed.append(True), socket.write_now)
    outbox.start()
    return outbox, overflowed


async def test_a_socket_that_keeps_up_gets_each_frame_at_once() -> None:
    socket = Socket()
    outbox, _ = outbox_for(socket)
    outbox.push("1")
    outbox.push("2")
    assert socket.wire == ["1", "2"]  # before any await: no task hop
    await outbox.close()


async def test_frames_keep_their_order_when_the_socket_falls_behind_and_catches_up() -> None:
    socket = Socket()
    outbox, _ = outbox_for(socket)
    outbox.push("1")
    socket.keeps_up = False
    socket.release.clear()  # the writer task is stuck handing "2" over
    outbox.push("2")
    await asyncio.sleep(0)
    socket.keeps_up = True  # the buffer emptied, but "2" is still in flight
    outbox.push("3")
    outbox.push("4")
    assert socket.wire == ["1"]
    socket.release.set()
    await outbox.flush(1.0)
    outbox.push("5")  # queue empty, nothing in flight: at once again
    assert socket.wire == ["1", "2", "3", "4", "5"]
    await outbox.close()


async def test_a_socket_that_stops_reading_overflows_and_gets_nothing_more() -> None:
    socket = Socket()
    outbox, overflowed = outbox_for(socket, limit=3)
    socket.keeps_up = False
    socket.release.clear()
    for n in range(10):
        outbox.push(str(n))
    assert overflowed == [True]
    socket.keeps_up = True
    socket.release.set()
    outbox.push("late")
    await asyncio.sleep(0.01)
    assert "late" not in socket.wire
    await outbox.close()
