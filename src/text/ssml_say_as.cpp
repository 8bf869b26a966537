#include "text/ssml_say_as.h"

#include <array>
#include <cctype>
#include <utility>

namespace avatar_voice {

void SourceMappedText::append(std::string_view bytes, int32_t start, int32_t end) {
  text.append(bytes);
  sourceStart.insert(sourceStart.end(), bytes.size(), start);
  sourceEnd.insert(sourceEnd.end(), bytes.size(), end);
}

void SourceMappedText::append(const SourceMappedText& other) {
  text += other.text;
  sourceStart.insert(sourceStart.end(), other.sourceStart.begin(), other.sourceStart.end());
  sourceEnd.insert(sourceEnd.end(), other.sourceEnd.begin(), other.sourceEnd.end());
}

namespace {

// One character of the content with the span of the caller's string it came from (all bytes of a
// character share one span: the character itself, or the whole entity that produced it).
struct Char {
  std::string_view bytes;
  char32_t cp = 0;
  int32_t start = 0;
  int32_t end = 0;
};

// The content is valid UTF-8 (the parser checked the source; entities encode scalar values), so
// the lead byte's length is trusted, clamped only to stay inside the string.
std::vector<Char> charsOf(const SourceMappedText& t) {
  std::vector<Char> out;
  for (size_t i = 0; i < t.text.size();) {
    const auto lead = static_cast<unsigned char>(t.text[i]);
    size_t n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    if (i + n > t.text.size()) n = t.text.size() - i;
    char32_t cp = n == 1 ? lead : n == 2 ? (lead & 0x1F) : n == 3 ? (lead & 0x0F) : (lead & 0x07);
    for (size_t k = 1; k < n; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(t.text[i + k]) & 0x3F);
    out.push_back({std::string_view(t.text).substr(i, n), cp, t.sourceStart[i], t.sourceEnd[i]});
    i += n;
  }
  return out;
}

bool isSpace(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U'\f' || c == U'\v' ||
         c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

bool isDigit(char32_t c) { return c >= U'0' && c <= U'9'; }

// Marks that belong to the letter before them: spelling "é" written as e + U+0301 must not make
// the accent a word of its own. The common combining blocks, variation selectors and ZWJ.
bool attachesToPrevious(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
         (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
         (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xFE20 && c <= 0xFE2F) || c == 0x200D;
}

bool isEnglish(const std::string& language) {
  return language.size() >= 2 && std::tolower(static_cast<unsigned char>(language[0])) == 'e' &&
         std::tolower(static_cast<unsigned char>(language[1])) == 'n';
}

// Builds space-separated words: separate() asks for a word break before the next character, which
// becomes one space mapped to the empty span where that character starts (it stands for nothing
// in the source, but sits between two things that do).
class WordWriter {
 public:
  void put(const Char& c) { put(c.bytes, c.start, c.end); }
  void put(std::string_view bytes, int32_t start, int32_t end) {
    if (separate_ && !out_.empty() && out_.text.back() != ' ') out_.append(" ", start, start);
    separate_ = false;
    out_.append(bytes, start, end);
  }
  // Glued to what precedes it, keeping a pending word break for what follows.
  void attach(const Char& c) { out_.append(c.bytes, c.start, c.end); }
  // Whitespace of the content, kept as it is (it already separates).
  void raw(const Char& c) {
    separate_ = false;
    out_.append(c.bytes, c.start, c.end);
  }
  // ", " before the character starting at `at`: espeak-ng pauses briefly at a comma.
  void clause(int32_t at) {
    separate_ = false;
    out_.append(", ", at, at);
  }
  void separate() { separate_ = true; }
  SourceMappedText take() { return std::move(out_); }

 private:
  SourceMappedText out_;
  bool separate_ = false;
};

// characters / spell-out: every character a word; a lone capital is read as its letter name.
SourceMappedText spellOut(const std::vector<Char>& chars) {
  WordWriter w;
  for (const Char& c : chars) {
    if (isSpace(c.cp)) {
      w.separate();
    } else if (attachesToPrevious(c.cp)) {
      w.attach(c);
    } else {
      w.separate();
      if (c.cp >= U'a' && c.cp <= U'z') {
        const char upper = static_cast<char>(c.cp - U'a' + U'A');
        w.put(std::string_view(&upper, 1), c.start, c.end);
      } else {
        w.put(c);
      }
      w.separate();
    }
  }
  return w.take();
}

SourceMappedText digits(const std::vector<Char>& chars) {
  WordWriter w;
  for (const Char& c : chars) {
    if (isDigit(c.cp)) {
      w.separate();
      w.put(c);
      w.separate();
    } else if (isSpace(c.cp)) {
      w.raw(c);
    } else {
      w.put(c);
    }
  }
  return w.take();
}

bool isTelephoneSeparator(char32_t c) {
  return c == U'-' || c == U'.' || c == U'(' || c == U')' || c == U'/' || isSpace(c);
}

// "+1 (555) 123-4567" → "plus 1, 5 5 5, 1 2 3, 4 5 6 7": digit by digit, a pause between groups.
SourceMappedText telephone(const std::vector<Char>& chars, bool english) {
  WordWriter w;
  bool started = false;  // something was written (separators before it are dropped)
  bool pendingClause = false;
  for (const Char& c : chars) {
    if (isTelephoneSeparator(c.cp)) {
      pendingClause = started;
      continue;
    }
    if (pendingClause) w.clause(c.start);
    pendingClause = false;
    if (c.cp == U'+' && !started && english) {
      w.put("plus", c.start, c.end);
      w.separate();
    } else if (isDigit(c.cp) || c.cp == U'+') {
      w.separate();
      w.put(c);
      w.separate();
    } else {
      w.put(c);
    }
    started = true;
  }
  return w.take();
}

const char* ordinalSuffix(std::string_view digitString) {
  const int last = digitString.back() - '0';
  const int tens = digitString.size() > 1 ? digitString[digitString.size() - 2] - '0' : 0;
  if (tens == 1) return "th";
  return last == 1 ? "st" : last == 2 ? "nd" : last == 3 ? "rd" : "th";
}

// Whitespace trimmed off both ends: the characters [begin, end).
struct Trimmed {
  size_t begin = 0;
  size_t end = 0;
  bool empty() const { return begin == end; }
};

Trimmed trimmed(const std::vector<Char>& chars) {
  Trimmed t{0, chars.size()};
  while (t.begin < t.end && isSpace(chars[t.begin].cp)) ++t.begin;
  while (t.end > t.begin && isSpace(chars[t.end - 1].cp)) --t.end;
  return t;
}

// Digits only, or digits grouped by thousands commas ("1,000,000").
bool isWholeNumber(const std::vector<Char>& chars, Trimmed t) {
  std::string s;
  for (size_t i = t.begin; i < t.end; ++i) {
    if (chars[i].cp != U',' && !isDigit(chars[i].cp)) return false;
    s.push_back(static_cast<char>(chars[i].cp));
  }
  const size_t comma = s.find(',');
  if (comma == std::string::npos) return !s.empty();
  if (comma == 0 || comma > 3) return false;
  for (size_t i = comma; i < s.size(); i += 4) {
    if (s[i] != ',' || i + 4 > s.size()) return false;
    for (size_t k = i + 1; k < i + 4; ++k)
      if (s[k] == ',') return false;
  }
  return true;
}

SourceMappedText ordinal(const SourceMappedText& content, const std::vector<Char>& chars,
                         const std::string& language, std::vector<std::string>& warnings) {
  if (!isEnglish(language)) {
    warnings.push_back("say-as ordinal is read as written for language " + language);
    return content;
  }
  const Trimmed t = trimmed(chars);
  if (!isWholeNumber(chars, t)) {
    warnings.push_back(
        "say-as ordinal needs a whole number like 21; other text is read as written");
    return content;
  }
  SourceMappedText out;
  std::string digitString;
  for (size_t i = 0; i < chars.size(); ++i) {
    const bool inNumber = i >= t.begin && i < t.end;
    if (inNumber && chars[i].cp == U',') continue;  // "1,000th", not "1, 000th"
    out.append(chars[i].bytes, chars[i].start, chars[i].end);
    if (inNumber) digitString.append(chars[i].bytes);
    if (i + 1 == t.end)
      out.append(ordinalSuffix(digitString), chars[t.begin].start, chars[t.end - 1].end);
  }
  return out;
}

bool isDateSeparator(char32_t c) { return c == U'/' || c == U'-' || c == U'.'; }

// One number of a date: its characters [first, last] and value.
struct DateField {
  size_t first = 0;
  size_t last = 0;
  int value = 0;
};

constexpr std::array<const char*, 12> kMonths = {"January",   "February", "March",    "April",
                                                 "May",       "June",     "July",     "August",
                                                 "September", "October",  "November", "December"};
constexpr std::array<int, 12> kDaysInMonth = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

// "12/3/2026" (mdy) → "December 3rd, 2026"; false when the fields do not make such a date.
bool speakDate(const std::vector<Char>& chars, std::string_view format, SourceMappedText& out) {
  const Trimmed t = trimmed(chars);
  if (t.empty()) return false;
  std::vector<DateField> fields(1, DateField{t.begin, t.begin, 0});
  for (size_t i = t.begin; i < t.end; ++i) {
    DateField& f = fields.back();
    if (isDigit(chars[i].cp)) {
      if (i - f.first >= 4) return false;  // no field of a date has more than 4 digits
      f.value = f.value * 10 + static_cast<int>(chars[i].cp - U'0');
      f.last = i;
    } else if (isDateSeparator(chars[i].cp) && i != f.first && i + 1 != t.end) {
      fields.push_back(DateField{i + 1, i + 1, 0});
    } else {
      return false;
    }
  }
  if (fields.size() != format.size()) return false;
  const DateField* month = nullptr;
  const DateField* day = nullptr;
  const DateField* year = nullptr;
  for (size_t k = 0; k < format.size(); ++k)
    (format[k] == 'm' ? month : format[k] == 'd' ? day : year) = &fields[k];
  if (month->value < 1 || month->value > 12 || month->last - month->first > 1) return false;
  if (day &&
      (day->value < 1 || day->value > kDaysInMonth[month->value - 1] || day->last - day->first > 1))
    return false;

  out.append(kMonths[month->value - 1], chars[month->first].start, chars[month->last].end);
  if (day) {
    size_t i = day->first;
    while (chars[i].cp == U'0') ++i;  // "03" → "3rd", the 3 standing for "03"
    out.append(" ", chars[day->first].start, chars[day->first].start);
    std::string digitString;
    for (; i <= day->last; ++i) {
      out.append(chars[i].bytes, digitString.empty() ? chars[day->first].start : chars[i].start,
                 chars[i].end);
      digitString.append(chars[i].bytes);
    }
    out.append(ordinalSuffix(digitString), chars[day->first].start, chars[day->last].end);
  }
  if (year) {
    const int32_t at = chars[year->first].start;
    out.append(day ? ", " : " ", at, at);
    for (size_t i = year->first; i <= year->last; ++i)
      out.append(chars[i].bytes, chars[i].start, chars[i].end);
  }
  return true;
}

SourceMappedText date(const SourceMappedText& content, const std::vector<Char>& chars,
                      std::string_view format, const std::string& language,
                      std::vector<std::string>& warnings) {
  if (!isEnglish(language)) {
    warnings.push_back("say-as date is read as written for language " + language);
    return content;
  }
  std::string lower;
  for (char c : language)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (format.empty()) format = lower == "en-us" ? "mdy" : "dmy";
  SourceMappedText out;
  if (!speakDate(chars, format, out)) {
    warnings.push_back("say-as date is not a valid " + std::string(format) +
                       " date; read as written");
    return content;
  }
  return out;
}

}  // namespace

bool isKnownSayAs(std::string_view v) {
  return v == "characters" || v == "spell-out" || v == "digits" || v == "telephone" ||
         v == "cardinal" || v == "ordinal" || v == "date";
}

bool isSayAsDateFormat(std::string_view f) {
  return f == "mdy" || f == "dmy" || f == "ymd" || f == "md" || f == "dm" || f == "ym" || f == "my";
}

SourceMappedText rewriteSayAs(const SourceMappedText& content, std::string_view interpretAs,
                              std::string_view format, const std::string& language,
                              std::vector<std::string>& warnings) {
  const std::vector<Char> chars = charsOf(content);
  if (interpretAs == "characters" || interpretAs == "spell-out") return spellOut(chars);
  if (interpretAs == "digits") return digits(chars);
  if (interpretAs == "telephone") return telephone(chars, isEnglish(language));
  if (interpretAs == "ordinal") return ordinal(content, chars, language, warnings);
  if (interpretAs == "date") return date(content, chars, format, language, warnings);
  return content;  // cardinal: espeak-ng reads numbers as cardinals already
}

}  // namespace avatar_voice
