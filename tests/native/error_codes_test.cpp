// The core's error codes: kAllErrorCodes lists the enum exactly (the list the wasm module exports
// and the build writes into the package), and every code has its own upper-snake-case name.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "core/error.h"

namespace avatar_voice {
namespace {

TEST(ErrorCodesTest, TheListIsTheEnumInOrderEndingWithInternal) {
  for (size_t i = 0; i < kAllErrorCodes.size(); ++i)
    EXPECT_EQ(static_cast<size_t>(kAllErrorCodes[i]), i) << errorCodeName(kAllErrorCodes[i]);
  // kInternal stays last, so a code added anywhere before it makes the list one short.
  EXPECT_EQ(kAllErrorCodes.back(), ErrorCode::kInternal);
}

TEST(ErrorCodesTest, NamesAreDistinctUpperSnakeCase) {
  std::set<std::string> names;
  for (ErrorCode code : kAllErrorCodes) {
    const std::string name = errorCodeName(code);
    EXPECT_TRUE(std::regex_match(name, std::regex("[A-Z][A-Z0-9_]*"))) << name;
    EXPECT_TRUE(names.insert(name).second) << "duplicate " << name;
  }
  EXPECT_EQ(std::string(errorCodeName(ErrorCode::kQuotaExceeded)), "QUOTA_EXCEEDED");
  EXPECT_EQ(std::string(errorCodeName(ErrorCode::kOutOfMemory)), "OUT_OF_MEMORY");
}

}  // namespace
}  // namespace avatar_voice
