#include "trace/trace-hw_i386_pvh.h"
