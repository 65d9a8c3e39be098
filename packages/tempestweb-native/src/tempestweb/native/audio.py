"""Sound playback in the page (``HTMLAudioElement``): play, pause, resume, stop, volume, loop.

One sound plays per *channel* (``"default"`` unless named); playing on a busy channel replaces
its sound. :func:`play` returns as soon as playback started, while the sound plays. A page
that had no user gesture yet may be refused by the autoplay policy: that is the value
``"blocked"``, not an exception.

Example:
    >>> import asyncio
    >>> from tempestweb.native import audio
    >>> from tempestweb.native.testing import fake_native
    >>> async def main() -> str:
    ...     with fake_native():
    ...         result = await audio.play("./sounds/ding.wav", volume=0.5)
    ...         await audio.stop()
    ...         return result.outcome
    >>> asyncio.run(main())
    'playing'

"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from tempestweb.native._wire import WireModel, b64encode
from tempestweb.native.constants import AUDIO_TIMEOUT_S, DEFAULT_AUDIO_CHANNEL
from tempestweb.native.errors import InvalidArgumentError
from tempestweb.native.plugins import Capability, register

__all__ = ["PlayResult", "pause", "play", "resume", "set_volume", "stop"]

CAPABILITY = register(Capability("audio"))
"""The ``audio`` capability handle (``client/native/audio.js``)."""


class PlayResult(WireModel):
    """How starting playback went.

    Attributes:
        outcome: ``"playing"``, or ``"blocked"`` by the autoplay policy (``NotAllowedError``
            from ``HTMLMediaElement.play()``: retry from a click handler).
        duration_s: Length of the sound in seconds, when known (``None`` for a stream).

    """

    outcome: Literal["playing", "blocked"]
    duration_s: float | None = Field(default=None, ge=0)


def _volume(volume: float, method: str) -> float:
    if isinstance(volume, bool) or not isinstance(volume, (int, float)) or not 0 <= volume <= 1:
        raise InvalidArgumentError(f"volume is in [0, 1], got {volume!r}", capability="audio", method=method)
    return float(volume)


async def play(
    src: str | bytes,
    /,
    *,
    volume: float = 1.0,
    loop: bool = False,
    mime_type: str = "audio/wav",
    channel: str = DEFAULT_AUDIO_CHANNEL,
    timeout_s: float = AUDIO_TIMEOUT_S,
) -> PlayResult:
    """Start playing a sound and return while it plays.

    Args:
        src: URL of an asset (relative to the page, e.g. ``"./sounds/ding.wav"``) or the
            sound's bytes (played from a blob URL).
        volume: Loudness in ``[0, 1]``.
        loop: Start over at the end until stopped.
        mime_type: Type of ``src`` when it is bytes.
        channel: Channel name; a sound already playing there is replaced.
        timeout_s: Seconds starting may take (loading the source).

    Returns:
        ``playing`` or ``blocked`` (autoplay policy), with the duration when known.

    Raises:
        InvalidArgumentError: Volume outside ``[0, 1]``.
        NativeNotFoundError: The source cannot be loaded or decoded.
        NotSupportedError: The format is not supported.
        NoSessionError: Called outside a session.

    """
    args: dict[str, object] = {"volume": _volume(volume, "play"), "loop": bool(loop), "channel": channel}
    if isinstance(src, (bytes, bytearray, memoryview)):
        args |= {"data": b64encode(bytes(src)), "mime_type": mime_type}
    else:
        args["src"] = str(src)
    return await CAPABILITY.call("play", args, result=PlayResult, timeout_s=timeout_s)


async def pause(*, channel: str = DEFAULT_AUDIO_CHANNEL) -> None:
    """Pause the channel's sound (nothing happens when none plays).

    Raises:
        NoSessionError: Called outside a session.

    """
    await CAPABILITY.call("pause", {"channel": channel}, result=type(None))


async def resume(*, channel: str = DEFAULT_AUDIO_CHANNEL) -> PlayResult:
    """Resume the channel's paused sound.

    Returns:
        ``playing`` or ``blocked``.

    Raises:
        NativeNotFoundError: The channel has no sound.
        NoSessionError: Called outside a session.

    """
    return await CAPABILITY.call("resume", {"channel": channel}, result=PlayResult)


async def stop(*, channel: str = DEFAULT_AUDIO_CHANNEL) -> None:
    """Stop the channel's sound and release it (nothing happens when none plays).

    Raises:
        NoSessionError: Called outside a session.

    """
    await CAPABILITY.call("stop", {"channel": channel}, result=type(None))


async def set_volume(volume: float, /, *, channel: str = DEFAULT_AUDIO_CHANNEL) -> None:
    """Change the channel's loudness, in ``[0, 1]``.

    Raises:
        InvalidArgumentError: Volume outside ``[0, 1]``.
        NativeNotFoundError: The channel has no sound.
        NoSessionError: Called outside a session.

    """
    await CAPABILITY.call(
        "set_volume", {"volume": _volume(volume, "set_volume"), "channel": channel}, result=type(None)
    )


def __dir__() -> list[str]:
    return list(__all__)
