"""Send N translation requests through the real LLM session (step bound + global bound) from its own process.

python -m kz2h_assets_tests.slots_worker DATABASE_URL STANDIN_URL GLOBAL_BOUND N TAG
"""

from __future__ import annotations

import asyncio
import sys

import sqlalchemy as sa

from kz2h_assets.assets.llm_support import llm_session
from kz2h_assets.llm.models import ChatMessage, ChatRequest
from kz2h_assets.resources import LLM
from kz2h_assets.translation import user_prompt


async def main(database_url: str, standin_url: str, bound: int, n: int, tag: str) -> None:
    engine = sa.create_engine(database_url)
    llm = LLM(api_key="sk-test", base_url=standin_url, max_in_flight=8, global_in_flight=bound)
    async with llm_session(llm, engine, run_id=f"worker-{tag}") as log:
        requests = [
            ChatRequest(
                model="deepseek-flash",
                messages=[
                    ChatMessage(role="system", content="You translate English machine-learning material into Spanish."),
                    ChatMessage(role="user", content=user_prompt(f"The gradient of the loss, part {tag}-{i}.", "")),
                ],
            )
            for i in range(n)
        ]
        await asyncio.gather(*(log.chat(r, resource_id="kz2h-micrograd", purpose="translation") for r in requests))
    engine.dispose()


if __name__ == "__main__":
    url, standin, bound, n, tag = sys.argv[1:6]
    asyncio.run(main(url, standin, int(bound), int(n), tag))
