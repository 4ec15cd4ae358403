#pragma once
// A value a suspended task coroutine waits for (a commit, a device's answer, an operator's
// answer, a delay): fulfilled once, on the engine thread, which resumes the coroutine.
#include <coroutine>
#include <memory>
#include <optional>
#include <utility>

namespace alabos {

template <typename T> struct Slot
{
    std::coroutine_handle<> handle;
    std::optional<T> value;
};

template <typename T> struct SlotAwaiter
{
    std::shared_ptr<Slot<T>> slot;
    bool await_ready() const noexcept { return slot->value.has_value(); }
    void await_suspend(std::coroutine_handle<> h) noexcept { slot->handle = h; }
    T await_resume() { return std::move(*slot->value); }
};

// A second value for the same slot is ignored: the first answer (or the timeout) wins.
template <typename T> void fulfil(const std::shared_ptr<Slot<T>> &slot, T value)
{
    if (slot->value) return;
    slot->value = std::move(value);
    if (auto h = std::exchange(slot->handle, {})) h.resume();
}

} // namespace alabos
