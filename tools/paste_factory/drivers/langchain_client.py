import os

from langchain_fireworks import ChatFireworks

llm = ChatFireworks(
    model="accounts/fireworks/models/llama-v3p1-8b-instruct",
    fireworks_api_base=os.environ["FIREWORKS_BASE_URL"].removesuffix("/v1"),
    request_timeout=2,
    max_retries=0,
)


def run_chain(topic: str) -> str:
    prompt = f"Write a tagline for {topic}"
    if os.environ.get("ROUTE") == "stream":
        return "".join(chunk.content for chunk in llm.stream(prompt))
    return llm.invoke(prompt).content


if __name__ == "__main__":
    print(run_chain("a bakery"))
