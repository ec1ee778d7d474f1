import OpenAI from "openai";

const client = new OpenAI({
  baseURL: process.env.FIREWORKS_BASE_URL,
  apiKey: process.env.FIREWORKS_API_KEY,
  timeout: 2000,
  maxRetries: 0,
});
const model = "accounts/fireworks/models/llama-v3p1-8b-instruct";

async function reply(text) {
  const messages = [{ role: "user", content: text }];
  const route = process.env.ROUTE ?? "chat";
  if (route === "stream") {
    const stream = await client.chat.completions.create({ model, messages, stream: true });
    let out = "";
    for await (const chunk of stream) out += chunk.choices[0]?.delta?.content ?? "";
    return out;
  }
  if (route === "embeddings") {
    const res = await client.embeddings.create({ model: "nomic-ai/nomic-embed-text-v1.5", input: text });
    return res.data[0].embedding.slice(0, 3).join(",");
  }
  if (route === "models") {
    const page = await client.models.list();
    return page.data.map((m) => m.id).join(", ");
  }
  const res = await client.chat.completions.create({ model, messages });
  return res.choices[0].message.content;
}

async function main() {
  if (process.env.WRAP === "1") {
    try {
      console.log(await reply("hello from the support widget"));
    } catch (err) {
      throw new Error(`LLM call failed: ${err.message}`, { cause: err });
    }
  } else {
    console.log(await reply("hello from the support widget"));
  }
}

await main();
