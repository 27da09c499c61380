package dev.edgeai.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine;

/** Durations as people type them: 30s, 500ms, 2m, a bare number of seconds, or ISO-8601 (PT30S). */
public final class Durations implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    public static Duration parse(String value) {
        String s = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("p")) return Duration.parse(s.toUpperCase(Locale.ROOT));
            if (s.endsWith("ms"))
                return Duration.ofMillis(
                        Long.parseLong(s.substring(0, s.length() - 2).strip()));
            if (s.endsWith("s"))
                return Duration.ofMillis(Math.round(
                        Double.parseDouble(s.substring(0, s.length() - 1).strip()) * 1000));
            if (s.endsWith("m"))
                return Duration.ofMillis(Math.round(
                        Double.parseDouble(s.substring(0, s.length() - 1).strip()) * 60_000));
            return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is not a duration (accepted: 30s, 500ms, 2m, PT30S)");
        }
    }
}
