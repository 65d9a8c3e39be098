r"""Still photos from a camera, captured and compressed in the page (Media Capture and Streams).

``getUserMedia`` opens the camera, one frame is drawn to a canvas scaled to fit
``max_width`` x ``max_height`` and encoded with ``HTMLCanvasElement.toBlob`` (so only the
compressed image crosses the bridge), and every track is stopped afterwards. The facing mode
is a preference (``ideal``), never ``exact``: a camera without one still works.

Needs a secure context and the ``camera`` permission (the browser prompts).

Example:
    >>> import asyncio
    >>> from tempestweb.native import camera
    >>> from tempestweb.native.testing import fake_native
    >>> async def main() -> bytes:
    ...     with fake_native() as fake:
    ...         fake.set_result("camera", "capture", camera.fake_photo(b"\xff\xd8jpeg"))
    ...         photo = await camera.capture()
    ...         return photo.data
    >>> asyncio.run(main())
    b'\xff\xd8jpeg'

"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from tempestweb.native._wire import B64Bytes, WireModel, b64encode
from tempestweb.native.constants import CAMERA_TIMEOUT_S
from tempestweb.native.errors import InvalidArgumentError
from tempestweb.native.plugins import Capability, register

__all__ = ["Facing", "ImageType", "Photo", "capture", "fake_photo"]

CAPABILITY = register(Capability("camera"))
"""The ``camera`` capability handle (``client/native/camera.js``)."""

Facing = Literal["user", "environment"]
"""``VideoFacingModeEnum``: the front (``user``) or the back (``environment``) camera."""

ImageType = Literal["image/jpeg", "image/png", "image/webp"]
"""Encodings ``toBlob`` produces in every current browser (WebP: Chromium, Firefox)."""


class Photo(WireModel):
    """A captured image.

    Attributes:
        data: The encoded image's bytes.
        mime_type: Its type (the browser may fall back to PNG for an unsupported one).
        width: Width in pixels after the resize.
        height: Height in pixels after the resize.

    """

    data: B64Bytes
    mime_type: str
    width: int = Field(ge=1)
    height: int = Field(ge=1)


async def capture(
    *,
    facing: Facing | None = None,
    max_width: int = 1280,
    max_height: int = 1280,
    mime_type: ImageType = "image/jpeg",
    quality: float = 0.85,
    timeout_s: float = CAMERA_TIMEOUT_S,
) -> Photo:
    """Take one photo.

    Args:
        facing: Preferred camera (``ideal`` constraint); ``None``: any.
        max_width: Largest width of the result in pixels (aspect ratio kept), >= 1.
        max_height: Largest height of the result in pixels, >= 1.
        mime_type: Encoding of the result.
        quality: JPEG/WebP quality in ``[0, 1]`` (ignored for PNG).
        timeout_s: Seconds the capture may take, including the permission prompt.

    Returns:
        The photo.

    Raises:
        PermissionDeniedError: The ``camera`` permission was denied.
        InsecureContextError: The page is not a secure context.
        NativeNotFoundError: No camera.
        NotSupportedError: No ``getUserMedia``.
        AbortedError: The camera could not be started (in use by another application).
        InvalidArgumentError: A size below 1 or a quality outside ``[0, 1]``.
        NoSessionError: Called outside a session.

    """
    if max_width < 1 or max_height < 1 or not 0 <= quality <= 1:
        raise InvalidArgumentError(
            f"max_width/max_height >= 1 and 0 <= quality <= 1, got {max_width}, {max_height}, {quality}",
            capability="camera",
            method="capture",
        )
    args = {
        "facing": facing,
        "max_width": int(max_width),
        "max_height": int(max_height),
        "mime_type": mime_type,
        "quality": float(quality),
    }
    return await CAPABILITY.call("capture", args, result=Photo, timeout_s=timeout_s)


def fake_photo(
    data: bytes, /, *, mime_type: str = "image/jpeg", width: int = 640, height: int = 480
) -> dict[str, Any]:
    """Return what ``camera.capture`` answers, to set on the fake backend."""
    return {"data": b64encode(data), "mime_type": mime_type, "width": width, "height": height}


def __dir__() -> list[str]:
    return list(__all__)
