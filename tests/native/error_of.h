// errorOf(fn): runs fn and returns the avatar_voice::Error it threw (a test failure if none).
//   EXPECT_EQ(errorOf([&] { store.avatars().get(42); }).code(), ErrorCode::kNotFound);
#pragma once

#include <gtest/gtest.h>

#include "core/error.h"

namespace avatar_voice {

template <typename Fn>
Error errorOf(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected avatar_voice::Error";
  return Error(ErrorCode::kInternal, "no error");
}

}  // namespace avatar_voice
