import os

from fireworks import Fireworks

client = Fireworks(
    api_key=os.environ["FIREWORKS_API_KEY"],
    base_url=os.environ["FIREWORKS_BASE_URL"].removesuffix("/v1"),
    timeout=2,
    max_retries=0,
)


def classify(text: str) -> str:
    messages = [{"role": "user", "content": f"Classify the sentiment: {text}"}]
    model = "accounts/fireworks/models/llama-v3p1-8b-instruct"
    if os.environ.get("ROUTE") == "stream":
        stream = client.chat.completions.create(model=model, messages=messages, stream=True)
        return "".join(chunk.choices[0].delta.content or "" for chunk in stream)
    resp = client.chat.completions.create(model=model, messages=messages)
    return resp.choices[0].message.content


if __name__ == "__main__":
    print(classify("The new release is great"))
