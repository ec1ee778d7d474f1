import asyncio
import os

import aiohttp

URL = os.environ["FIREWORKS_BASE_URL"] + "/chat/completions"


async def chat(session: aiohttp.ClientSession, prompt: str) -> str:
    payload = {
        "model": "accounts/fireworks/models/llama-v3p1-8b-instruct",
        "messages": [{"role": "user", "content": prompt}],
        "stream": os.environ.get("ROUTE") == "stream",
    }
    async with session.post(URL, json=payload) as resp:
        resp.raise_for_status()
        if payload["stream"]:
            return "".join([line.decode() async for line in resp.content])
        data = await resp.json()
        return data["choices"][0]["message"]["content"]


async def main() -> None:
    headers = {"Authorization": f"Bearer {os.environ['FIREWORKS_API_KEY']}"}
    timeout = aiohttp.ClientTimeout(total=2)
    async with aiohttp.ClientSession(headers=headers, timeout=timeout) as session:
        print(await chat(session, "Name three prime numbers"))


if __name__ == "__main__":
    asyncio.run(main())
