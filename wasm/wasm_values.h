// Shared conversions between JS values and C++ for the Embind layer.
//
// Inputs whose size a caller controls (text, configs, model/pack/store bytes, samples) are taken
// as `val` and copied by bytesIn/textIn/copyIn, never as `const std::string&` parameters: Embind
// 3.1.6 converts those with `_malloc(n)` and does not check the result, so a failed allocation
// made it write the input from address 4 over static data and the stack. Here the length is
// checked against the input's limit first, the buffer is a std::vector/std::string (a failed
// allocation throws std::bad_alloc → {__error: OUT_OF_MEMORY}) and only then are the bytes copied.
#pragma once

#include <emscripten/val.h>

#include <cstdint>
#include <new>
#include <string>
#include <vector>

#include "core/error.h"

namespace avatar_voice::wasm {

inline emscripten::val errorValue(ErrorCode code, const std::string& message,
                                  int64_t offset = -1) {
  emscripten::val detail = emscripten::val::object();
  detail.set("code", std::string(errorCodeName(code)));
  detail.set("message", message);
  if (offset >= 0) detail.set("offset", static_cast<double>(offset));
  emscripten::val out = emscripten::val::object();
  out.set("__error", detail);
  return out;
}

// Runs fn; a typed core error becomes {__error: {code, message, offset?}} (rethrown by
// web/errors.ts; offset: UTF-8 bytes into the caller's text, for errors about a place in it).
template <typename Fn>
emscripten::val guarded(Fn&& fn) {
  try {
    return fn();
  } catch (const Error& e) {
    return errorValue(e.code(), e.what(), e.offset());
  } catch (const std::bad_alloc&) {
    return errorValue(ErrorCode::kOutOfMemory, "the wasm heap is exhausted");
  } catch (const std::exception& e) {
    return errorValue(ErrorCode::kInternal, e.what());
  }
}

// Length of a JS array-like, refused above `limit` before anything is copied.
inline size_t checkedLength(const emscripten::val& value, size_t limit, ErrorCode code,
                            const std::string& what) {
  const double length = value["length"].as<double>();
  if (!(length >= 0) || length > static_cast<double>(limit)) {
    throw Error(code, what + " has " + std::to_string(static_cast<unsigned long long>(length)) +
                          " elements, over the limit of " + std::to_string(limit));
  }
  return static_cast<size_t>(length);
}

// A JS typed array → a C++ vector (one bulk copy into the heap), at most `limit` elements.
template <typename T>
std::vector<T> copyIn(const emscripten::val& array, size_t limit, ErrorCode code,
                      const std::string& what) {
  checkedLength(array, limit, code, what);
  return emscripten::convertJSArrayToNumberVector<T>(array);  // resize() first: checked
}

// Bytes of a Uint8Array (or any typed array / ArrayBuffer: its raw bytes), at most `limit`.
inline std::vector<uint8_t> bytesIn(const emscripten::val& value, size_t limit, ErrorCode code,
                                    const std::string& what) {
  using emscripten::val;
  val view = val::undefined();
  if (value.instanceof(val::global("ArrayBuffer"))) {
    view = val::global("Uint8Array").new_(value);
  } else if (val::global("ArrayBuffer").call<bool>("isView", value)) {
    view = val::global("Uint8Array").new_(value["buffer"], value["byteOffset"], value["byteLength"]);
  } else {
    throw Error(ErrorCode::kInvalidArgument, what + " must be a Uint8Array");
  }
  std::vector<uint8_t> out(checkedLength(view, limit, code, what));
  if (!out.empty()) val(emscripten::typed_memory_view(out.size(), out.data())).call<void>("set", view);
  return out;
}

// A JS string → UTF-8, at most `maxUnits` UTF-16 code units (checked before encoding). Lone
// surrogates become U+FFFD (TextEncoder); web/wasm_core.ts refuses them in text before calling.
inline std::string textIn(const emscripten::val& value, size_t maxUnits, ErrorCode code,
                          const std::string& what) {
  using emscripten::val;
  if (!value.isString()) throw Error(ErrorCode::kInvalidArgument, what + " must be a string");
  checkedLength(value, maxUnits, code, what);
  const val utf8 = val::global("TextEncoder").new_().call<val>("encode", value);
  std::string out(utf8["length"].as<size_t>(), '\0');
  if (!out.empty()) {
    val(emscripten::typed_memory_view(out.size(), reinterpret_cast<uint8_t*>(out.data())))
        .call<void>("set", utf8);
  }
  return out;
}

// Text of at most `maxChars` codepoints: a JS string longer than 2 × maxChars UTF-16 units has more
// codepoints than that, so it is refused (kTextTooLong) before it is copied; the core then counts
// the codepoints exactly.
inline std::string textWithin(const emscripten::val& value, size_t maxChars) {
  if (value.isString() && value["length"].as<double>() > 2.0 * static_cast<double>(maxChars)) {
    throw Error(ErrorCode::kTextTooLong,
                "text is longer than the limit of " + std::to_string(maxChars) + " characters");
  }
  const size_t maxUnits = maxChars > SIZE_MAX / 2 ? SIZE_MAX : 2 * maxChars;
  return textIn(value, maxUnits, ErrorCode::kTextTooLong, "text");
}

// A C++ vector → a new JS typed array that owns its copy (safe after the vector is gone).
template <typename T>
emscripten::val copyOut(const std::vector<T>& data) {
  return emscripten::val(emscripten::typed_memory_view(data.size(), data.data())).call<emscripten::val>("slice");
}

}  // namespace avatar_voice::wasm
