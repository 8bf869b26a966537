#include "text/ssml_markup_reader.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <unordered_set>

#include "core/error.h"
#include "text/unicode_nfd.h"

// A hand-written reader rather than an XML library: the subset is small, the wasm stays small, and
// every error can name the byte it is at. A '<' that starts no tag is an error, as in XML (&lt; is
// the way to write it); a lone '>' is text.

namespace avatar_voice {
namespace {

bool isAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool isNameStart(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':';
}
bool isNameChar(char c) { return isNameStart(c) || isAsciiDigit(c) || c == '.' || c == '-'; }
bool startsWith(std::string_view s, size_t at, std::string_view prefix) {
  return s.substr(std::min(at, s.size()), prefix.size()) == prefix;
}
size_t utf8Length(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

}  // namespace

std::string quotedForMessage(std::string_view value) {
  constexpr size_t kMax = 40;
  if (value.size() <= kMax) return "\"" + std::string(value) + "\"";
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return "\"" + std::string(value.substr(0, cut)) + "…\"";
}

void throwInvalidSsml(const std::string& message, size_t offset) {
  throw Error(ErrorCode::kInvalidSsml, message, static_cast<int64_t>(offset));
}

const MarkupAttribute* MarkupTag::find(std::string_view attribute) const {
  for (const MarkupAttribute& a : attributes)
    if (a.name == attribute) return &a;
  return nullptr;
}

SsmlMarkupReader::SsmlMarkupReader(std::string_view source, size_t maxChars) : src_(source) {
  if (src_.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max()))
    throw Error(ErrorCode::kTextTooLong, "SSML is longer than the limit of 2 GiB");
  size_t bad = 0;
  if (!isValidUtf8(src_, &bad))
    throw Error(ErrorCode::kInvalidUtf8,
                "SSML is not valid UTF-8 (byte " + std::to_string(bad) + ")",
                static_cast<int64_t>(bad));
  size_t chars = 0;
  for (char c : src_) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (chars > maxChars)
    throw Error(ErrorCode::kTextTooLong,
                "SSML is longer than the limit of " + std::to_string(maxChars) + " characters");
}

size_t SsmlMarkupReader::skipProlog() {
  size_t pos = startsWith(src_, 0, "\xEF\xBB\xBF") ? 3 : 0;  // a byte order mark is no text
  if (startsWith(src_, pos, "<?xml") && pos + 5 < src_.size() &&
      (isXmlSpace(src_[pos + 5]) || src_[pos + 5] == '?')) {
    const size_t end = src_.find("?>", pos + 5);
    if (end == std::string_view::npos) throwInvalidSsml("unterminated XML declaration <?xml", pos);
    pos = end + 2;
  }
  while (pos < src_.size()) {
    if (isXmlSpace(src_[pos])) {
      ++pos;
    } else if (startsWith(src_, pos, "<!--")) {
      pos = skipComment(pos);
    } else {
      break;
    }
  }
  pos_ = pos;
  return pos;
}

bool SsmlMarkupReader::startsOpenTag(size_t at, std::string_view name) const {
  const size_t after = at + 1 + name.size();
  return startsWith(src_, at, "<") && startsWith(src_, at + 1, name) && after < src_.size() &&
         (isXmlSpace(src_[after]) || src_[after] == '>' || src_[after] == '/');
}

MarkupToken SsmlMarkupReader::next() {
  MarkupToken token;
  while (pos_ < src_.size()) {
    if (src_[pos_] != '<') {
      const size_t end = std::min(src_.find('<', pos_), src_.size());
      token.kind = MarkupToken::Kind::kText;
      token.textStart = pos_;
      token.textEnd = end;
      token.text = decodeText(pos_, end);
      pos_ = end;
      return token;
    }
    if (startsWith(src_, pos_, "<!--")) {
      pos_ = skipComment(pos_);
      continue;
    }
    if (startsWith(src_, pos_, "<![CDATA["))
      throwInvalidSsml("CDATA sections are not supported (write &lt; and &amp; instead)", pos_);
    if (startsWith(src_, pos_, "<!"))
      throwInvalidSsml("<!DOCTYPE and other declarations are not supported", pos_);
    if (startsWith(src_, pos_, "<?"))
      throwInvalidSsml(
          "processing instructions are not supported (only <?xml …?> at the very start)", pos_);
    const bool closing = startsWith(src_, pos_, "</");
    token.kind = closing ? MarkupToken::Kind::kCloseTag : MarkupToken::Kind::kOpenTag;
    token.tag = closing ? closeTag(pos_) : openTag(pos_);
    pos_ = token.tag.end;
    return token;
  }
  return token;
}

size_t SsmlMarkupReader::skipComment(size_t at) const {
  const size_t end = src_.find("-->", at + 4);
  if (end == std::string_view::npos) throwInvalidSsml("unterminated comment <!--", at);
  return end + 3;
}

// The character reference starting at the '&' at `amp`: its UTF-8 text and the offset after ';'.
std::pair<std::string, size_t> SsmlMarkupReader::reference(size_t amp) const {
  size_t i = amp + 1;
  if (i < src_.size() && src_[i] == '#') {
    const bool hex = i + 1 < src_.size() && src_[i + 1] == 'x';
    i += hex ? 2 : 1;
    const size_t digits = i;
    uint32_t cp = 0;
    for (; i < src_.size(); ++i) {
      const char c = src_[i];
      int d = isAsciiDigit(c) ? c - '0' : -1;
      if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
      if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
      if (d < 0) break;
      cp = std::min<uint32_t>(cp * (hex ? 16 : 10) + static_cast<uint32_t>(d), 0x110000);
    }
    if (i == digits || i >= src_.size() || src_[i] != ';')
      throwInvalidSsml("unterminated character reference (expected &#NNN; or &#xHH;)", amp);
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      throwInvalidSsml("character reference " + quotedForMessage(src_.substr(amp, i + 1 - amp)) +
                           " is not a valid character",
                       amp);
    return {encodeUtf8(static_cast<char32_t>(cp)), i + 1};
  }
  while (i < src_.size() && (isNameChar(src_[i]) && src_[i] != ':')) ++i;
  const std::string_view name = src_.substr(amp + 1, i - amp - 1);
  if (i >= src_.size() || src_[i] != ';' || name.empty())
    throwInvalidSsml("'&' must start an entity like &amp; (write &amp; for a literal &)", amp);
  static constexpr std::pair<std::string_view, std::string_view> kEntities[] = {
      {"lt", "<"}, {"gt", ">"}, {"amp", "&"}, {"quot", "\""}, {"apos", "'"}};
  for (const auto& [entity, text] : kEntities)
    if (name == entity) return {std::string(text), i + 1};
  throwInvalidSsml("unknown entity &" + std::string(name.substr(0, 40)) + ";", amp);
}

std::string SsmlMarkupReader::decodeValue(size_t begin, size_t end) const {
  std::string out;
  for (size_t i = begin; i < end;) {
    if (src_[i] == '&') {
      auto [text, next] = reference(i);
      out += text;
      i = next;
    } else {
      out.push_back(src_[i++]);
    }
  }
  return out;
}

// Text between tags, references decoded; a character maps to its own bytes, a referenced
// character to the whole reference.
SourceMappedText SsmlMarkupReader::decodeText(size_t begin, size_t end) const {
  SourceMappedText out;
  for (size_t i = begin; i < end;) {
    if (src_[i] == '&') {
      auto [text, next] = reference(i);
      out.append(text, static_cast<int32_t>(i), static_cast<int32_t>(next));
      i = next;
    } else {
      const size_t n = std::min(utf8Length(static_cast<unsigned char>(src_[i])), end - i);
      out.append(src_.substr(i, n), static_cast<int32_t>(i), static_cast<int32_t>(i + n));
      i += n;
    }
  }
  return out;
}

size_t SsmlMarkupReader::scanName(size_t at) const {
  size_t i = at;
  while (i < src_.size() && isNameChar(src_[i])) ++i;
  return i;
}

MarkupTag SsmlMarkupReader::openTag(size_t at) const {
  MarkupTag tag;
  tag.start = at;
  size_t i = at + 1;
  if (i >= src_.size() || !isNameStart(src_[i]))
    throwInvalidSsml("'<' must start a tag (write &lt; for a literal <)", at);
  const size_t nameEnd = scanName(i);
  tag.name = src_.substr(i, nameEnd - i);
  const std::string element = "<" + std::string(tag.name) + ">";
  std::unordered_set<std::string_view> seen;  // a set: a tag may carry thousands of attributes
  i = nameEnd;
  while (true) {
    const size_t spaceStart = i;
    while (i < src_.size() && isXmlSpace(src_[i])) ++i;
    if (i >= src_.size()) throwInvalidSsml("unterminated tag " + element, at);
    if (src_[i] == '>') {
      tag.end = i + 1;
      return tag;
    }
    if (src_[i] == '/') {
      if (i + 1 >= src_.size() || src_[i + 1] != '>')
        throwInvalidSsml("expected '/>' in tag " + element, i);
      tag.selfClosing = true;
      tag.end = i + 2;
      return tag;
    }
    if (i == spaceStart || !isNameStart(src_[i]))
      throwInvalidSsml(
          "unexpected character in tag " + element + " (expected an attribute, '>' or '/>')", i);
    MarkupAttribute a;
    a.nameOffset = i;
    i = scanName(i);
    a.name = src_.substr(a.nameOffset, i - a.nameOffset);
    while (i < src_.size() && isXmlSpace(src_[i])) ++i;
    if (i >= src_.size() || src_[i] != '=')
      throwInvalidSsml(
          "attribute " + std::string(a.name) + " of " + element + " has no value (name=\"value\")",
          a.nameOffset);
    ++i;
    while (i < src_.size() && isXmlSpace(src_[i])) ++i;
    if (i >= src_.size() || (src_[i] != '"' && src_[i] != '\''))
      throwInvalidSsml("the value of attribute " + std::string(a.name) + " must be in quotes", i);
    const char quote = src_[i];
    a.valueOffset = i + 1;
    size_t close = a.valueOffset;
    while (close < src_.size() && src_[close] != quote) {
      if (src_[close] == '<') throwInvalidSsml("'<' is not allowed in an attribute value", close);
      ++close;
    }
    if (close >= src_.size())
      throwInvalidSsml("unterminated value of attribute " + std::string(a.name), a.valueOffset);
    if (!seen.insert(a.name).second)
      throwInvalidSsml("duplicate attribute " + std::string(a.name) + " on " + element,
                       a.nameOffset);
    a.value = decodeValue(a.valueOffset, close);
    tag.attributes.push_back(std::move(a));
    i = close + 1;
  }
}

MarkupTag SsmlMarkupReader::closeTag(size_t at) const {
  MarkupTag tag;
  tag.start = at;
  size_t i = at + 2;
  if (i >= src_.size() || !isNameStart(src_[i]))
    throwInvalidSsml("'</' must be followed by an element name", at);
  const size_t nameEnd = scanName(i);
  tag.name = src_.substr(i, nameEnd - i);
  i = nameEnd;
  while (i < src_.size() && isXmlSpace(src_[i])) ++i;
  if (i >= src_.size() || src_[i] != '>')
    throwInvalidSsml("unterminated closing tag </" + std::string(tag.name) + ">", at);
  tag.end = i + 1;
  return tag;
}

}  // namespace avatar_voice
