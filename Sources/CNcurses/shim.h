#ifndef RMPVIZ_CNCURSES_SHIM_H
#define RMPVIZ_CNCURSES_SHIM_H
// The wide-character API is hidden unless this is set before curses.h; SwiftPM drops pkg-config's -D flags.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <ncursesw/curses.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <malloc.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

// Swift 6 rejects C globals as "not concurrency-safe"; these accessors read them instead.
static inline WINDOW *rmpviz_stdscr(void) { return stdscr; }
static inline int rmpviz_lines(void) { return LINES; }
static inline int rmpviz_cols(void) { return COLS; }
static inline int rmpviz_colors(void) { return COLORS; }
static inline int rmpviz_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *rmpviz_stdin(void) { return stdin; }
static inline FILE *rmpviz_stdout(void) { return stdout; }
static inline const char *rmpviz_codeset(void) { return nl_langinfo(CODESET); }

/// Keeps freed memory in the process instead of handing it back to the kernel at once: every key
/// makes and frees frames of some hundred kilobytes (and the viewer's prepared ones), and glibc
/// would otherwise shrink the heap under them and grow it again, a system call and fresh zeroed
/// pages each time, some of them between a key and its frame.
static inline void rmpviz_keep_heap(void) {
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
}

// Attribute and mouse macros do not import into Swift.
static inline attr_t rmpviz_a_bold(void) { return A_BOLD; }
static inline attr_t rmpviz_a_reverse(void) { return A_REVERSE; }
static inline attr_t rmpviz_a_underline(void) { return A_UNDERLINE; }
static inline attr_t rmpviz_a_dim(void) { return A_DIM; }
static inline mmask_t rmpviz_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t rmpviz_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t rmpviz_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t rmpviz_button5_pressed(void) { return BUTTON5_PRESSED; }

// Terminfo for the frame encoder: tigetstr reports "not a string capability" as (char *)-1,
// and tiparm is variadic (Swift cannot call it); these fixed-arity wrappers hide both.
static inline const char *rmpviz_tigetstr(const char *name) {
    char *value = tigetstr(name);
    return value == (char *)-1 ? NULL : value;
}
static inline const char *rmpviz_tparm1(const char *cap, int a) { return tiparm(cap, a); }
static inline const char *rmpviz_tparm2(const char *cap, int a, int b) { return tiparm(cap, a, b); }

/// The terminal's size by ncurses' own rule: the kernel's, unless LINES or COLUMNS in the
/// environment say otherwise; 80×24 when neither knows.
static inline void rmpviz_terminal_size(int fd, int *rows, int *columns) {
    struct winsize size;
    *rows = 0;
    *columns = 0;
    if (ioctl(fd, TIOCGWINSZ, &size) == 0) {
        *rows = size.ws_row;
        *columns = size.ws_col;
    }
    const char *lines = getenv("LINES"), *cols = getenv("COLUMNS");
    if (lines && atoi(lines) > 0) *rows = atoi(lines);
    if (cols && atoi(cols) > 0) *columns = atoi(cols);
    if (*rows <= 0) *rows = 24;
    if (*columns <= 0) *columns = 80;
}

/// newterm on a screen of one row of 24 columns. Frames never use ncurses' screen, and
/// allocating three full-size screens of cchar_t (and faulting their pages in) costs about a
/// quarter of a millisecond before the first frame; the screen is resized to the terminal's
/// size after that frame. 24 columns keep ncurses' output buffer, sized from the screen, large
/// enough for its setup strings in one write. The environment is restored before returning.
static inline SCREEN *rmpviz_newterm_small(FILE *out, FILE *in) {
    const char *lines = getenv("LINES"), *cols = getenv("COLUMNS");
    char *savedLines = lines ? strdup(lines) : NULL;
    char *savedCols = cols ? strdup(cols) : NULL;
    setenv("LINES", "1", 1);
    setenv("COLUMNS", "24", 1);
    SCREEN *screen = newterm(NULL, out, in);
    if (savedLines) setenv("LINES", savedLines, 1); else unsetenv("LINES");
    if (savedCols) setenv("COLUMNS", savedCols, 1); else unsetenv("COLUMNS");
    free(savedLines);
    free(savedCols);
    return screen;
}

/// Writes all of `buffer` to `fd` in as few write(2) calls as the descriptor takes (one, on a
/// terminal with room), retrying after EINTR and waiting for room after EAGAIN; 0 or -1.
static inline int rmpviz_write_all(int fd, const void *buffer, size_t count) {
    const char *p = (const char *)buffer;
    while (count > 0) {
        ssize_t n = write(fd, p, count);
        if (n > 0) {
            p += n;
            count -= (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            struct pollfd out = {fd, POLLOUT, 0};
            poll(&out, 1, 100);
        } else {
            return -1;
        }
    }
    return 0;
}

// Glibc hides these XSI functions from Swift; tests use them for a pseudo-terminal pair.
extern int posix_openpt(int flags);
extern int grantpt(int fd);
extern int unlockpt(int fd);
extern char *ptsname(int fd);

// ---- Signals -------------------------------------------------------------------------------
// Async-signal-safe handlers live here in C: they may only touch sig_atomic_t and call
// write/tcsetattr/sigaction/raise. Only the CursesTerminal module uses them, so one copy exists.

// Swift emits the inline functions it uses but not file-scope statics (the link fails), so the
// state lives in function-local statics.
static inline volatile sig_atomic_t *rmpviz_pending_signal(void) {
    static volatile sig_atomic_t value = 0;
    return &value;
}
static inline volatile sig_atomic_t *rmpviz_have_termios(void) {
    static volatile sig_atomic_t value = 0;
    return &value;
}
static inline struct termios *rmpviz_saved_termios(void) {
    static struct termios value;
    return &value;
}
static inline struct sigaction *rmpviz_previous_actions(void) {
    static struct sigaction value[65];
    return value;
}

static void rmpviz_quit_handler(int sig) { *rmpviz_pending_signal() = sig; }

static inline volatile sig_atomic_t *rmpviz_continued_flag(void) {
    static volatile sig_atomic_t value = 0;
    return &value;
}

static void rmpviz_continue_handler(int sig) {
    (void)sig;
    *rmpviz_continued_flag() = 1;
}

/// After Ctrl-Z and fg, ncurses' own SIGTSTP handler repaints only what it drew itself (nothing:
/// frames bypass its screen), so SIGCONT sets a flag and the terminal repaints the last frame.
static inline int rmpviz_install_continue_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    action.sa_handler = rmpviz_continue_handler;
    return sigaction(SIGCONT, &action, NULL);
}

/// Whether the process was continued after a stop since the last call (cleared).
static inline int rmpviz_take_continued(void) {
    return __atomic_exchange_n(rmpviz_continued_flag(), 0, __ATOMIC_SEQ_CST);
}

/// The number of a pending SIGINT/SIGTERM/SIGHUP (cleared), or 0.
static inline int rmpviz_take_pending_signal(void) {
    return __atomic_exchange_n(rmpviz_pending_signal(), 0, __ATOMIC_SEQ_CST);
}

/// The number of a pending SIGINT/SIGTERM/SIGHUP, left pending, or 0.
static inline int rmpviz_peek_pending_signal(void) {
    return __atomic_load_n(rmpviz_pending_signal(), __ATOMIC_SEQ_CST);
}

/// Saves the terminal's cooked mode so a crash can restore it.
static inline void rmpviz_save_termios(int fd) {
    if (tcgetattr(fd, rmpviz_saved_termios()) == 0) *rmpviz_have_termios() = 1;
}

static inline void rmpviz_forget_termios(void) { *rmpviz_have_termios() = 0; }

/// Leaves the alternate screen, shows the cursor, stops mouse reports, restores termios.
static inline void rmpviz_emergency_restore(void) {
    static const char seq[] = "\033[0m\033[?1000l\033[?1002l\033[?1006l\033[?25h\033[?1049l\r\n";
    ssize_t ignored = write(STDOUT_FILENO, seq, sizeof seq - 1);
    (void)ignored;
    if (*rmpviz_have_termios()) tcsetattr(STDIN_FILENO, TCSAFLUSH, rmpviz_saved_termios());
}

static void rmpviz_crash_handler(int sig, siginfo_t *info, void *context) {
    rmpviz_emergency_restore();
    struct sigaction previous = rmpviz_previous_actions()[sig];
    sigaction(sig, &previous, NULL);
    // Chain with the real context so the Swift backtracer can still unwind the faulting thread.
    if ((previous.sa_flags & SA_SIGINFO) && previous.sa_sigaction) {
        previous.sa_sigaction(sig, info, context);
        return;
    }
    if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
        previous.sa_handler(sig);
        return;
    }
    // A fault from the CPU recurs on return and meets the default action; a raised one needs
    // raising again (it stays pending until this handler returns).
    if (info == NULL || info->si_code <= 0) raise(sig);
}

/// Installs handlers: INT, TERM, HUP only set a flag (no SA_RESTART, so a blocking poll wakes);
/// SEGV, ILL, BUS, ABRT, TRAP, FPE restore the terminal and chain to the previous handler.
static inline int rmpviz_install_signal_handlers(void) {
    static const int quit[] = {SIGINT, SIGTERM, SIGHUP};
    static const int crash[] = {SIGSEGV, SIGILL, SIGBUS, SIGABRT, SIGTRAP, SIGFPE};
    struct sigaction action;
    for (unsigned i = 0; i < sizeof quit / sizeof quit[0]; i++) {
        memset(&action, 0, sizeof action);
        sigemptyset(&action.sa_mask);
        action.sa_handler = rmpviz_quit_handler;
        if (sigaction(quit[i], &action, NULL) != 0) return -1;
    }
    // A parent may have started us with these blocked; a viewer that ignores SIGTERM is worse.
    sigset_t unblock;
    sigemptyset(&unblock);
    for (unsigned i = 0; i < sizeof quit / sizeof quit[0]; i++) sigaddset(&unblock, quit[i]);
    pthread_sigmask(SIG_UNBLOCK, &unblock, NULL);
    for (unsigned i = 0; i < sizeof crash / sizeof crash[0]; i++) {
        memset(&action, 0, sizeof action);
        sigemptyset(&action.sa_mask);
        action.sa_sigaction = rmpviz_crash_handler;
        action.sa_flags = SA_SIGINFO | SA_ONSTACK;
        struct sigaction previous;
        if (sigaction(crash[i], &action, &previous) != 0) return -1;
        // Installing twice must not make our handler its own predecessor.
        if (!((previous.sa_flags & SA_SIGINFO) && previous.sa_sigaction == rmpviz_crash_handler))
            rmpviz_previous_actions()[crash[i]] = previous;
    }
    return 0;
}

/// Puts the quit signals back to their default action (after the terminal is closed).
static inline void rmpviz_reset_quit_signals(void) {
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGCONT, SIG_DFL);
}

#endif
