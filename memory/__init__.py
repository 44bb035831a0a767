"""Fan memory: embeddings, the fan_memories store and search, and fact extraction."""
