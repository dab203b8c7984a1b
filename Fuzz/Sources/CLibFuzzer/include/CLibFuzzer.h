#ifndef CLIBFUZZER_H
#define CLIBFUZZER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver for a program with its own main (https://llvm.org/docs/LibFuzzer.html#using-libfuzzer-as-a-library):
/// SwiftPM links an executable's main under another name, so each fuzz target's main.swift calls this itself.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
