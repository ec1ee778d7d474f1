import axios from "axios";

async function complete(prompt) {
  const res = await axios.post(
    `${process.env.FIREWORKS_BASE_URL}/chat/completions`,
    {
      model: "accounts/fireworks/models/llama-v3p1-8b-instruct",
      messages: [{ role: "user", content: prompt }],
    },
    {
      headers: { Authorization: `Bearer ${process.env.FIREWORKS_API_KEY}` },
      timeout: 2000,
    },
  );
  return res.data.choices[0].message.content;
}

console.log(await complete("Summarize the meeting notes"));
