import asyncio
import os

from openai import AsyncOpenAI

MODEL = "accounts/fireworks/models/llama-v3p1-8b-instruct"
client = AsyncOpenAI(
    base_url=os.environ["FIREWORKS_BASE_URL"],
    api_key=os.environ["FIREWORKS_API_KEY"],
    timeout=2,
    max_retries=0,
)


async def answer(question: str) -> str:
    messages = [{"role": "user", "content": question}]
    if os.environ.get("ROUTE") == "stream":
        stream = await client.chat.completions.create(model=MODEL, messages=messages, stream=True)
        parts = [chunk.choices[0].delta.content or "" async for chunk in stream]
        return "".join(parts)
    resp = await client.chat.completions.create(model=MODEL, messages=messages)
    return resp.choices[0].message.content


async def main() -> None:
    questions = ["What is a LoRA?", "What is RAG?"]
    results = await asyncio.gather(*(answer(q) for q in questions))
    for result in results:
        print(result)


if __name__ == "__main__":
    asyncio.run(main())
