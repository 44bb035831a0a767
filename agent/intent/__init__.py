"""Intent classification of fan messages: the 14 buying-intent signals (signals.py) and "none"."""
