"""A language as a source gives it (``ENGLISH``, ``Deutsch``, ``en-US``, ``ger``) to ISO 639-1.

Databases name the language of a document in their interface language (Factiva: "Deutsch";
LexisNexis: "ENGLISH"; ProQuest: "English"; GDELT: "English"; feeds: "en-us"). The corpus keeps
one code per language, so :func:`normalise_language` maps names in English and in the language
itself, ISO 639-2/3 codes and BCP 47 tags to the two-letter ISO 639-1 code.
"""

from __future__ import annotations

import re
import unicodedata

#: ISO 639-1 code -> names and codes that mean it (lower case, accents kept; both forms are tried).
LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "af": ("afrikaans", "afr"), "am": ("amharic", "amh"), "ar": ("arabic", "العربية", "ara"),
    "az": ("azerbaijani", "azeri", "aze"), "be": ("belarusian", "bel"), "bg": ("bulgarian", "български", "bul"),
    "bn": ("bengali", "bangla", "ben"), "bs": ("bosnian", "bos"), "ca": ("catalan", "català", "cat"),
    "cs": ("czech", "čeština", "tschechisch", "ces", "cze"), "cy": ("welsh", "cymraeg", "cym", "wel"),
    "da": ("danish", "dansk", "dänisch", "dan"), "de": ("german", "deutsch", "allemand", "alemán", "deu", "ger"),
    "el": ("greek", "ελληνικά", "griechisch", "ell", "gre"),
    "en": ("english", "englisch", "anglais", "inglés", "engels", "inglese", "eng"),
    "eo": ("esperanto", "epo"), "es": ("spanish", "español", "castellano", "spanisch", "espagnol", "spa"),
    "et": ("estonian", "eesti", "est"), "eu": ("basque", "euskara", "eus", "baq"),
    "fa": ("persian", "farsi", "فارسی", "fas", "per"), "fi": ("finnish", "suomi", "fin"),
    "fr": ("french", "français", "francais", "französisch", "francés", "fra", "fre"),
    "ga": ("irish", "gaeilge", "gle"), "gl": ("galician", "galego", "glg"), "gu": ("gujarati", "guj"),
    "he": ("hebrew", "עברית", "heb", "iw"), "hi": ("hindi", "हिन्दी", "hin"), "hr": ("croatian", "hrvatski", "hrv"),
    "hu": ("hungarian", "magyar", "hun"), "hy": ("armenian", "hye", "arm"), "id": ("indonesian", "bahasa indonesia", "ind"),
    "is": ("icelandic", "íslenska", "isl", "ice"), "it": ("italian", "italiano", "italienisch", "ita"),
    "ja": ("japanese", "日本語", "japanisch", "jpn"), "ka": ("georgian", "kat", "geo"), "kk": ("kazakh", "kaz"),
    "km": ("khmer", "khm"), "kn": ("kannada", "kan"), "ko": ("korean", "한국어", "koreanisch", "kor"),
    "ku": ("kurdish", "kur"), "ky": ("kyrgyz", "kir"), "la": ("latin", "latina", "lat"), "lo": ("lao", "lao"),
    "lt": ("lithuanian", "lietuvių", "lit"), "lv": ("latvian", "latviešu", "lav"), "mk": ("macedonian", "mkd", "mac"),
    "ml": ("malayalam", "mal"), "mn": ("mongolian", "mon"), "mr": ("marathi", "mar"), "ms": ("malay", "bahasa melayu", "msa", "may"),
    "mt": ("maltese", "malti", "mlt"), "my": ("burmese", "mya", "bur"), "nb": ("norwegian bokmål", "bokmål", "nob"),
    "ne": ("nepali", "nep"), "nl": ("dutch", "nederlands", "niederländisch", "néerlandais", "nld", "dut", "flemish"),
    "nn": ("norwegian nynorsk", "nynorsk", "nno"), "no": ("norwegian", "norsk", "nor"), "pa": ("punjabi", "pan"),
    "pl": ("polish", "polski", "polnisch", "pol"), "ps": ("pashto", "pus"),
    "pt": ("portuguese", "português", "portugiesisch", "por"), "ro": ("romanian", "română", "ron", "rum"),
    "ru": ("russian", "русский", "russisch", "rus"), "si": ("sinhala", "sinhalese", "sin"),
    "sk": ("slovak", "slovenčina", "slk", "slo"), "sl": ("slovenian", "slovene", "slovenščina", "slv"),
    "so": ("somali", "som"), "sq": ("albanian", "shqip", "sqi", "alb"), "sr": ("serbian", "српски", "srpski", "srp"),
    "sv": ("swedish", "svenska", "schwedisch", "swe"), "sw": ("swahili", "kiswahili", "swa"), "ta": ("tamil", "tam"),
    "te": ("telugu", "tel"), "th": ("thai", "ไทย", "tha"), "tl": ("tagalog", "filipino", "tgl", "fil"),
    "tr": ("turkish", "türkçe", "türkisch", "tur"), "uk": ("ukrainian", "українська", "ukr"), "ur": ("urdu", "اردو", "urd"),
    "uz": ("uzbek", "uzb"), "vi": ("vietnamese", "tiếng việt", "vie"),
    "zh": ("chinese", "中文", "汉语", "漢語", "chinesisch", "mandarin", "zho", "chi", "cmn", "chinese simplified",
           "chinese traditional", "simplified chinese", "traditional chinese"),
}


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


_LOOKUP: dict[str, str] = {}
for _code, _names in LANGUAGE_NAMES.items():
    for _name in (_code, *_names):
        _LOOKUP.setdefault(_name, _code)
        _LOOKUP.setdefault(_fold(_name), _code)


def normalise_language(value: object) -> str:
    """ISO 639-1 code for a language name, code or tag; "" when not recognised or missing.

    >>> [normalise_language(v) for v in ("ENGLISH", "Deutsch", "en-US", "ger", "Chinese (Simplified)", "xx")]
    ['en', 'de', 'en', 'de', 'zh', '']
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = re.sub(r"\s+", " ", str(value)).strip().lower()
    if not text:
        return ""
    candidates = [text, re.sub(r"\s*\(.*?\)\s*", " ", text).strip(), re.split(r"[-_]", text, maxsplit=1)[0],
                  text.split(";")[0].split(",")[0].strip()]
    candidates.append(re.sub(r"[()]", "", text))
    for c in candidates:
        if c in _LOOKUP:
            return _LOOKUP[c]
        if _fold(c) in _LOOKUP:
            return _LOOKUP[_fold(c)]
    return ""
