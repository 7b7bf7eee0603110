"""Word-level post-correction of Vietnamese OCR: diacritics repaired in context.

Tesseract's ``vie`` model mostly reads the letters of a word right and its
marks wrong.  On the pages of ``bench/ocr_fix_eval.py`` the wrong words are
above all a hook above (hỏi) lost or read as another tone ("tô chức", "bố
sung", "phát triên", "chuyến đối", "thâm quyền", "vật liệu nố", "đế"), then a
tone lost ("quyên", "tiên", "câp") and a few misread vowel marks
("Thưong", "UỶ BAN NHÂN DẦN").  A word is repaired to a *fold-mate*: a word
with the same letters once marks are dropped (``fold``: no marks, lower case,
đ -> d; one character in, one out).  Three steps, the first that decides wins:

1. **Known phrases** (``_phrases``): unit names and aliases of the gazetteer
   and provinces ("tỉnh Lào Cai"), split at punctuation, plus the
   document-type words, legal and administrative phrases and month names of
   ``models/ocr_phrases.yaml``.  A run of words that folds like exactly one
   phrase gets the phrase's marks, unless a pair of its words as read is a
   corpus pair of its own, or an edge word pairs better with its outside
   neighbour as read, or (two-word phrases) a real word would need an
   implausible change (``_phrase_ok``).  A long phrase (>= 12 folded letters)
   may differ by one letter (two from 24) in a word that is no known
   syllable ("Sở Côug Thương").
2. **Word pairs in context** (``_pairs``): the syllable-pair counts of the
   corpus (``models/ocr_ngrams.tsv``, made by ``devset/build_ocr_ngrams.py``
   from texts the eval does not read).  A word becomes the fold-mate the
   corpus pairs with its neighbours (``_by_context``) when that fold-mate is
   a plausible misreading (``_plausible``), seen ``pair_min`` times beside
   them and ``pair_ratio`` times more than any other, and the word as read is
   ``pair_ratio`` times rarer beside each neighbour and unseen (or
   ``typo_ratio`` times rarer) beside one.  "tô chức" -> "tổ chức"; "lợi thế
   của" stays.  Two passes, so a repaired word is context for the next.
3. **Lone words**: a word that is no known syllable (corpus counts and
   ``lexicon.syllables()``), with no telling context, when one plausible
   fold-mate is frequent (``word_min``) and ``word_ratio`` times more than the
   next (``misspelt_ratio`` for a word not spelled like a syllable, which is
   wrong anyway: "quyêt" -> "quyết", "câp" -> "cấp"; "hiêm" -> "hiểm"); not a
   capitalised word spelled like a syllable (a name) nor a short unmarked
   acronym ("SOC").

Plausible (``_plausible``): between two real words only the confusions
tesseract makes, the hook above lost or read as another tone, or a tone lost
("cơ thể", "cùng cấp", "bức xạ", "chỉ" stay); any fold-mate for a word not
spelled like a syllable (``valid_shape``).  A capitalised word beside another
("Tường Phú", "Đông Dương") is a name and is left to step 1.

Never touched: a word holding a digit or any character that is not a
Vietnamese letter (symbols "123/QĐ-UBND", dates "15/4/2026", "4năm", codes),
one-letter words outside phrases, words of more than 7 letters or with
f/j/w/z (foreign words), and the punctuation around a word.  The number of
words never changes (the words of an OCR line carry boxes); a repaired word
keeps the case of each letter as read and the tone placement printed ("hoá"
stays new style).  Thresholds live in ``models/ocr_phrases.yaml``.

Measured (``bench/ocr_fix_eval.py``; 6 pages of 46, 47, 37, 42 that the counts
never saw, each rendered three ways; CER against the text layer; a changed
word is *help* when it was wrong and is now right, *harm* the reverse):

======  ==========  =========  =======  ====  ====
render  CER before  CER after  changed  help  harm
======  ==========  =========  =======  ====  ====
clean   2.04 %      1.90 %     25       25    0
150up   2.16 %      1.96 %     36       36    0
blur    2.93 %      2.21 %     100      100   0
======  ==========  =========  =======  ====  ====

CER is lower or equal on every page (47's 13 % is reading order, not
words).  On the tuning pages (``--dev``: 37 p1, p5-8, 42 p2-3) blur goes from
1.37 % to 0.61 % (120 help, 0 harm); on the real scans 48 and 49 (no
reference; ``--scans``) all 30 changes are right by eye; on the clean text
of the whole corpus (236k words) 14 words change, 12 of them misprints of
the source ("chuyển đối số", "nươc", "pháp luât").

``fix_words(words)`` works on one line's words; ``fix_text(text)`` on a
string, keeping its whitespace.  Indexes are built once on first use
(~0.15 s); a 500-word page then takes about 2 ms.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Optional

from .. import lexicon
from ..data import load_yaml, read_text
from ..normalize import fold_char, unify_tones

# =============================================================================
# letters, folding, syllable shape
# =============================================================================
_VOWELS = "aăâeêioôơuưy"
_TONE_MARKS = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}  # huyền sắc hỏi ngã nặng
_LETTERS = frozenset(
    "bcdđghklmnpqrstvx" + "".join(unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in ["", *_TONE_MARKS])
)
_LETTERS = _LETTERS | frozenset(c.upper() for c in _LETTERS)

_ONSETS = (
    "",
    "b",
    "c",
    "ch",
    "d",
    "đ",
    "g",
    "gh",
    "gi",
    "h",
    "k",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "ngh",
    "nh",
    "p",
    "ph",
    "qu",
    "r",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
)
# rhymes without the tone mark (permissive: a rare real rhyme must not look like an OCR error)
_RHYMES = frozenset(
    """
a ac ach ai am an ang anh ao ap at au ay
ăc ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây
e ec em en eng eo ep et
ê êch êm ên êng ênh êp êt êu
i ia ich iêc iêm iên iêng iêp iêt iêu im in inh ip it iu
o oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oc oe oem oen oeo oet oi om on ong
oong ooc op ot
ô ôc ôi ôm ôn ông ôp ôt
ơ ơi ơm ơn ơp ơt
u ua uân uâng uât uây uc uê uêch uênh ui um un ung uôc uôi uôm uôn uông uôt up ut uy uya uych uyên uyêt
uynh uyp uyt uyu uơ uôi
ư ưa ưc ưi ưm ưn ưng ươc ươi ươm ươn ương ươp ươt ươu ưt ưu
y yêm yên yêt yêu ynh yt ych
""".split()
)
_STOPS = ("c", "ch", "p", "t")


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """``normalize.fold_char`` over a word: one character in, one out."""
    return "".join(fold_char(c) for c in word)


@lru_cache(maxsize=65536)
def key(word: str) -> str:
    """The word as the counts store it: NFC, lower case, old tone placement (hòa, thủy)."""
    return unify_tones(unicodedata.normalize("NFC", word).lower())


@lru_cache(maxsize=65536)
def _untone(word: str) -> Optional[tuple[str, int]]:
    """(letters without the tone mark, tone 0-5), None with two tone marks."""
    tone, out = 0, []
    for ch in unicodedata.normalize("NFD", word):
        t = _TONE_MARKS.get(ch)
        if t:
            if tone:
                return None
            tone = t
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)), tone


@lru_cache(maxsize=65536)
def valid_shape(word: str) -> bool:
    """Spelled like a Vietnamese syllable: onset + rhyme, one tone, a stop
    coda (c, ch, p, t) only with the sắc or nặng tone.  "quyêt", "câp", "Thưong"
    are not; "triên" is (but it is no known syllable)."""
    w = word.lower()
    if not w or any(c not in _LETTERS for c in w):
        return False
    u = _untone(w)
    if u is None:
        return False
    base, tone = u
    for on in _ONSETS:
        if base.startswith(on):
            rh = base[len(on) :]
            if rh in _RHYMES and (tone in (2, 5) or not rh.endswith(_STOPS)):
                return True
    return False


def split_token(tok: str) -> tuple[str, str, str]:
    """(leading punctuation, core, trailing punctuation) of a whitespace token."""
    a, b = 0, len(tok)
    while a < b and not tok[a].isalnum():
        a += 1
    while b > a and not tok[b - 1].isalnum():
        b -= 1
    return tok[:a], tok[a:b], tok[b:]


MAX_LETTERS = 7  # the longest Vietnamese syllable ("nghiêng") has 7 letters


def editable(core: str) -> bool:
    """A core that may be rewritten: Vietnamese letters only (no digit, no
    symbol character, no f/j/w/z), at most 7 of them."""
    return 0 < len(core) <= MAX_LETTERS and all(c in _LETTERS for c in core)


def tokens(words: Iterable[str]) -> list[tuple[str, str, str, bool]]:
    """(lead, core, trail, editable) per word (NFC); a word with a digit or a
    loose combining mark anywhere is frozen."""
    out = []
    for w in words:
        w = unicodedata.normalize("NFC", w)
        lead, core, trail = split_token(w)
        ok = editable(core) and not any(c.isdigit() or unicodedata.combining(c) for c in w)
        out.append((lead, core, trail, ok))
    return out


def adjacent(a: tuple[str, str, str, bool], b: tuple[str, str, str, bool]) -> bool:
    """Two words read as one run (no punctuation between them), both editable."""
    return a[3] and b[3] and not a[2] and not b[0]


# =============================================================================
# data
# =============================================================================
@dataclass
class Settings:
    pair_min: int = 3
    pair_ratio: float = 8.0
    word_min: int = 20
    word_ratio: float = 10.0
    misspelt_ratio: float = 4.0
    fuzzy_min_letters: int = 12
    typo_ratio: float = 50.0
    acronym_letters: int = 3


@dataclass
class _Index:
    settings: Settings
    known: frozenset  # keys of known syllables
    word_count: dict  # key -> count
    mates: dict  # fold -> [(key, count)] sorted by count desc
    pair_count: dict  # (key, key) -> count
    pair_groups: dict  # (fold, fold) -> [(key, key, count)]
    phrases: dict  # tuple of folds -> set of key tuples
    phrase_lengths: dict  # fold of the first word -> sorted lengths (longest first)
    fuzzy: dict  # (n, position, fold) -> list of key tuples (long phrases)
    fuzzy_lengths: tuple = ()
    keep: frozenset = field(default_factory=frozenset)  # key tuples never rewritten


def load_phrases() -> dict:
    """models/ocr_phrases.yaml: settings, phrase groups, keep list (validated)."""
    d = load_yaml("ocr_phrases.yaml")
    if set(d) - {"settings", "phrases", "keep"}:
        raise ValueError(f"ocr_phrases.yaml: unknown keys {sorted(set(d) - {'settings', 'phrases', 'keep'})}")
    Settings(**(d.get("settings") or {}))  # unknown settings raise
    if not all(isinstance(v, list) and all(isinstance(p, str) for p in v) for v in d["phrases"].values()):
        raise ValueError("ocr_phrases.yaml: every phrase group is a list of strings")
    return d


def load_ngrams() -> tuple[dict, dict]:
    """models/ocr_ngrams.tsv: ``1<TAB>syllable<TAB>count`` and ``2<TAB>syl syl<TAB>count``."""
    words: dict[str, int] = {}
    pairs: dict[tuple[str, str], int] = {}
    for line in read_text("ocr_ngrams.tsv").splitlines():
        if not line or line.startswith("#"):
            continue
        n, text, count = line.split("\t")
        if n == "1":
            words[text] = int(count)
        else:
            a, b = text.split(" ")
            pairs[a, b] = int(count)
    return words, pairs


def _phrase_runs(text: str) -> list[list[str]]:
    """The runs of 2+ editable words of a name, split at punctuation and at
    words that cannot be rewritten ("Bộ Văn hóa, Thể thao và Du lịch" -> two runs)."""
    runs: list[list[str]] = [[]]
    for lead, core, trail, ok in tokens(text.split()):
        if lead or not ok:
            runs.append([])
        if ok and (runs[-1] or key(core) not in lexicon.words("DETERMINER")):
            runs[-1].append(core)
        if trail:
            runs.append([])
    return [r for r in runs if len(r) >= 2]


def phrase_sources() -> list[str]:
    """Every phrase text: the YAML groups, gazetteer names and aliases, provinces."""
    from .. import gazetteer  # late: the gazetteer imports the extractors

    out = [p for group in load_phrases()["phrases"].values() for p in group]
    for e in gazetteer.gazetteer().entries.values():
        out += [e.name, *e.aliases]
    for p in lexicon.provinces():
        for name in [p.name, *p.aliases]:
            out += [name, f"tỉnh {name}", f"thành phố {name}"]
    return out


@lru_cache(maxsize=1)
def index() -> _Index:
    d = load_phrases()
    settings = Settings(**(d.get("settings") or {}))
    words, pairs = load_ngrams()
    mates: dict[str, list] = {}
    for k, n in words.items():
        mates.setdefault(fold(k), []).append((k, n))
    for v in mates.values():
        v.sort(key=lambda kn: -kn[1])
    pair_groups: dict[tuple[str, str], list] = {}
    for (a, b), n in pairs.items():
        pair_groups.setdefault((fold(a), fold(b)), []).append((a, b, n))
    phrases: dict[tuple[str, ...], set] = {}
    for text in phrase_sources():
        for run in _phrase_runs(text):
            ks = tuple(key(w) for w in run)
            phrases.setdefault(tuple(fold(k) for k in ks), set()).add(ks)
    lengths: dict[str, set] = {}
    fuzzy: dict[tuple[int, int, str], list] = {}
    for fs, forms in phrases.items():
        lengths.setdefault(fs[0], set()).add(len(fs))
        if len(forms) == 1 and sum(map(len, fs)) >= settings.fuzzy_min_letters:
            for p, f in enumerate(fs):
                fuzzy.setdefault((len(fs), p, f), []).append(next(iter(forms)))
    keep = frozenset(tuple(key(w) for w in k.split()) for k in d.get("keep") or [])
    known = frozenset(words) | frozenset(key(s) for s in lexicon.syllables() if valid_shape(s))
    return _Index(
        settings,
        known,
        words,
        mates,
        pairs,
        pair_groups,
        phrases,
        {f: sorted(v, reverse=True) for f, v in lengths.items()},
        fuzzy,
        tuple(sorted({n for n, _, _ in fuzzy}, reverse=True)),
        keep,
    )


# =============================================================================
# rewriting one word
# =============================================================================
_NEW_STYLE = re.compile(r"(?<!q)(?:[òóỏõọ][ae]|[ùúủũụ]y)$")
_MARK_OF = {t: c for c, t in _TONE_MARKS.items()}


def _new_style(k: str) -> str:
    """'hòa' -> 'hoà', 'khỏe' -> 'khoẻ', 'thủy' -> 'thuỷ' (the inverse of
    ``unify_tones`` on one syllable; "của", "quý", "hoàng" stay)."""
    m = _NEW_STYLE.search(k)
    if not m:
        return k
    base, tone = _untone(m.group(0)[0]) or ("", 0)
    return k[: m.start()] + base + unicodedata.normalize("NFC", m.group(0)[1] + _MARK_OF[tone])


def _apply(core: str, new_key: str) -> str:
    """``new_key`` written like ``core``: the case of each letter as read, the
    tone placement as read (a new-style 'hoà' gives new-style output)."""
    core = unicodedata.normalize("NFC", core)
    low = core.lower()
    if unify_tones(low) != low:
        new_key = _new_style(new_key)
    if len(new_key) == len(core):
        return "".join(n.upper() if c.isupper() else n for c, n in zip(core, new_key))
    if core.isupper() and len(core) > 1:
        return new_key.upper()
    return new_key[:1].upper() + new_key[1:] if core[:1].isupper() else new_key


# =============================================================================
# the three steps
# =============================================================================
def fix_words(words: list[str]) -> list[str]:
    """One line's words with diacritics repaired (see the module docstring);
    always as many words as given, tokens with a digit or symbol untouched."""
    if not words:
        return list(words)
    ix = index()
    toks = tokens(words)
    n = len(toks)
    keys = [key(t[1]) if t[3] else "" for t in toks]
    folds = [fold(k) for k in keys]
    new: list[Optional[str]] = [None] * n  # the new key of a word
    locked = [False] * n
    _phrases(ix, toks, keys, folds, new, locked)
    _pairs(ix, toks, keys, folds, new, locked)
    out = list(words)
    for i, k in enumerate(new):
        if k is not None and k != keys[i]:
            lead, core, trail, _ = toks[i]
            out[i] = lead + _apply(core, k) + trail
    return out


def _run_ok(toks: list, i: int, m: int) -> bool:
    """Words i..i+m-1 form one run without punctuation inside."""
    return all(adjacent(toks[j], toks[j + 1]) for j in range(i, i + m - 1)) and toks[i][3]


def _phrases(ix: _Index, toks: list, keys: list, folds: list, new: list, locked: list) -> None:
    n = len(toks)
    i = 0
    while i < n:
        done = 0
        if toks[i][3]:
            for m in ix.phrase_lengths.get(folds[i], ()):
                if i + m > n or not _run_ok(toks, i, m):
                    continue
                forms = ix.phrases.get(tuple(folds[i : i + m]))
                if not forms:
                    continue
                got = tuple(keys[i : i + m])
                if got in forms or got in ix.keep:
                    done = m  # printed as a phrase and read right: its words stay
                    break
                form = next(iter(forms))
                if len(forms) != 1 or not _phrase_ok(ix, toks, keys, i, got, form):
                    continue
                for j, k in enumerate(form):
                    new[i + j] = k
                done = m
                break
        if done:
            for j in range(i, i + done):
                locked[j] = True
            i += done
        else:
            i += 1
    _fuzzy_phrases(ix, toks, keys, folds, new, locked)


def _phrase_ok(ix: _Index, toks: list, keys: list, i: int, got: tuple, form: tuple) -> bool:
    """May the words ``got`` at ``i`` become the phrase ``form``?  Not when

    * a pair of them as read is a corpus pair of its own ("hiện pháp" in
      "thực hiện pháp luật" is no "Hiến pháp");
    * a word at the edge pairs with its outside neighbour as read better than
      as the phrase has it ("tài chính phù hợp" holds no "Chính phủ");
    * the phrase has two words and one of them, a real word, is no plausible
      misreading of the phrase's (``_plausible``: "hệ thống bảo hiểm" holds
      no "thông báo", "điều chỉnh phù hợp" no "Chính phủ").
    """
    m = len(got)
    for j in range(m - 1):
        if got[j : j + 2] != form[j : j + 2] and (got[j], got[j + 1]) in ix.pair_count:
            return False
    pc = ix.pair_count
    if got[0] != form[0] and i > 0 and adjacent(toks[i - 1], toks[i]):
        if pc.get((keys[i - 1], got[0]), 0) > pc.get((keys[i - 1], form[0]), 0):
            return False
    e = i + m - 1
    if got[-1] != form[-1] and e + 1 < len(toks) and adjacent(toks[e], toks[e + 1]):
        if pc.get((got[-1], keys[e + 1]), 0) > pc.get((form[-1], keys[e + 1]), 0):
            return False
    return m > 2 or all(g == f or _plausible(ix, g, f) for g, f in zip(got, form))


def _fuzzy_phrases(ix: _Index, toks: list, keys: list, folds: list, new: list, locked: list) -> None:
    """Long phrases with one letter wrong in a word that is no known syllable."""
    for j in range(len(toks)):
        if not toks[j][3] or locked[j] or keys[j] in ix.known:
            continue
        found = _fuzzy_match(ix, toks, keys, folds, locked, j)
        if found is not None:
            i, form = found
            for q, k in enumerate(form):
                new[i + q] = k
                locked[i + q] = True


def _fuzzy_match(ix: _Index, toks: list, keys: list, folds: list, locked: list, j: int) -> Optional[tuple[int, tuple]]:
    """The closest phrase form over the unknown word ``j``: (start, form), or
    None when no form is close enough or two are equally close."""
    from rapidfuzz.distance import Levenshtein

    n = len(toks)
    best: Optional[tuple[int, int, tuple]] = None
    ambiguous = False
    for m in ix.fuzzy_lengths:
        for i in range(max(0, j - m + 1), min(j, n - m) + 1):
            if any(locked[i : i + m]) or not _run_ok(toks, i, m):
                continue
            seen: set = set()
            for p in range(m):
                if i + p == j:
                    continue
                for form in ix.fuzzy.get((m, p, folds[i + p]), ()):
                    if form in seen:
                        continue
                    seen.add(form)
                    a, b = " ".join(folds[i : i + m]), " ".join(fold(k) for k in form)
                    tol = 2 if len(b) >= 24 else 1
                    d = Levenshtein.distance(a, b, score_cutoff=tol + 1)
                    if d > tol:
                        continue
                    # only the unknown word may differ in its letters
                    if any(folds[i + q] != fold(form[q]) and keys[i + q] in ix.known for q in range(m)):
                        continue
                    if best is None or d < best[0]:
                        best, ambiguous = (d, i, form), False
                    elif d == best[0] and (i, form) != best[1:]:
                        ambiguous = True
    if best is None or ambiguous:
        return None
    return best[1], best[2]


def _plausible(ix: _Index, got: str, want: str) -> bool:
    """Could OCR have read ``want`` as ``got``?  Only the confusions tesseract
    makes (bench/ocr_fix_eval.py), strictest for a real word:

    * ``got`` not spelled like a syllable ("quyêt", "Thưong"): any fold-mate;
    * ``got`` spelled like one: the same letters, and the hook above lost or
      read as another tone ("tô", "tố", "tồ" for "tổ"), or the tone lost
      ("quyên" for "quyền"), so "cơ thể", "cùng cấp", "bức xạ" stay; a word
      never seen in the corpus may also have đ for d ("đân").
    """
    if not valid_shape(got):
        return True
    a, b = _untone(got), _untone(want)
    if a is None or b is None:
        return False
    if a[0] == b[0]:
        return b[1] == 3 or a[1] == 0
    return got not in ix.known and a[1] == b[1] and a[0].replace("đ", "d") == b[0].replace("đ", "d")


def _name_like(toks: list, i: int) -> bool:
    """A capitalised word beside another ("Tường Phú", "Đông Dương"): part of a
    name, whose marks the corpus pairs cannot tell ("tại Điều 5", "- Tố chức" are no names)."""

    def title(j: int) -> bool:
        core = toks[j][1]
        return core[:1].isupper() and not core.isupper() and valid_shape(core)

    if not title(i):
        return False
    return (i > 0 and adjacent(toks[i - 1], toks[i]) and title(i - 1)) or (
        i + 1 < len(toks) and adjacent(toks[i], toks[i + 1]) and title(i + 1)
    )


def _pairs(ix: _Index, toks: list, keys: list, folds: list, new: list, locked: list) -> None:
    """Step 2 and 3, twice: a word repaired in the first pass is the context
    of its neighbours in the second ("chuyên đối số": "đổi", then "chuyển")."""
    s = ix.settings
    n = len(toks)
    for _ in range(2):
        cur = [k if k is not None else keys[i] for i, k in enumerate(new)]
        changed = False
        for i in range(n):
            if not toks[i][3] or locked[i] or len(toks[i][1]) < 2 or _name_like(toks, i):
                continue
            cands = ix.mates.get(folds[i])
            if not cands:
                continue
            k0 = keys[i]
            sides = []  # per neighbour: {fold-mate: count beside it}
            if i > 0 and adjacent(toks[i - 1], toks[i]):
                sides.append(_beside(ix, ix.pair_groups.get((folds[i - 1], folds[i])), cur[i - 1], 0))
            if i + 1 < n and adjacent(toks[i], toks[i + 1]):
                sides.append(_beside(ix, ix.pair_groups.get((folds[i], folds[i + 1])), cur[i + 1], 1))
            sides = [d for d in sides if d]
            best = _by_context(ix, k0, sides) if sides else None
            if best is None and k0 not in ix.known and _lone_ok(toks[i][1], s):
                # no telling context: an unknown word alone
                ok = [(k, c) for k, c in cands if k != k0 and _plausible(ix, k0, k)]
                ratio = s.word_ratio if valid_shape(k0) else s.misspelt_ratio  # a misspelt word is wrong anyway
                if (
                    ok
                    and ok[0][1] >= s.word_min
                    and ok[0][1] >= ratio * (ok[1][1] if len(ok) > 1 else 0)
                    and all(ok[0][0] in d for d in sides)
                ):
                    best = ok[0][0]
            if best is not None and new[i] != best:
                new[i] = best
                changed = True
        if not changed:
            break


def _lone_ok(core: str, s: Settings) -> bool:
    """May an unknown word be repaired without context?  Not a capitalised
    word spelled like a syllable (a name: "Thợ" is no "Thơ" either) nor a
    short unmarked capitals word (an acronym: "SOC", "DAP")."""
    if core.isupper():
        return len(core) > s.acronym_letters or any(c not in "ABCDEGHIKLMNOPQRSTUVXY" for c in core)
    return not (core[:1].isupper() and valid_shape(core))


def _beside(ix: _Index, group: Optional[list], neighbour: str, side: int) -> dict:
    """{fold-mate: count} of the corpus pairs of the fold group whose
    neighbour word is the one read or one it could be a misreading of
    ("những văn" says nothing about "nhưng vẫn": "vẫn" is no misread "văn")."""
    out: dict[str, int] = {}
    for pair in group or ():
        other, mine = pair[side], pair[1 - side]
        if other == neighbour or _plausible(ix, neighbour, other):
            out[mine] = out.get(mine, 0) + pair[2]
    return out


def _by_context(ix: _Index, k0: str, sides: list) -> Optional[str]:
    """The fold-mate the neighbours call for, or None.  It must be a plausible
    misreading (``_plausible``), seen ``pair_min`` times with the neighbours and
    ``pair_ratio`` times more than any other plausible one; the word as read
    must be ``pair_ratio`` times rarer than the fold-mate beside each
    neighbour, and unseen (or ``typo_ratio`` times rarer: the corpus has its
    own misprints, "chuyển đối" twice) beside one."""
    s = ix.settings
    total: dict[str, int] = {}
    for d in sides:
        for k, c in d.items():
            if k != k0 and _plausible(ix, k0, k):
                total[k] = total.get(k, 0) + c
    if not total:
        return None
    ranked = sorted(total.items(), key=lambda kv: -kv[1])
    best, top = ranked[0]
    if top < s.pair_min or (len(ranked) > 1 and top < s.pair_ratio * ranked[1][1]):
        return None
    if any(d.get(k0, 0) * s.pair_ratio > d.get(best, 0) for d in sides):
        return None
    if not any(d.get(best, 0) > 0 and d.get(k0, 0) * s.typo_ratio <= d.get(best, 0) for d in sides):
        return None
    return best


_SPACE = re.compile(r"(\s+)")


def fix_text(text: str) -> str:
    """``fix_words`` on a string's words, its whitespace kept as it was."""
    parts = _SPACE.split(text)
    words = parts[0::2]
    idx = [i for i, w in enumerate(words) if w]
    fixed = fix_words([words[i] for i in idx])
    for i, w in zip(idx, fixed):
        words[i] = w
    parts[0::2] = words
    return "".join(parts)
