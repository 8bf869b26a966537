// The SSML attribute values that stand for numbers, read as numbers: <break time="…"> and
// <break strength="…"> as milliseconds, <prosody rate="…"> as a factor of the voice's speed.
// Internal to the SSML parser (not part of the public API); what the elements do with them is
// ssml_parser.cpp's.
//
//   const double pause = breakMilliseconds(*tag.find("time"));  // "1.5s" → 1500, " 250 ms" → 250
//   const double fallback = strengthMilliseconds(*tag.find("strength"));  // "weak" → 250
//   const double factor = prosodyRate(*tag.find("rate"));  // "+20%" → 1.2, "slow" → 0.75
//   // each throws Error(kInvalidSsml) at the value instead: "5 minutes", "loud", "500%"
//
// Errors: Error(kInvalidSsml) at the value's first byte (throwInvalidSsml from
// ssml_markup_reader.h), its message quoting the value, when it is unreadable or out of range.
#pragma once

#include <string_view>

#include "text/ssml_markup_reader.h"

namespace avatar_voice {

// The range prosodyRate accepts, and the parser keeps nested rates (which multiply) within.
constexpr double kMinProsodyRate = 0.25;
constexpr double kMaxProsodyRate = 4;

// time="…": "500ms", "1.5s", "250 ms" (unit case-insensitive, up to 10s) → milliseconds.
double breakMilliseconds(const MarkupAttribute& time);

// strength="…": none, x-weak, weak, medium, strong, x-strong → 0 to 1000 milliseconds.
double strengthMilliseconds(const MarkupAttribute& strength);

// rate="…": a keyword (x-slow … x-fast, default), a percentage ("150%", "+20%", "-10%") or a
// plain number ("1.3") → a factor of the voice's speed, kMinProsodyRate to kMaxProsodyRate.
double prosodyRate(const MarkupAttribute& rate);

// `s` without the XML whitespace (isXmlSpace) at either end.
std::string_view trimmed(std::string_view s);

// Whether `a` and `b` are the same but for the case of ASCII letters.
bool equalsIgnoringCase(std::string_view a, std::string_view b);

}  // namespace avatar_voice
