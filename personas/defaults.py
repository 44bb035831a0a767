"""The persona used when neither the fan nor the creator has one stored.

Its sliders and limits are the column defaults of fan_personas, so a creator who saves a default
without changing anything gets the same voice. It avoids the phrases a chat model uses when it
falls out of character.
"""

from personas.model import Persona

BUILTIN_PERSONA = Persona(
    name="Built-in default",
    vocabulary_avoid=("as an AI", "language model", "I cannot assist"),
)
