"""A demo creator: the profile, the team (owner, manager and the agency's shared chatter), the
vault of media, the default persona and the saved message templates."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from db.demo import vocabulary as v
from db.demo.draw import DAY, Draw, Weighted, cents, id_clock
from db.demo.rows import (
    CreatorAssignment,
    CreatorProfile,
    MediaAsset,
    MessageTemplate,
    Persona,
    Rows,
    User,
)
from db.demo.texts import Template

CHATTER_EMAIL = "chatter@agency.demo"
CHATTER_NAME = "Agency Chatter"
# The one chatter works for every creator of every seed, so its id depends on nothing.
CHATTER_KEY = "fanagent-demo:agency-chatter"
CHATTER_CLOCK = 1_700_000_000_000  # 2023-11-14, in ms

_MEDIA_KINDS: Weighted[str] = Weighted(v.MEDIA_WEIGHTS)
_MEDIA_TITLES = {
    kind: tuple(map(Template.parse, titles)) for kind, titles in v.MEDIA_TITLES.items()
}
_PLATFORM_WEIGHTS = {"onlyfans": 70, "fansly": 22, "fanvue": 8}


@dataclass(frozen=True)
class VaultItem:
    id: UUID
    kind: str
    title: str
    price_cents: int


@dataclass(frozen=True)
class Creator:
    """What fan generation needs to know about their creator."""

    creator_id: UUID
    handle: str
    display_name: str
    owner_id: UUID
    manager_id: UUID
    chatter_id: UUID
    page_started: int  # seconds relative to the anchor
    platforms: tuple[str, ...]
    platform_weights: Weighted[str]
    prices: dict[str, int]  # monthly subscription price in cents, per platform
    vault: tuple[VaultItem, ...]  # what is sold as PPV


def chatter_user(anchor: datetime) -> User:
    """The agency chatter shared by all creators (the same id whatever the seed)."""
    draw = Draw(CHATTER_KEY, anchor, CHATTER_CLOCK)
    return User(draw.uuid(), CHATTER_EMAIL, CHATTER_NAME, draw.at(-400 * DAY))


def creator_name(seed: int, index: int, anchor: datetime) -> tuple[str, str]:
    """(handle, display name) of the creator at `index`; distinct within one seed."""
    draw = Draw(f"fanagent-demo:{seed}:names", anchor)
    names = draw.sample(v.CREATOR_NAMES, len(v.CREATOR_NAMES))
    suffix = draw.integer(10, 99)
    name = names[index % len(names)]
    repeat = index // len(names)
    handle = f"{name.lower().replace(' ', '')}{suffix}" + (f"_{repeat}" if repeat else "")
    return handle, name


def generate_creator(
    seed: int, index: int, anchor: datetime, chatter_id: UUID
) -> tuple[Creator, Rows]:
    """The creator at `index` of `seed` and its creator-level rows (no fans)."""
    draw = Draw(f"fanagent-demo:{seed}:creator:{index}", anchor, id_clock(anchor, 2 * index + 1))
    handle, display_name = creator_name(seed, index, anchor)
    creator_id, owner_id, manager_id = draw.uuid(), draw.uuid(), draw.uuid()
    started = -draw.integer(400, 1100) * DAY
    created = draw.at(started)
    rows = Rows()
    rows.creator_profiles.append(
        CreatorProfile(
            creator_id,
            handle,
            display_name,
            draw.pick(v.CREATOR_TIMEZONES),
            "active",
            created,
            draw.at(-draw.integer(0, 30) * DAY),
        )
    )
    manager_name = draw.pick(v.MANAGER_NAMES)
    rows.users += [
        User(owner_id, f"owner@{handle}.demo", display_name, created),
        User(manager_id, f"manager@{handle}.demo", manager_name, draw.at(started + 20 * DAY)),
    ]
    rows.creator_assignments += [
        CreatorAssignment(creator_id, owner_id, "owner", created),
        CreatorAssignment(creator_id, manager_id, "manager", draw.at(started + 20 * DAY)),
        CreatorAssignment(creator_id, chatter_id, "chatter", draw.at(started + 30 * DAY)),
    ]
    platforms = ("onlyfans", "fansly", "fanvue") if draw.chance(0.5) else ("onlyfans", "fansly")
    vault = _vault(draw, creator_id, started, rows)
    _default_persona(draw, creator_id, display_name, created, rows)
    _message_templates(draw, creator_id, created, rows)
    creator = Creator(
        creator_id=creator_id,
        handle=handle,
        display_name=display_name,
        owner_id=owner_id,
        manager_id=manager_id,
        chatter_id=chatter_id,
        page_started=started,
        platforms=platforms,
        platform_weights=Weighted([(p, _PLATFORM_WEIGHTS[p]) for p in platforms]),
        prices={p: draw.pick(v.SUBSCRIPTION_PRICES_CENTS) for p in platforms},
        vault=vault,
    )
    return creator, rows


def _vault(draw: Draw, creator_id: UUID, started: int, rows: Rows) -> tuple[VaultItem, ...]:
    items = []
    for _ in range(draw.integer(40, 80)):
        kind = draw.weighted(_MEDIA_KINDS)
        low, high = v.MEDIA_KINDS[kind]
        price = draw.integer(low // 100, high // 100) * 100 - draw.pick((0, 0, 1, 1, 50))
        title = draw.pick(_MEDIA_TITLES[kind]).fill(
            draw,
            {
                "style": draw.pick(v.MEDIA_STYLES),
                "setting": draw.pick(v.MEDIA_SETTINGS),
                "n": str(draw.integer(6, 40)),
            },
        )
        title = title[0].upper() + title[1:]
        tags = sorted(draw.sample(v.MEDIA_TAGS, draw.integer(1, 4)))
        duration = None
        if kind in ("video", "audio"):
            duration = draw.integer(30, 900) if kind == "video" else draw.integer(15, 180)
        transcription = (
            f"Hey you... it's {rows.creator_profiles[0].display_name.split()[0]}. {title.lower()}."
            if kind == "audio"
            else None
        )
        item = VaultItem(draw.uuid(), kind, title, price)
        items.append(item)
        rows.media_assets.append(
            MediaAsset(
                item.id,
                creator_id,
                title,
                kind,
                tags,
                cents(price),
                draw.integer(10, 95),
                duration,
                f"{kind.capitalize()}: {title.lower()}; tags {', '.join(tags)}.",
                transcription,
                draw.at(draw.seconds(started, -DAY)),
            )
        )
    return tuple(items)


def _default_persona(
    draw: Draw, creator_id: UUID, display_name: str, created: datetime, rows: Rows
) -> None:
    rows.fan_personas.append(
        Persona(
            draw.uuid(),
            creator_id,
            None,
            f"{display_name} (default voice)",
            sorted(draw.sample(v.PERSONA_USE, 5)),
            sorted(draw.sample(v.PERSONA_AVOID, 4)),
            draw.unit(0.75, 0.15),
            draw.unit(0.2, 0.1),
            draw.unit(0.65, 0.2),
            draw.unit(0.3, 0.15),
            draw.pick(("light", "light", "heavy")),
            draw.integer(1, 4),
            "short",
            draw.pick((200, 280, 400)),
            draw.pick(("casual", "lowercase", "expressive")),
            draw.unit(0.5, 0.2),
            draw.unit(0.75, 0.15),
            draw.unit(0.3, 0.15),
            created,
            created,
        )
    )


def _message_templates(draw: Draw, creator_id: UUID, created: datetime, rows: Rows) -> None:
    for name, body, tone, variables in v.MESSAGE_TEMPLATES:
        variants = {"fansly": body.replace("subscribe", "follow")} if draw.chance(0.5) else {}
        rows.message_templates.append(
            MessageTemplate(
                draw.uuid(),
                creator_id,
                name,
                body,
                variants,
                tone,
                list(variables),
                created,
                created,
            )
        )
