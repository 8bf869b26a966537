#include "text/ssml_attribute_values.h"

#include <cctype>
#include <cmath>
#include <utility>

namespace avatar_voice {
namespace {

constexpr double kMaxBreakMs = 10000;

bool isAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// Parses a decimal like "1.5" or ".5" from the start of s; returns the bytes used (0: none).
size_t parseDecimal(std::string_view s, double& value) {
  size_t i = 0;
  double v = 0;
  bool any = false;
  for (; i < s.size() && isAsciiDigit(s[i]); ++i, any = true) v = v * 10 + (s[i] - '0');
  if (i < s.size() && s[i] == '.') {
    double scale = 0.1;
    size_t j = i + 1;
    for (; j < s.size() && isAsciiDigit(s[j]); ++j, any = true, scale /= 10)
      v += (s[j] - '0') * scale;
    if (j > i + 1 || any) i = j;
  }
  value = v;
  return any ? i : 0;
}

}  // namespace

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && isXmlSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isXmlSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

double breakMilliseconds(const MarkupAttribute& time) {
  const std::string_view v = trimmed(time.value);
  double number = 0;
  const size_t used = parseDecimal(v, number);
  const std::string_view unit = trimmed(v.substr(used));
  double ms = -1;
  if (used > 0 && equalsIgnoringCase(unit, "ms")) ms = number;
  if (used > 0 && equalsIgnoringCase(unit, "s")) ms = number * 1000;
  if (ms < 0 || !std::isfinite(ms))
    throwInvalidSsml(
        "break time " + quotedForMessage(time.value) + " is not a duration like 500ms or 1.5s",
        time.valueOffset);
  if (ms > kMaxBreakMs)
    throwInvalidSsml(
        "break time " + quotedForMessage(time.value) + " is longer than the limit of 10s",
        time.valueOffset);
  return ms;
}

double strengthMilliseconds(const MarkupAttribute& strength) {
  static constexpr std::pair<std::string_view, double> kStrengths[] = {
      {"none", 0},     {"x-weak", 125}, {"weak", 250},
      {"medium", 500}, {"strong", 750}, {"x-strong", 1000}};
  for (const auto& [name, ms] : kStrengths)
    if (strength.value == name) return ms;
  throwInvalidSsml("break strength " + quotedForMessage(strength.value) +
                       " is not one of none, x-weak, weak, medium, strong, x-strong",
                   strength.valueOffset);
}

double prosodyRate(const MarkupAttribute& rate) {
  static constexpr std::pair<std::string_view, double> kRates[] = {
      {"x-slow", 0.5}, {"slow", 0.75}, {"medium", 1},
      {"default", 1},  {"fast", 1.25}, {"x-fast", 1.75}};
  const std::string_view v = trimmed(rate.value);
  double factor = -1;
  for (const auto& [name, f] : kRates)
    if (v == name) factor = f;
  if (factor < 0 && !v.empty()) {
    const bool relative = v.front() == '+' || v.front() == '-';
    const std::string_view number = relative ? v.substr(1) : v;
    double n = 0;
    const size_t used = parseDecimal(number, n);
    const std::string_view rest = number.substr(used);
    if (used > 0 && rest == "%") {
      factor = relative ? 1 + (v.front() == '-' ? -n : n) / 100 : n / 100;
    } else if (used > 0 && rest.empty() && !relative) {
      factor = n;
    } else {
      throwInvalidSsml(
          "prosody rate " + quotedForMessage(rate.value) +
              " is not a keyword (x-slow, slow, medium, fast, x-fast), a percentage like 150% or "
              "+20%, or a number like 1.3",
          rate.valueOffset);
    }
  }
  if (!(factor >= kMinProsodyRate && factor <= kMaxProsodyRate))
    throwInvalidSsml("prosody rate " + quotedForMessage(rate.value) +
                         " is outside 0.25 to 4 times the voice's rate",
                     rate.valueOffset);
  return factor;
}

}  // namespace avatar_voice
