# Precompiled headers. Almost every file parses the same standard headers, libsodium and Asio
# (Asio alone is about 2 s of a file's 7), and every Qt file the same Qt headers: parsing them
# once per group instead of once per file takes about a third off each of CI's three builds
# (docs/performance.md, "CI"). A header precompiled with one set of code-generation flags
# cannot serve another (-fPIC, which Qt imposes on its users, differs), hence three groups, each
# precompiled once by an empty anchor target and reused by its members.
#
# The fuzz preset turns this off: its clang build of core then still proves that every core
# file includes what it uses.
option(HOTLINE_PCH "Precompile the headers most files include" ON)

set(hotline_pch_core_headers
    <algorithm> <array> <atomic> <chrono> <cstddef> <cstdint> <cstring> <filesystem>
    <functional> <map> <memory> <mutex> <optional> <span> <string> <string_view> <thread>
    <utility> <vector> <sodium.h> <asio.hpp>)
set(hotline_pch_tests_headers ${hotline_pch_core_headers} <catch2/catch_test_macros.hpp>
    <catch2/matchers/catch_matchers_string.hpp>)
set(hotline_pch_qt_headers ${hotline_pch_core_headers} <QtWidgets>)

# hotline_precompile(TARGET GROUP): TARGET reuses GROUP's precompiled header; GROUP is core
# (core libraries and the command line), tests (Catch2 and test tools) or qt (the GUI).
function(hotline_precompile target group)
  if(NOT HOTLINE_PCH)
    return()
  endif()
  set(anchor hotline_pch_${group})
  if(NOT TARGET ${anchor})
    set(source ${CMAKE_BINARY_DIR}/pch/${group}.cpp)
    file(CONFIGURE OUTPUT ${source} CONTENT "// owns the ${group} group's precompiled header\n")
    add_library(${anchor} OBJECT ${source})
    if(group STREQUAL "core")
      target_link_libraries(${anchor} PRIVATE hotline_asio PkgConfig::SODIUM)
    elseif(group STREQUAL "tests")
      target_link_libraries(${anchor} PRIVATE hotline_asio PkgConfig::SODIUM Catch2::Catch2)
    elseif(group STREQUAL "qt")
      target_link_libraries(${anchor} PRIVATE hotline_asio PkgConfig::SODIUM Qt6::Widgets)
    else()
      message(FATAL_ERROR "hotline_precompile: unknown group '${group}'")
    endif()
    target_compile_options(${anchor} PRIVATE -pthread)
    hotline_set_warnings(${anchor})  # -Wpedantic undefines __cpp_runtime_arrays: must match
    target_precompile_headers(${anchor} PRIVATE ${hotline_pch_${group}_headers})
  endif()
  # The header was precompiled with Asio's definitions and -pthread (which defines _REENTRANT and
  # which some pkg-config files add): a member without them could not use it.
  target_link_libraries(${target} PRIVATE hotline_asio)
  target_compile_options(${target} PRIVATE -pthread)
  target_precompile_headers(${target} REUSE_FROM ${anchor})
endfunction()
