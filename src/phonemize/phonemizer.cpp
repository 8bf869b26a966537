#include "phonemize/phonemizer.h"

#include <algorithm>
#include <string_view>

#include "core/error.h"
#include "text/text_sanitizer.h"
#include "text/unicode_nfd.h"

namespace avatar_voice {
namespace {

// re.sub(r"\([^)]+\)", "", s): espeak marks words it read in another language with "(en)".
std::string removeLanguageFlags(const std::string& ipa) {
  std::string out;
  out.reserve(ipa.size());
  for (size_t i = 0; i < ipa.size(); ++i) {
    if (ipa[i] == '(') {
      const size_t close = ipa.find(')', i + 1);
      if (close != std::string::npos && close > i + 1) {
        i = close;
        continue;
      }
    }
    out.push_back(ipa[i]);
  }
  return out;
}

struct Span {
  int32_t start, end;
};

// Byte spans of the space-separated words in [start, end) of `text`.
std::vector<Span> wordSpans(const std::string& text, int32_t start, int32_t end) {
  std::vector<Span> words;
  int32_t i = start;
  while (i < end) {
    while (i < end && text[i] == ' ') ++i;
    if (i >= end) break;
    int32_t j = i;
    while (j < end && text[j] != ' ') ++j;
    words.push_back({i, j});
    i = j;
  }
  return words;
}

// Appends a clause's phonemes. Offsets: espeak gives none per word, so when the clause has as
// many phoneme words as text words they are paired one to one (the common case); otherwise
// (numbers, abbreviations, emoji expand into several words) every phoneme gets the clause span.
void appendClause(const EspeakClause& clause, const SanitizedText& clean, int32_t base,
                  std::vector<PhonemeToken>& out) {
  std::string ipa = removeLanguageFlags(clause.ipa);
  if (clause.terminator) {
    ipa.push_back(clause.terminator);
    if (clause.terminator == ',' || clause.terminator == ':' || clause.terminator == ';')
      ipa.push_back(' ');
  }
  const std::u32string codepoints = toNfd(decodeUtf8(ipa));

  const std::vector<Span> textWords =
      wordSpans(clean.text, base + clause.textStart, base + clause.textEnd);
  size_t phonemeWords = 0;
  bool inWord = false;
  for (char32_t c : codepoints) {
    if (c != U' ' && !inWord) ++phonemeWords;
    inWord = c != U' ';
  }
  const bool paired = phonemeWords == textWords.size();
  const Span clauseSpan{clean.sourceOffset(base + clause.textStart),
                        clean.sourceOffset(base + clause.textEnd)};

  size_t word = 0;  // 1-based index of the phoneme word being read
  inWord = false;
  for (char32_t c : codepoints) {
    const bool space = c == U' ';
    if (!space && !inWord) ++word;
    inWord = !space;
    PhonemeToken token;
    token.symbol = encodeUtf8(c);
    if (space) {
      // A word gap belongs to no word: nothing to highlight while it sounds.
      token.textStart = -1;
      token.textEnd = -1;
    } else if (paired) {
      token.textStart = clean.sourceOffset(textWords[word - 1].start);
      token.textEnd = clean.sourceOffset(textWords[word - 1].end);
    } else {
      token.textStart = clauseSpan.start;
      token.textEnd = clauseSpan.end;
    }
    out.push_back(std::move(token));
  }
}

}  // namespace

PhonemizedText Phonemizer::phonemize(const std::string& text, const PhonemizeOptions& options) {
  const SanitizedText clean = sanitizeText(text, {options.maxChars});
  engine_.setVoice(options.voice);

  PhonemizedText result;
  auto& sentences = result.sentences;
  bool previousWasRaw = false;
  const std::string& s = clean.text;
  size_t pos = 0;
  while (pos <= s.size()) {
    // Split like re.split(r"(\[\[.*?\]\])"): a block ends at the first "]]".
    size_t open = s.find("[[", pos);
    size_t close = open == std::string::npos ? std::string::npos : s.find("]]", open + 2);
    if (close == std::string::npos) open = std::string::npos;
    const size_t textEnd = open == std::string::npos ? s.size() : open;

    if (textEnd > pos) {
      const std::string part = s.substr(pos, textEnd - pos);
      std::vector<PhonemizedSentence> partSentences;
      PhonemizedSentence current;
      bool started = false;
      for (const EspeakClause& clause : engine_.clauses(part)) {
        if (!started) current.textStart = clean.sourceOffset(pos + clause.textStart);
        started = true;
        appendClause(clause, clean, static_cast<int32_t>(pos), current.phonemes);
        current.textEnd = clean.sourceOffset(pos + clause.textEnd);
        if (clause.endOfSentence) {
          partSentences.push_back(std::move(current));
          current = PhonemizedSentence{};
          started = false;
        }
      }
      if (!current.phonemes.empty()) partSentences.push_back(std::move(current));
      size_t first = 0;
      if (previousWasRaw && !partSentences.empty() && !sentences.empty()) {
        auto& into = sentences.back();
        into.phonemes.insert(into.phonemes.end(), partSentences[0].phonemes.begin(),
                             partSentences[0].phonemes.end());
        into.textEnd = partSentences[0].textEnd;
        first = 1;
      }
      for (size_t i = first; i < partSentences.size(); ++i)
        sentences.push_back(std::move(partSentences[i]));
      previousWasRaw = false;
    }
    if (open == std::string::npos) break;

    // Raw phoneme block.
    if (sentences.empty()) {
      sentences.emplace_back();
      sentences.back().textStart = clean.sourceOffset(open);
    }
    auto& into = sentences.back();
    const int32_t blockStart = clean.sourceOffset(open), blockEnd = clean.sourceOffset(close + 2);
    auto pushRaw = [&](std::string symbol) {
      into.phonemes.push_back(PhonemeToken{std::move(symbol), blockStart, blockEnd});
    };
    if (open > 0 && s[open - 1] == ' ') pushRaw(" ");
    std::string inner = s.substr(open + 2, close - open - 2);
    const size_t b = inner.find_first_not_of(' '), e = inner.find_last_not_of(' ');
    inner = b == std::string::npos ? "" : inner.substr(b, e - b + 1);
    for (char32_t c : decodeUtf8(inner)) pushRaw(encodeUtf8(c));
    if (close + 2 < s.size() && s[close + 2] == ' ') pushRaw(" ");
    into.textEnd = blockEnd;
    previousWasRaw = true;
    pos = close + 2;
  }
  // A sentence with no phonemes has nothing to speak: espeak yields one for empty input, and for a
  // sentence whose clauses all come back empty (e.g. a script whose language has no data, "ॠ।").
  sentences.erase(std::remove_if(sentences.begin(), sentences.end(),
                                 [](const PhonemizedSentence& x) { return x.phonemes.empty(); }),
                  sentences.end());
  return result;
}

std::string espeakIpa(EspeakEngine& engine, const std::string& text, const std::string& voice) {
  engine.setVoice(voice);
  std::string joined;
  for (const EspeakClause& clause : engine.clauses(text)) {
    if (clause.ipa.empty()) continue;
    if (!joined.empty()) joined.push_back(' ');
    joined += clause.ipa;
  }
  return joined;
}

}  // namespace avatar_voice
