import { ChatOpenAI } from "@langchain/openai";

const llm = new ChatOpenAI({
  model: "accounts/fireworks/models/llama-v3p1-8b-instruct",
  apiKey: process.env.FIREWORKS_API_KEY,
  configuration: { baseURL: process.env.FIREWORKS_BASE_URL },
  maxRetries: 0,
  timeout: 2000,
});

async function main() {
  if (process.env.ROUTE === "stream") {
    for await (const chunk of await llm.stream("Tell me a joke")) process.stdout.write(String(chunk.content));
    return;
  }
  const res = await llm.invoke("Tell me a joke");
  console.log(res.content);
}

await main();
