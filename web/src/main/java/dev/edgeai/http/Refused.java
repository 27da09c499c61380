package dev.edgeai.http;

/**
 * A request refused before or outside an app's own handlers: answered with {@code status}, the app's error shape and
 * {@code message} (which says what to do), and logged as one line. {@code code} is a stable machine-readable name,
 * e.g. {@code host_not_allowed}.
 */
public final class Refused extends RuntimeException {
    private final int status;
    private final String code;

    public Refused(int status, String code, String message) {
        super(message, null, false, false); // no stack trace: this is an answer, not a failure
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
