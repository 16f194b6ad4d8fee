# Test programs compiled in batches (CMake's unity build). Most of a test file's compile time
# goes to instantiating the same Catch2, Asio and standard templates; a batch of eight files
# instantiates them once (the test programs' compile time: 474 s of CPU before, 297 s after,
# docs/performance.md "CI"). So file-local names (fixtures, helpers) must differ between the
# files of one test program, and helpers two files need belong in tests/support. Test files
# only: the libraries and programs that ship are still compiled one file at a time, and the
# dev preset (no batches) still proves that each test file includes what it uses.
option(HOTLINE_BATCH_TESTS "Compile the test programs' files in batches (unity build)" OFF)

function(hotline_batch_test_sources target)
  if(HOTLINE_BATCH_TESTS)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
  endif()
endfunction()
