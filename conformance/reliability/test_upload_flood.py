"""Upload floods: files never handed to their handler are bounded in bytes per process.

Attackers open pages with a FileUpload and upload files of 1 MB that the page never hands to the
handler (no ``tw-upload`` done event), more of them than ``max_upload_bytes`` holds. What must
hold: every upload is answered, ``200`` while the process's budget has room and ``429
too_many_uploads`` past it; healthy sessions clicking meanwhile are answered; and the server's
resident memory grows by at most the budget plus the allocator allowance of ``test_memory.py``.
Before the budget, 20 pages of 32 such files took a server from 46 to 671 MiB until the sessions
expired.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections import Counter

import httpx
from harness import UPLOAD_APP, Figures, healthy_clicker, server_process

MAX_UPLOAD_BYTES = 32 * 1024 * 1024
PAGES = 24
FILES_PER_PAGE = 16
FILE_BYTES = 1_000_000
HEALTHY = 4
ALLOCATOR_MIB = 64
"""As in ``test_memory.py``: what the interpreter and allocator keep beyond the bytes held."""


async def flood_page(client: httpx.AsyncClient, base: str, index: int) -> list[str]:
    """Open a page and upload ``FILES_PER_PAGE`` files it never hands over; return each answer."""
    page = (await client.get(f"http://{base}/")).text
    session = re.search(r'data-tw-session="([^"]+)"', page)
    token = re.search(r'data-tw-token="([^"]+)"', page)
    zone = re.search(r'<div data-tw="(\d+)"[^>]*data-tw-upload=""', page)
    assert session and token and zone, page[:300]
    answers = []
    for f in range(FILES_PER_PAGE):
        target = (
            f"http://{base}/_tw/upload?session={session[1]}&token={token[1]}&node={zone[1]}"
            f"&upload=upload-{index:04d}-{f:03d}&name=a.bin"
        )
        response = await client.post(target, content=os.urandom(FILE_BYTES))
        answers.append(f"{response.status_code}/{response.json().get('code', 'stored')}")
    return answers


async def attack(base: str) -> tuple[Counter[str], int]:
    stop = asyncio.Event()
    healthy = [asyncio.create_task(healthy_clicker(base, stop)) for _ in range(HEALTHY)]
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=24)) as client:
        results = await asyncio.gather(*(flood_page(client, base, i) for i in range(PAGES)))
    stop.set()
    answered = sum(await asyncio.gather(*healthy))
    return Counter(answer for page in results for answer in page), answered


def test_uploaded_files_never_handed_over_are_bounded_per_process(figures: Figures) -> None:
    with (
        server_process(UPLOAD_APP, max_upload_bytes=MAX_UPLOAD_BYTES) as server,
        server.rss_growth() as growth,
    ):
        ends, answered = asyncio.run(attack(server.base))
    bound_mib = MAX_UPLOAD_BYTES / 2**20 + ALLOCATOR_MIB
    stored = ends["200/stored"]
    figures.add(
        "upload_flood",
        uploads=PAGES * FILES_PER_PAGE,
        stored=stored,
        refused_too_many_uploads=ends["429/too_many_uploads"],
        healthy_clicks_answered=answered,
        rss_growth_mib=round(growth.mib, 1),
        rss_bound_mib=round(bound_mib, 1),
    )
    assert set(ends) == {"200/stored", "429/too_many_uploads"}, ends
    assert stored == MAX_UPLOAD_BYTES // FILE_BYTES  # the budget filled up, and no further
    assert answered > HEALTHY * 10
    assert growth.mib < bound_mib, f"RSS grew {growth.mib:.1f} MiB, bound {bound_mib:.1f} MiB"
