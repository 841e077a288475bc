/* The SSGI ABI is the header alone; this file gives the C target a translation unit. */
#include "ssgi.h"
