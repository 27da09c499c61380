package dev.edgeai.chat;

/**
 * Text from a server (model ids, answers, error bodies) made safe for a terminal: an ANSI escape or OSC sequence
 * in a model id could retitle the window, hide output or ring the bell. Tabs and newlines stay; every other C0/C1
 * control character and DEL is dropped, escape sequences whole.
 */
public final class Terminal {
    private Terminal() {}

    /**
     * Whether stderr is an interactive terminal, where a progress bar can redraw itself with carriage returns. In a
     * pipe or a log file those would pile up, so callers print a line per stage instead. EDGEAI_PROGRESS=bar or
     * lines overrides the guess.
     */
    public static boolean stderrIsTerminal() {
        String forced = System.getenv("EDGEAI_PROGRESS");
        if ("bar".equalsIgnoreCase(forced)) return true;
        if ("lines".equalsIgnoreCase(forced)) return false;
        java.nio.file.Path fd = java.nio.file.Path.of("/proc/self/fd/2");
        try { // Linux says exactly what stderr is: /dev/pts/N or /dev/ttyN for a terminal
            String target = java.nio.file.Files.readSymbolicLink(fd).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException notLinux) {
            // elsewhere: a console exists only when the JVM runs attached to a terminal (checked for stdin/stdout)
            java.io.Console c = System.console();
            if (c == null) return false;
            try { // Java 22+ returns a console for redirected streams too, and says so here
                return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
            } catch (ReflectiveOperationException java21) {
                return true;
            }
        }
    }

    public static String safe(String s) {
        if (s == null) return null;
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u001b') { // ESC: skip the whole CSI/OSC sequence, not just the ESC
                i = skipEscape(s, i);
            } else if (c == '\n' || c == '\t' || !(c < 0x20 || (c >= 0x7f && c <= 0x9f))) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Returns the index of the last character of the escape sequence starting at {@code esc}. */
    private static int skipEscape(String s, int esc) {
        if (esc + 1 >= s.length()) return esc;
        char kind = s.charAt(esc + 1);
        if (kind == '[') { // CSI: parameters, then one final byte in @..~
            int i = esc + 2;
            while (i < s.length() && (s.charAt(i) < 0x40 || s.charAt(i) > 0x7e)) i++;
            return Math.min(i, s.length() - 1);
        }
        if (kind == ']' || kind == 'P' || kind == '_' || kind == '^') { // OSC/DCS/APC/PM: up to BEL or ST
            for (int i = esc + 2; i < s.length(); i++) {
                if (s.charAt(i) == '\u0007') return i;
                if (s.charAt(i) == '\u001b' && i + 1 < s.length() && s.charAt(i + 1) == '\\') return i + 1;
            }
            return s.length() - 1;
        }
        return esc + 1; // two-character escape such as ESC c (reset)
    }
}
