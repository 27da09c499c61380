package dev.edgeai.eval;

import java.util.Locale;
import picocli.CommandLine;

/** Boolean options and env vars as people write them: 1/0, true/false, yes/no, on/off. */
public final class YesNo implements CommandLine.ITypeConverter<Boolean> {
    @Override
    public Boolean convert(String value) {
        return parse(value);
    }

    public static boolean parse(String value) {
        return switch (value == null ? "" : value.strip().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on", "y" -> true;
            case "0", "false", "no", "off", "n", "" -> false;
            default -> throw new CommandLine.TypeConversionException("'" + value + "' is not a yes/no value (use 1/0, true/false, yes/no)");
        };
    }
}
