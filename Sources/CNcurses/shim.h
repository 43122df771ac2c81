#ifndef RMPVIZ_CNCURSES_SHIM_H
#define RMPVIZ_CNCURSES_SHIM_H
// The wide-character API is hidden unless this is set before curses.h; SwiftPM drops pkg-config's -D flags.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <ncursesw/curses.h>
#endif
