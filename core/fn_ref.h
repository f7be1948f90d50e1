#pragma once

#include <type_traits>
#include <utility>

namespace vireo {

// A non-owning reference to a callable (C++26's std::function_ref), so that
// visitors cross a .cpp boundary without std::function's allocation. The
// callable must outlive the reference; pass lambdas directly.
template <class Sig>
class FnRef;

template <class R, class... A>
class FnRef<R(A...)> {
 public:
  template <class F>
  requires(!std::is_same_v<std::remove_cvref_t<F>, FnRef>)
      FnRef(F&& f)  // NOLINT(google-explicit-constructor): implicit on purpose
      : obj_(const_cast<void*>(static_cast<const void*>(&f))), call_([](void* obj, A... a) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(obj))(std::forward<A>(a)...);
        }) {}
  R operator()(A... a) const { return call_(obj_, std::forward<A>(a)...); }

 private:
  void* obj_;
  R (*call_)(void*, A...);
};

}  // namespace vireo
