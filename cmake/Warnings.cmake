# Applied per target so third-party headers are not affected.
function(hotline_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion)
  if(HOTLINE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
