-- Memories that carry a fan's personal data are kept from chatters, as the fan's personal fields
-- are (real name, email, phone, city, country: crm/fans/dossier.py). "Moved to Berlin" tells the
-- city as plainly as fan_profiles.city does.
--
-- A memory is personal when it says where the fan lives or comes from, where or as what they
-- work, their real name, or how to reach them (email, phone, street address, social handles):
-- by the slot it fills (its subject: city, job, email, contact:snapchat, ...) or by its text
-- ("Lives in", "Works at", an email address, a phone number, an @handle). The kind says nothing
-- here: personal_detail holds pets and ages too. The rule runs in the database, so every writer
-- (the API, the agent's tools, the extractor, the demo seed) and the rows written before this
-- migration get it alike; it errs towards personal, which only hides a memory from chatters.
-- Their reads leave personal memories out (memory/store.py, memory/search.py); the agent still
-- drafts with them.

CREATE FUNCTION fanagent_memory_is_personal(subject text, body text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
SELECT coalesce(subject ~ ('^(city|hometown|location|country|region|state|neighbou?rhood|address'
                           '|home|job|work|employer|workplace|company|occupation|profession'
                           '|real_name|name|full_name|first_name|last_name|surname|email|phone'
                           '|phone_number|contact|social|instagram|snapchat|twitter|tiktok'
                           '|telegram|whatsapp|discord|facebook)(:|$)'), false)
    -- where the fan lives or comes from
    OR body ~* ('\m(lives|lived|living|resides|resided|based|grew up|raised) (in|near)\M'
                '|\m(moved|moving|relocated|relocating) (back )?to\M'
                '|\m(is|comes|came|originally) from\M|\mhome ?town\M')
    -- their job or employer
    OR body ~* ('\m(works|worked|working|employed|job) (as|at|for|in|by)\M'
                '|\m(employer|occupation|profession|workplace)\M')
    -- their real name
    OR body ~* '\m(real|full|first|last|legal|given|birth) name\M|\msurname\M'
    -- an email address, a phone number (+ and 7 digits, or 9 digits), a handle, an address
    OR body ~* '[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}'
    OR body ~ ('\+\d([ ().-]{0,2}\d){6,}|\d([ ().-]{0,2}\d){8,}')
    OR body ~* '\m(phone|cell|mobile|whatsapp)( (number|no|is)\M| ?(no\.|#|:))'
    OR body ~* ('(^|[^a-z0-9_.])@[a-z0-9_.]{2,}'
                '|\m(instagram|insta|snapchat|snap|twitter|tiktok|telegram|discord|facebook|kik)'
                '( (handle|username|account|id|is)\M| ?:)')
    OR body ~* ('\maddress\M|\m(zip|postal) ?code\M|\mpostcode\M'
                '|\m\d+ [a-z .''-]{2,30} (street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln'
                '|drive|dr|way|court|ct|place|pl)\M')
$$;

ALTER TABLE fan_memories ADD COLUMN personal boolean NOT NULL
    GENERATED ALWAYS AS (fanagent_memory_is_personal(subject, body)) STORED;
