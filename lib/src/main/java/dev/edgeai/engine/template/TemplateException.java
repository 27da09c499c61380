package dev.edgeai.engine.template;

/** A chat template that did not render: it rejected the input ({@link #raised()}), or jinjava could not run it. */
public final class TemplateException extends RuntimeException {
    private final boolean raised;

    TemplateException(String message, boolean raised, Throwable cause) {
        super(message, cause);
        this.raised = raised;
    }

    /** The template itself called {@code raise_exception}: the conversation is wrong, not the engine. */
    public boolean raised() {
        return raised;
    }
}
