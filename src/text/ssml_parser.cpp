#include "text/ssml_parser.h"

#include <algorithm>
#include <cstdint>
#include <unordered_set>
#include <utility>
#include <vector>

#include "text/ssml_attribute_values.h"
#include "text/ssml_markup_reader.h"
#include "text/ssml_say_as.h"

// One pass over the tokens of the markup (ssml_markup_reader.h) with an explicit stack of open
// elements (no recursion, so a deeply nested input costs memory bounded by kMaxDepth, not call
// stack). Text goes into the current run with a source span per byte; tags either end that run
// (<break>, <p>, <s>, a rate change) or rewrite their text content (<say-as>, <sub>, <phoneme>)
// once their closing tag arrives.
//
// A run begins at its first content (text that is not only whitespace, a <mark>, a rewritten
// element) and ends at the tag that ends it, </speak> or the end of the input: that is its
// [sourceBegin, sourceEndOffset). Whitespace between elements starts no run, and a run left with
// only whitespace and no mark is dropped (it would be an empty sentence).

namespace avatar_voice {
namespace {

constexpr size_t kMaxDepth = 64;
constexpr size_t kMaxMarkNameBytes = 256;

enum class Element { kSpeak, kP, kS, kBreak, kProsody, kSayAs, kSub, kPhoneme, kMark, kOther };

Element elementOf(std::string_view name) {
  if (name == "speak") return Element::kSpeak;
  if (name == "p") return Element::kP;
  if (name == "s") return Element::kS;
  if (name == "break") return Element::kBreak;
  if (name == "prosody") return Element::kProsody;
  if (name == "say-as") return Element::kSayAs;
  if (name == "sub") return Element::kSub;
  if (name == "phoneme") return Element::kPhoneme;
  if (name == "mark") return Element::kMark;
  return Element::kOther;
}

// The attributes each known element reads; any other one gets a warning (xml:lang and xmlns are
// allowed everywhere, and <speak> takes anything: version, xsi:schemaLocation, …).
bool isReadAttribute(Element e, std::string_view a) {
  if (a == "xml:lang" || a == "xmlns" || a.substr(0, 6) == "xmlns:") return true;
  switch (e) {
    case Element::kSpeak:
      return true;
    case Element::kBreak:
      return a == "time" || a == "strength";
    case Element::kProsody:
      return a == "rate";
    case Element::kSayAs:
      return a == "interpret-as" || a == "format";
    case Element::kSub:
      return a == "alias";
    case Element::kPhoneme:
      return a == "alphabet" || a == "ph";
    case Element::kMark:
      return a == "name";
    default:
      return false;
  }
}
// An element whose closing tag has not been seen yet, with what its closing needs.
struct Frame {
  std::string_view name;
  Element element = Element::kOther;
  size_t start = 0;    // its opening tag's '<'
  size_t openEnd = 0;  // after its opening tag's '>'
  double rateBefore = 1;
  bool splitsRun = false;    // <p>, <s>, <prosody rate>
  double milliseconds = 0;   // <break>
  std::string value;         // <mark> name, <sub> alias, <phoneme> ph, <say-as> interpret-as
  std::string format;        // <say-as> format
  SourceMappedText content;  // <say-as>, <sub>, <phoneme>: their text, decoded
  bool collectsText() const {
    return element == Element::kSayAs || element == Element::kSub || element == Element::kPhoneme;
  }
  bool mustBeEmpty() const { return element == Element::kBreak || element == Element::kMark; }
};

class SsmlParser {
 public:
  SsmlParser(std::string_view source, const SsmlOptions& options)
      : src_(source), options_(options), markup_(source, options.maxChars) {}

  SpeechScript parse();

 private:
  void text(const MarkupToken& token);
  void open(const MarkupTag& tag);
  void close(const Frame& frame, size_t closeStart, size_t closeEnd);
  ScriptRun& run(size_t at);
  void endRun(size_t at);
  void appendToRun(const SourceMappedText& text, size_t at);
  void warn(std::string message);

  std::string_view src_;
  const SsmlOptions& options_;
  SsmlMarkupReader markup_;
  SpeechScript script_;
  std::unordered_set<std::string> warned_;
  std::vector<Frame> stack_;
  bool runOpen_ = false;
  ScriptRun run_;
  double rate_ = 1;
  bool rooted_ = false;      // the document's root is <speak>
  bool rootClosed_ = false;  // and its closing tag was seen
  size_t speakStart_ = 0;    // where that root's opening tag is
};

void SsmlParser::warn(std::string message) {
  if (warned_.insert(message).second) script_.warnings.push_back(std::move(message));
}

// The current run, started at `at` if there is none.
ScriptRun& SsmlParser::run(size_t at) {
  if (!runOpen_) {
    run_ = ScriptRun{};
    run_.rate = rate_;
    run_.sourceBegin = static_cast<int32_t>(at);
    run_.sourceEndOffset = static_cast<int32_t>(at);
    runOpen_ = true;
  }
  return run_;
}

// Ends the current run at `at`. One that says nothing (only whitespace) and has no mark is
// dropped: it would only give the planner an empty sentence.
void SsmlParser::endRun(size_t at) {
  if (!runOpen_) return;
  runOpen_ = false;
  run_.sourceEndOffset = static_cast<int32_t>(at);
  bool speaks = false;
  for (char c : run_.text) speaks = speaks || !isXmlSpace(c);
  if (!speaks && run_.marks.empty()) return;
  ScriptItem item;
  item.kind = ScriptItem::Kind::kRun;
  item.run = std::move(run_);
  script_.items.push_back(std::move(item));
}

void SsmlParser::appendToRun(const SourceMappedText& text, size_t at) {
  if (text.empty()) return;
  ScriptRun& r = run(at);
  r.text += text.text;
  r.sourceStart.insert(r.sourceStart.end(), text.sourceStart.begin(), text.sourceStart.end());
  r.sourceEnd.insert(r.sourceEnd.end(), text.sourceEnd.begin(), text.sourceEnd.end());
}

void SsmlParser::text(const MarkupToken& token) {
  const size_t begin = token.textStart;
  const size_t end = token.textEnd;
  size_t firstNonSpace = begin;
  while (firstNonSpace < end && isXmlSpace(src_[firstNonSpace])) ++firstNonSpace;
  const bool blank = firstNonSpace == end;
  if (stack_.empty() && rootClosed_ && !blank)
    throwInvalidSsml("only whitespace and comments may follow </speak>", firstNonSpace);
  if (!stack_.empty() && stack_.back().collectsText()) {
    stack_.back().content.append(token.text);
    return;
  }
  if (!stack_.empty() && stack_.back().mustBeEmpty()) {
    if (!blank)
      throwInvalidSsml("<" + std::string(stack_.back().name) + "> must be empty", firstNonSpace);
    return;
  }
  if (blank && !runOpen_) return;  // whitespace between elements opens no run
  appendToRun(token.text, begin);
}

void SsmlParser::open(const MarkupTag& tag) {
  const std::string element = "<" + std::string(tag.name) + ">";
  if (rootClosed_) throwInvalidSsml("only whitespace and comments may follow </speak>", tag.start);
  if (!stack_.empty() && stack_.back().collectsText())
    throwInvalidSsml(
        "<" + std::string(stack_.back().name) + "> may contain only text, not " + element,
        tag.start);
  if (!stack_.empty() && stack_.back().mustBeEmpty())
    throwInvalidSsml("<" + std::string(stack_.back().name) + "> must be empty", tag.start);
  if (stack_.size() >= kMaxDepth)
    throwInvalidSsml("elements are nested deeper than " + std::to_string(kMaxDepth) + " levels",
                     tag.start);

  Frame f;
  f.name = tag.name;
  f.element = elementOf(tag.name);
  f.start = tag.start;
  f.openEnd = tag.end;
  f.rateBefore = rate_;
  if (f.element == Element::kOther) {
    warn(element + " is not supported; its content is spoken as text");
  } else {
    for (const MarkupAttribute& a : tag.attributes)
      if (!isReadAttribute(f.element, a.name))
        warn("<" + std::string(tag.name) + " " + std::string(a.name) +
             "> is not supported; ignored");
  }

  switch (f.element) {
    case Element::kSpeak:
      if (!rooted_ || !stack_.empty() || tag.start != speakStart_)
        throwInvalidSsml("<speak> must be the root element, around all of the document", tag.start);
      break;
    case Element::kP:
    case Element::kS:
      f.splitsRun = true;
      break;
    case Element::kBreak: {
      const MarkupAttribute* time = tag.find("time");
      const MarkupAttribute* strength = tag.find("strength");
      // Both checked, so a bad strength is reported even when a time overrides it.
      const double fromStrength = strength ? strengthMilliseconds(*strength) : 500;
      f.milliseconds = time ? breakMilliseconds(*time) : fromStrength;
      break;
    }
    case Element::kProsody: {
      if (const MarkupAttribute* rate = tag.find("rate")) {
        f.splitsRun = true;
        rate_ = std::clamp(rate_ * prosodyRate(*rate), kMinProsodyRate, kMaxProsodyRate);
      }
      break;
    }
    case Element::kSayAs: {
      const MarkupAttribute* as = tag.find("interpret-as");
      if (!as) throwInvalidSsml("<say-as> needs an interpret-as attribute", tag.start);
      f.value = as->value;
      const MarkupAttribute* format = tag.find("format");
      if (as->value == "date" && format && !isSayAsDateFormat(format->value))
        throwInvalidSsml("say-as date format " + quotedForMessage(format->value) +
                             " is not one of mdy, dmy, ymd, md, dm, ym, my",
                         format->valueOffset);
      if (format) f.format = format->value;
      break;
    }
    case Element::kSub: {
      const MarkupAttribute* alias = tag.find("alias");
      if (!alias) throwInvalidSsml("<sub> needs an alias attribute", tag.start);
      f.value = alias->value;
      break;
    }
    case Element::kPhoneme: {
      const MarkupAttribute* alphabet = tag.find("alphabet");
      if (alphabet && !equalsIgnoringCase(alphabet->value, "ipa"))
        throwInvalidSsml("phoneme alphabet " + quotedForMessage(alphabet->value) +
                             " is not supported (only ipa)",
                         alphabet->valueOffset);
      const MarkupAttribute* ph = tag.find("ph");
      if (!ph) throwInvalidSsml("<phoneme> needs a ph attribute", tag.start);
      // "]]" would end the raw-phoneme block early and let the rest be read as text.
      if (trimmed(ph->value).empty() || ph->value.find("]]") != std::string::npos)
        throwInvalidSsml(
            "phoneme ph " + quotedForMessage(ph->value) + " must be non-empty IPA without \"]]\"",
            ph->valueOffset);
      f.value = ph->value;
      break;
    }
    case Element::kMark: {
      const MarkupAttribute* name = tag.find("name");
      if (!name) throwInvalidSsml("<mark> needs a name attribute", tag.start);
      if (name->value.empty() || name->value.size() > kMaxMarkNameBytes)
        throwInvalidSsml(
            "mark name must be 1 to " + std::to_string(kMaxMarkNameBytes) + " bytes long",
            name->valueOffset);
      f.value = name->value;
      break;
    }
    case Element::kOther:
      break;
  }
  if (f.splitsRun || f.element == Element::kBreak) endRun(tag.start);
  if (tag.selfClosing) {
    close(f, tag.end, tag.end);
  } else {
    stack_.push_back(std::move(f));
  }
}

// The end of `frame`: at its closing tag [closeStart, closeEnd), or right after a self-closing tag
// (closeStart == closeEnd == its end).
void SsmlParser::close(const Frame& frame, size_t closeStart, size_t closeEnd) {
  const auto at = [](size_t offset) { return static_cast<int32_t>(offset); };
  // <sub> and <phoneme> speak for their content, or for the element itself when it has none.
  const bool noContent = frame.openEnd == closeStart;
  const int32_t spanStart = at(noContent ? frame.start : frame.openEnd);
  const int32_t spanEnd = at(noContent ? closeEnd : closeStart);
  switch (frame.element) {
    case Element::kSpeak:
      rootClosed_ = true;
      endRun(closeStart);
      break;
    case Element::kBreak: {
      ScriptItem item;
      item.kind = ScriptItem::Kind::kPause;
      item.pause = ScriptPause{frame.milliseconds, at(frame.start), at(closeEnd)};
      script_.items.push_back(std::move(item));
      break;
    }
    case Element::kMark: {
      ScriptRun& r = run(frame.start);
      r.marks.push_back(ScriptMark{frame.value, r.text.size(), at(frame.start)});
      break;
    }
    case Element::kSayAs: {
      if (!isKnownSayAs(frame.value)) {
        warn("say-as interpret-as=" + quotedForMessage(frame.value) +
             " is not supported; read as written");
        appendToRun(frame.content, frame.start);
        break;
      }
      std::vector<std::string> warnings;
      appendToRun(
          rewriteSayAs(frame.content, frame.value, frame.format, options_.language, warnings),
          frame.start);
      for (std::string& w : warnings) warn(std::move(w));
      break;
    }
    case Element::kSub: {
      SourceMappedText spoken;
      spoken.append(frame.value, spanStart, spanEnd);
      appendToRun(spoken, frame.start);
      break;
    }
    case Element::kPhoneme: {
      SourceMappedText spoken;
      spoken.append("[[" + frame.value + "]]", spanStart, spanEnd);
      appendToRun(spoken, frame.start);
      break;
    }
    default:
      if (frame.splitsRun) endRun(closeStart);
      break;
  }
  rate_ = frame.rateBefore;
}

SpeechScript SsmlParser::parse() {
  // The root is <speak> when it is the first element; otherwise the whole input is content.
  const size_t first = markup_.skipProlog();
  if (markup_.startsOpenTag(first, "speak")) {
    rooted_ = true;
    speakStart_ = first;
  }
  for (MarkupToken token = markup_.next(); token.kind != MarkupToken::Kind::kEnd;
       token = markup_.next()) {
    if (token.kind == MarkupToken::Kind::kText) {
      text(token);
    } else if (token.kind == MarkupToken::Kind::kOpenTag) {
      open(token.tag);
    } else {
      const MarkupTag& tag = token.tag;
      if (stack_.empty())
        throwInvalidSsml("</" + std::string(tag.name) + "> closes no open element", tag.start);
      if (stack_.back().name != tag.name)
        throwInvalidSsml("</" + std::string(tag.name) + "> does not close <" +
                             std::string(stack_.back().name) + "> opened at byte " +
                             std::to_string(stack_.back().start),
                         tag.start);
      Frame frame = std::move(stack_.back());
      stack_.pop_back();
      close(frame, tag.start, tag.end);
    }
  }
  if (!stack_.empty())
    throwInvalidSsml("unclosed <" + std::string(stack_.back().name) + "> opened at byte " +
                         std::to_string(stack_.back().start),
                     stack_.back().start);
  endRun(src_.size());
  return std::move(script_);
}

}  // namespace

SpeechScript parseSsml(std::string_view source, const SsmlOptions& options) {
  return SsmlParser(source, options).parse();
}

}  // namespace avatar_voice
