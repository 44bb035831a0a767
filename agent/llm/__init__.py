"""The LLM port and its backends (ollama, openai, local llama.cpp)."""
