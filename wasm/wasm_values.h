// Shared conversions between JS values and C++ for the Embind layer.
#pragma once

#include <emscripten/val.h>

#include <new>
#include <string>
#include <vector>

#include "core/error.h"

namespace avatar_voice::wasm {

inline emscripten::val errorValue(const char* code, const std::string& message) {
  emscripten::val detail = emscripten::val::object();
  detail.set("code", std::string(code));
  detail.set("message", message);
  emscripten::val out = emscripten::val::object();
  out.set("__error", detail);
  return out;
}

// Runs fn; a typed core error becomes {__error: {code, message}} (rethrown by web/errors.ts).
template <typename Fn>
emscripten::val guarded(Fn&& fn) {
  try {
    return fn();
  } catch (const Error& e) {
    return errorValue(e.codeName(), e.what());
  } catch (const std::bad_alloc&) {
    return errorValue("OUT_OF_MEMORY", "the wasm heap is exhausted");
  } catch (const std::exception& e) {
    return errorValue("INTERNAL", e.what());
  }
}

// A JS typed array → a C++ vector (one bulk copy into the heap).
template <typename T>
std::vector<T> copyIn(const emscripten::val& array) {
  return emscripten::convertJSArrayToNumberVector<T>(array);
}

// A C++ vector → a new JS typed array that owns its copy (safe after the vector is gone).
template <typename T>
emscripten::val copyOut(const std::vector<T>& data) {
  return emscripten::val(emscripten::typed_memory_view(data.size(), data.data())).call<emscripten::val>("slice");
}

}  // namespace avatar_voice::wasm
