import os

from llama_index.core.llms import ChatMessage
from llama_index.llms.fireworks import Fireworks

llm = Fireworks(
    model="accounts/fireworks/models/llama-v3p1-8b-instruct",
    api_base=os.environ["FIREWORKS_BASE_URL"],
    api_key=os.environ["FIREWORKS_API_KEY"],
    max_retries=0,
)


def answer(question: str) -> str:
    messages = [ChatMessage(role="user", content=question)]
    if os.environ.get("ROUTE") == "stream":
        return "".join(part.delta or "" for part in llm.stream_chat(messages))
    return str(llm.chat(messages))


if __name__ == "__main__":
    print(answer("What is an embedding?"))
