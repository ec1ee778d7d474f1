import os

from openai import OpenAI

MODEL = "accounts/fireworks/models/llama-v3p1-8b-instruct"
client = OpenAI(
    base_url=os.environ["FIREWORKS_BASE_URL"],
    api_key=os.environ["FIREWORKS_API_KEY"],
    timeout=2,
    max_retries=0,
)


def summarize(ticket: str) -> str:
    route = os.environ.get("ROUTE", "chat")
    messages = [{"role": "user", "content": f"Summarize this ticket: {ticket}"}]
    if route == "stream":
        out = []
        for chunk in client.chat.completions.create(model=MODEL, messages=messages, stream=True):
            out.append(chunk.choices[0].delta.content or "")
        return "".join(out)
    if route == "completions":
        return client.completions.create(model=MODEL, prompt=ticket, max_tokens=64).choices[0].text
    if route == "embeddings":
        model = "nomic-ai/nomic-embed-text-v1.5"
        return str(client.embeddings.create(model=model, input=ticket).data[0].embedding[:3])
    if route == "models":
        return ", ".join(m.id for m in client.models.list())
    resp = client.chat.completions.create(model=MODEL, messages=messages, max_tokens=256)
    return resp.choices[0].message.content


def main() -> None:
    ticket = "Customer cannot log in after the password reset email."
    if os.environ.get("WRAP") == "1":
        try:
            print(summarize(ticket))
        except Exception as exc:
            raise RuntimeError(f"LLM call failed: {exc}") from exc
    else:
        print(summarize(ticket))


if __name__ == "__main__":
    main()
