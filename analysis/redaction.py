"""Personal details taken out of comments before they are quoted.

`redact` first takes out characters that show nothing (zero-width spaces, soft hyphens)
and folds full-width letters and digits (`analysis.text.visible`), and writes a word
that mixes Latin letters with Cyrillic or Greek lookalikes ("J\u0430ck") in Latin
letters, so that none of these hides a detail. Then it replaces, in this order:

- email addresses with "[email address]", also spelled out ("jo dot bloggs at example
  dot com", "jo [at] example [dot] com", "jo @ example . com");
- usernames ("@jo_bloggs99") with "[username]";
- UK phone numbers (07700 900123, +44 7700 900123, 01432 260000, (01432) 260 000,
  and spaced out, 0 7 7 0 0 9 0 0 1 2 3) with "[phone number]";
- UK postcodes, in any case and with or without the space (HR1 2AB, hr12ab) with
  "[postcode]";
- street addresses, a house number then up to three words and a street word (12
  Widemarsh Street, Flat 3, 4 Green Lane, 24 Bath St, 7 the Close) with "[address]";
- names, with "[name]":
  - the word after a cue: a title ("Mrs Smith", "dr patel", "Miss Harper"), a relation
    or role ("my son Jack", "our ta sophie", "my daughter is called amelia"), "called"
    or "named" ("a boy called jake"), "my name is", "I'm" ("im ellie"), a possessive
    before a relation or role ("sophie's mum");
  - every other capitalised word that is not in ALLOWED (places, services, acronyms,
    days, months, school subjects...) and does not start a sentence;
  - a capitalised word that starts a sentence, unless Brill's part-of-speech lexicon
    (shipped with TextBlob) knows it as an ordinary word ("The", "Waiting", "Great")
    and it is not also a common first name ("Jack", "Rose", "Poppy").

It is deliberately over-eager: a redacted ordinary word costs a quote some sense, a
leaked name can identify a child. Expect "[name]" for unknown acronyms, for words
capitalised for emphasis, and for typos at the start of a sentence.

What it misses: usernames without an "@" ("insta jo.bloggs"); phone numbers written in
words ("oh seven seven..."); names in lower case without a cue ("me and jack play"); a lower-case
surname after a cue-found first name ("my son jack smith": "smith" stays); first names
that are ordinary words, in lower case after a relation ("my son will"); names in
capitals inside a sentence written all in capitals; nicknames and usernames; schools,
clubs and places not in ALLOWED that are written in lower case; other identifying
details (a rare condition, a job title, "the only autistic girl in year 9"). Someone
must still read every quote before it is published.

Text goes in and comes out as text: nothing is unescaped or marked up, so "<b>" stays
"<b>" and the app escapes on output as for any other text.
"""

import functools
import importlib.resources
import re

import pandas as pd

from analysis.text import each_distinct, unmixed, visible

NAME = "[name]"
PHONE_NUMBER = "[phone number]"
EMAIL_ADDRESS = "[email address]"
POSTCODE = "[postcode]"
USERNAME = "[username]"
ADDRESS = "[address]"

# Capitalised words and phrases that are not personal names; case does not matter and
# a plural or 's may follow ("EHCPs", "TA's").
_PLACES = """
    Herefordshire, Hereford, Leominster, Ross-on-Wye, Ross, Ledbury, Bromyard, Kington,
    Golden Valley, Wye, Wye Valley, Worcester, Worcestershire, Shropshire, Gloucestershire,
    Powys, Wales, England, Britain, UK, Birmingham, London, Bristol, Cardiff"""
_SEND_WORDS = """
    Council, Herefordshire Council, NHS, CAMHS, SENCO, SENDCO, SENCo, SEND, SEN, SENDIASS,
    IASS, EHCP, EHC, EHCNA, Local Offer, Parent Carer Voice, PCV, Healthwatch, Ofsted, CQC,
    DfE, ICB, LGA, Portage, Education, Health, Care, Plan, Social Care, Social Services,
    Children's Services, Early Help, Autism, ADHD, ASD, ASC, PDA, ODD, OCD, SEMH, SLCN, PMLD,
    SLD, MLD, FASD, ARFID, Down's, Down, Asperger's, Tourette's, Dyslexia, Dyspraxia, Makaton,
    PECS, TA, LSA, HLTA, ELSA, EBSA, SALT, SLT, OT, EP, GP, A&E, PA, AP, PRU, PfA, DLA, PIP,
    GCSE, BTEC, SATs, PE, RE, IT, ICT, DT, PSHE, KS1, KS2, KS3, KS4, KS5, Year, Reception,
    Covid"""
_SUBJECTS_AND_DATES = """
    English, Maths, Math, Science, History, Geography, French, Spanish, German, Art, Music,
    Drama, Computing, Welsh, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday,
    January, February, March, April, May, June, July, August, September, October, November,
    December, Christmas, Easter, Halloween, Eid, Diwali, Ramadan"""
# People as children write them; titles are kept and the name after them redacted.
_PEOPLE = """
    I, I'm, I've, I'll, I'd, Mum, Mummy, Mom, Mam, Dad, Daddy, Nan, Nanny, Nana, Gran, Granny,
    Grandma, Grandad, Grandpa, Mr, Mrs, Ms, Mx, Miss, Dr, Sir, Teacher, Teachers, School"""
_THINGS = """
    TV, YouTube, Xbox, PlayStation, Nintendo, Switch, Minecraft, Roblox, Fortnite, Lego, Google,
    Facebook, Instagram, TikTok, Snapchat, WhatsApp, Zoom, Teams, iPad"""
# Typed at the start of a sentence these are not in the lexicon, and are not names.
_TXT_SPEAK = """
    OK, Okay, LOL, OMG, Thankyou, Thanku, Thanx, Thx, Ty, Becuase, Becos, Cos, Coz, Pls, Plz,
    Yeah, Yep, Nope, Hiya, Tbh, Idk, Dunno, Gonna, Wanna, Gotta, Im, Ive, Dont, Cant, Wont,
    Didnt, Doesnt, Isnt, Wasnt, Havent, Hasnt, Couldnt, Wouldnt, Shouldnt"""
ALLOWED = frozenset(
    term.strip()
    for terms in (_PLACES, _SEND_WORDS, _SUBJECTS_AND_DATES, _PEOPLE, _THINGS, _TXT_SPEAK)
    for term in terms.split(",")
)

# First names that Brill's lexicon also knows as ordinary words; at the start of a
# sentence they are taken as names.
_FIRST_NAMES_ALSO_WORDS = """
    jack harry rose grace lily holly ruby amber poppy daisy ivy mark bill max lucy summer
    hunter mason faith robin ray sky willow jasmine heather violet scarlett autumn archie
    frankie billy bobby teddy reggie sonny rory jay dawn joy"""
_WORDS_THAT_ARE_NAMES = frozenset(_FIRST_NAMES_ALSO_WORDS.split())

_OPEN_CLASS = frozenset({"NN", "NNS", "NNP", "NNPS", "VB", "JJ", "JJR", "JJS", "FW"})
_PROPER = frozenset({"NNP", "NNPS"})
# A cue's strength says how readily a lower-case word after it is taken as a name.
_STRONG, _RELATION, _WEAK = "strong", "relation", "weak"

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# 0 or +44 (or 0044, or +44 (0)), then 9 or 10 more digits with spaces, dashes, dots or
# brackets between them.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s.)-]{0,2}\d){8,9}(?!\d)"
)
# A number typed with a separator between most digits ("0 7 7 0 0 9 0 0 1 2 3"): five
# or more groups, checked by `_spaced_phone` to be 10 or 11 digits from a leading 0.
_DIGIT_GROUPS = re.compile(r"(?<![\w+])(?:\+\s?)?\(?\d+(?:[\s.()-]{1,3}\d+){4,}(?!\d)")
# An email address spelled out: "at" and "dot" as words or in brackets. Written as
# plain words, "at" counts only with a spelled "dot" too, so "we met at hereford.gov.uk"
# keeps its sense.
_TLD = r"(?:com|org|net|uk|co|gov|nhs|sch|ac|edu|io|me|info|biz|email|online|wales|cymru)"
_SPELLED_DOT = r"(?:\s*[\[(<{]\s*dot\s*[\])>}]\s*|\s+dot\s+)"
_EMAIL_DOT = rf"(?:{_SPELLED_DOT}|\s?\.\s?)"
_EMAIL_LABEL = r"[A-Za-z0-9_%+-]+"
_SPELLED_EMAIL = re.compile(
    rf"(?<![\w.@])(?:{_EMAIL_LABEL}{_EMAIL_DOT})*{_EMAIL_LABEL}"
    rf"(?P<at>\s*[\[(<{{]\s*at\s*[\])>}}]\s*|\s+at\s+|\s*@\s*)"
    rf"(?:{_EMAIL_LABEL}{_EMAIL_DOT})+{_TLD}\b",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w@])@(?=[\w.]*[A-Za-z])\w(?:[\w.]*\w)?")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
_STREET = (
    r"(?:street|st|road|rd|lane|ln|avenue|ave|close|drive|dr|way|place|court|crescent|gardens"
    r"|grove|terrace|walk|row|square|park|mews|green|hill|rise|view|meadows?|parade|croft"
    r"|fields|orchard|vale)"
)
# Words that cannot be part of a street name: they keep "waited 2 years on this road"
# and "a 10 minute walk" out of [address].
_NOT_STREET_NAME = (
    r"(?:the|a|an|on|in|at|of|to|for|and|or|up|down|my|our|his|her|their|this|that|is|was"
    r"|years?|months?|weeks?|days?|hours?|minutes?|mins?|miles?|times?|kids?|children"
    r"|people|pupils?|other|more|less|new|old)"
)
_STREET_WORD = rf"(?!{_NOT_STREET_NAME}\b)[a-z][a-z'-]*\s+"
_ADDRESS = re.compile(
    rf"(?:\b(?:flat|apartment|apt|unit)\s+\d+[a-z]?\s*,?\s*)?"
    rf"\b\d{{1,4}}[a-z]?,?\s+(?:the\s+(?:{_STREET_WORD}){{0,2}}|(?:{_STREET_WORD}){{1,3}})"
    rf"{_STREET}\b\.?",
    re.IGNORECASE,
)

# A name: letters, maybe joined by hyphens or an apostrophe ("Smith-Jones", "O'Brien"),
# but not a possessive 's, which stays outside the name ("[name]'s teacher").
_NAME_WORD = r"[A-Za-z]+(?:-[A-Za-z]+|['\u2019](?![sS]\b)[A-Za-z]+)*"
_RELATIONS = (
    r"(?:son|daughter|child|boy|girl|kid|brother|sister|twin|grandson|granddaughter|nephew"
    r"|niece|stepson|stepdaughter|husband|wife|partner|friend|best friend|mate|cousin"
    r"|boyfriend|girlfriend|teacher|ta|lsa|senco|sendco|key ?worker|social worker"
    r"|case ?worker|support worker|worker|head ?teacher|tutor|nurse|doctor|paediatrician"
    r"|consultant|therapist|ot|salt|physio|carer|mentor|pa|mum|dad|nan|grandma|grandad"
    r"|manager|driver|escort)"
)
# An initial may come first ("Mrs J Smith", "mrs j smith"); "a" and "i" are words.
_FOLLOWED_BY_NAME = (
    rf"[ \t]+(?P<initial>(?:[A-Z]|[b-hj-z])\.?[ \t]+)?(?P<word>{_NAME_WORD})(?![A-Za-z0-9])"
)
# Applied in this order, each over the whole text: titles first, so that in "our senco
# miss harper" the relation cue, finding "miss", does not hide "harper" from the title.
_CUES = (
    (rf"\b(?:(?i:mr|mrs|ms|mx|dr|prof|mister)\b\.?|Miss\b|MISS\b){_FOLLOWED_BY_NAME}", _STRONG),
    (rf"\bmiss\b{_FOLLOWED_BY_NAME}", _WEAK),
    (rf"\b(?i:my|our|his|her|their|the) (?i:{_RELATIONS})\b,?{_FOLLOWED_BY_NAME}", _RELATION),
    (
        r"\b(?i:(?:is|was|are|were|be|being|boy|girl|man|woman|lady|person|someone|somebody"
        rf"|kid|child|friend|teacher) (?:called|named)|my name is|my name's|my names)"
        rf"{_FOLLOWED_BY_NAME}",
        _STRONG,
    ),
    (rf"\b(?i:i'm|i\u2019m|im|i am|this is){_FOLLOWED_BY_NAME}", _WEAK),
    (rf"\b(?P<word>{_NAME_WORD})(?=['\u2019]s (?i:{_RELATIONS})\b)", _WEAK),
)
_COMPILED_CUES = tuple((re.compile(pattern), strength) for pattern, strength in _CUES)

_SENTENCE = re.compile(r"[^.!?\n]*[.!?\n]*")
_ALLOWED_LOWER = frozenset(word.lower() for word in ALLOWED)
_CAPITALISED = re.compile(
    r"(?<![A-Za-z0-9])(?:(?P<allowed>(?i:"
    + "|".join(re.escape(word) for word in sorted(ALLOWED, key=len, reverse=True))
    + r")(?:['\u2019]?s)?)|(?P<word>[A-Z][A-Za-z]*(?:['\u2019-][A-Z][A-Za-z]*)*))(?![A-Za-z0-9])"
)
_REPEATED_NAME = re.compile(r"\[name\](?:[ \t]+\[name\])+")


def redact(text: str) -> str:
    """`text` with personal details replaced by placeholders, as the module describes.

    Placeholders are "[name]", "[phone number]", "[email address]", "[username]",
    "[postcode]" and "[address]"; a full name ("Jack Smith") becomes one "[name]".
    Everything else is kept as it was, markup included, but for characters that show
    nothing.
    """
    text = unmixed(visible(text))
    text = _EMAIL.sub(EMAIL_ADDRESS, text)
    text = _SPELLED_EMAIL.sub(_spelled_email, text)
    text = _HANDLE.sub(USERNAME, text)
    text = _PHONE.sub(PHONE_NUMBER, text)
    text = _DIGIT_GROUPS.sub(_spaced_phone, text)
    text = _POSTCODE.sub(POSTCODE, text)
    text = _ADDRESS.sub(ADDRESS, text)
    for cue, strength in _COMPILED_CUES:
        text = cue.sub(functools.partial(_redact_after_cue, strength=strength), text)
    text = _SENTENCE.sub(lambda sentence: _redact_capitalised(sentence.group(0)), text)
    return _REPEATED_NAME.sub(NAME, text)


def redact_series(texts: pd.Series) -> pd.Series:
    """`redact` of each text; missing stays missing. Same index and name."""
    return each_distinct(texts, redact)


def _spelled_email(match: re.Match[str]) -> str:
    at = match.group("at").strip().lower()
    if at == "at" and not re.search(_SPELLED_DOT, match.group(0), re.IGNORECASE):
        return match.group(0)
    return EMAIL_ADDRESS


def _spaced_phone(match: re.Match[str]) -> str:
    written = match.group(0)
    digits = "".join(ch for ch in written if ch.isdigit())
    if written.startswith("+") and digits.startswith("44"):
        digits = "0" + digits[2:]
    elif digits.startswith("0044"):
        digits = "0" + digits[4:]
    return PHONE_NUMBER if digits.startswith("0") and len(digits) in (10, 11) else written


def _redact_after_cue(match: re.Match[str], strength: str) -> str:
    word = match.group("word")
    if not _is_name_after_cue(word, strength):
        return match.group(0)
    # The initial, if any, goes with the name: "Mrs J Smith" -> "Mrs [name]".
    name_start = match.start("initial") if match.groupdict().get("initial") else match.start("word")
    return match.group(0)[: name_start - match.start()] + NAME


def _is_name_after_cue(word: str, strength: str) -> bool:
    lower = word.lower()
    if lower in _ALLOWED_LOWER:
        return False
    if word[0].isupper() and not word.isupper():
        return True
    tag, capitalised_tag = _lexicon().get(lower), _lexicon().get(lower.capitalize())
    if strength == _STRONG:
        return tag is None or tag in _OPEN_CLASS
    if strength == _RELATION:
        # "my son mark", "my son jack", "my son alfie", but not "my son has".
        return tag is None or (capitalised_tag in _PROPER and tag in {"NN", "VB", "VBD", "JJ"})
    # After "I'm" most words are not names ("im autistic", "im 12", "im ok"): only
    # words the lexicon knows as names and nothing else.
    return capitalised_tag in _PROPER and tag is None


def _redact_capitalised(sentence: str) -> str:
    letters = [c for c in sentence if c.isalpha()]
    capitals = sum(c.isupper() for c in letters)
    # A sentence in capitals is shouting, not a row of acronyms.
    shouting = len(sentence.split()) >= 3 and capitals >= 0.8 * len(letters)

    def replace(match: re.Match[str]) -> str:
        word = match.group("word")
        if word is None or len(word) == 1 or (shouting and word.isupper()):
            return match.group(0)
        starts_sentence = not any(c.isalnum() for c in sentence[: match.start()])
        if starts_sentence and _ordinary_word(word):
            return match.group(0)
        return NAME

    return _CAPITALISED.sub(replace, sentence)


def _ordinary_word(word: str) -> bool:
    lower = word.lower()
    if lower in _WORDS_THAT_ARE_NAMES:
        return False
    tag = _lexicon().get(word)
    return (tag is not None and tag not in _PROPER) or lower in _lexicon()


@functools.cache
def _lexicon() -> dict[str, str]:
    """Brill's lexicon as TextBlob ships it: word -> most likely part-of-speech tag."""
    text = (importlib.resources.files("textblob.en") / "en-lexicon.txt").read_text("utf-8")
    return {
        fields[0]: fields[1]
        for fields in (line.split() for line in text.splitlines())
        if len(fields) == 2 and not fields[0].startswith(";")
    }
