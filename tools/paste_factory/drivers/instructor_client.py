import os

import instructor
from openai import OpenAI
from pydantic import BaseModel


class Invoice(BaseModel):
    customer: str
    total: float


client = instructor.from_openai(
    OpenAI(
        base_url=os.environ["FIREWORKS_BASE_URL"],
        api_key=os.environ["FIREWORKS_API_KEY"],
        timeout=2,
        max_retries=0,
    ),
    mode=instructor.Mode.JSON,
)


def extract(text: str) -> Invoice:
    return client.chat.completions.create(
        model="accounts/fireworks/models/llama-v3p1-8b-instruct",
        response_model=Invoice,
        messages=[{"role": "user", "content": text}],
        max_retries=1,
    )


if __name__ == "__main__":
    print(extract("Invoice for ACME Corp, total due 1200.50 USD"))
