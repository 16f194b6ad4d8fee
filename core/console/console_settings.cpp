#include "core/console/console_settings.hpp"

#include <algorithm>
#include <charconv>

#include "core/wire/wire.hpp"

namespace hotline::console {
namespace {

int int_setting(identity::Profile& p, const char* key, int fallback) {
  const auto text = p.settings().get(key);
  if (!text) return fallback;
  int value = fallback;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  return ec == std::errc() && end == text->data() + text->size() ? value : fallback;
}

}  // namespace

ConsoleSettings read_settings(identity::Profile& p) {
  ConsoleSettings s;
  s.input = p.settings().get(kSettingInput).value_or("default");
  s.output = p.settings().get(kSettingOutput).value_or("default");
  s.frame_ms = int_setting(p, kSettingFrameMs, 20);
  if (s.frame_ms != 10 && s.frame_ms != 20) s.frame_ms = 20;
  s.bitrate =
      std::clamp(int_setting(p, kSettingBitrate, 32000), wire::kMinBitrate, wire::kMaxBitrate);
  if (s.frame_ms == 10) s.bitrate = std::max(s.bitrate, 32000);
  s.echo_cancellation = p.settings().get(kSettingEchoCancellation).value_or("on") != "off";
  s.noise_suppression = p.settings().get(kSettingNoiseSuppression).value_or("on") != "off";
  s.listen = p.listen().to_string();
  s.language = p.settings().get(kSettingLanguage).value_or("");
  s.role_idle_minutes = std::clamp(int_setting(p, kSettingRoleIdleMinutes, 5), 1, 120);
  return s;
}

}  // namespace hotline::console
