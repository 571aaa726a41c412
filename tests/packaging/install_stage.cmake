# Installs the build tree into a fresh staging prefix: cmake --install WS2_BINARY_DIR --prefix WS2_STAGE_DIR.
# Run with cmake -DWS2_BINARY_DIR=... -DWS2_STAGE_DIR=... -DWS2_STAGE_LIBDIR=lib -P install_stage.cmake
foreach(var WS2_BINARY_DIR WS2_STAGE_DIR WS2_STAGE_LIBDIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "install_stage.cmake: ${var} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE "${WS2_STAGE_DIR}")
execute_process(
  COMMAND "${CMAKE_COMMAND}" --install "${WS2_BINARY_DIR}" --prefix "${WS2_STAGE_DIR}"
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${result}); build the project first "
                      "(cmake --build ${WS2_BINARY_DIR})")
endif()

# What the later tests rely on.
set(missing "")
foreach(rel
    include/ws2/winsock2.h
    include/ws2/ws2tcpip.h
    include/ws2/ws2_msvcrt_unicode.h
    include/ws2/ws2_posix_renames.h
    ${WS2_STAGE_LIBDIR}/libws2_32.so
    ${WS2_STAGE_LIBDIR}/libws2_32_unicode.a
    ${WS2_STAGE_LIBDIR}/pkgconfig/ws2_32.pc
    ${WS2_STAGE_LIBDIR}/pkgconfig/ws2_32-unicode.pc
    ${WS2_STAGE_LIBDIR}/cmake/ws2_32/ws2_32Config.cmake
    ${WS2_STAGE_LIBDIR}/cmake/ws2_32/ws2_32ConfigVersion.cmake
    ${WS2_STAGE_LIBDIR}/cmake/ws2_32/ws2_32Targets.cmake)
  if(NOT EXISTS "${WS2_STAGE_DIR}/${rel}")
    list(APPEND missing "${rel}")
  endif()
endforeach()
if(missing)
  list(JOIN missing "\n  " text)
  message(FATAL_ERROR "the staged install lacks:\n  ${text}")
endif()
message(STATUS "staged install ready in ${WS2_STAGE_DIR}")
