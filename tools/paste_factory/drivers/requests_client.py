import os

import requests

URL = os.environ["FIREWORKS_BASE_URL"] + "/chat/completions"


def chat(prompt: str) -> str:
    resp = requests.post(
        URL,
        headers={"Authorization": f"Bearer {os.environ['FIREWORKS_API_KEY']}"},
        json={
            "model": "accounts/fireworks/models/llama-v3p1-8b-instruct",
            "messages": [{"role": "user", "content": prompt}],
            "stream": os.environ.get("ROUTE") == "stream",
        },
        timeout=2,
        stream=os.environ.get("ROUTE") == "stream",
    )
    resp.raise_for_status()
    if os.environ.get("ROUTE") == "stream":
        return "".join(line.decode() for line in resp.iter_lines())
    return resp.json()["choices"][0]["message"]["content"]


def main() -> None:
    if os.environ.get("WRAP") == "1":
        try:
            print(chat("Translate 'good morning' to French"))
        except requests.RequestException as exc:
            raise RuntimeError(f"fireworks request failed: {exc}") from exc
    else:
        print(chat("Translate 'good morning' to French"))


if __name__ == "__main__":
    main()
