-- Reply suggestions find the team's past replies to fan messages like this one by meaning, not
-- only by shared words: an HNSW index over the inbound messages' vectors (cosine), read with
-- hnsw.iterative_scan so row-level security's filter after the index cannot leave a scan short.
CREATE INDEX fan_messages_inbound_meaning ON fan_messages
    USING hnsw (embedding vector_cosine_ops) WHERE direction = 'inbound';
