// The XML syntax of the SSML subset, read one token at a time; what the elements mean is
// ssml_parser.cpp's. Internal to the SSML parser (not part of the public API).
//
//   SsmlMarkupReader markup(source, options.maxChars);  // throws on bad UTF-8 or too long
//   const size_t first = markup.skipProlog();           // BOM, <?xml …?>, comments, whitespace
//   bool rooted = markup.startsOpenTag(first, "speak");
//   for (MarkupToken t = markup.next(); t.kind != MarkupToken::Kind::kEnd; t = markup.next()) {
//     // kText: t.text (references decoded); kOpenTag / kCloseTag: t.tag
//   }
//
// Covered: start, end and empty-element tags with quoted attributes, the five predefined entities
// and numeric character references (in text and in attribute values), comments (skipped) and an
// XML declaration at the start. CDATA sections, <!DOCTYPE> and other declarations and processing
// instructions are rejected. Nesting is not checked here: that is the parser's, which knows which
// element a closing tag has to match.
//
// Errors: Error(kInvalidSsml) with offset() at the byte where the markup stops being readable
// (throwInvalidSsml, which the parser uses for bad values too), Error(kInvalidUtf8),
// Error(kTextTooLong). Ownership: the reader and the names in its tags are views of `source`,
// which must outlive them; decoded text and values are copies.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text/ssml_say_as.h"

namespace avatar_voice {

struct MarkupAttribute {
  std::string_view name;
  std::string value;  // references decoded
  size_t nameOffset = 0;
  size_t valueOffset = 0;  // first byte inside the quotes
};

struct MarkupTag {
  std::string_view name;
  std::vector<MarkupAttribute> attributes;  // opening tags only
  bool selfClosing = false;                 // <name …/>
  size_t start = 0;                         // '<'
  size_t end = 0;                           // after '>'

  // The attribute called `name`, or null.
  const MarkupAttribute* find(std::string_view name) const;
};

struct MarkupToken {
  enum class Kind { kText, kOpenTag, kCloseTag, kEnd };
  Kind kind = Kind::kEnd;
  // kText: the raw bytes [textStart, textEnd) (up to the next '<' or comment) and what they say,
  // each byte mapped to its own bytes or, for a referenced character, to the whole reference.
  size_t textStart = 0;
  size_t textEnd = 0;
  SourceMappedText text;
  MarkupTag tag;  // kOpenTag (self-closing ones too), kCloseTag
};

class SsmlMarkupReader {
 public:
  // Checks the whole source first, so the tokens never split a character and every offset fits
  // the int32_t of SourceMappedText: throws Error(kTextTooLong) above 2 GiB or `maxChars`
  // codepoints, Error(kInvalidUtf8) at the first ill-formed byte.
  SsmlMarkupReader(std::string_view source, size_t maxChars);

  // Moves past a byte order mark, an XML declaration and the whitespace and comments after them;
  // returns where the first element or text starts. Call once, before next().
  size_t skipProlog();

  // Whether an opening tag of element `name` starts at `at` (by its name alone: the rest of the
  // tag is read by next()).
  bool startsOpenTag(size_t at, std::string_view name) const;

  // The next text or tag after the last one (comments skipped); kEnd at the end of the source.
  MarkupToken next();

 private:
  size_t skipComment(size_t at) const;
  std::pair<std::string, size_t> reference(size_t amp) const;
  std::string decodeValue(size_t begin, size_t end) const;
  SourceMappedText decodeText(size_t begin, size_t end) const;
  MarkupTag openTag(size_t at) const;
  MarkupTag closeTag(size_t at) const;
  size_t scanName(size_t at) const;

  std::string_view src_;
  size_t pos_ = 0;
};

// XML's whitespace: space, tab, line feed, carriage return.
inline bool isXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// `value` in quotes for an error or warning message, cut on a character boundary so a huge
// attribute does not make a huge message.
std::string quotedForMessage(std::string_view value);

// Throws Error(kInvalidSsml, message) at byte `offset` of the source.
[[noreturn]] void throwInvalidSsml(const std::string& message, size_t offset);

}  // namespace avatar_voice
