import os

import httpx

URL = os.environ["FIREWORKS_BASE_URL"] + "/chat/completions"
HEADERS = {"Authorization": f"Bearer {os.environ['FIREWORKS_API_KEY']}"}


def chat(prompt: str) -> str:
    payload = {
        "model": "accounts/fireworks/models/llama-v3p1-8b-instruct",
        "messages": [{"role": "user", "content": prompt}],
        "max_tokens": 200,
    }
    if os.environ.get("ROUTE") == "stream":
        payload["stream"] = True
        with httpx.stream("POST", URL, json=payload, headers=HEADERS, timeout=2) as resp:
            resp.raise_for_status()
            return "".join(resp.iter_lines())
    resp = httpx.post(URL, json=payload, headers=HEADERS, timeout=2)
    resp.raise_for_status()
    return resp.json()["choices"][0]["message"]["content"]


def main() -> None:
    if os.environ.get("WRAP") == "1":
        try:
            print(chat("Write a haiku about queues"))
        except httpx.HTTPError as exc:
            raise RuntimeError(f"fireworks request failed: {exc}") from exc
    else:
        print(chat("Write a haiku about queues"))


if __name__ == "__main__":
    main()
