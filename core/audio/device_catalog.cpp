#include "core/audio/device_catalog.hpp"

#include <dlfcn.h>
#include <portaudio.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <mutex>

#include "core/util/error.hpp"

namespace hotline::audio {

namespace {

std::mutex g_library_mutex;
int g_library_users = 0;  // guarded by g_library_mutex

void quiet_alsa(const char*, int, const char*, int, const char*, ...) {}
void quiet_jack(const char*) {}

// PortAudio probes every ALSA PCM and the JACK server, and both libraries print each failed
// probe to standard error. Their handlers are looked up at run time (libportaudio already
// loaded both), so the build needs neither library's headers.
void silence_audio_libraries() {
  const char* debug = std::getenv("HOTLINE_AUDIO_DEBUG");
  if (debug && std::string_view(debug) == "1") return;
  using AlsaHandler = void (*)(const char*, int, const char*, int, const char*, ...);
  using JackHandler = void (*)(const char*);
  if (void* set = dlsym(RTLD_DEFAULT, "snd_lib_error_set_handler")) {
    reinterpret_cast<int (*)(AlsaHandler)>(set)(quiet_alsa);
  }
  for (const char* symbol : {"jack_set_error_function", "jack_set_info_function"}) {
    if (void* set = dlsym(RTLD_DEFAULT, symbol)) {
      reinterpret_cast<void (*)(JackHandler)>(set)(quiet_jack);
    }
  }
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string quoted_names(const std::vector<DeviceInfo>& devices) {
  std::string out;
  for (const auto& d : devices) out += (out.empty() ? "'" : ", '") + d.name + "'";
  return out;
}

}  // namespace

DeviceInfo select_device(const std::vector<DeviceInfo>& devices, std::string_view name,
                         StreamDirection which) {
  const bool input = which == StreamDirection::kInput;
  const char* direction = input ? "input" : "output";
  std::vector<DeviceInfo> candidates;
  for (const auto& d : devices) {
    if ((input ? d.max_input_channels : d.max_output_channels) > 0) candidates.push_back(d);
  }
  if (name.empty() || name == "default") {
    for (const auto& d : candidates) {
      if (input ? d.is_default_input : d.is_default_output) return d;
    }
    // Read by officials in the window as well as on the command line: no command names here.
    throw Error(std::string("no default ") + direction +
                " device on this system: choose one by name in the console's sound settings");
  }
  for (const auto& d : candidates) {
    if (d.name == name) return d;
  }
  const std::string wanted = lower(name);
  std::vector<DeviceInfo> matches;
  for (const auto& d : candidates) {
    if (lower(d.name).find(wanted) != std::string::npos) matches.push_back(d);
  }
  if (matches.size() == 1) return matches.front();
  if (matches.empty()) {
    throw Error("no " + std::string(direction) + " device named '" + std::string(name) + "'; " +
                (candidates.empty()
                     ? std::string("there are no ") + direction + " devices"
                     : std::string(direction) + " devices: " + quoted_names(candidates)));
  }
  throw Error("'" + std::string(name) + "' matches several " + direction +
              " devices: " + quoted_names(matches) + "; give more of the name");
}

PortAudioLibrary::PortAudioLibrary() {
  std::lock_guard lock(g_library_mutex);
  if (g_library_users == 0) {
    static std::once_flag silenced;
    std::call_once(silenced, silence_audio_libraries);
    if (const PaError err = Pa_Initialize(); err != paNoError) {
      throw Error(std::string("cannot initialise PortAudio: ") + Pa_GetErrorText(err));
    }
  }
  ++g_library_users;
}

PortAudioLibrary::~PortAudioLibrary() {
  std::lock_guard lock(g_library_mutex);
  if (--g_library_users == 0) Pa_Terminate();
}

std::vector<DeviceInfo> list_devices(const PortAudioLibrary&) {
  std::vector<DeviceInfo> devices;
  const PaDeviceIndex count = Pa_GetDeviceCount();
  if (count < 0) {
    throw Error(std::string("cannot list sound devices: ") + Pa_GetErrorText(count));
  }
  const PaDeviceIndex default_input = Pa_GetDefaultInputDevice();
  const PaDeviceIndex default_output = Pa_GetDefaultOutputDevice();
  for (PaDeviceIndex i = 0; i < count; ++i) {
    const PaDeviceInfo* info = Pa_GetDeviceInfo(i);
    if (!info) continue;
    const PaHostApiInfo* api = Pa_GetHostApiInfo(info->hostApi);
    devices.push_back({.index = i,
                       .host_api = api ? api->name : "?",
                       .name = info->name ? info->name : "",
                       .max_input_channels = info->maxInputChannels,
                       .max_output_channels = info->maxOutputChannels,
                       .default_sample_rate = info->defaultSampleRate,
                       .is_default_input = i == default_input,
                       .is_default_output = i == default_output});
  }
  return devices;
}

DeviceInfo find_input(const PortAudioLibrary& library, std::string_view name) {
  return select_device(list_devices(library), name, StreamDirection::kInput);
}

DeviceInfo find_output(const PortAudioLibrary& library, std::string_view name) {
  return select_device(list_devices(library), name, StreamDirection::kOutput);
}

}  // namespace hotline::audio
