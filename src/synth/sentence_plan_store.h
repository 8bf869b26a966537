// The sentence plans of one voice waiting for their model output, bounded.
//
//   SentencePlanStore store;                       // at most kMaxOpenPlans plans
//   const int id = store.add(voice.plan(...));     // only once the plan is complete
//   const SentencePlan& s = store.sentence(id, 0); // Error(kNotFound) when released or evicted
//   store.release(id);
//
// Why bounded: plans live in the wasm heap until the web layer releases them, and a caller that
// never does (an abandoned stream, a check that throws between plan and release) would grow the
// heap with every utterance. When the store is full, adding a plan evicts the oldest one; a late
// finish() on it gets a typed NOT_FOUND instead of the heap growing without bound. 64 open plans
// is far more than concurrent streams on one voice (each stream holds one plan).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "synth/piper_voice.h"

namespace avatar_voice {

class SentencePlanStore {
 public:
  static constexpr size_t kMaxOpenPlans = 64;

  // Takes a complete plan (nothing may throw after it is stored) and returns its id.
  int add(std::vector<SentencePlan> plan) {
    while (plans_.size() >= kMaxOpenPlans) plans_.erase(plans_.begin());  // ids grow: oldest first
    const int id = nextId_++;
    plans_.emplace(id, std::move(plan));
    return id;
  }

  const SentencePlan& sentence(int id, int index) const {
    const auto it = plans_.find(id);
    if (it == plans_.end() || index < 0 || static_cast<size_t>(index) >= it->second.size()) {
      throw Error(ErrorCode::kNotFound, "no sentence " + std::to_string(index) + " in plan " +
                                            std::to_string(id) + " (released, or evicted after " +
                                            std::to_string(kMaxOpenPlans) + " newer plans)");
    }
    return it->second[static_cast<size_t>(index)];
  }

  void release(int id) { plans_.erase(id); }
  size_t size() const { return plans_.size(); }

 private:
  std::map<int, std::vector<SentencePlan>> plans_;
  int nextId_ = 1;
};

}  // namespace avatar_voice
