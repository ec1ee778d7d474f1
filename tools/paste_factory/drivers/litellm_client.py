import os

import litellm


def ask(question: str) -> str:
    stream = os.environ.get("ROUTE") == "stream"
    resp = litellm.completion(
        model="fireworks_ai/accounts/fireworks/models/llama-v3p1-8b-instruct",
        messages=[{"role": "user", "content": question}],
        api_base=os.environ["FIREWORKS_BASE_URL"],
        api_key=os.environ["FIREWORKS_API_KEY"],
        timeout=2,
        num_retries=0,
        stream=stream,
    )
    if stream:
        return "".join(chunk.choices[0].delta.content or "" for chunk in resp)
    return resp.choices[0].message.content


def main() -> None:
    if os.environ.get("WRAP") == "1":
        try:
            print(ask("Why is the sky blue?"))
        except Exception as exc:
            raise RuntimeError(f"LLM call failed: {exc}") from exc
    else:
        print(ask("Why is the sky blue?"))


if __name__ == "__main__":
    main()
