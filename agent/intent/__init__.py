"""Intent classification of fan messages: the 14 buying-intent signals of seed 003 and "none"."""
