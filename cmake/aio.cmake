# Toolchain glue shared by every target: compiler flags per platform, and the third-party
# header-only libraries (doctest, nlohmann-json) found natively or, under emcmake, through a
# build-dir folder of symlinks (adding /usr/include itself would drag glibc headers into wasm).

add_library(aio_options INTERFACE)
if(EMSCRIPTEN)
  set(AIO_PLATFORM wasm)
  # -fexceptions: JS-based exceptions (-fwasm-exceptions crashes binaryen's Asyncify pass).
  # AIO_WASM_EH=ON builds with WebAssembly's own exception handling instead, for the benchmarks'
  # comparison only (the playground needs Asyncify). NOT a supported build: clang 14 miscompiles a
  # `try { co_await ... } catch` that a loop enters twice (the exception is not caught), and 3
  # engine tests (wait_for) fail built this way.
  option(AIO_WASM_EH "Use -fwasm-exceptions (no Asyncify) instead of JS-based exceptions" OFF)
  if(AIO_WASM_EH)
    set(_aio_eh -fwasm-exceptions)
  else()
    set(_aio_eh -fexceptions)
  endif()
  target_compile_options(aio_options INTERFACE ${_aio_eh} -Wno-deprecated-experimental-coroutine)
  target_link_options(aio_options INTERFACE ${_aio_eh} -sALLOW_MEMORY_GROWTH=1)
  set(_aio_third_party ${CMAKE_BINARY_DIR}/third_party_include)
  file(MAKE_DIRECTORY ${_aio_third_party})
  foreach(_lib doctest nlohmann)
    if(NOT EXISTS ${_aio_third_party}/${_lib})
      file(CREATE_LINK /usr/include/${_lib} ${_aio_third_party}/${_lib} SYMBOLIC)
    endif()
  endforeach()
  # The repository's package.json says "type": "module"; em++'s node output is CommonJS.
  file(WRITE ${CMAKE_BINARY_DIR}/package.json "{ \"type\": \"commonjs\" }\n")
  add_library(aio_third_party INTERFACE)
  target_include_directories(aio_third_party SYSTEM INTERFACE ${_aio_third_party})
  add_library(aio_json ALIAS aio_third_party)
  add_library(aio_doctest ALIAS aio_third_party)
else()
  set(AIO_PLATFORM native)
  target_compile_options(aio_options INTERFACE -Wall -Wextra)
  find_package(Threads REQUIRED)
  target_link_libraries(aio_options INTERFACE Threads::Threads)
  find_package(nlohmann_json 3 REQUIRED)
  find_package(doctest REQUIRED)
  add_library(aio_json INTERFACE)
  target_link_libraries(aio_json INTERFACE nlohmann_json::nlohmann_json)
  add_library(aio_doctest INTERFACE)
  target_link_libraries(aio_doctest INTERFACE doctest::doctest)
endif()
