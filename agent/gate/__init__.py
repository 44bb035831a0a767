"""The approval gate: gated tool calls wait in hitl_action_queue until the creator decides."""
