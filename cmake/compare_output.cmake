# ctest helper: run ${RUNNER} ${EXE} and require its stdout to equal the file ${EXPECTED}.
execute_process(COMMAND ${RUNNER} ${EXE} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
file(READ ${EXPECTED} want)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${EXE} exited with ${rc}")
endif()
if(NOT out STREQUAL want)
  message(FATAL_ERROR "output differs from ${EXPECTED}:\n${out}")
endif()
