// The declaration in include/CLibFuzzer.h is all this target is; libFuzzer itself comes with -sanitize=fuzzer.
#include "CLibFuzzer.h"
