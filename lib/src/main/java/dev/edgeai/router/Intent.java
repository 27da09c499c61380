package dev.edgeai.router;

import java.util.Arrays;
import java.util.Locale;

/** What a request asks for; the catalog lists which intents each model is strong at. */
public enum Intent {
    CHAT,
    SUMMARIZE,
    EXTRACT,
    CODE,
    REASONING;

    /** The lowercase name used in data files ("code"). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Intent of(String s) {
        for (Intent i : values()) if (i.id().equalsIgnoreCase(s == null ? "" : s.strip())) return i;
        throw new IllegalArgumentException("unknown intent '" + s + "'; use one of "
                + String.join(", ", Arrays.stream(values()).map(Intent::id).toList()));
    }

    @Override
    public String toString() {
        return id();
    }
}
