#include "text/ssml_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "error_of.h"

namespace avatar_voice {
namespace {

SpeechScript parse(const std::string& source, const std::string& language = "en-us") {
  SsmlOptions options;
  options.language = language;
  return parseSsml(source, options);
}

// The items in one line: runs as their text in quotes (×rate when not 1), pauses as "‖ms".
std::string shape(const SpeechScript& script) {
  std::string out;
  for (const ScriptItem& item : script.items) {
    if (!out.empty()) out += " ";
    if (item.kind == ScriptItem::Kind::kPause) {
      out += "‖" + std::to_string(static_cast<int>(item.pause.milliseconds));
    } else {
      out += "\"" + item.run.text + "\"";
      if (item.run.rate != 1) out += "×" + std::to_string(item.run.rate).substr(0, 5);
    }
  }
  return out;
}

const ScriptRun& runOf(const SpeechScript& script, size_t item) {
  EXPECT_LT(item, script.items.size());
  EXPECT_EQ(script.items.at(item).kind, ScriptItem::Kind::kRun);
  return script.items.at(item).run;
}

// The caller's bytes that spoken bytes [i, j) of the run stand for.
std::string sourceOf(const std::string& source, const ScriptRun& run, size_t i, size_t j) {
  const SourceSpan span = run.toSource(i, j);
  EXPECT_LE(span.start, span.end);
  return source.substr(static_cast<size_t>(span.start), static_cast<size_t>(span.end - span.start));
}

// The caller's bytes behind the first occurrence of `word` in the run's text.
std::string sourceOfWord(const std::string& source, const ScriptRun& run, const std::string& word) {
  const size_t at = run.text.find(word);
  EXPECT_NE(at, std::string::npos) << word << " not in " << run.text;
  if (at == std::string::npos) return "<missing>";
  return sourceOf(source, run, at, at + word.size());
}

void expectInvalid(const std::string& source, int64_t offset, const std::string& message,
                   const std::string& language = "en-us") {
  const Error e = errorOf([&] { parse(source, language); });
  EXPECT_EQ(e.code(), ErrorCode::kInvalidSsml) << source;
  EXPECT_EQ(e.offset(), offset) << source << ": " << e.what();
  EXPECT_NE(std::string(e.what()).find(message), std::string::npos)
      << source << ": \"" << e.what() << "\" lacks \"" << message << "\"";
}

TEST(SsmlParser, PlainTextIsOneRunMappedByteForByte) {
  const SpeechScript script = parse("Hello there.");
  ASSERT_EQ(shape(script), "\"Hello there.\"");
  const ScriptRun& run = runOf(script, 0);
  ASSERT_EQ(run.sourceStart.size(), 12u);
  ASSERT_EQ(run.sourceEnd.size(), 12u);
  EXPECT_EQ(run.sourceStart[6], 6);
  EXPECT_EQ(run.sourceEnd[6], 7);
  EXPECT_EQ(run.sourceBegin, 0);
  EXPECT_EQ(run.sourceEndOffset, 12);
  EXPECT_EQ(run.base, 0);
  EXPECT_TRUE(script.warnings.empty());
}

TEST(SsmlParser, HeaderExampleBreaksTheRunWithAPause) {
  const std::string source = "<speak>Hi <break time=\"300ms\"/> there.</speak>";
  const SpeechScript script = parse(source);
  ASSERT_EQ(shape(script), "\"Hi \" ‖300 \" there.\"");
  EXPECT_EQ(script.items[1].pause.sourceStart, 10);
  EXPECT_EQ(script.items[1].pause.sourceEnd, 31);
  EXPECT_EQ(runOf(script, 0).sourceBegin, 7);
  EXPECT_EQ(runOf(script, 0).sourceEndOffset, 10);
  EXPECT_EQ(runOf(script, 2).sourceBegin, 31);
  EXPECT_EQ(runOf(script, 2).sourceEndOffset, 38);
  EXPECT_EQ(sourceOfWord(source, runOf(script, 2), "there"), "there");
}

TEST(SsmlParser, FragmentWithoutSpeakRootIsContent) {
  const std::string source = "Hello <break/> world, <s>said</s> the model.";
  const SpeechScript script = parse(source);
  ASSERT_EQ(shape(script), "\"Hello \" ‖500 \" world, \" \"said\" \" the model.\"");
  EXPECT_EQ(script.items[1].pause.sourceStart, 6);
  EXPECT_EQ(script.items[1].pause.sourceEnd, 14);
  EXPECT_EQ(sourceOfWord(source, runOf(script, 3), "said"), "said");
  EXPECT_EQ(runOf(script, 4).sourceEndOffset, 44);
}

TEST(SsmlParser, DeclarationCommentsAndSpeakAttributesAreSilent) {
  const std::string source =
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- hi -->\n"
      "<speak version=\"1.1\" xmlns=\"http://www.w3.org/2001/10/synthesis\" xml:lang=\"en-US\" "
      "xmlns:xsi=\"x\" xsi:schemaLocation=\"y\">Hi</speak>\n<!-- bye -->\n";
  const SpeechScript script = parse(source);
  EXPECT_EQ(shape(script), "\"Hi\"");
  EXPECT_TRUE(script.warnings.empty());
}

TEST(SsmlParser, WhitespaceBetweenElementsMakesNoRun) {
  const std::string source = "<speak>\n  <p>One.</p>\n  <p>Two.</p>\n</speak>";
  const SpeechScript script = parse(source);
  ASSERT_EQ(shape(script), "\"One.\" \"Two.\"");
  EXPECT_EQ(runOf(script, 0).sourceBegin, 13);
  EXPECT_EQ(runOf(script, 0).sourceEndOffset, 17);
  EXPECT_EQ(runOf(script, 1).sourceBegin, 27);
  EXPECT_EQ(runOf(script, 1).sourceEndOffset, 31);
}

TEST(SsmlParser, SentencesAndParagraphsSplitRunsWithoutSilence) {
  EXPECT_EQ(shape(parse("<p>A <s>b</s> c</p><p/>d")), "\"A \" \"b\" \" c\" \"d\"");
}

TEST(SsmlParser, EntitiesDecodeAndMapToTheWholeReference) {
  const std::string source = "a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#233; &#xE9;&#x1F600;";
  const SpeechScript script = parse(source);
  const ScriptRun& run = runOf(script, 0);
  EXPECT_EQ(run.text, "a <b> & \"c\" 'd' \xC3\xA9 \xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(sourceOfWord(source, run, "<"), "&lt;");
  EXPECT_EQ(sourceOfWord(source, run, "&"), "&amp;");
  EXPECT_EQ(sourceOfWord(source, run, "\"c\""), "&quot;c&quot;");
  // Each byte of a decoded character stands for the whole reference.
  const size_t e = run.text.find("\xC3\xA9");
  EXPECT_EQ(sourceOf(source, run, e, e + 1), "&#233;");
  EXPECT_EQ(sourceOf(source, run, e + 1, e + 2), "&#233;");
  EXPECT_EQ(sourceOfWord(source, run, "\xF0\x9F\x98\x80"), "&#x1F600;");
}

TEST(SsmlParser, MultibyteCharactersMapToTheirWholeSpan) {
  const std::string source = "caf\xC3\xA9 ok";
  const SpeechScript runScript = parse(source);
  const ScriptRun& run = runOf(runScript, 0);
  EXPECT_EQ(run.sourceStart[4], 3);
  EXPECT_EQ(run.sourceEnd[4], 5);
  EXPECT_EQ(sourceOf(source, run, 3, 4), "\xC3\xA9");
}

TEST(SsmlParser, CommentsInTextAreSkippedAndLoneGreaterThanIsText) {
  const std::string source = "Hel<!-- x -->lo 3 > 2 [[ h @ ]]";
  const SpeechScript runScript = parse(source);
  const ScriptRun& run = runOf(runScript, 0);
  EXPECT_EQ(run.text, "Hello 3 > 2 [[ h @ ]]");
  EXPECT_EQ(sourceOf(source, run, 0, 5), "Hel<!-- x -->lo");
}

TEST(SsmlParser, SingleQuotesAndSpaceAroundEquals) {
  EXPECT_EQ(shape(parse("a<break time = '1.5s' />b")), "\"a\" ‖1500 \"b\"");
}

TEST(SsmlParser, BreakTimes) {
  EXPECT_EQ(shape(parse("<break time=\"500ms\"/>")), "‖500");
  EXPECT_EQ(shape(parse("<break time=\"1.5s\"/>")), "‖1500");
  EXPECT_EQ(shape(parse("<break time=\"2s\"/>")), "‖2000");
  EXPECT_EQ(shape(parse("<break time=\"250 ms\"/>")), "‖250");
  EXPECT_EQ(shape(parse("<break time=\"0ms\"/>")), "‖0");
  EXPECT_EQ(shape(parse("<break time=\"10s\"/>")), "‖10000");
  EXPECT_EQ(shape(parse("<break time=\".25s\"/>")), "‖250");
  EXPECT_EQ(shape(parse("<break></break>")), "‖500");
}

TEST(SsmlParser, BreakStrengthsAndTimeWins) {
  EXPECT_EQ(shape(parse("<break strength=\"none\"/><break strength=\"x-weak\"/>"
                        "<break strength=\"weak\"/><break strength=\"medium\"/>"
                        "<break strength=\"strong\"/><break strength=\"x-strong\"/>")),
            "‖0 ‖125 ‖250 ‖500 ‖750 ‖1000");
  EXPECT_EQ(shape(parse("<break strength=\"x-strong\" time=\"20ms\"/>")), "‖20");
  EXPECT_EQ(shape(parse("<break/>")), "‖500");
}

TEST(SsmlParser, BadBreakValuesAreErrorsAtTheValue) {
  expectInvalid("<break time=\"5 minutes\"/>", 13,
                "break time \"5 minutes\" is not a duration like 500ms or 1.5s");
  expectInvalid("<break time=\"10001ms\"/>", 13, "10s");
  expectInvalid("<break time=\"11s\"/>", 13, "break time \"11s\"");
  expectInvalid("<break time=\"-1s\"/>", 13, "not a duration");
  expectInvalid("<break time=\"\"/>", 13, "not a duration");
  expectInvalid("<break time=\"5h\"/>", 13, "not a duration");
  expectInvalid("<break strength=\"loud\"/>", 17, "break strength \"loud\" is not one of");
  expectInvalid("<break>x</break>", 7, "<break> must be empty");
  expectInvalid("<break><s/></break>", 7, "<break> must be empty");
}

TEST(SsmlParser, ProsodyRates) {
  EXPECT_EQ(shape(parse("<prosody rate=\"x-slow\">a</prosody><prosody rate=\"slow\">b</prosody>"
                        "<prosody rate=\"medium\">c</prosody><prosody rate=\"default\">d</prosody>"
                        "<prosody rate=\"fast\">e</prosody><prosody rate=\"x-fast\">f</prosody>")),
            "\"a\"×0.500 \"b\"×0.750 \"c\" \"d\" \"e\"×1.250 \"f\"×1.750");
  EXPECT_EQ(shape(parse("<prosody rate=\"150%\">a</prosody><prosody rate=\"+20%\">b</prosody>"
                        "<prosody rate=\"-20%\">c</prosody><prosody rate=\"1.3\">d</prosody>")),
            "\"a\"×1.500 \"b\"×1.200 \"c\"×0.800 \"d\"×1.300");
}

TEST(SsmlParser, NestedProsodyMultipliesAndClamps) {
  const std::string source =
      "a<prosody rate=\"fast\">b<prosody rate=\"200%\">c<prosody rate=\"x-fast\">d</prosody>"
      "</prosody>e</prosody>f";
  EXPECT_EQ(shape(parse(source)), "\"a\" \"b\"×1.250 \"c\"×2.500 \"d\"×4.000 \"e\"×1.250 \"f\"");
  EXPECT_EQ(shape(parse("<prosody rate=\"x-slow\"><prosody rate=\"x-slow\"><prosody "
                        "rate=\"x-slow\">a</prosody></prosody></prosody>")),
            "\"a\"×0.250");
}

TEST(SsmlParser, ProsodyRunSpans) {
  const std::string source = "a<prosody rate=\"fast\">b</prosody>c";
  const SpeechScript script = parse(source);
  ASSERT_EQ(shape(script), "\"a\" \"b\"×1.250 \"c\"");
  EXPECT_EQ(runOf(script, 0).sourceBegin, 0);
  EXPECT_EQ(runOf(script, 0).sourceEndOffset, 1);
  EXPECT_EQ(runOf(script, 1).sourceBegin, 22);
  EXPECT_EQ(runOf(script, 1).sourceEndOffset, 23);
  EXPECT_EQ(runOf(script, 2).sourceBegin, 33);
  EXPECT_EQ(runOf(script, 2).sourceEndOffset, 34);
}

TEST(SsmlParser, BadProsodyRatesAreErrorsAtTheValue) {
  expectInvalid("<prosody rate=\"500%\">x</prosody>", 15, "outside 0.25 to 4");
  expectInvalid("<prosody rate=\"-80%\">x</prosody>", 15, "outside 0.25 to 4");
  expectInvalid("<prosody rate=\"0\">x</prosody>", 15, "outside 0.25 to 4");
  expectInvalid("<prosody rate=\"fast-ish\">x</prosody>", 15,
                "prosody rate \"fast-ish\" is not a keyword");
  expectInvalid("<prosody rate=\"+1.3\">x</prosody>", 15, "is not a keyword");
}

TEST(SsmlParser, ProsodyWithoutRateKeepsTheRunAndWarnsOncePerAttribute) {
  const SpeechScript script = parse(
      "a<prosody pitch=\"high\" volume=\"loud\">b</prosody>c<prosody pitch=\"low\">d</prosody>");
  EXPECT_EQ(shape(script), "\"abcd\"");
  EXPECT_EQ(script.warnings,
            (std::vector<std::string>{"<prosody pitch> is not supported; ignored",
                                      "<prosody volume> is not supported; ignored"}));
}

TEST(SsmlParser, SayAsCharactersSpellsEachCharacter) {
  const std::string source = "<say-as interpret-as=\"characters\">abc</say-as>";
  const SpeechScript runScript = parse(source);
  const ScriptRun& run = runOf(runScript, 0);
  EXPECT_EQ(run.text, "A B C");
  EXPECT_EQ(sourceOf(source, run, 0, 1), "a");
  EXPECT_EQ(sourceOf(source, run, 2, 3), "b");
  EXPECT_EQ(sourceOf(source, run, 0, 5), "abc");
  // The space between two letters stands for nothing: an empty span where "b" starts.
  EXPECT_EQ(run.sourceStart[1], 35);
  EXPECT_EQ(run.sourceEnd[1], 35);
  // Comments are not elements; an empty say-as says nothing.
  EXPECT_EQ(shape(parse("<say-as interpret-as=\"characters\">a<!-- x -->b</say-as>"
                        "<say-as interpret-as=\"digits\"/>")),
            "\"A B\"");
}

TEST(SsmlParser, SayAsSpellOutKeepsOtherCharactersAndMapsEntities) {
  const std::string source = "<say-as interpret-as=\"spell-out\">x &amp;1 \xC3\xA9</say-as>";
  const SpeechScript runScript = parse(source);
  const ScriptRun& run = runOf(runScript, 0);
  EXPECT_EQ(run.text, "X & 1 \xC3\xA9");
  EXPECT_EQ(sourceOfWord(source, run, "&"), "&amp;");
  EXPECT_EQ(sourceOfWord(source, run, "1"), "1");
}

TEST(SsmlParser, SayAsDigits) {
  const std::string source = "<say-as interpret-as=\"digits\">245 ab7</say-as>";
  const SpeechScript runScript = parse(source);
  const ScriptRun& run = runOf(runScript, 0);
  EXPECT_EQ(run.text, "2 4 5 ab 7");
  EXPECT_EQ(sourceOfWord(source, run, "4"), "4");
  EXPECT_EQ(sourceOfWord(source, run, "2 4 5"), "245");
}

TEST(SsmlParser, SayAsTelephone) {
  const std::string source = "Call <say-as interpret-as=\"telephone\">+1 (555) 123-4567</say-as>.";
  const SpeechScript runScript = parse(source);
  const ScriptRun& run = runOf(runScript, 0);
  EXPECT_EQ(run.text, "Call plus 1, 5 5 5, 1 2 3, 4 5 6 7.");
  EXPECT_EQ(sourceOfWord(source, run, "plus"), "+");
  // The ", " between groups stands for nothing: empty spans where the next group starts (42).
  const size_t comma = run.text.find(',');
  EXPECT_EQ(comma, 11u);
  for (size_t i : {comma, comma + 1}) {
    EXPECT_EQ(run.sourceStart[i], 42);
    EXPECT_EQ(run.sourceEnd[i], 42);
  }
  EXPECT_EQ(sourceOfWord(source, run, "5 5 5"), "555");
  EXPECT_EQ(sourceOfWord(source, run, "4 5 6 7"), "4567");
  EXPECT_EQ(sourceOfWord(source, run, "plus 1, 5 5 5, 1 2 3, 4 5 6 7"), "+1 (555) 123-4567");
  EXPECT_EQ(runOf(parse("<say-as interpret-as=\"telephone\">+49 30.12</say-as>", "de"), 0).text,
            "+ 4 9, 3 0, 1 2");
}

TEST(SsmlParser, SayAsCardinalIsUnchanged) {
  EXPECT_EQ(shape(parse("<say-as interpret-as=\"cardinal\">1,234</say-as>")), "\"1,234\"");
}

TEST(SsmlParser, SayAsOrdinalEnglishSuffixes) {
  const auto ordinal = [](const std::string& n) {
    return runOf(parse("<say-as interpret-as=\"ordinal\">" + n + "</say-as>"), 0).text;
  };
  EXPECT_EQ(ordinal("1"), "1st");
  EXPECT_EQ(ordinal("2"), "2nd");
  EXPECT_EQ(ordinal("3"), "3rd");
  EXPECT_EQ(ordinal("4"), "4th");
  EXPECT_EQ(ordinal("11"), "11th");
  EXPECT_EQ(ordinal("12"), "12th");
  EXPECT_EQ(ordinal("13"), "13th");
  EXPECT_EQ(ordinal("21"), "21st");
  EXPECT_EQ(ordinal("102"), "102nd");
  EXPECT_EQ(ordinal("111"), "111th");
  EXPECT_EQ(ordinal(" 1,000,003 "), " 1000003rd ");
  const std::string source = "the <say-as interpret-as=\"ordinal\">21</say-as> time";
  const SpeechScript runScript = parse(source);
  const ScriptRun& run = runOf(runScript, 0);
  EXPECT_EQ(sourceOfWord(source, run, "21st"), "21");
  EXPECT_EQ(sourceOfWord(source, run, "st"), "21");
}

TEST(SsmlParser, SayAsOrdinalOtherwiseReadAsWrittenWithAWarning) {
  SpeechScript script = parse("<say-as interpret-as=\"ordinal\">1,00</say-as>");
  EXPECT_EQ(shape(script), "\"1,00\"");
  ASSERT_EQ(script.warnings.size(), 1u);
  EXPECT_NE(script.warnings[0].find("whole number"), std::string::npos);
  script = parse("<say-as interpret-as=\"ordinal\">3</say-as>", "de");
  EXPECT_EQ(shape(script), "\"3\"");
  EXPECT_EQ(script.warnings,
            std::vector<std::string>{"say-as ordinal is read as written for language de"});
}

TEST(SsmlParser, SayAsDateEnglish) {
  const std::string source = "<say-as interpret-as=\"date\">12/03/2026</say-as>";
  const SpeechScript runScript = parse(source);
  const ScriptRun& run = runOf(runScript, 0);
  EXPECT_EQ(run.text, "December 3rd, 2026");
  EXPECT_EQ(sourceOfWord(source, run, "December"), "12");
  EXPECT_EQ(sourceOfWord(source, run, "3rd"), "03");
  EXPECT_EQ(sourceOfWord(source, run, "2026"), "2026");
  EXPECT_EQ(sourceOf(source, run, 0, run.text.size()), "12/03/2026");
  // en-gb reads day first by default; format overrides.
  EXPECT_EQ(runOf(parse(source, "en-gb"), 0).text, "March 12th, 2026");
  const auto date = [](const std::string& format, const std::string& text) {
    return runOf(parse("<say-as interpret-as=\"date\" format=\"" + format + "\">" + text +
                       "</say-as>"),
                 0)
        .text;
  };
  EXPECT_EQ(date("ymd", "2026-02-29"), "February 29th, 2026");
  EXPECT_EQ(date("dmy", "1.7.1999"), "July 1st, 1999");
  EXPECT_EQ(date("md", "7/22"), "July 22nd");
  EXPECT_EQ(date("dm", "23/7"), "July 23rd");
  EXPECT_EQ(date("my", "11/2020"), "November 2020");
  EXPECT_EQ(date("ym", "2020/11"), "November 2020");
}

// Year-first dates are spoken month first: a spoken range maps to the span covering all it came
// from, never to an inverted one (found by ssml_speech_fuzz in CI).
TEST(SsmlParser, SayAsDateSpokenOutOfSourceOrderMapsToCoveringSpans) {
  const std::string source = "<say-as interpret-as=\"date\" format=\"ymd\">2026/12/3</say-as>";
  const SpeechScript script = parse(source);
  const ScriptRun& run = runOf(script, 0);
  ASSERT_EQ(run.text, "December 3rd, 2026");
  EXPECT_EQ(sourceOfWord(source, run, "December"), "12");
  EXPECT_EQ(sourceOfWord(source, run, "2026"), "2026");
  EXPECT_EQ(sourceOf(source, run, 0, run.text.size()), "2026/12/3");
  EXPECT_EQ(sourceOf(source, run, 0, run.text.find("3rd") + 3), "12/3");
  // An empty range is empty where its byte starts ("2026" begins at byte 41 of the markup).
  const SourceSpan empty = run.toSource(run.text.find("2026"), run.text.find("2026"));
  EXPECT_EQ(empty.start, 41);
  EXPECT_EQ(empty.end, 41);
}

TEST(SsmlParser, SayAsDateInvalidOrNotEnglishIsReadAsWritten) {
  SpeechScript script = parse("<say-as interpret-as=\"date\">13/01/2026</say-as>");
  EXPECT_EQ(shape(script), "\"13/01/2026\"");
  EXPECT_EQ(script.warnings,
            std::vector<std::string>{"say-as date is not a valid mdy date; read as written"});
  EXPECT_EQ(shape(parse("<say-as interpret-as=\"date\" format=\"dmy\">0/1/2026</say-as>")),
            "\"0/1/2026\"");
  EXPECT_EQ(shape(parse("<say-as interpret-as=\"date\" format=\"md\">4/31</say-as>")), "\"4/31\"");
  script = parse("<say-as interpret-as=\"date\">3.12.2026</say-as>", "fr-fr");
  EXPECT_EQ(shape(script), "\"3.12.2026\"");
  EXPECT_EQ(script.warnings,
            std::vector<std::string>{"say-as date is read as written for language fr-fr"});
  expectInvalid("<say-as interpret-as=\"date\" format=\"xyz\">1/2</say-as>", 36,
                "say-as date format \"xyz\"");
}

TEST(SsmlParser, SayAsUnknownOrMissingInterpretAs) {
  const SpeechScript script = parse(
      "<say-as interpret-as=\"currency\">$5</say-as><say-as interpret-as=\"currency\">1</say-as>");
  EXPECT_EQ(shape(script), "\"$51\"");
  EXPECT_EQ(script.warnings, std::vector<std::string>{"say-as interpret-as=\"currency\" is not "
                                                      "supported; read as written"});
  expectInvalid("x <say-as>1</say-as>", 2, "<say-as> needs an interpret-as attribute");
  expectInvalid("<say-as interpret-as=\"digits\">1<break/>2</say-as>", 31,
                "<say-as> may contain only text, not <break>");
}

TEST(SsmlParser, SubSpeaksTheAliasForTheContent) {
  const std::string source = "The <sub alias=\"World Wide Web\">WWW</sub> is &quot;big&quot;.";
  const SpeechScript runScript = parse(source);
  const ScriptRun& run = runOf(runScript, 0);
  EXPECT_EQ(run.text, "The World Wide Web is \"big\".");
  EXPECT_EQ(sourceOfWord(source, run, "Wide"), "WWW");
  EXPECT_EQ(sourceOfWord(source, run, "World Wide Web"), "WWW");
  EXPECT_EQ(sourceOfWord(source, run, "is"), "is");
  // Without content the alias stands for the element.
  const std::string empty = "a <sub alias=\"b &amp; c\"/>";
  const SpeechScript aliasScript = parse(empty);
  const ScriptRun& alias = runOf(aliasScript, 0);
  EXPECT_EQ(alias.text, "a b & c");
  EXPECT_EQ(sourceOfWord(empty, alias, "b & c"), "<sub alias=\"b &amp; c\"/>");
  expectInvalid("<sub>WWW</sub>", 0, "<sub> needs an alias attribute");
  expectInvalid("<sub alias=\"x\">a<mark name=\"m\"/></sub>", 16, "may contain only text");
}

TEST(SsmlParser, PhonemeBecomesARawPhonemeBlock) {
  const std::string source = "a <phoneme alphabet=\"ipa\" ph=\"t\xC9\x99\">tomato</phoneme> b";
  const SpeechScript runScript = parse(source);
  const ScriptRun& run = runOf(runScript, 0);
  EXPECT_EQ(run.text, "a [[t\xC9\x99]] b");
  EXPECT_EQ(sourceOfWord(source, run, "[[t\xC9\x99]]"), "tomato");
  EXPECT_EQ(sourceOfWord(source, run, "b"), "b");
  EXPECT_EQ(runOf(parse("<phoneme ph=\"a\">x</phoneme>"), 0).text, "[[a]]");
  expectInvalid("<phoneme alphabet=\"x-sampa\" ph=\"a\">a</phoneme>", 19,
                "phoneme alphabet \"x-sampa\" is not supported");
  expectInvalid("<phoneme>x</phoneme>", 0, "<phoneme> needs a ph attribute");
  expectInvalid("<phoneme ph=\"\">x</phoneme>", 13, "phoneme ph");
  expectInvalid("<phoneme ph=\"a]]b\">x</phoneme>", 13, "without \"]]\"");
}

TEST(SsmlParser, MarksSitInTheirRun) {
  const std::string source = "Hello <mark name=\"m1\"/>world<mark name='end'/>";
  const SpeechScript script = parse(source);
  ASSERT_EQ(shape(script), "\"Hello world\"");
  const ScriptRun& run = runOf(script, 0);
  ASSERT_EQ(run.marks.size(), 2u);
  EXPECT_EQ(run.marks[0].name, "m1");
  EXPECT_EQ(run.marks[0].spokenOffset, 6u);
  EXPECT_EQ(run.marks[0].sourceOffset, 6);
  EXPECT_EQ(run.marks[1].name, "end");
  EXPECT_EQ(run.marks[1].spokenOffset, 11u);
  EXPECT_EQ(run.marks[1].sourceOffset, 28);
  EXPECT_EQ(sourceOfWord(source, run, "world"), "world");
}

TEST(SsmlParser, AMarkWithoutTextKeepsItsRun) {
  const SpeechScript script = parse("<break/><mark name=\"a\"/>");
  ASSERT_EQ(shape(script), "‖500 \"\"");
  const ScriptRun& run = runOf(script, 1);
  ASSERT_EQ(run.marks.size(), 1u);
  EXPECT_EQ(run.marks[0].spokenOffset, 0u);
  EXPECT_EQ(run.marks[0].sourceOffset, 8);
  EXPECT_EQ(run.sourceBegin, 8);
  EXPECT_EQ(run.sourceEndOffset, 24);
}

TEST(SsmlParser, BadMarkNames) {
  expectInvalid("<mark/>", 0, "<mark> needs a name attribute");
  expectInvalid("<mark name=\"\"/>", 12, "mark name must be 1 to 256 bytes long");
  expectInvalid("<mark name=\"" + std::string(257, 'a') + "\"/>", 12, "256");
  EXPECT_EQ(runOf(parse("<mark name=\"" + std::string(256, 'a') + "\"/>"), 0).marks.size(), 1u);
}

TEST(SsmlParser, UnknownElementsAreTransparentWithOneWarningEach) {
  const SpeechScript script = parse(
      "<speak><emphasis level=\"strong\">very</emphasis> <emphasis>much</emphasis> "
      "<voice name=\"x\">so</voice><emphasis/><p xml:lang=\"en\" foo=\"1\">!</p>"
      "<break foo=\"1\" bar=\"2\"/><break foo=\"3\"/></speak>");
  EXPECT_EQ(shape(script), "\"very much so\" \"!\" ‖500 ‖500");
  EXPECT_EQ(script.warnings,
            (std::vector<std::string>{"<emphasis> is not supported; its content is spoken as text",
                                      "<voice> is not supported; its content is spoken as text",
                                      "<p foo> is not supported; ignored",
                                      "<break foo> is not supported; ignored",
                                      "<break bar> is not supported; ignored"}));
}

TEST(SsmlParser, RootRules) {
  expectInvalid("<speak>a</speak> b", 17, "only whitespace and comments may follow </speak>");
  expectInvalid("<speak>a</speak><break/>", 16, "may follow </speak>");
  expectInvalid("Hi <speak>x</speak>", 3, "<speak> must be the root element");
  expectInvalid("<speak><speak/></speak>", 7, "<speak> must be the root element");
  EXPECT_EQ(shape(parse("<speak/>")), "");
  EXPECT_EQ(shape(parse("")), "");
}

TEST(SsmlParser, MalformedMarkupIsAnErrorWhereItIs) {
  expectInvalid("<speak><p>Hi</s></p></speak>", 12, "</s> does not close <p> opened at byte 7");
  expectInvalid("Hi </p>", 3, "</p> closes no open element");
  expectInvalid("<speak>a <prosody rate=\"slow\">b", 9, "unclosed <prosody> opened at byte 9");
  expectInvalid("<break time=\"1s\" time=\"2s\"/>", 17, "duplicate attribute time");
  expectInvalid("<sub alias=\"a<b\">x</sub>", 13, "'<' is not allowed in an attribute value");
  expectInvalid("<break time=500ms/>", 12, "must be in quotes");
  expectInvalid("<break time/>", 7, "attribute time of <break> has no value");
  expectInvalid("<break time=\"1s\"strength=\"weak\"/>", 16, "unexpected character");
  expectInvalid("Hi <break time=\"1s\"", 3, "unterminated tag <break>");
  expectInvalid("<break time=\"1s/>", 13, "unterminated value of attribute time");
  expectInvalid("a </p", 2, "unterminated closing tag </p>");
  expectInvalid("3 < 5", 2, "'<' must start a tag");
  expectInvalid("a <![CDATA[x]]>", 2, "CDATA sections are not supported");
  expectInvalid("<!DOCTYPE speak><speak/>", 0, "<!DOCTYPE and other declarations");
  expectInvalid("a <?php x ?>", 2, "processing instructions are not supported");
  expectInvalid("a<?xml version=\"1.0\"?>", 1, "processing instructions");
  expectInvalid("a <!-- b", 2, "unterminated comment");
}

TEST(SsmlParser, BadReferencesAreErrorsAtTheAmpersand) {
  expectInvalid("Tom &foo; Jerry", 4, "unknown entity &foo;");
  expectInvalid("AT&T rocks", 2, "'&' must start an entity");
  expectInvalid("x &#0;", 2, "is not a valid character");
  expectInvalid("&#xD800;", 0, "\"&#xD800;\" is not a valid character");
  expectInvalid("&#x110000;", 0, "is not a valid character");
  expectInvalid("&#99999999999999999999;", 0, "is not a valid character");
  expectInvalid("a &#x; b", 2, "unterminated character reference");
  expectInvalid("<sub alias=\"&nope;\">x</sub>", 12, "unknown entity &nope;");
}

TEST(SsmlParser, NestingIsBoundedAt64) {
  std::string ok, deep;
  for (int i = 0; i < 64; ++i) ok += "<x>";
  ok += "hi";
  for (int i = 0; i < 64; ++i) ok += "</x>";
  EXPECT_EQ(shape(parse(ok)), "\"hi\"");
  for (int i = 0; i < 1000; ++i) deep += "<x>";
  expectInvalid(deep, 192, "nested deeper than 64");
}

TEST(SsmlParser, InvalidUtf8AndLengthLimit) {
  const Error utf8 = errorOf([] { parseSsml("ab\xC3("); });
  EXPECT_EQ(utf8.code(), ErrorCode::kInvalidUtf8);
  EXPECT_EQ(utf8.offset(), 2);
  SsmlOptions options;
  options.maxChars = 3;
  EXPECT_EQ(shape(parseSsml("\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80", options)),
            "\"\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\"");
  const Error tooLong = errorOf([&] { parseSsml("<s>ab</s>", options); });
  EXPECT_EQ(tooLong.code(), ErrorCode::kTextTooLong);
  EXPECT_NE(std::string(tooLong.what()).find("limit of 3 characters"), std::string::npos);
}

}  // namespace
}  // namespace avatar_voice
