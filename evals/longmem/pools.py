"""The values a fan's facts are drawn from: names, places, jobs, bands, ... (all lower case, as
fans type them). Each conversation draws without replacement, so one value names one thing."""

from typing import Final

NAMES: Final = (
    *("max", "bella", "luna", "charlie", "cooper", "daisy", "milo", "rocky", "bear", "zeus"),
    *("biscuit", "pickle", "nala", "loki", "ziggy", "mochi", "waffles", "tank", "ollie", "rosie"),
    *("bandit", "peanut", "juniper", "gizmo", "koda", "nacho", "pepper", "tofu", "marley", "duke"),
    *("winnie", "sprout", "hank", "otis", "bruno", "pumpkin", "miso", "archie", "dexter", "roo"),
    *("thor", "kiwi", "noodle", "boomer", "sushi", "ginger", "odin", "taco", "yoshi", "frankie"),
)
PEOPLE: Final = (
    *("emma", "olivia", "ava", "mia", "chloe", "jess", "kayla", "brianna", "megan", "tanya"),
    *("rachel", "nicole", "marisol", "priya", "ingrid", "dana", "shauna", "tess", "lupe", "keisha"),
    *("tyler", "jake", "marcus", "devin", "luis", "sean", "brandon", "cody", "ravi", "dmitri"),
    *("hector", "omar", "trent", "wes", "kwame", "jonas", "declan", "mateo", "rowan", "gus"),
)
CITIES: Final = (
    *("denver", "austin", "phoenix", "tampa", "boise", "tucson", "omaha", "spokane", "raleigh"),
    *("nashville", "sacramento", "pittsburgh", "cleveland", "milwaukee", "albuquerque"),
    *("savannah", "chattanooga", "duluth", "fresno", "el paso", "bakersfield", "knoxville"),
    *("reno", "anchorage", "tulsa", "wichita", "lubbock", "scranton", "akron", "provo"),
    *("manchester", "leeds", "glasgow", "cardiff", "winnipeg", "halifax", "calgary", "perth"),
)
PLACES: Final = (
    *("vegas", "cancun", "miami", "new orleans", "tokyo", "lisbon", "cabo", "nashville"),
    *("reykjavik", "banff", "maui", "prague", "amsterdam", "barcelona", "tulum", "yellowstone"),
    *("dubrovnik", "oaxaca", "marrakech", "bali", "zion", "key west", "montreal", "sedona"),
    *("puerto rico", "ibiza", "aruba", "napa", "the ozarks", "lake tahoe", "myrtle beach"),
)
JOBS: Final = (
    *("electrician", "nurse", "trucker", "welder", "plumber", "paramedic", "line cook", "mechanic"),
    *("forklift driver", "hvac tech", "bartender", "dental hygienist", "pharmacist", "lineman"),
    *("software dev", "accountant", "firefighter", "security guard", "barber", "roofer"),
    *("physical therapist", "sous chef", "crane operator", "machinist", "surveyor", "pilot"),
)
WORKPLACES: Final = (
    *("costco", "home depot", "fedex", "the hospital", "a brewery", "the airport", "ups"),
    *("a steakhouse", "the power plant", "a dealership", "lowes", "the county jail", "a ranch"),
    *("the shipyard", "a call center", "amazon", "the school district", "a casino", "the mine"),
    *("a law firm", "the fire station", "walmart", "the refinery", "a golf course", "kroger"),
)
BANDS: Final = (
    *("khruangbin", "turnstile", "alvvays", "mastodon", "gojira", "wallows", "tame impala"),
    *("the strokes", "phoebe bridgers", "deftones", "slowdive", "fleetwood mac", "radiohead"),
    *("zach bryan", "tyler childers", "metallica", "bad bunny", "arctic monkeys", "sza"),
    *("the national", "sleep token", "beach house", "vampire weekend", "king gizzard", "tool"),
    *("mitski", "jason isbell", "idles", "wet leg", "boygenius", "the war on drugs"),
)
SHOWS: Final = (
    *("the bear", "severance", "succession", "yellowstone", "the office", "breaking bad"),
    *("shogun", "the boys", "fallout", "reacher", "ted lasso", "dark", "the sopranos"),
    *("house of the dragon", "peaky blinders", "ozark", "the wire", "andor", "slow horses"),
    *("bluey", "the last of us", "true detective", "barry", "fargo", "white lotus"),
)
FOODS: Final = (
    *("birria tacos", "ramen", "pho", "brisket", "chicken parm", "sushi", "wings"),
    *("pad thai", "bibimbap", "pierogi", "gumbo", "carbonara", "shawarma", "crawfish"),
    *("pupusas", "lasagna", "biryani", "poutine", "bbq ribs", "pozole", "katsu curry"),
)
TEAMS: Final = (
    *("the packers", "the eagles", "the chiefs", "the bills", "the cowboys", "the lions"),
    *("the steelers", "the niners", "the bears", "the broncos", "the dodgers", "the cubs"),
    *("the yankees", "the red sox", "the lakers", "the celtics", "the knicks", "the nuggets"),
    *("arsenal", "liverpool", "the leafs", "the bruins", "the avalanche", "celtic"),
)
HOBBIES: Final = (
    *("fly fishing", "bouldering", "woodworking", "disc golf", "pickleball", "archery"),
    *("bowling", "kayaking", "beekeeping", "chess", "pottery", "home brewing", "jiu jitsu"),
    *("metal detecting", "birdwatching", "sim racing", "gardening", "powerlifting"),
)
CARS: Final = (
    *("f-150", "silverado", "tacoma", "wrangler", "miata", "civic", "camry", "mustang"),
    *("outback", "4runner", "charger", "tundra", "corolla", "ram 1500", "bronco", "golf gti"),
)
INJURIES: Final = (
    ("wrist", "skateboarding"),
    ("ankle", "playing basketball"),
    ("collarbone", "falling off my bike"),
    ("finger", "at work"),
    ("knee", "playing soccer"),
    ("toe", "kicking the couch"),
    ("rib", "snowboarding"),
    ("thumb", "moving furniture"),
)
TRIP_REASONS: Final = (  # as the fan says it, as a chatter asks about it
    ("a bachelor party", "that bachelor weekend"),
    ("my cousins wedding", "his cousin's wedding"),
    ("a work conference", "the conference for his job"),
    ("a buddies trip", "the guys' trip"),
    ("my moms 60th", "his mom's birthday"),
    ("a fishing trip", "that fishing weekend"),
    ("a concert", "that show he saw"),
    ("a family reunion", "the family get-together"),
    ("a golf trip", "that golf weekend"),
)
MONTHS: Final = (
    *("january", "february", "march", "april", "may", "june", "july", "august"),
    *("september", "october", "november", "december"),
)
