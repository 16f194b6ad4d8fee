#pragma once
// The sound devices PortAudio offers, and PortAudio's own lifetime. Device names are what
// users type (--input, --output, the audio.input/audio.output settings), so lookups are
// forgiving: exact name, else a unique case-insensitive part of it.

#include <string>
#include <string_view>
#include <vector>

namespace hotline::audio {

// Keeps PortAudio initialised while any instance lives (reference counted, thread-safe).
// PortAudio enumerates devices only when it initialises, so a device plugged in later is seen
// once every instance has gone. The first instance also silences the ALSA and JACK libraries'
// own complaints on standard error (probing absent cards and servers is normal, not an
// error); set HOTLINE_AUDIO_DEBUG=1 to see them.
class PortAudioLibrary {
 public:
  PortAudioLibrary();  // throws hotline::Error
  ~PortAudioLibrary();
  PortAudioLibrary(const PortAudioLibrary&) = delete;
  PortAudioLibrary& operator=(const PortAudioLibrary&) = delete;
};

struct DeviceInfo {
  int index = -1;  // PortAudio's, valid while the PortAudioLibrary that listed it lives
  std::string host_api;
  std::string name;
  int max_input_channels = 0;
  int max_output_channels = 0;
  double default_sample_rate = 0.0;
  bool is_default_input = false;
  bool is_default_output = false;
};

// The PortAudioLibrary parameter is proof that PortAudio is initialised.
std::vector<DeviceInfo> list_devices(const PortAudioLibrary& library);

// "default" or empty: the default device. Otherwise the device with exactly that name, else
// the one whose name contains `name` ignoring case. Throws hotline::Error naming the
// candidates when nothing or several match.
DeviceInfo find_input(const PortAudioLibrary& library, std::string_view name);
DeviceInfo find_output(const PortAudioLibrary& library, std::string_view name);

enum class StreamDirection { kInput, kOutput };
// The matching rule behind find_input()/find_output(), over a given list.
DeviceInfo select_device(const std::vector<DeviceInfo>& devices, std::string_view name,
                         StreamDirection direction);

}  // namespace hotline::audio
