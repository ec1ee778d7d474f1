import { createFireworks } from "@ai-sdk/fireworks";
import { generateText, streamText } from "ai";

const fireworks = createFireworks({
  baseURL: process.env.FIREWORKS_BASE_URL,
  apiKey: process.env.FIREWORKS_API_KEY,
});
const model = fireworks("accounts/fireworks/models/llama-v3p1-8b-instruct");

async function main() {
  const prompt = "Suggest a name for a coffee shop";
  if (process.env.ROUTE === "stream") {
    const result = streamText({ model, prompt, maxRetries: 0, abortSignal: AbortSignal.timeout(2000) });
    for await (const part of result.textStream) process.stdout.write(part);
    return;
  }
  const { text } = await generateText({
    model,
    prompt,
    maxRetries: 0,
    abortSignal: AbortSignal.timeout(2000),
  });
  console.log(text);
}

await main();
