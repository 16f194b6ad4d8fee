// devices, settings set/get/list/unset (set and unset need the administrator role).

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "app/cli/commands.hpp"
#include "app/cli/role_session.hpp"
#include "core/admin/administration.hpp"
#include "core/audio/device_catalog.hpp"
#include "core/console/console_settings.hpp"
#include "core/net/endpoint.hpp"
#include "core/util/error.hpp"

namespace hotline::cli {

namespace {

struct SettingKey {
  const char* key;
  const char* meaning;
  bool (*valid)(const std::string& value);  // null: any non-empty text
  const char* stored_as = nullptr;          // the store's key, when it is another
  bool required = false;                    // cannot be unset
  const char* stored() const { return stored_as ? stored_as : key; }
};

bool one_of(const std::string& v, std::initializer_list<const char*> allowed) {
  for (const char* a : allowed) {
    if (v == a) return true;
  }
  return false;
}

bool integer_in(const std::string& v, int min, int max) {
  int n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  return ec == std::errc() && end == v.data() + v.size() && n >= min && n <= max;
}

// The settings an administrator may change (the console's settings page writes the same
// keys). Everything else in the store (own name, keys, listening address) is managed by the
// commands that own it.
constexpr SettingKey kSettings[] = {
    {kInputSetting, "microphone for calls (a name from 'hotline devices'; default: the system's)",
     nullptr},
    {kOutputSetting, "loudspeaker for calls (a name from 'hotline devices'; default: the system's)",
     nullptr},
    {console::kSettingFrameMs, "Opus frame of the calls this console places: 10 or 20 (default 20)",
     [](const std::string& v) {
       return one_of(v, {"10", "20"});
     }},
    {console::kSettingBitrate,
     "Opus bitrate of the calls this console places, 16000..64000 (default 32000)",
     [](const std::string& v) { return integer_in(v, 16000, 64000); }},
    {console::kSettingEchoCancellation, "echo cancellation: on or off (default on)",
     [](const std::string& v) {
       return one_of(v, {"on", "off"});
     }},
    {console::kSettingNoiseSuppression,
     "noise suppression (which also takes out what echo cancellation leaves): on or off "
     "(default on)",
     [](const std::string& v) {
       return one_of(v, {"on", "off"});
     }},
    {console::kSettingLanguage, "the console's language: en or zh_CN (default: the system's)",
     [](const std::string& v) {
       return one_of(v, {"en", "zh_CN"});
     }},
    {console::kSettingRoleIdleMinutes,
     "minutes an unlocked role stays unlocked in the console, 1..120",
     [](const std::string& v) { return integer_in(v, 1, 120); }},
    {"listen",
     "the address and UDP port this console listens on, e.g. 0.0.0.0:47000 (from its next "
     "start; peers reach it at the address on its card)",
     [](const std::string& v) { return net::parse_endpoint(v).has_value(); },
     console::kSettingListen, true},
};

const SettingKey& known_setting(const std::string& key) {
  for (const auto& s : kSettings) {
    if (key == s.key) return s;
  }
  std::string known;
  for (const auto& s : kSettings) known += (known.empty() ? "" : ", ") + std::string(s.key);
  throw UsageError("unknown setting '" + key + "' (known settings: " + known + ")");
}

std::string defaults_of(const audio::DeviceInfo& d) {
  if (d.is_default_input && d.is_default_output) return "in,out";
  if (d.is_default_input) return "in";
  if (d.is_default_output) return "out";
  return "-";
}

}  // namespace

int run_devices(const Invocation& in) {
  const Arguments args(in.args, {});
  args.expect_positional(0, "");
  const audio::PortAudioLibrary library;
  const std::vector<audio::DeviceInfo> devices = audio::list_devices(library);
  std::size_t api_width = 3;
  for (const auto& d : devices) api_width = std::max(api_width, d.host_api.size());

  std::ostringstream table;
  table << std::left << std::setw(6) << "INDEX" << std::setw(static_cast<int>(api_width) + 2)
        << "API" << std::right << std::setw(4) << "IN" << std::setw(5) << "OUT" << std::setw(8)
        << "RATE"
        << "  " << std::left << std::setw(8) << "DEFAULT"
        << "NAME\n";
  for (const auto& d : devices) {
    table << std::left << std::setw(6) << d.index << std::setw(static_cast<int>(api_width) + 2)
          << d.host_api << std::right << std::setw(4) << d.max_input_channels << std::setw(5)
          << d.max_output_channels << std::setw(8) << std::fixed << std::setprecision(0)
          << d.default_sample_rate << "  " << std::left << std::setw(8) << defaults_of(d) << d.name
          << "\n";
  }
  std::cout << table.str() << std::flush;
  if (devices.empty()) std::cerr << "No sound devices found.\n";
  return 0;
}

int run_settings_set(const Invocation& in) {
  const Arguments args(in.args, with_role_options({}));
  args.expect_positional(2, "setting name and value");
  const std::string& key = args.positional()[0];
  const std::string& value = args.positional()[1];
  const SettingKey& setting = known_setting(key);
  if (value.empty()) throw UsageError("empty value (use 'hotline settings unset " + key + "')");
  if (setting.valid && !setting.valid(value)) {
    throw UsageError("'" + value + "' is not valid for " + key + ": " + setting.meaning);
  }
  // The one canonical form (an address is stored as the console writes it).
  const std::string stored = setting.stored_as == console::kSettingListen
                                 ? net::parse_endpoint(value)->to_string()
                                 : value;
  RoleSession session(in, args, store::Role::kAdministrator);
  admin::Administration(session.profile(), session.audit())
      .set_setting(session.grant(), setting.stored(), stored);
  std::cout << key << " = " << stored << "\n";
  return 0;
}

int run_settings_get(const Invocation& in) {
  const Arguments args(in.args, {});
  args.expect_positional(1, "setting name");
  const std::string& key = args.positional()[0];
  const SettingKey& setting = known_setting(key);
  auto profile = identity::Profile::open(in.profile_dir);
  const auto value = profile.settings().get(setting.stored());
  if (!value) throw Error(key + " is not set");
  std::cout << *value << "\n";
  return 0;
}

int run_settings_list(const Invocation& in) {
  const Arguments args(in.args, {});
  args.expect_positional(0, "");
  auto profile = identity::Profile::open(in.profile_dir);
  for (const auto& s : kSettings) {
    const auto value = profile.settings().get(s.stored());
    std::cout << std::left << std::setw(24) << s.key << (value ? *value : "(not set)") << "\n"
              << "                        " << s.meaning << "\n";
  }
  return 0;
}

int run_settings_unset(const Invocation& in) {
  const Arguments args(in.args, with_role_options({}));
  args.expect_positional(1, "setting name");
  const std::string& key = args.positional()[0];
  const SettingKey& setting = known_setting(key);
  if (setting.required) throw UsageError(key + " cannot be unset: set another value instead");
  RoleSession session(in, args, store::Role::kAdministrator);
  const bool removed = admin::Administration(session.profile(), session.audit())
                           .unset_setting(session.grant(), setting.stored());
  std::cout << key << (removed ? " unset" : " was not set") << "\n";
  return 0;
}

}  // namespace hotline::cli
