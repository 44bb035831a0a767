"""The LangGraph agent that drafts replies: state, context, nodes, routing, the approval gate."""
