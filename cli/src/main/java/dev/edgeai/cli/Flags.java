package dev.edgeai.cli;

import java.util.Locale;
import picocli.CommandLine;

/**
 * The one reading of a yes/no setting, for options and environment variables alike: workshop text writes
 * {@code BENCH_STREAM=1}, shells write {@code true}, people write {@code yes} or {@code on}.
 */
public final class Flags {
    /** What {@link #parse} accepts, case-insensitively; quoted in every error message. */
    public static final String ACCEPTED = "1/0, true/false, yes/no, on/off";

    private Flags() {}

    /** @throws IllegalArgumentException naming the value and what is accepted */
    public static boolean parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "1", "true", "yes", "on", "y" -> true;
            case "0", "false", "no", "off", "n" -> false;
            default ->
                throw new IllegalArgumentException(
                        "'" + value + "' is not a yes/no value (accepted: " + ACCEPTED + ")");
        };
    }

    /** An environment variable read as a flag; unset or blank gives {@code fallback}. */
    public static boolean env(String name, boolean fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : parse(v);
    }

    /** The picocli converter registered for every boolean option by {@link Cli}. */
    public static final class Converter implements CommandLine.ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
