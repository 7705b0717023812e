"""The LLM client (DeepSeek's OpenAI-compatible chat completions), its call log and prices."""
