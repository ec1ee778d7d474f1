async function complete(prompt) {
  const res = await fetch(`${process.env.FIREWORKS_BASE_URL}/chat/completions`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${process.env.FIREWORKS_API_KEY}`,
      "Content-Type": "application/json",
    },
    body: JSON.stringify({
      model: "accounts/fireworks/models/llama-v3p1-8b-instruct",
      messages: [{ role: "user", content: prompt }],
    }),
    signal: AbortSignal.timeout(2000),
  });
  if (!res.ok) {
    throw new Error(`Fireworks request failed: ${res.status} ${res.statusText} ${await res.text()}`);
  }
  const data = await res.json();
  return data.choices[0].message.content;
}

console.log(await complete("Draft a release note"));
