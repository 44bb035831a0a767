"""The drafting graph: load context, recall, classify, draft with tools, gate, check, finalize."""
