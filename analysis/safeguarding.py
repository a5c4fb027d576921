"""Comments that suggest a child or young person may be at risk, for a safeguarding lead.

Each comment is read in its plain form (`analysis.text.plain`: lower case, words only,
"don't" spelled "do not") and checked against phrase patterns in four categories:

- harm_at_home: someone at home or in the family hurting, threatening or neglecting a
  child ("my dad hits me", "im scared to go home", "they hit me at home");
- self_harm: suicidal thoughts or self-injury, the child's own or a parent's report of
  it ("i want to die", "i cut myself", "nobody would miss me", "she self harms");
- abuse: sexual abuse, grooming, exploitation, secrets, adults hurting or restraining a
  child ("someone touched me", "he makes me keep secrets", "an older boy makes me do
  things");
- unsafe: not feeling safe, bullying, threats, violence ("i dont feel safe", "i get
  bullied", "they punch me").

The patterns err on the side of flagging: a false alarm costs a safeguarding lead a
minute, a missed disclosure can leave a child at risk. So:

- harm, self-harm and abuse phrases are flagged even when negated ("my dad never hits
  me", "i dont want to die"): they are rare in ordinary comments, and a denial can
  still be worth a look;
- only "unsafe" is negation-aware, because "safe" and "bullied" are common in ordinary
  comments: "i do not feel safe" is flagged and "i feel safe" is not; "i never feel
  unsafe" and "nobody bullies me" are not;
- figures of speech that name harm are flagged ("my mum will kill me if I'm late",
  "it really hurts me to see him struggle"), except these, which are common and not
  about a person at risk: "the wait is killing me" (no one is named as killed),
  "it touched me that they listened" (touched in feeling), "die my hair" (dye).

Text written to get past a filter is read as a person would make it out as well as
as written (`analysis.text.unmasked`): zero-width characters and soft hyphens inside a
word, Cyrillic lookalike letters, "k1ll mys3lf", "d i e", "d-i-e".

Patterns cannot read meaning: a disclosure in words they do not know, in another
language or spread across sentences ("my dad. he hurts") can be missed. Every
free-text answer is still read by a person; this only puts some first.
"""

import re

import pandas as pd

from analysis.text import plain, unmasked

CATEGORIES = ("harm_at_home", "self_harm", "abuse", "unsafe")

_FAMILY = (
    r"(?:mum|mums|mom|mam|mummy|mother|dad|dads|da|daddy|father|step ?(?:dad|mum|father|mother)"
    r"|parents?|brothers?|sisters?|nan|nanny|nana|gran|granny|grandma|grandad|grandpa|uncle"
    r"|aunt|auntie|aunty|carers?|foster (?:mum|dad|carer|parent)s?"
    r"|(?:mum|mom|mam)'?s (?:boyfriend|partner)|dad'?s (?:girlfriend|partner))"
)
_HURTS = (
    r"(?:hit|hits|hitting|hurt|hurts|hurting|beat|beats|beating|beaten|kick|kicks|kicked"
    r"|kicking|punch|punches|punched|punching|slap|slaps|slapped|slapping|smack|smacks"
    r"|smacked|smacking|strangles?|strangled|strangling|chokes?|choked|choking|burns?|burnt"
    r"|burned|bites?|bit|pinch|pinches|pinched|push|pushes|pushed|shoves?|shoved|batters?"
    r"|battered|abuses?|abused|abusing|throws? things at|threw things at)"
)
_HURT_DONE = r"(?:hit|hurt|beaten|beaten up|kicked|punched|slapped|smacked|attacked|assaulted)"
_VICTIM = r"(?:me|us|him|her|them|my \w+)"
_SELF = r"(?:my ?self|himself|herself|themselves|themself)"
_NOBODY = r"(?:nobody|no one|noone|no body)"
_PICTURES = r"(?:pics?|pictures|photos?|images|videos|nudes)"
_I_AM = r"(?:i|we|he|she|they) (?:get|gets|got|am|is|are|was|were|been|being|be)"
_AFRAID = r"(?:scared|afraid|frightened|terrified|petrified)"
_GROUP = r"(?:the|some|these|those) (?:\w+ )?(?:boys|girls|kids|children|men|man|lads)"
# "not ... safe" with up to four words between ("i do not always feel safe"), but not
# "not safe-guarded", which `plain` turns into "not safe guarded".
_NOT_SAFE = (
    r"(?:\b(?:not|never|no longer)(?: \w+){0,4}? safe\b(?! ?guard)"
    r"|\bno safe\b|\bnowhere\b(?: \w+){0,2}? safe\b)"
)
# Only the words just before are checked: cheap, and enough for "never feel unsafe".
_UNLESS_NEGATED = (
    r"(?<!\bnot )(?<!\bnever )(?<!\bnobody )(?<!\bno one )(?<!\bnoone )"
    r"(?<!\bnot feel )(?<!\bnever feel )(?<!\bnever felt )"
)

_PATTERNS = {
    "harm_at_home": [
        rf"\b{_FAMILY}\b(?: \w+){{0,3}}? {_HURTS} {_VICTIM}\b",
        rf"\b{_HURTS} (?:me|us)\b(?: \w+){{0,4}}? (?:at|in) (?:my |our |the )?home\b",
        rf"\b(?:at|in) (?:my |our |the )?home\b(?: \w+){{0,4}}? {_HURTS} (?:me|us)\b",
        rf"\b{_I_AM} (?:\w+ )?{_HURT_DONE} by (?:my |our |his |her )?{_FAMILY}\b",
        rf"\b{_AFRAID} (?:\w+ ){{0,2}}?"
        rf"(?:(?:to )?go(?:ing)? home|at home|of (?:my |our )?{_FAMILY}\b)",
        rf"{_NOT_SAFE} (?:at|in) (?:my |our |his |her )?home\b",
        r"\bhome (?:is|was) (?:not|never) safe\b",
        r"\bno food at home\b",
        r"\bnot allowed (?:to eat|food)\b",
        r"\b(?:lock|locks|locked) (?:me|us) (?:in|out|up)\b",
        r"\b(?:kick|kicks|kicked|throw|throws|threw) (?:me|us) out\b",
        r"\b(?:leaves|left) (?:me|us) (?:alone|on my own|on our own)"
        r" (?:at home|all night|for days)\b",
    ],
    "self_harm": [
        rf"\b(?:kill|kills|killing|killed) {_SELF}\b",
        r"\bkms\b",
        r"\b(?:end|ending|take|taking) (?:my|his|her|their) (?:own )?life\b",
        r"\bend it all\b",
        r"\b(?:want|wants|wanted|wanting|wanna|going|gonna) (?:to |2 )?"
        r"(?:die\b(?! (?:my|his|her|their) hair)|be dead|unalive)",
        r"\bwish (?:i|he|she) (?:was|were|had) (?:dead|never been born|not born|not alive)\b",
        r"\bwish (?:i|he|she) (?:was|were) (?:not|never) (?:here|alive|born)\b",
        r"\bbetter off (?:dead|without (?:me|him|her))\b",
        rf"\b{_NOBODY} (?:would|will|'d)? ?(?:miss|care about|notice) me\b",
        rf"\b{_NOBODY} would (?:care|notice) if i\b",
        rf"\b(?:cut|cuts|cutting) (?:{_SELF}|my (?:arms?|wrists?|legs?))\b",
        rf"\b(?:hurt|hurts|hurting|harm|harms|harming) {_SELF}\b",
        r"\bself ?harm",
        r"\bsuicid",
        r"\bsewer ?slide\b",
        r"\bunalive",
        r"\boverdos",
        r"\b(?:do|does) not want to (?:live|be alive|exist|be here (?:anymore|any more))\b",
        r"\bno (?:point|reason) (?:in )?(?:living|being alive|going on)\b",
        r"\bcan not go on\b",
        r"\bnot worth living\b",
    ],
    "abuse": [
        # Not "it really touched me that they listened": touched in feeling.
        r"(?<!\bit )(?<!\bthis )(?<!\bthat )(?<!\breally )(?<!\bdeeply )(?<!\bso )(?<!\btruly )"
        r"\b(?:touch|touches|touched|touching) me\b"
        r"(?! (?:that|how|to see|to hear|to know|deeply))",
        r"\b(?:touch|touches|touched|touching) (?:my|his|her)"
        r" (?:private|privates|bum|bottom|body|chest|boobs|willy|parts|down there)\b",
        r"\b(?:make|makes|made|making|force|forces|forced|forcing) (?:me|us|him|her)"
        r" (?:do (?:things|stuff|it|bad things|sexual)|touch|kiss|watch|undress"
        r"|take (?:drugs|my clothes|off)|send|carry|sell|keep)\b",
        r"\b(?:keep|keeps|keeping|kept) (?:a |it a |our |the |these |those )?secrets?\b",
        r"\bour (?:little )?secret\b",
        r"\b(?:told|tells|tell|said|says) (?:me |us )?"
        r"(?:not to|to not|i can not|i must not) tell\b",
        r"\bnot allowed to tell\b",
        r"\bdo not tell (?:anyone|anybody|your mum|your dad|mum|dad)\b",
        r"\b(?:rape|raped|rapes|raping|molest\w*|grope[ds]?|groping|sexual\w*|abus\w*"
        r"|groom(?:ed|ing|s)?)\b",
        r"\bnudes?\b",
        rf"\b(?:asks|asked|ask|wants|wanted) (?:me |us )?(?:for|to send) {_PICTURES}\b",
        rf"\b(?:send|sends|sent) (?:me )?{_PICTURES} of (?:him|her|them|their|his|my ?self|me)\b",
        r"\b(?:older|grown up|adult) (?:boy|girl|man|woman|men|boys|girls|friends?|lads?|guys?)\b"
        r"(?: \w+){0,3}? (?:makes|made|make|gives|gave|give|takes|took|asks|asked|wants"
        r"|touches|touched)\b",
        r"\bcounty lines\b",
        r"\b(?:carry|carrying|deliver|delivering|sell|selling) (?:drugs|packages|parcels|weed)\b",
        r"\bgives? (?:me|us) (?:drugs|vapes|alcohol|weed)\b",
        r"\b(?:teachers?|staff|tas?|adults?|sir|miss|carers?|workers?|drivers?|escorts?)\b"
        rf"(?: \w+){{0,2}}? {_HURTS} {_VICTIM}\b",
        r"\brestrain\w*",
    ],
    "unsafe": [
        _NOT_SAFE,
        rf"{_UNLESS_NEGATED}\bunsafe\b",
        r"\bin danger\b",
        rf"\b{_I_AM} (?:being )?bullied\b",
        rf"{_UNLESS_NEGATED}\bbull(?:y|ies|ied|ying) (?:me|us|him|her|my)\b",
        rf"\b{_AFRAID} of (?:him|her|them|someone|somebody|people|{_GROUP})\b",
        rf"\b{_AFRAID} (?:to go|of going) (?:to school|out|outside)\b",
        r"\b(?:threaten|threatens|threatened|threatening) (?:me|us|him|her|to)\b",
        r"\b(?:follows|followed|following|stalks|stalked|stalking) me\b",
        r"\b(?:going to|gonna|will|wants to|want to|threatened to|said (?:they|he|she) would)"
        r" (?:kill|hurt|stab|beat up) me\b",
        r"\b(?:kill yourself|kill urself|kys)\b",
        r"\b(?:run|runs|ran|running) away\b",
        r"\b(?:has|had|have|carries|carry|carrying|brought|bring|with|pulled|got)"
        r" a (?:knife|gun|weapon)\b",
        r"\bstab\w*",
        rf"{_UNLESS_NEGATED}\b{_HURTS} (?:me|us)\b",
        rf"\b{_I_AM} (?:\w+ )?{_HURT_DONE}\b",
        r"\b(?:attacked|assaulted)\b",
    ],
}
_COMPILED = {category: re.compile("|".join(_PATTERNS[category])) for category in CATEGORIES}


def flag_risk(text: str) -> list[str]:
    """The risk categories `text` suggests, in the order of CATEGORIES; [] for none.

    Categories: harm_at_home, self_harm, abuse, unsafe (see the module's docstring for
    what each covers and which choices were made).
    """
    # Read as written and as unmasked: an evasion ("d\u200bie", "k1ll mys3lf", "d i e")
    # is caught, and nothing flagged as written can be lost by unmasking.
    readings = (plain(text), plain(unmasked(text)))
    return [
        category
        for category in CATEGORIES
        if any(_COMPILED[category].search(reading) for reading in readings)
    ]


def flag_risk_series(texts: pd.Series) -> pd.Series:
    """`flag_risk` of each text: a list per text, [] where it is missing. Name "risks"."""
    return texts.fillna("").map(flag_risk).rename("risks")
